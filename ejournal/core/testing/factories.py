"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime as dt

import factory

from ejournal.accounts.models import User
from ejournal.schools.models import School, SchoolClass, Student, Subject, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year
from ejournal.schools.services import school_create


class SchoolFactory(factory.django.DjangoModelFactory):
    """A school made the way `createschool` makes one: with its year and quarters."""

    class Meta:
        model = School

    number = factory.Sequence(lambda n: str(1399 + n))
    name = factory.LazyAttribute(lambda o: f"Школа №{o.number}")

    @classmethod
    def _create(cls, model_class: type[School], *args: object, **kwargs: object) -> School:
        return school_create(number=str(kwargs["number"]), name=str(kwargs["name"]))


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    year = factory.LazyAttribute(lambda o: current_year(school=o.school))
    grade = 6
    letter = factory.Iterator(["А", "Б", "В", "Г", "Д"])


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    last_name = factory.Iterator(["Иванова", "Петров", "Сидорова", "Кузнецов"])
    first_name = factory.Iterator(["Мария", "Олег", "Анна", "Игорь"])
    middle_name = "Петровна"


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda o: o.school_class.school)
    last_name = factory.Sequence(lambda n: f"Николаев{n}")
    first_name = "Василий"
    middle_name = "Петрович"
    birth_date = factory.Sequence(lambda n: dt.date(2013, 1, 1) + dt.timedelta(days=n))


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Предмет {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    school = factory.SubFactory(SchoolFactory)
    role = Role.STUDENT
    login = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Zhurnal2026")
