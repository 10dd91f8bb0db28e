def homework_file(request, **kw):
    raise NotImplementedError  # placeholder
