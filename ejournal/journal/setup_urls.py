"""The curator's set-up of the school year, mounted at curator/schedule/.

The permission and tenancy tests walk every URL under curator/ (core/testing/urls.py); the
POST-only ones here are listed in its POST_ONLY table. A URL names only the class: the rows a
form acts on (an entry, an assignment, a group) come in the POST, offered from the class's own.
"""

from django.urls import path

from .views.setup import timetable, year

app_name = "setup"
urlpatterns = [
    path("", year.index, name="index"),
    path("bells/", year.bells, name="bells"),
    path("holidays/", year.holidays, name="holidays"),
    path("holidays/delete/", year.holiday_delete, name="holiday_delete"),
    path("lessons/", year.lessons_generate, name="lessons_generate"),
    path("classes/<id:class_id>/", timetable.class_week, name="class_week"),
    path("classes/<id:class_id>/clear/", timetable.entry_clear, name="entry_clear"),
    path("classes/<id:class_id>/assignments/", timetable.assignment_add, name="assignment_add"),
    path(
        "classes/<id:class_id>/assignments/remove/",
        timetable.assignment_remove,
        name="assignment_remove",
    ),
    path("classes/<id:class_id>/groups/", timetable.group_add, name="group_add"),
    path("classes/<id:class_id>/groups/members/", timetable.group_members, name="group_members"),
]
