"""A class's week: the timetable grid with its slots set and cleared, the class's teaching
assignments and its groups for split subjects. One page; each form posts to its own URL and,
when refused, the page comes back with that form's reasons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ejournal.core.http import SchoolRequest, curator_required
from ejournal.schools.access import access_class
from ejournal.schools.forms import post_data, submit
from ejournal.schools.models import SchoolClass, Subject
from ejournal.schools.selectors import active_teachers

from ... import services
from ...forms.setup import (
    AssignmentDeleteForm,
    AssignmentForm,
    EntryForm,
    GroupCreateForm,
    GroupMembersForm,
    TimetableSlotForm,
)
from ...models import Group, Weekday
from ...selectors.setup import (
    class_all_groups,
    class_assignments,
    class_groups_with_members,
    class_students,
    class_timetable,
    class_timetable_entries,
    school_bells,
)


class _Forms:
    """The page's forms for one class, bound to the POST for the one being submitted."""

    def __init__(self, request: SchoolRequest, school_class: SchoolClass) -> None:
        self.request, self.school_class = request, school_class
        self.bells = school_bells(school=request.school)
        self.subjects = Subject.objects.filter(school=request.school).order_by("name")
        self.teachers = active_teachers(school=request.school)
        self.groups = class_all_groups(school_class=school_class)
        self.students = class_students(school_class=school_class)

    def slot(self, data: Any = None) -> TimetableSlotForm:
        query = self.request.GET
        return TimetableSlotForm(
            data,
            numbers=[bell.number for bell in self.bells],
            subjects=self.subjects,
            teachers=self.teachers,
            groups=self.groups,
            initial={"weekday": query.get("weekday"), "number": query.get("number")},
        )

    def entry(self, data: Any = None) -> EntryForm:
        return EntryForm(data, entries=class_timetable_entries(school_class=self.school_class))

    def assignment(self, data: Any = None) -> AssignmentForm:
        return AssignmentForm(
            data, subjects=self.subjects, teachers=self.teachers, groups=self.groups
        )

    def assignment_delete(self, data: Any = None) -> AssignmentDeleteForm:
        return AssignmentDeleteForm(
            data, assignments=class_assignments(school_class=self.school_class)
        )

    def group(self, data: Any = None) -> GroupCreateForm:
        return GroupCreateForm(
            data, subjects=self.subjects, students=self.students, auto_id="id_group_%s"
        )

    def members(self, data: Any = None) -> GroupMembersForm:
        return GroupMembersForm(data, groups=self.groups, students=self.students)

    def page(self, **bound: forms.Form) -> HttpResponse:
        """The class's page, with `bound` forms in place of fresh ones."""
        school_class = self.school_class
        context: dict[str, Any] = {
            "school_class": school_class,
            "weekdays": Weekday.choices,
            "grid": class_timetable(school_class=school_class, bells=self.bells),
            "bells": self.bells,
            "assignments": class_assignments(school_class=school_class),
            "groups": class_groups_with_members(school_class=school_class),
            "students": list(self.students),
            "slot_form": bound.get("slot_form") or self.slot(),
            "assignment_form": bound.get("assignment_form") or self.assignment(),
            "group_form": bound.get("group_form") or self.group(),
            # Forms posted from buttons in a table: only their reasons are shown.
            "entry_form": bound.get("entry_form"),
            "assignment_delete_form": bound.get("assignment_delete_form"),
            "members_form": bound.get("members_form"),
        }
        return render(self.request, "journal/setup_class.html", context)


def _back(school_class: SchoolClass) -> HttpResponse:
    return redirect("setup:class_week", class_id=school_class.pk)


@curator_required
@require_http_methods(["GET", "POST"])
def class_week(request: SchoolRequest, class_id: int) -> HttpResponse:
    """ "Расписание класса 6А": the week's grid; the POST sets one slot."""
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.slot(post_data(request))
    entry = submit(
        request,
        form,
        lambda data: services.timetable_entry_set(
            school_class=school_class, actor=request.user, **data
        ),
    )
    if entry is not None:
        day = Weekday(entry.weekday).label
        messages.success(request, f"{day}, урок {entry.number}: {entry.subject.name}.")
        return _back(school_class)
    return page.page(slot_form=form)


@curator_required
@require_POST
def entry_clear(request: SchoolRequest, class_id: int) -> HttpResponse:
    """Clear one lesson of the weekly grid (lessons already made from it stay)."""
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.entry(request.POST)
    entry = form.cleaned_data["entry"] if form.is_valid() else None
    if entry is None:
        return page.page(entry_form=form)
    services.timetable_entry_delete(entry=entry, actor=request.user)
    day = Weekday(entry.weekday).label
    messages.success(request, f"{day}, урок {entry.number}: урок убран из расписания.")
    return _back(school_class)


@curator_required
@require_POST
def assignment_add(request: SchoolRequest, class_id: int) -> HttpResponse:
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.assignment(request.POST)
    assignment = submit(
        request,
        form,
        lambda data: services.assignment_create(
            school=request.school, school_class=school_class, actor=request.user, **data
        ),
    )
    if assignment is None:
        return page.page(assignment_form=form)
    messages.success(
        request, f"{assignment.teacher.full_name} ведёт {assignment.subject.name.lower()}."
    )
    return _back(school_class)


@curator_required
@require_POST
def assignment_remove(request: SchoolRequest, class_id: int) -> HttpResponse:
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.assignment_delete(request.POST)
    assignment = form.cleaned_data["assignment"] if form.is_valid() else None
    if assignment is None:
        return page.page(assignment_delete_form=form)
    services.assignment_delete(assignment=assignment, actor=request.user)
    messages.success(
        request,
        f"{assignment.teacher.full_name} больше не ведёт {assignment.subject.name.lower()}.",
    )
    return _back(school_class)


@curator_required
@require_POST
def group_add(request: SchoolRequest, class_id: int) -> HttpResponse:
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.group(request.POST)
    group = submit(
        request,
        form,
        lambda data: services.group_create(school_class=school_class, actor=request.user, **data),
    )
    if group is None:
        return page.page(group_form=form)
    messages.success(request, f"Группа «{group.name}» создана.")
    return _back(school_class)


@curator_required
@require_POST
def group_members(request: SchoolRequest, class_id: int) -> HttpResponse:
    """A group's students become exactly the ones ticked."""
    school_class = access_class(school=request.school, class_id=class_id)
    page = _Forms(request, school_class)
    form = page.members(request.POST)

    def save(data: dict[str, Any]) -> Group:
        services.group_members_set(
            group=data["group"], students=data["students"], actor=request.user
        )
        return data["group"]

    done = submit(request, form, save)
    if done is None:
        return page.page(members_form=form)
    messages.success(request, f"Группа «{done.name}»: состав сохранён.")
    return _back(school_class)
