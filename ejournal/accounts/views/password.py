def password_change(request, **kw):
    raise NotImplementedError  # placeholder
