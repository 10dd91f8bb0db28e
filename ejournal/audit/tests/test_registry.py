"""Every kind of event the apps registered reads in Russian on the curator's page.

The events are written through audit_record with every key their action declares; the
page must label each key, name each record and word each stored value. A key or an
action added without its registration is refused when written.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.audit.registry import REGISTRY
from ejournal.audit.services import audit_record
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    TeacherFactory,
)
from ejournal.core.testing.journal_factories import LessonFactory
from ejournal.journal.models import Holiday
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

URL = reverse("audit:events")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# What a value looks like when it is shown as stored: a code, an id list, an ISO moment.
RAW = re.compile(r"^[a-z_]+$|^\[.*\]$|^\{.*\}$|\d{4}-\d\d-\d\dT")


@pytest.fixture
def records(school):
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    teacher = TeacherFactory(school=school, last_name="Петрова", first_name="Анна")
    lesson = LessonFactory(
        school_class=six_a, subject=SubjectFactory(school=school), teacher=teacher
    )
    return {
        "class": six_a,
        "teacher": teacher,
        "lesson": lesson,
        "student": StudentFactory(school_class=six_a, last_name="Николаев", first_name="Вася"),
        "period": six_a.year.periods.get(number=1),
        "holiday": Holiday.objects.create(
            school=school,
            year=six_a.year,
            name="Карантин",
            starts_on=six_a.year.starts_on,
            ends_on=six_a.year.starts_on,
        ),
    }


def _samples(records) -> dict[str, object]:
    """A stored value for every key an app may record (as its service writes it)."""
    return {
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "Андреевич",
        "birth_date": "2014-03-12",
        "parent_email": "mama@example.com",
        "class": "6А",
        "class_id": records["class"].pk,
        "label": "6А",
        "class_teacher": "Петрова Анна",
        "class_teacher_id": records["teacher"].pk,
        "archived_at": "2026-11-26T08:00:00+00:00",
        "invitations_revoked": 2,
        "account_closed": True,
        "name": "Школа №1399",
        "period_kind": "trimester",
        "mark_min": 1,
        "mark_max": 10,
        "periods": [
            {"number": 1, "kind": "trimester", "starts_on": "2026-09-01", "ends_on": "2026-11-30"}
        ],
        "filename": "6А.xlsx",
        "created": 25,
        "moved": 3,
        "skipped": 1,
        "classes_created": ["6А", "6Б"],
        "role": "parent",
        "roles": ["student", "parent"],
        "issued": 2,
        "revoked": 1,
        "reissue": True,
        "invitations": [11, 12],
        "children": [5, 6],
        "email_given": False,
        "invitation": 11,
        "email": "ni***@example.com",
        "confirmed": True,
        "must_change_password": True,
        "temporary": True,
        "notice_sent": False,
        "lesson_id": records["lesson"].pk,
        "subject_id": records["lesson"].subject_id,
        "period_id": records["period"].pk,
        "value": 5,
        "weight": 2,
        "comment": "Контрольная",
        "status": "absent",
        "reason": "illness",
        "topic": "Дроби",
        "homework": "Упражнение 12",
        "homework_due": "2026-12-07",
        "homework_file": "задание.pdf",
        "room": "204",
        "teacher_id": records["teacher"].pk,
        "control_type": "test",
        "close_periods_after_days": 10,
        "closed": True,
        "text": "Разговаривал на уроке",
        "kind": "vacation",
        "starts_on": "2026-12-07",
        "ends_on": "2026-12-09",
        "lessons_cancelled": 84,
        "lessons_kept": 2,
        "lessons_replanned": 84,
        "device": "iPhone",
        "devices": ["Android", "iPhone"],
    }


# Where one key means another thing for one action.
_ACTION_SAMPLES = {
    AuditAction.LESSON_UPDATED: {"status": "cancelled"},
    AuditAction.PERIOD_CLOSED: {"status": "closed"},
    AuditAction.PERIOD_REOPENED: {"status": "open"},
}


def test_every_registered_action_and_field_reads_in_russian(
    school, curator, curator_client, records
):
    samples = _samples(records)
    for code, spec in REGISTRY.actions.items():
        values = {**samples, **_ACTION_SAMPLES.get(spec.action, {})}
        missing = [key for key in spec.fields if key not in values]
        assert missing == [], f"give {code} a sample value of {missing} here"
        data = {key: values[key] for key in spec.fields}
        audit_record(
            school=school,
            actor=curator,
            action=spec.action,
            target=curator,
            before=data,
            after=data,
        )
    response = curator_client.get(URL, {"page": 1})
    rows = {row.event.action: row for row in response.context["rows"]}
    assert rows.keys() == REGISTRY.actions.keys()
    content = response.content.decode()
    for code, row in rows.items():
        spec = REGISTRY.actions[code]
        assert CYRILLIC.search(row.label), code
        assert f"<td>{row.label}</td>" in content
        listed = [f for f in spec.fields.values() if f.listed]
        assert [label for label, _, _ in row.changes] == [f.label for f in listed], code
        for field, (label, before, after) in zip(listed, row.changes, strict=True):
            assert CYRILLIC.search(label), (code, label)
            assert label not in spec.fields, (code, label)
            for shown in (before, after):
                assert not RAW.match(shown), (code, label, shown)
                if field.name is not None:  # a record of the school: named, not numbered
                    assert shown == "" or not shown.startswith("№"), (code, label, shown)


def test_every_registered_target_is_named_on_the_page(school, curator, curator_client, records):
    targets = {
        "user": curator,
        "school": school,
        "student": records["student"],
        "teacher": records["teacher"],
        "schoolclass": records["class"],
        "lesson": records["lesson"],
        "period": records["period"],
        "holiday": records["holiday"],
    }
    assert targets.keys() <= REGISTRY.targets.keys()
    for target in targets.values():
        audit_record(
            school=school, actor=curator, action=AuditAction.PASSWORD_CHANGED, target=target
        )
    rows = curator_client.get(URL).context["rows"]
    shown = sorted(row.target for row in rows)
    assert shown == sorted(
        [
            "Пользователь kurator",
            "Школа Школа №1399",
            "Ученик Николаев Вася",
            "Учитель Петрова Анна",
            "Класс 6А",
            f"Урок {records['lesson'].subject.name}, 6А, "
            f"{records['lesson'].date:%d.%m.%Y}, {records['lesson'].number}-й урок",
            "Период 1 четверть",
            "Каникулы или праздник Карантин",
        ]
    )
    # The rest have no name of their own: their label and number.
    assert {t for t in REGISTRY.targets if REGISTRY.targets[t].name is None} == {
        "rosterimport",
        "invitation",
    }


def test_an_undeclared_action_key_or_target_is_refused_and_nothing_is_written(
    school, curator, records
):
    with pytest.raises(LookupError, match="does not declare colour"):
        audit_record(
            school=school,
            actor=curator,
            action=AuditAction.CLASS_CREATED,
            target=records["class"],
            after={"label": "6А", "colour": "red"},
        )
    with pytest.raises(LookupError, match="is not registered"):
        audit_record(school=school, actor=curator, action="journal.unknown", target=curator)
    with pytest.raises(LookupError, match="target 'subject' is not registered"):
        audit_record(
            school=school,
            actor=curator,
            action=AuditAction.CLASS_CREATED,
            target=records["lesson"].subject,
        )
    assert not AuditEvent.objects.exists()


def test_the_filter_offers_every_registered_action_and_target(curator_client):
    form = curator_client.get(URL).context["form"]
    assert [c for c, _ in form.fields["action"].choices][1:] == list(REGISTRY.actions)
    assert [t for t, _ in form.fields["target_type"].choices][1:] == list(REGISTRY.targets)
    assert Role.PARENT.label == "Родитель"


def test_an_old_event_of_an_action_no_app_declares_still_shows(school, curator, curator_client):
    AuditEvent.objects.create(
        school=school, actor=curator, action="journal.retired", after={"value": 5}
    )
    [row] = curator_client.get(URL).context["rows"]
    assert (row.label, row.changes) == ("journal.retired", [("value", "", "5")])
