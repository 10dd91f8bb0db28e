from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ejournal.core"
    label = "core"
