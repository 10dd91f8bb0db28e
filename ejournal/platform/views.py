def dashboard(request, **kw):
    raise NotImplementedError  # placeholder
