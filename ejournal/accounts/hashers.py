"""Password hashing: Argon2id with parameters chosen for the morning peak.

m = 19 MiB, t = 2, p = 1 — OWASP's first recommended Argon2id setting (equivalent to
m = 46 MiB, t = 1). Measured on the 2-core bench machine: 22 ms a hash, about 46 logins a
second per core, where Django's PBKDF2 (1,000,000 iterations) takes 240 ms (4 a second).
Logins are rare next to page views (a session lasts two weeks, an app token three
months): a school of 1,000 pupils and 1,500 parents all logging in within the first
quarter of an hour of a Monday is about 3 logins a second, so one core carries a dozen such
schools at once, while an offline guess costs 19 MiB and 22 ms of a core. Parallelism 1: the
server's parallelism is its requests; threads per hash would only make the wait longer for
everyone else. docs/scaling.md has the figures.

A password hashed with older parameters (or with PBKDF2) is rehashed at its next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SchoolArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
