from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "ejournal.schools"
    label = "schools"

    def ready(self) -> None:
        from . import audit_events  # noqa: F401  # registers the app's audit events
