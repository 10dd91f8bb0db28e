"""Who may write to whom (messaging/circle.py), for every role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, UserFactory
from ejournal.messaging.circle import circle_user_ids, recipient_groups
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


def _groups(user):
    return {group.name: [p.user_id for p in group.people] for group in recipient_groups(user)}


def test_a_pupil_writes_to_the_class_staff_the_administration_and_classmates(cast):
    groups = _groups(cast.vasya.user)
    assert groups == {
        "Классный руководитель": [cast.ivanova.user.pk],
        "Учителя": [cast.petrov.user.pk],
        "Администрация": [cast.curator.pk],
        "Ученики 6А": [cast.petya.user.pk],  # not themselves
    }


def test_a_pupil_reaches_no_parent_and_no_other_class(cast):
    reachable = circle_user_ids(cast.vasya.user)
    for other in (cast.mama_vasi, cast.two_children, cast.kolya.user, cast.sidorov.user):
        assert other.pk not in reachable


def test_a_parent_writes_to_each_childs_staff_only(cast):
    assert _groups(cast.mama_vasi) == {
        "Классный руководитель": [cast.ivanova.user.pk],
        "Учителя": [cast.petrov.user.pk],
        "Администрация": [cast.curator.pk],
    }
    groups = _groups(cast.two_children)
    assert groups["Классный руководитель"] == [cast.ivanova.user.pk, cast.sidorov.user.pk]
    assert groups["Учителя"] == [cast.petrov.user.pk, cast.sidorov.user.pk]
    assert cast.vasya.user.pk not in circle_user_ids(cast.two_children)  # no pupils


def test_a_teacher_writes_to_the_pupils_and_parents_of_their_classes_and_the_staff(cast):
    groups = _groups(cast.petrov.user)
    assert groups == {
        "Администрация": [cast.curator.pk],
        "Учителя": [cast.ivanova.user.pk, cast.sidorov.user.pk],
        "Ученики 6А": [cast.vasya.user.pk, cast.petya.user.pk],
        "Родители 6А": [cast.mama_vasi.pk, cast.two_children.pk],
    }
    assert cast.mama_koli.pk not in circle_user_ids(cast.petrov.user)
    # A class teacher reaches the class led as well.
    assert "Родители 6А" in _groups(cast.ivanova.user)


def test_the_curator_writes_to_anyone_of_the_school(cast):
    reachable = circle_user_ids(cast.curator)
    everyone = {
        cast.ivanova.user.pk,
        cast.petrov.user.pk,
        cast.sidorov.user.pk,
        cast.vasya.user.pk,
        cast.petya.user.pk,
        cast.kolya.user.pk,
        cast.mama_vasi.pk,
        cast.mama_koli.pk,
        cast.two_children.pk,
    }
    assert reachable == everyone
    assert list(_groups(cast.curator)) == [
        "Учителя",
        "Ученики 6А",
        "Родители 6А",
        "Ученики 7Б",
        "Родители 7Б",
    ]  # no other administrator here


def test_nobody_of_another_school_and_no_disabled_account_is_in_a_circle(cast, other_school):
    stranger_class = SchoolClassFactory(school=other_school, grade=6, letter="А")
    stranger = UserFactory(school=other_school, role=Role.STUDENT, login="stranger")
    StudentFactory(school_class=stranger_class, user=stranger)
    cast.petya.user.is_active = False
    cast.petya.user.save()
    for user in (cast.curator, cast.vasya.user, cast.petrov.user):
        reachable = circle_user_ids(user)
        assert stranger.pk not in reachable
        assert cast.petya.user.pk not in reachable


def test_an_archived_pupil_and_their_parents_leave_the_class_groups(cast):
    cast.vasya.archived_at = timezone.now()
    cast.vasya.save()
    groups = _groups(cast.petrov.user)
    assert groups["Ученики 6А"] == [cast.petya.user.pk]
    assert groups["Родители 6А"] == [cast.two_children.pk]
    assert _groups(cast.vasya.user) == {"Администрация": [cast.curator.pk]}  # no class now
    assert _groups(cast.mama_vasi) == {"Администрация": [cast.curator.pk]}


def test_the_groups_cost_the_same_queries_whatever_the_number_of_classes(cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            recipient_groups(cast.curator)
        return len(captured)

    before = queries()
    for n in range(5):
        school_class = SchoolClassFactory(school=cast.curator.school, grade=8, letter="АБВГД"[n])
        StudentFactory(
            school_class=school_class,
            user=UserFactory(school=cast.curator.school, role=Role.STUDENT, login=f"p{n}"),
        )
    assert len(recipient_groups(cast.curator)) == 5 + 5  # five classes more, with a pupil each
    assert queries() == before
