def summary(request, **kw):
    raise NotImplementedError  # placeholder


def summary_xlsx(request, **kw):
    raise NotImplementedError  # placeholder


def audit(request, **kw):
    raise NotImplementedError  # placeholder
