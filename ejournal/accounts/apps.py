from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ejournal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import audit_events  # noqa: F401  # registers the app's audit events
