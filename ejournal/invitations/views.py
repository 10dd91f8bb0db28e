def issue(request, **kw): raise NotImplementedError  # placeholder
def reissue(request, **kw): raise NotImplementedError  # placeholder
