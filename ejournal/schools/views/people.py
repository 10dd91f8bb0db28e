
def student_create(request, **kw): raise NotImplementedError  # placeholder
def student_edit(request, **kw): raise NotImplementedError  # placeholder
def student_move(request, **kw): raise NotImplementedError  # placeholder
def student_archive(request, **kw): raise NotImplementedError  # placeholder
def teacher_list(request, **kw): raise NotImplementedError  # placeholder
def teacher_create(request, **kw): raise NotImplementedError  # placeholder
def teacher_edit(request, **kw): raise NotImplementedError  # placeholder
def teacher_archive(request, **kw): raise NotImplementedError  # placeholder
