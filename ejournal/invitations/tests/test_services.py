"""Issuing, reissuing, revoking and finding invitation codes."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.invitations import codes
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import (
    invitation_find_usable,
    invitation_reissue,
    invitation_revoke,
    invitations_issue,
)
from ejournal.schools.roles import Role
from ejournal.schools.services import academic_year_create

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def _usable_codes(**filters):
    return Invitation.objects.usable().filter(**filters)


# Issuing


def test_student_codes_for_a_class_go_to_active_students_without_an_account(
    school, six_a, six_b, pupils, curator
):
    StudentFactory(school_class=six_a, last_name="Выбывший", archived_at=timezone.now())
    StudentFactory(school_class=six_b)

    issued = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)

    assert [i.invitation.student for i in issued] == pupils[:2]  # Николаев, Петрова; not Сидоров
    assert {i.invitation.role for i in issued} == {Role.STUDENT}
    assert Invitation.objects.count() == 2


def test_parent_codes_are_the_configured_number_per_active_student(
    school, six_a, pupils, curator, settings
):
    assert settings.EJOURNAL_PARENT_CODES_PER_STUDENT == 2
    issued = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    # Registered or not, each student's parents get their codes: two parents, two accounts.
    assert [i.invitation.student for i in issued] == [p for p in pupils for _ in range(2)]

    settings.EJOURNAL_PARENT_CODES_PER_STUDENT = 3
    assert (
        len(invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a))
        == 9
    )


def test_teacher_codes_go_to_active_teachers_without_an_account(school, teacher, curator):
    TeacherFactory(school=school, user=UserFactory(school=school, role=Role.TEACHER))
    TeacherFactory(school=school, archived_at=timezone.now())

    issued = invitations_issue(school=school, role=Role.TEACHER, actor=curator)

    assert [(i.invitation.teacher, i.invitation.class_label) for i in issued] == [(teacher, "")]


def test_the_curator_code_is_a_single_code_for_nobody_in_particular(school, curator):
    issued = invitations_issue(school=school, role=Role.CURATOR, actor=None)
    assert len(issued) == 1
    invitation = issued[0].invitation
    assert (invitation.student, invitation.teacher, invitation.class_label) == (None, None, "")


def test_issuing_without_a_class_covers_every_class_of_the_current_year_in_print_order(
    school, six_a, six_b, pupils, curator
):
    b_pupil = StudentFactory(school_class=six_b, last_name="Абрамов")
    old_year = academic_year_create(
        school=school, start_year=school.years.first().starts_on.year - 1
    )
    StudentFactory(
        school_class=SchoolClassFactory(school=school, year=old_year, grade=5, letter="А")
    )

    issued = invitations_issue(school=school, role=Role.STUDENT, actor=curator)

    assert [i.invitation.student for i in issued] == [*pupils[:2], b_pupil]
    assert [i.invitation.class_label for i in issued] == ["6А", "6А", "6Б"]


def test_a_code_records_the_class_label_the_issuer_and_expires_in_180_days(
    school, six_a, pupils, curator, settings
):
    assert settings.EJOURNAL_INVITATION_DAYS == 180
    with time_machine.travel(NOW, tick=False):
        issued = invitations_issue(
            school=school, role=Role.PARENT, actor=curator, school_class=six_a
        )
    invitation = Invitation.objects.get(pk=issued[0].invitation.pk)
    assert invitation.class_label == "6А"
    assert invitation.issued_by == curator
    assert invitation.expires_at == NOW + dt.timedelta(days=180)


def test_a_code_stays_usable_until_it_expires(school, six_a, pupils, curator):
    with time_machine.travel(NOW, tick=False):
        code = invitations_issue(
            school=school, role=Role.STUDENT, actor=curator, school_class=six_a
        )[0].code
    with time_machine.travel(NOW + dt.timedelta(days=180) - dt.timedelta(seconds=1), tick=False):
        assert invitation_find_usable(school=school, code=code) is not None
    with time_machine.travel(NOW + dt.timedelta(days=180), tick=False):
        assert invitation_find_usable(school=school, code=code) is None


def test_the_plain_code_never_reaches_the_database_nor_the_audit_log(
    school, six_a, pupils, curator
):
    with CaptureQueriesContext(connection) as queries:
        issued = invitations_issue(
            school=school, role=Role.PARENT, actor=curator, school_class=six_a
        )
    plain = [i.code for i in issued]

    sent = " ".join(q["sql"] for q in queries.captured_queries)
    assert not any(code in sent for code in plain)
    stored = [str(value) for row in Invitation.objects.values_list() for value in row] + [
        str(row) for row in AuditEvent.objects.values_list()
    ]
    assert not any(code in value for code in plain for value in stored)
    assert {inv.code_hash for inv in Invitation.objects.all()} == {
        codes.hash_code(c) for c in plain
    }
    assert all(code not in repr(item) for item, code in zip(issued, plain, strict=True))


def test_issuing_records_one_audit_event_with_counts(school, six_a, pupils, curator):
    invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        AuditAction.INVITATIONS_ISSUED,
        curator,
        six_a.pk,
    )
    assert event.after == {"role": "parent", "class": "6А", "issued": 6, "revoked": 0}


def test_nobody_to_issue_for_returns_nothing_and_writes_nothing(school, six_a, curator):
    StudentFactory(school_class=six_a, user=UserFactory(school=school, role=Role.STUDENT))
    assert (
        invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a) == []
    )
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_issuing_for_a_whole_class_again_adds_codes_and_keeps_the_earlier_ones_valid(
    school, six_a, pupils, curator
):
    first = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)
    second = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)

    assert _usable_codes(student=pupils[0], role=Role.STUDENT).count() == 2
    for item in [*first, *second]:
        assert invitation_find_usable(school=school, code=item.code) == item.invitation


def test_revoke_previous_revokes_only_those_peoples_earlier_codes_of_that_role(
    school, six_a, six_b, pupils, curator
):
    b_pupil = StudentFactory(school_class=six_b)
    old_a = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)
    old_b = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_b)
    old_parent = invitations_issue(
        school=school, role=Role.PARENT, actor=curator, school_class=six_a
    )

    new = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a, revoke_previous=True
    )

    assert all(invitation_find_usable(school=school, code=i.code) is None for i in old_a)
    assert all(
        invitation_find_usable(school=school, code=i.code) for i in [*old_b, *old_parent, *new]
    )
    assert _usable_codes(student=b_pupil).count() == 1
    event = AuditEvent.objects.order_by("id").last()
    assert event.after == {"role": "student", "class": "6А", "issued": 2, "revoked": 2}


def test_revoke_previous_for_the_curator_code_replaces_the_schools_curator_code(school):
    old = invitations_issue(school=school, role=Role.CURATOR, actor=None)[0]
    new = invitations_issue(school=school, role=Role.CURATOR, actor=None, revoke_previous=True)[0]
    assert invitation_find_usable(school=school, code=old.code) is None
    assert invitation_find_usable(school=school, code=new.code) == new.invitation


def test_a_class_of_another_school_or_a_class_for_teacher_codes_is_refused(
    school, other_school, six_a, curator
):
    foreign = SchoolClassFactory(school=other_school)
    with pytest.raises(ValidationError):
        invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=foreign)
    with pytest.raises(ValidationError):
        invitations_issue(school=school, role=Role.TEACHER, actor=curator, school_class=six_a)
    with pytest.raises(ValidationError):
        invitations_issue(school=school, role=Role.OPERATOR, actor=curator)
    assert not Invitation.objects.exists()


def test_a_hash_collision_draws_another_code_instead_of_failing(
    school, six_a, pupils, curator, monkeypatch
):
    taken = invitations_issue(school=school, role=Role.CURATOR, actor=None)[0].code
    draws = iter(
        [taken, "bbbbbbbbbb", "bbbbbbbbbb", "cccccccccc", taken]
        + [letter * 10 for letter in "defgh"]
    )
    monkeypatch.setattr(codes, "code_generate", lambda: next(draws))

    issued = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)

    assert sorted(i.code for i in issued) == [letter * 10 for letter in "bcdefg"]
    assert Invitation.objects.filter(role=Role.PARENT).count() == 6


# Reissuing and revoking


def test_reissue_revokes_the_persons_earlier_usable_codes_of_that_role_only(
    school, six_a, pupils, curator
):
    lost, other = pupils[0], pupils[1]
    students = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )
    parents = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)

    fresh = invitation_reissue(school=school, role=Role.STUDENT, person=lost, actor=curator)

    assert [i.invitation.student for i in fresh] == [lost]
    assert invitation_find_usable(school=school, code=fresh[0].code) == fresh[0].invitation
    for item in students:
        found = invitation_find_usable(school=school, code=item.code)
        assert (found is None) == (item.invitation.student == lost)
    assert all(invitation_find_usable(school=school, code=i.code) for i in parents)
    assert _usable_codes(student=other, role=Role.STUDENT).count() == 1
    event = AuditEvent.objects.order_by("id").last()
    assert (event.action, event.target_type, event.target_id) == (
        AuditAction.INVITATIONS_ISSUED,
        "student",
        lost.pk,
    )
    assert event.after == {"role": "student", "issued": 1, "revoked": 1, "reissue": True}


def test_reissuing_parent_codes_gives_the_per_student_count_and_revokes_the_old_pair(
    school, six_a, pupils, curator
):
    child = pupils[2]  # registered himself; his parents still need codes
    old = invitation_reissue(school=school, role=Role.PARENT, person=child, actor=curator)
    new = invitation_reissue(school=school, role=Role.PARENT, person=child, actor=curator)

    assert len(new) == 2
    assert [invitation_find_usable(school=school, code=i.code) for i in old] == [None, None]
    assert set(_usable_codes(student=child, role=Role.PARENT)) == {i.invitation for i in new}


def test_reissuing_a_teacher_code_revokes_the_teachers_earlier_one(school, teacher, curator):
    old = invitations_issue(school=school, role=Role.TEACHER, actor=curator)[0]
    new = invitation_reissue(school=school, role=Role.TEACHER, person=teacher, actor=curator)[0]
    assert invitation_find_usable(school=school, code=old.code) is None
    assert invitation_find_usable(school=school, code=new.code).teacher == teacher


def test_reissue_refuses_registered_archived_or_foreign_people_and_mismatched_roles(
    school, other_school, six_a, pupils, teacher, curator
):
    archived = StudentFactory(school_class=six_a, archived_at=timezone.now())
    foreign = StudentFactory(school_class=SchoolClassFactory(school=other_school))
    refused = [
        (Role.STUDENT, pupils[2]),  # already has an account
        (Role.PARENT, archived),
        (Role.PARENT, foreign),
        (Role.TEACHER, pupils[0]),
        (Role.STUDENT, teacher),
        (Role.CURATOR, pupils[0]),
    ]
    for role, person in refused:
        with pytest.raises(ValidationError):
            invitation_reissue(school=school, role=role, person=person, actor=curator)
    assert not Invitation.objects.exists()


def test_a_revoked_code_is_no_longer_found_and_the_revocation_is_audited(
    school, six_a, pupils, curator
):
    item = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)[0]

    invitation_revoke(invitation=item.invitation, actor=curator)
    invitation_revoke(invitation=item.invitation, actor=curator)  # twice changes nothing

    assert invitation_find_usable(school=school, code=item.code) is None
    assert item.invitation.revoked_at is not None
    events = AuditEvent.objects.filter(action=AuditAction.INVITATIONS_REVOKED)
    assert [(e.actor, e.target_id) for e in events] == [(curator, item.invitation.pk)]


def test_a_redeemed_code_cannot_be_revoked(school, six_a, pupils, curator):
    invitation = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )[0].invitation
    invitation.redeemed_at = timezone.now()
    invitation.save(update_fields=["redeemed_at"])
    with pytest.raises(ValidationError):
        invitation_revoke(invitation=invitation, actor=curator)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# Finding a code, as registration will


@pytest.mark.parametrize("typing", [str.upper, lambda c: f" {c[:4]}-{c[4:7]} {c[7:]} "])
def test_a_code_is_found_however_it_is_typed(school, six_a, pupils, curator, typing):
    item = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)[0]
    found = invitation_find_usable(school=school, code=typing(item.code))
    assert found == item.invitation
    assert found.student.school_class == six_a


def test_redeemed_revoked_unknown_and_empty_codes_are_not_found(school, six_a, pupils, curator):
    redeemed, revoked = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )
    redeemed.invitation.redeemed_at = timezone.now()
    redeemed.invitation.redeemed_by = UserFactory.create(school=school, role=Role.STUDENT)
    redeemed.invitation.save(update_fields=["redeemed_at", "redeemed_by"])
    invitation_revoke(invitation=revoked.invitation, actor=curator)

    for code in (redeemed.code, revoked.code, "abcdefghjk", "", " - "):
        assert invitation_find_usable(school=school, code=code) is None


def test_another_schools_code_is_not_found_at_this_school(school, other_school, curator):
    theirs = invitations_issue(school=other_school, role=Role.CURATOR, actor=None)[0]
    assert invitation_find_usable(school=school, code=theirs.code) is None
    assert invitation_find_usable(school=other_school, code=theirs.code) == theirs.invitation
