"""The schools app asks the apps above it through signals and adds up their answers (the
answers themselves: invitations/tests/test_revoke_for_person.py, test_school_settings.py)."""

from django.dispatch import Signal

from ejournal.schools.models import School
from ejournal.schools.signals import answers_total


def test_the_answers_of_every_receiver_are_added_up_and_none_is_zero():
    asked = Signal()
    assert answers_total(asked, sender=School, school=None) == 0

    def two(sender, **kwargs):
        return 2

    def three(sender, **kwargs):
        return 3

    asked.connect(two, weak=False)
    asked.connect(three, weak=False)
    assert answers_total(asked, sender=School, school=None) == 5
