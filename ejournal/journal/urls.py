from django.urls import path

from .views import class_teacher, diary, files, teacher

app_name = "journal"
urlpatterns = [
    # The teacher's journal.
    path("journal/", teacher.teacher_home, name="teacher_home"),
    path("journal/<id:class_id>/<id:subject_id>/", teacher.grid, name="grid"),
    path("journal/lessons/<id:lesson_id>/", teacher.lesson_edit, name="lesson"),
    path(
        "journal/lessons/<id:lesson_id>/students/<id:student_id>/",
        teacher.cell_save,
        name="cell",
    ),
    path(
        "journal/<id:class_id>/<id:subject_id>/finals/<id:student_id>/",
        teacher.final_save,
        name="final",
    ),
    path("journal/remarks/<id:student_id>/", teacher.remark_add, name="remark_add"),
    # The diary of a student, for the student and the parents.
    path("diary/", diary.diary_home, name="diary_home"),
    path("diary/<id:student_id>/", diary.diary_week, name="diary_week"),
    path("diary/<id:student_id>/marks/", diary.marks, name="marks"),
    path("diary/<id:student_id>/marks/year/", diary.marks_year, name="marks_year"),
    path("diary/<id:student_id>/sign/", diary.week_sign, name="week_sign"),
    path("files/<id:file_id>/", files.homework_file, name="homework_file"),
    # The class teacher (and the curator).
    path("class/<id:class_id>/summary/", class_teacher.summary, name="class_summary"),
    path("class/<id:class_id>/summary.xlsx", class_teacher.summary_xlsx, name="class_summary_xlsx"),
    path("class/<id:class_id>/audit/", class_teacher.audit, name="class_audit"),
]
