from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "ejournal.platform"
    label = "platform"
