def events(request, **kw):
    raise NotImplementedError  # placeholder
