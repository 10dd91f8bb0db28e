from django.urls import path

from .views import classes, people, periods, roster, settings

app_name = "schools"
urlpatterns = [
    path("classes/", classes.class_list, name="class_list"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/<id:class_id>/", classes.class_detail, name="class_detail"),
    path("classes/<id:class_id>/edit/", classes.class_edit, name="class_edit"),
    path("students/new/", people.student_create, name="student_create"),
    path("students/<id:student_id>/", people.student_edit, name="student_edit"),
    path("students/<id:student_id>/move/", people.student_move, name="student_move"),
    path("students/<id:student_id>/archive/", people.student_archive, name="student_archive"),
    path("teachers/", people.teacher_list, name="teacher_list"),
    path("teachers/new/", people.teacher_create, name="teacher_create"),
    path("teachers/<id:teacher_id>/", people.teacher_edit, name="teacher_edit"),
    path("teachers/<id:teacher_id>/archive/", people.teacher_archive, name="teacher_archive"),
    path("import/", roster.roster_import, name="roster_import"),
    path("import/<id:import_id>/", roster.roster_preview, name="roster_preview"),
    path("settings/", settings.school_settings, name="school_settings"),
    path("periods/<id:period_id>/close/", periods.period_close, name="period_close"),
    path("periods/<id:period_id>/reopen/", periods.period_reopen, name="period_reopen"),
]
