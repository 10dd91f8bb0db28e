def teacher_home(request, **kw):
    raise NotImplementedError  # placeholder


def grid(request, **kw):
    raise NotImplementedError  # placeholder


def lesson_edit(request, **kw):
    raise NotImplementedError  # placeholder


def cell_save(request, **kw):
    raise NotImplementedError  # placeholder


def final_save(request, **kw):
    raise NotImplementedError  # placeholder


def remark_add(request, **kw):
    raise NotImplementedError  # placeholder
