def hello(request, **kw):
    raise NotImplementedError  # placeholder


def register(request, **kw):
    raise NotImplementedError  # placeholder


def registered(request, **kw):
    raise NotImplementedError  # placeholder


def profile(request, **kw):
    raise NotImplementedError  # placeholder


def child_add(request, **kw):
    raise NotImplementedError  # placeholder
