
def class_list(request, **kw): raise NotImplementedError  # placeholder, replaced by the classes pages
def class_create(request, **kw): raise NotImplementedError  # placeholder, replaced by the classes pages
def class_detail(request, **kw): raise NotImplementedError  # placeholder, replaced by the classes pages
def class_edit(request, **kw): raise NotImplementedError  # placeholder, replaced by the classes pages
