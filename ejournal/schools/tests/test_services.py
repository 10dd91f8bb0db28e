"""The class, student and teacher services: what they write, refuse and audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.invitations.models import Invitation
from ejournal.schools.models import SchoolClass, Student, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year
from ejournal.schools.services import (
    academic_year_create,
    class_create,
    class_update,
    student_archive,
    student_create,
    student_move,
    student_update,
    teacher_archive,
    teacher_create,
    teacher_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_6a(school):
    return SchoolClassFactory(school=school, grade=6, letter="А")


@pytest.fixture
def class_6b(school):
    return SchoolClassFactory(school=school, grade=6, letter="Б")


@pytest.fixture
def teacher(school):
    return TeacherFactory(
        school=school, last_name="Иванова", first_name="Мария", middle_name="Петровна"
    )


def _only_event(action: AuditAction) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, events
    return events[0]


def _add_student(school, school_class, curator, **overrides):
    fields = {
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "Андреевич",
        "birth_date": dt.date(2014, 3, 12),
        "parent_email": "",
    }
    return student_create(
        school=school, school_class=school_class, actor=curator, **{**fields, **overrides}
    )


def _invitation(school, *, role, student=None, teacher=None, code_hash, **fields):
    return Invitation.objects.create(
        school=school,
        role=role,
        student=student,
        teacher=teacher,
        code_hash=code_hash,
        expires_at=timezone.now() + dt.timedelta(days=30),
        **fields,
    )


# Classes


def test_class_create_refuses_a_second_class_of_the_same_label_with_a_russian_message(
    school, curator
):
    year = current_year(school=school)
    class_create(school=school, year=year, grade=6, letter="А", actor=curator)

    with pytest.raises(ValidationError) as refused:
        class_create(school=school, year=year, grade=6, letter="А", actor=curator)

    assert refused.value.messages == [f"Класс 6А в {year} учебном году уже есть."]
    assert SchoolClass.objects.filter(school=school).count() == 1


def test_class_create_refuses_a_class_teacher_of_another_school(school, other_school, curator):
    stranger = TeacherFactory(school=other_school)

    with pytest.raises(ValidationError) as refused:
        class_create(
            school=school,
            year=current_year(school=school),
            grade=7,
            letter="В",
            class_teacher=stranger,
            actor=curator,
        )

    assert refused.value.message_dict == {
        "class_teacher": ["Классным руководителем может быть только учитель этой школы."]
    }
    assert not SchoolClass.objects.filter(school=school).exists()


def test_class_update_appoints_the_class_teacher_and_audits_before_and_after(
    school, curator, class_6a, teacher
):
    class_update(school_class=class_6a, class_teacher=teacher, actor=curator)

    class_6a.refresh_from_db()
    assert class_6a.class_teacher == teacher
    event = _only_event(AuditAction.CLASS_UPDATED)
    assert (event.school, event.actor, event.target_id) == (school, curator, class_6a.pk)
    assert event.before == {"label": "6А", "class_teacher_id": None, "class_teacher": None}
    assert event.after == {
        "label": "6А",
        "class_teacher_id": teacher.pk,
        "class_teacher": "Иванова Мария Петровна",
    }


def test_class_update_can_clear_the_class_teacher(school, curator, teacher):
    school_class = SchoolClassFactory(school=school, class_teacher=teacher)

    class_update(school_class=school_class, class_teacher=None, actor=curator)

    school_class.refresh_from_db()
    assert school_class.class_teacher is None
    assert _only_event(AuditAction.CLASS_UPDATED).before["class_teacher_id"] == teacher.pk


def test_class_update_with_the_same_teacher_writes_no_event(school, curator, teacher):
    school_class = SchoolClassFactory(school=school, class_teacher=teacher)

    class_update(school_class=school_class, class_teacher=teacher, actor=curator)

    assert not AuditEvent.objects.filter(action=AuditAction.CLASS_UPDATED).exists()


def test_class_update_refuses_a_teacher_of_another_school_and_changes_nothing(
    other_school, curator, class_6a
):
    stranger = TeacherFactory(school=other_school)

    with pytest.raises(ValidationError) as refused:
        class_update(school_class=class_6a, class_teacher=stranger, actor=curator)

    assert refused.value.message_dict == {
        "class_teacher": ["Классным руководителем может быть только учитель этой школы."]
    }
    assert SchoolClass.objects.get(pk=class_6a.pk).class_teacher is None
    assert not AuditEvent.objects.filter(action=AuditAction.CLASS_UPDATED).exists()


def test_class_update_refuses_a_teacher_who_left(curator, class_6a, teacher):
    teacher.archived_at = timezone.now()
    teacher.save()

    with pytest.raises(ValidationError) as refused:
        class_update(school_class=class_6a, class_teacher=teacher, actor=curator)

    assert refused.value.message_dict == {
        "class_teacher": [
            "Иванова Мария Петровна выбыл(а) из школы и не может быть классным руководителем."
        ]
    }
    assert SchoolClass.objects.get(pk=class_6a.pk).class_teacher is None


# Students: create


def test_student_create_saves_tidied_names_and_audits_the_new_record(school, curator, class_6a):
    student = _add_student(
        school,
        class_6a,
        curator,
        last_name="  Николаев ",
        first_name="Василий",
        parent_email=" nikolaeva@example.com ",
    )

    student.refresh_from_db()
    assert (student.school, student.school_class, student.full_name) == (
        school,
        class_6a,
        "Николаев Василий Андреевич",
    )
    assert student.parent_email == "nikolaeva@example.com"
    event = _only_event(AuditAction.STUDENT_CREATED)
    assert (event.actor, event.target_type, event.target_id) == (curator, "student", student.pk)
    assert event.before == {}
    assert event.after == {
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "Андреевич",
        "birth_date": "2014-03-12",
        "parent_email": "nikolaeva@example.com",
        "class": "6А",
    }


def test_student_create_refuses_the_same_person_twice_whatever_the_case(
    school, curator, class_6a, class_6b
):
    _add_student(school, class_6a, curator)

    with pytest.raises(ValidationError) as refused:
        _add_student(
            school,
            class_6b,
            curator,
            last_name="НИКОЛАЕВ",
            first_name="василий",
            middle_name="андреевич",
        )

    assert refused.value.messages == [
        "Ученик Николаев Василий Андреевич, 12.03.2014 г. р., уже есть в классе 6А."
    ]
    assert Student.objects.filter(school=school).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.STUDENT_CREATED).count() == 1


def test_student_create_accepts_the_person_again_once_the_first_record_is_archived(
    school, curator, class_6a
):
    first = _add_student(school, class_6a, curator)
    student_archive(student=first, actor=curator)

    again = _add_student(school, class_6a, curator)

    assert again.pk != first.pk
    assert list(Student.objects.active().filter(school=school)) == [again]


def test_student_create_accepts_a_namesake_with_another_birth_date(school, curator, class_6a):
    _add_student(school, class_6a, curator)
    _add_student(school, class_6a, curator, birth_date=dt.date(2014, 3, 13))

    assert Student.objects.filter(school=school, last_name="Николаев").count() == 2


def test_student_create_accepts_the_same_person_at_another_school(
    school, other_school, curator, class_6a
):
    _add_student(school, class_6a, curator)
    other_class = SchoolClassFactory(school=other_school)

    _add_student(other_school, other_class, None)

    assert Student.objects.filter(last_name="Николаев").count() == 2


def test_student_create_refuses_a_class_of_another_school(school, other_school, curator):
    foreign_class = SchoolClassFactory(school=other_school)

    with pytest.raises(ValidationError) as refused:
        _add_student(school, foreign_class, curator)

    assert refused.value.message_dict == {
        "school_class": ["Можно выбрать только класс этой школы."]
    }
    assert not Student.objects.exists()


@pytest.mark.parametrize(
    "birth_date", [dt.date(2100, 1, 1), dt.date(1899, 12, 31), dt.date(1990, 9, 1)]
)
def test_student_create_refuses_a_birth_date_of_no_pupil_as_the_roster_does(
    school, curator, class_6a, birth_date
):
    with pytest.raises(ValidationError) as refused:
        _add_student(school, class_6a, curator, birth_date=birth_date)

    assert refused.value.message_dict == {
        "birth_date": [
            f"Дата рождения {birth_date:%d.%m.%Y} не подходит ученику: "
            "возраст должен быть от 5 до 22 лет."
        ]
    }
    assert not Student.objects.exists()


def test_student_create_names_the_missing_fields_in_russian(school, curator, class_6a):
    with pytest.raises(ValidationError) as refused:
        _add_student(school, class_6a, curator, last_name=" ", first_name="", parent_email="нет")

    errors = refused.value.message_dict
    assert errors["last_name"] == ["Не указано поле «Фамилия»."]
    assert errors["first_name"] == ["Не указано поле «Имя»."]
    assert errors["parent_email"] == ["Введите правильный адрес электронной почты."]
    assert not Student.objects.exists()


# Students: update, move, archive


def test_student_update_audits_only_the_changed_fields(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)

    student_update(
        student=student,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Андреевич",
        birth_date=dt.date(2014, 3, 21),
        parent_email="mama@example.com",
        actor=curator,
    )

    student.refresh_from_db()
    assert (student.birth_date, student.parent_email) == (dt.date(2014, 3, 21), "mama@example.com")
    event = _only_event(AuditAction.STUDENT_UPDATED)
    assert event.before == {"birth_date": "2014-03-12", "parent_email": ""}
    assert event.after == {"birth_date": "2014-03-21", "parent_email": "mama@example.com"}


def test_student_update_gives_the_students_account_the_new_name(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)
    account = UserFactory(
        school=school, role=Role.STUDENT, last_name="Николаев", first_name="Василий"
    )
    student.user = account
    student.save()

    student_update(
        student=student,
        last_name="Николаев-Петров",
        first_name="Василий",
        middle_name="Андреевич",
        birth_date=student.birth_date,
        parent_email="",
        actor=curator,
    )

    account.refresh_from_db()
    assert account.full_name == "Николаев-Петров Василий Андреевич"


def test_student_update_without_a_change_writes_no_event(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)

    student_update(
        student=student,
        last_name=" Николаев",
        first_name="Василий",
        middle_name="Андреевич",
        birth_date=dt.date(2014, 3, 12),
        parent_email="",
        actor=curator,
    )

    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_UPDATED).exists()


def test_student_update_refuses_to_make_a_duplicate_of_another_student(school, curator, class_6a):
    _add_student(school, class_6a, curator)
    other = _add_student(school, class_6a, curator, first_name="Пётр")

    with pytest.raises(ValidationError) as refused:
        student_update(
            student=other,
            last_name="Николаев",
            first_name="ВАСИЛИЙ",
            middle_name="Андреевич",
            birth_date=dt.date(2014, 3, 12),
            parent_email="",
            actor=curator,
        )

    assert refused.value.messages == [
        "Ученик Николаев Василий Андреевич, 12.03.2014 г. р., уже есть в классе 6А."
    ]
    assert Student.objects.get(pk=other.pk).first_name == "Пётр"
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_UPDATED).exists()


def test_student_move_changes_the_class_and_audits_both(school, curator, class_6a, class_6b):
    student = _add_student(school, class_6a, curator)

    student_move(student=student, to_class=class_6b, actor=curator)

    assert Student.objects.get(pk=student.pk).school_class == class_6b
    event = _only_event(AuditAction.STUDENT_MOVED)
    assert event.before == {"class_id": class_6a.pk, "class": "6А"}
    assert event.after == {"class_id": class_6b.pk, "class": "6Б"}


def test_student_move_refuses_a_class_of_another_school(school, other_school, curator, class_6a):
    student = _add_student(school, class_6a, curator)
    foreign_class = SchoolClassFactory(school=other_school)

    with pytest.raises(ValidationError) as refused:
        student_move(student=student, to_class=foreign_class, actor=curator)

    assert refused.value.message_dict == {
        "to_class": ["Перевести можно только в класс этой школы."]
    }
    assert Student.objects.get(pk=student.pk).school_class == class_6a
    assert not AuditEvent.objects.filter(action=AuditAction.STUDENT_MOVED).exists()


def test_student_move_refuses_a_class_of_another_year(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)
    next_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year + 1
    )
    next_7a = SchoolClassFactory(school=school, year=next_year, grade=7, letter="А")

    with pytest.raises(ValidationError) as refused:
        student_move(student=student, to_class=next_7a, actor=curator)

    assert refused.value.message_dict == {
        "to_class": ["Перевести можно только в класс того же учебного года."]
    }
    assert Student.objects.get(pk=student.pk).school_class == class_6a


def test_student_move_refuses_the_students_own_class(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)

    with pytest.raises(ValidationError) as refused:
        student_move(student=student, to_class=class_6a, actor=curator)

    assert refused.value.message_dict == {"to_class": ["Ученик уже учится в классе 6А."]}


def test_student_archive_takes_the_student_off_revokes_codes_closes_the_account_and_audits(
    school, curator, class_6a
):
    student = _add_student(school, class_6a, curator)
    account = UserFactory(school=school, role=Role.STUDENT)
    student.user = account
    student.save()
    own_code = _invitation(school, role=Role.STUDENT, student=student, code_hash="own")
    parent_code = _invitation(school, role=Role.PARENT, student=student, code_hash="parent")
    classmate = StudentFactory(school_class=class_6a)
    classmates_code = _invitation(school, role=Role.PARENT, student=classmate, code_hash="mate")

    student_archive(student=student, actor=curator)

    student.refresh_from_db()
    assert student.archived_at is not None
    assert list(Student.objects.active().filter(school_class=class_6a)) == [classmate]
    own_code.refresh_from_db()
    parent_code.refresh_from_db()
    classmates_code.refresh_from_db()
    assert own_code.revoked_at is not None
    assert parent_code.revoked_at is not None
    assert classmates_code.revoked_at is None
    account.refresh_from_db()
    assert not account.is_active
    event = _only_event(AuditAction.STUDENT_ARCHIVED)
    assert event.before == {"archived_at": None, "class": "6А"}
    assert event.after == {
        "archived_at": student.archived_at.isoformat(),
        "class": "6А",
        "invitations_revoked": 2,
        "account_closed": True,
    }


def test_student_archive_twice_is_refused(school, curator, class_6a):
    student = _add_student(school, class_6a, curator)
    student_archive(student=student, actor=curator)

    with pytest.raises(ValidationError) as refused:
        student_archive(student=student, actor=curator)

    assert refused.value.messages == ["Николаев Василий Андреевич уже отмечен(а) как выбывший(ая)."]
    assert AuditEvent.objects.filter(action=AuditAction.STUDENT_ARCHIVED).count() == 1


def test_an_archived_student_can_be_neither_edited_nor_moved(school, curator, class_6a, class_6b):
    student = _add_student(school, class_6a, curator)
    student_archive(student=student, actor=curator)

    with pytest.raises(ValidationError, match="выбыл"):
        student_move(student=student, to_class=class_6b, actor=curator)
    with pytest.raises(ValidationError, match="выбыл"):
        student_update(
            student=student,
            last_name="Другой",
            first_name="Василий",
            middle_name="",
            birth_date=student.birth_date,
            parent_email="",
            actor=curator,
        )
    assert Student.objects.get(pk=student.pk).school_class == class_6a
    assert Student.objects.get(pk=student.pk).last_name == "Николаев"


# Teachers


def test_teacher_create_saves_and_audits(school, curator):
    teacher = teacher_create(
        school=school,
        last_name=" Петров ",
        first_name="Олег",
        middle_name="Николаевич",
        actor=curator,
    )

    assert Teacher.objects.get(pk=teacher.pk).full_name == "Петров Олег Николаевич"
    event = _only_event(AuditAction.TEACHER_CREATED)
    assert (event.school, event.actor, event.target_id) == (school, curator, teacher.pk)
    assert event.after == {"last_name": "Петров", "first_name": "Олег", "middle_name": "Николаевич"}


def test_teacher_create_requires_the_last_and_first_name(school, curator):
    with pytest.raises(ValidationError) as refused:
        teacher_create(school=school, last_name="", first_name="  ", actor=curator)

    assert set(refused.value.message_dict) == {"last_name", "first_name"}
    assert not Teacher.objects.exists()


def test_teacher_update_audits_the_changed_name_and_renames_the_account(school, curator, teacher):
    account = UserFactory(school=school, role=Role.TEACHER, last_name="Иванова")
    teacher.user = account
    teacher.save()

    teacher_update(
        teacher=teacher,
        last_name="Смирнова",
        first_name="Мария",
        middle_name="Петровна",
        actor=curator,
    )

    account.refresh_from_db()
    assert account.full_name == "Смирнова Мария Петровна"
    event = _only_event(AuditAction.TEACHER_UPDATED)
    assert (event.before, event.after) == ({"last_name": "Иванова"}, {"last_name": "Смирнова"})


def test_teacher_archive_revokes_codes_closes_the_account_and_audits(school, curator, teacher):
    account = UserFactory(school=school, role=Role.TEACHER)
    teacher.user = account
    teacher.save()
    code = _invitation(school, role=Role.TEACHER, teacher=teacher, code_hash="t1")
    used = _invitation(
        school,
        role=Role.TEACHER,
        teacher=teacher,
        code_hash="t0",
        redeemed_at=timezone.now(),
        redeemed_by=account,
    )

    teacher_archive(teacher=teacher, actor=curator)

    teacher.refresh_from_db()
    code.refresh_from_db()
    used.refresh_from_db()
    account.refresh_from_db()
    assert teacher.archived_at is not None
    assert code.revoked_at is not None
    assert used.revoked_at is None
    assert not account.is_active
    event = _only_event(AuditAction.TEACHER_ARCHIVED)
    assert event.before["archived_at"] is None
    assert event.after["archived_at"] == teacher.archived_at.isoformat()
    assert (event.after["invitations_revoked"], event.after["account_closed"]) == (1, True)


def test_teacher_archive_is_refused_while_the_teacher_leads_a_class_this_year(
    school, curator, teacher
):
    SchoolClassFactory(school=school, grade=6, letter="А", class_teacher=teacher)

    with pytest.raises(ValidationError) as refused:
        teacher_archive(teacher=teacher, actor=curator)

    assert refused.value.messages == [
        "Иванова Мария Петровна — классный руководитель (6А). "
        "Сначала назначьте классу другого классного руководителя."
    ]
    assert Teacher.objects.get(pk=teacher.pk).archived_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.TEACHER_ARCHIVED).exists()


def test_teacher_archive_is_refused_in_the_summer_for_the_class_of_the_year_just_ended(
    school, curator, teacher
):
    """In summer the year that ended in May is still the current one; its classes keep a teacher."""
    year = current_year(school=school)
    SchoolClassFactory(school=school, year=year, class_teacher=teacher)

    summer = dt.datetime(year.ends_on.year, 7, 15, 12, tzinfo=dt.UTC)
    with (
        time_machine.travel(summer),
        pytest.raises(ValidationError, match="классный руководитель"),
    ):
        teacher_archive(teacher=teacher, actor=curator)

    assert Teacher.objects.get(pk=teacher.pk).archived_at is None


def test_teacher_archive_is_allowed_when_the_class_was_led_in_a_past_year(school, curator, teacher):
    last_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year - 1
    )
    SchoolClassFactory(school=school, year=last_year, class_teacher=teacher)

    teacher_archive(teacher=teacher, actor=curator)

    assert Teacher.objects.get(pk=teacher.pk).archived_at is not None


def test_teacher_update_of_a_teacher_who_left_is_refused(school, curator, teacher):
    teacher_archive(teacher=teacher, actor=curator)

    with pytest.raises(ValidationError, match="выбыл"):
        teacher_update(
            teacher=teacher, last_name="Новая", first_name="Мария", middle_name="", actor=curator
        )

    assert Teacher.objects.get(pk=teacher.pk).last_name == "Иванова"
