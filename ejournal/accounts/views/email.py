def email_update(request, **kw):
    raise NotImplementedError  # placeholder


def email_confirm(request, **kw):
    raise NotImplementedError  # placeholder
