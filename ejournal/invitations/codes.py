"""Invitation codes: how they are generated, typed back in and stored.

A code is printed on paper and typed by hand, so its alphabet has no look-alikes
(no 0/o, no 1/l/i) and whatever a person adds while typing it — capitals, spaces,
dashes — is ignored. Only a keyed hash of a code ever reaches the database.
"""

from __future__ import annotations

import secrets
import unicodedata

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10
# 31**10 ≈ 8·10^14 codes: guessing one of a school's few thousand live codes is hopeless,
# all the more so with /hello throttled.

_HASH_SALT = "ejournal.invitations.code"
# Dashes people and word processors put between groups, besides the Unicode "Pd" category.
_EXTRA_SEPARATORS = frozenset("\u2212\u00ad\u2027\u00b7")  # minus sign, soft hyphen, dots
# Cyrillic letters that look like Latin ones of the code alphabet: typed on the Russian layout
# (the site is in Russian), "kхрaсe" is "kxpace". Only true look-alikes: в is not b, о has no
# Latin pair in the alphabet.
_CYRILLIC_LOOKALIKES = str.maketrans(
    "аекмнрстухАЕКМНРСТУХ",
    "aekmhpctyxAEKMHPCTYX",
)


def code_generate() -> str:
    """A fresh random code, lowercase, from the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _is_separator(char: str) -> bool:
    return char.isspace() or char in _EXTRA_SEPARATORS or unicodedata.category(char) == "Pd"


def normalize_code(text: str) -> str:
    """The code as it was issued: lowercase, without spaces and dashes of any kind.

    NFKC first, so that full-width letters and digits from a phone keyboard count too; then
    Cyrillic look-alikes become the Latin letters they look like.
    """
    folded = unicodedata.normalize("NFKC", text or "").translate(_CYRILLIC_LOOKALIKES)
    return "".join(char for char in folded if not _is_separator(char)).lower()


def hash_code(code: str) -> str:
    """HMAC-SHA256 of the normalized code keyed with EJOURNAL_INVITATION_KEY: 64 hex digits."""
    return salted_hmac(
        _HASH_SALT,
        normalize_code(code),
        secret=settings.EJOURNAL_INVITATION_KEY,
        algorithm="sha256",
    ).hexdigest()
