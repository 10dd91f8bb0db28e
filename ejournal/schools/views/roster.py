
def roster_import(request, **kw): raise NotImplementedError  # placeholder
def roster_preview(request, **kw): raise NotImplementedError  # placeholder
