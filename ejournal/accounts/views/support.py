def user_list(request, **kw):
    raise NotImplementedError  # placeholder


def user_detail(request, **kw):
    raise NotImplementedError  # placeholder


def user_password(request, **kw):
    raise NotImplementedError  # placeholder
