"""Codes: no look-alikes, random and unique, typed any way, stored as a keyed hash."""

import hashlib
import string

import pytest

from ejournal.invitations.codes import (
    ALPHABET,
    CODE_LENGTH,
    code_generate,
    hash_code,
    normalize_code,
)


def test_alphabet_has_no_lookalikes_and_only_lowercase_letters_and_digits():
    assert not set("0o1li") & set(ALPHABET)
    assert set(ALPHABET) <= set(string.ascii_lowercase + string.digits)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_a_code_has_at_least_ten_characters_from_the_alphabet_and_is_lowercase():
    assert CODE_LENGTH >= 10
    for _ in range(500):
        code = code_generate()
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        assert code == code.lower()


def test_codes_are_unique_over_many_draws_and_use_the_whole_alphabet():
    drawn = [code_generate() for _ in range(20_000)]
    assert len(set(drawn)) == len(drawn)
    assert set("".join(drawn)) == set(ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "pt3k5mnq7x",
        "PT3K5MNQ7X",
        "Pt3k-5mnq-7x",
        " pt3k 5mnq 7x ",
        "pt3k\u20135mnq\u20147x",  # en and em dashes from a word processor
        "pt3k\u22125mnq\u20117x",  # minus sign, non-breaking hyphen
        "pt3k\u00a05mnq\t7x\n",  # no-break space, tab, newline
        "ｐｔ３ｋ５ｍｎｑ７ｘ",  # full-width, from a phone keyboard
    ],
)
def test_normalize_accepts_any_case_spaces_and_dashes(typed):
    assert normalize_code(typed) == "pt3k5mnq7x"


def test_the_hash_is_64_hex_digits_deterministic_and_the_same_however_the_code_is_typed():
    digest = hash_code("pt3k5mnq7x")
    assert len(digest) == 64
    assert set(digest) <= set(string.hexdigits.lower())
    assert hash_code("pt3k5mnq7x") == digest
    assert hash_code("PT3K-5MNQ-7X") == digest
    assert hash_code("pt3k5mnq7y") != digest
    assert "pt3k5mnq7x" not in digest


def test_the_hash_is_keyed_with_the_invitation_key(settings):
    settings.EJOURNAL_INVITATION_KEY = "first-key"
    first = hash_code("pt3k5mnq7x")
    settings.EJOURNAL_INVITATION_KEY = "second-key"
    second = hash_code("pt3k5mnq7x")
    settings.EJOURNAL_INVITATION_KEY = "first-key"
    assert first != second
    assert hash_code("pt3k5mnq7x") == first
    # Without the key, the plain SHA-256 of a code tells nothing about the stored hash.
    assert first != hashlib.sha256(b"pt3k5mnq7x").hexdigest()


@pytest.mark.parametrize(
    "typed",
    [
        "kхрaсe23mt",  # х, р, с and е typed on the Russian layout
        "кхрасе23мт",  # every letter Cyrillic
        "КХРАСЕ-23МТ",  # capitals, as printed codes are often read out
        "kxpace23mt",
    ],
)
def test_cyrillic_lookalikes_typed_in_a_russian_ui_are_read_as_the_latin_letters(typed):
    assert normalize_code(typed) == "kxpace23mt"


def test_every_cyrillic_lookalike_maps_to_its_latin_letter_and_no_other_letter_does():
    assert normalize_code("аекмнрстух") == "aekmhpctyx"
    assert normalize_code("АЕКМНРСТУХ") == "aekmhpctyx"
    # в looks like b only as a capital, о has no pair in the alphabet: left as they are, so
    # such a code is simply not found rather than matched to a guess.
    assert normalize_code("вВоОбБ") == "ввообб"
