from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ejournal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from ejournal.core.freshness import user_changed, watch

        from . import audit_events  # noqa: F401  # registers the app's audit events
        from .identity import token_saved, user_saved
        from .models import ApiToken, User

        # Names show in the cached diary (core/freshness.py).
        watch(User, receiver=user_changed)
        # A request's user and token are kept until their rows change (identity.py).
        watch(User, receiver=user_saved)
        watch(ApiToken, receiver=token_saved)
