"""What schools asks of the apps above it, which it does not import (docs/architecture.md,
"Layers"): each signal is sent inside the caller's transaction, each receiver answers with a
count, and the sender adds the answers up (`answers_total`)."""

from typing import Any, cast

from django.dispatch import Signal

# A student or a teacher has just left the school (`person`, `actor`): each receiver answers
# how many of the person's invitation codes it revoked (invitations).
person_left = Signal()
# The curator sets the mark scale `mark_min`..`mark_max` (`school`): each receiver answers how
# many of the school's marks lie outside it (journal).
marks_outside_scale = Signal()
# How many final marks the school's `year` holds (`school`, `year`): a year with any keeps how
# it is divided (journal).
year_final_marks = Signal()


def answers_total(signal: Signal, *, sender: type, **kwargs: Any) -> int:
    """The sum of the receivers' answers (0 with none connected)."""
    # django-stubs types a receiver's answer as str | None; these signals' answer counts.
    return sum(cast(int, answer) for _, answer in signal.send(sender=sender, **kwargs))
