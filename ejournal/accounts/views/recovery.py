def recovery(request, **kw):
    raise NotImplementedError  # placeholder


def recovery_sent(request, **kw):
    raise NotImplementedError  # placeholder


def recovery_confirm(request, **kw):
    raise NotImplementedError  # placeholder


def recovery_done(request, **kw):
    raise NotImplementedError  # placeholder
