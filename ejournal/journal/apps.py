from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "ejournal.journal"
    label = "journal"

    def ready(self) -> None:
        from . import (
            audit_events,  # noqa: F401  # registers the app's audit events
            receivers,  # noqa: F401  # answers the schools app's signals
        )
