"""Passwords are hashed with Argon2id at the chosen parameters; older hashes still log in and
are rehashed at that login (the tests elsewhere hash with MD5, for speed)."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from ejournal.core.testing.factories import UserFactory
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Zhurnal2026"


@pytest.fixture(autouse=True)
def _production_hashers():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        yield


def test_a_new_password_is_argon2id_with_19_mib_two_passes_one_lane():
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(encoded).verify(PASSWORD, encoded)


def test_a_pbkdf2_password_logs_in_and_is_rehashed_with_argon2id(school, client_for):
    old = PBKDF2PasswordHasher()
    user = UserFactory(school=school, role=Role.PARENT, login="nikolaeva")
    type(user).objects.filter(pk=user.pk).update(password=old.encode(PASSWORD, old.salt()))
    response = client_for(school).post(
        reverse("accounts:login"), {"username": "nikolaeva", "password": PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
