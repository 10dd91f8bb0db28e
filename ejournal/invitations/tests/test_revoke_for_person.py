"""Revoking one person's codes: the one service the archive services and reissue share."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, TeacherFactory
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import (
    invitation_find_usable,
    invitations_issue,
    invitations_revoke_for_person,
)
from ejournal.schools.roles import Role
from ejournal.schools.services import student_archive, teacher_archive

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def issued(school, six_a, pupils, teacher, curator):
    """Student and parent codes for 6А, and a teacher code, issued on 2 November."""
    with time_machine.travel(ISSUED, tick=False):
        return {
            role: invitations_issue(school=school, role=role, actor=curator, school_class=six_a)
            if role != Role.TEACHER
            else invitations_issue(school=school, role=role, actor=curator)
            for role in (Role.STUDENT, Role.PARENT, Role.TEACHER)
        }


def test_the_persons_usable_codes_of_those_roles_stop_working_and_one_event_records_it(
    school, pupils, curator, issued
):
    nikolaev, petrova = pupils[0], pupils[1]

    with time_machine.travel(LATER, tick=False):
        revoked = invitations_revoke_for_person(
            school=school, student=nikolaev, roles=(Role.STUDENT, Role.PARENT), actor=curator
        )

    assert revoked == 3  # the student's own code and the two parent codes
    mine = Invitation.objects.filter(student=nikolaev)
    assert {(i.revoked_at, i.updated_at) for i in mine} == {(LATER, LATER)}
    assert Invitation.objects.usable().filter(student=petrova).count() == 3
    assert Invitation.objects.usable().filter(role=Role.TEACHER).count() == 1
    event = AuditEvent.objects.get(action=AuditAction.INVITATIONS_REVOKED)
    assert (event.actor, event.target_type, event.target_id) == (curator, "student", nikolaev.pk)
    assert event.after == {"roles": ["student", "parent"], "revoked": 3}


def test_only_the_roles_named_are_revoked(school, pupils, curator, issued):
    revoked = invitations_revoke_for_person(
        school=school, student=pupils[0], roles=(Role.PARENT,), actor=curator
    )

    assert revoked == 2
    assert Invitation.objects.usable().get(student=pupils[0]).role == Role.STUDENT


def test_revoking_again_finds_nothing_and_writes_no_event(school, teacher, curator, issued):
    (code,) = issued[Role.TEACHER]
    first = invitations_revoke_for_person(
        school=school, teacher=teacher, roles=[Role.TEACHER], actor=curator
    )
    events = AuditEvent.objects.count()

    again = invitations_revoke_for_person(
        school=school, teacher=teacher, roles=[Role.TEACHER], actor=curator
    )

    assert (first, again) == (1, 0)
    assert invitation_find_usable(school=school, code=code.code) is None
    assert AuditEvent.objects.count() == events


def test_the_person_must_be_one_and_of_this_school(school, other_school, pupils, teacher):
    foreign = StudentFactory(school_class=SchoolClassFactory(school=other_school))
    with pytest.raises(ValidationError, match="Человек не из этой школы"):
        invitations_revoke_for_person(
            school=school, student=foreign, roles=[Role.STUDENT], actor=None
        )
    with pytest.raises(ValueError, match="exactly one person"):
        invitations_revoke_for_person(
            school=school, student=pupils[0], teacher=teacher, roles=[Role.STUDENT], actor=None
        )
    with pytest.raises(ValueError, match="exactly one person"):
        invitations_revoke_for_person(school=school, roles=[Role.STUDENT], actor=None)


def test_a_role_not_given_to_people_is_named_in_russian(school, pupils):
    with pytest.raises(ValidationError) as refused:
        invitations_revoke_for_person(
            school=school, student=pupils[0], roles=[Role.CURATOR], actor=None
        )
    assert refused.value.messages == ["Пригласительные коды для роли «Куратор» не выдаются."]

    with pytest.raises(ValidationError) as refused:
        invitations_issue(school=school, role=Role.OPERATOR, actor=None)
    assert refused.value.messages == [
        "Пригласительные коды для роли «Техническая поддержка» не выдаются."
    ]


def test_the_archive_services_revoke_through_it(school, pupils, curator, issued):
    teacher = TeacherFactory(school=school)
    invitations_issue(school=school, role=Role.TEACHER, actor=curator)

    with time_machine.travel(LATER, tick=False):
        student_archive(student=pupils[0], actor=curator)
        teacher_archive(teacher=teacher, actor=curator)

    events = AuditEvent.objects.filter(action=AuditAction.INVITATIONS_REVOKED)
    assert sorted((e.target_type, e.after["revoked"]) for e in events) == [
        ("student", 3),
        ("teacher", 1),
    ]
    revoked = Invitation.objects.filter(revoked_at__isnull=False)
    assert {i.updated_at for i in revoked} == {LATER}
