def diary_home(request, **kw):
    raise NotImplementedError  # placeholder


def diary_week(request, **kw):
    raise NotImplementedError  # placeholder


def marks(request, **kw):
    raise NotImplementedError  # placeholder


def week_sign(request, **kw):
    raise NotImplementedError  # placeholder
