from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ejournal.core"
    label = "core"

    def ready(self) -> None:
        from django.urls import register_converter

        from .params import IdConverter

        # Before any URLconf is imported: their patterns take ids as <id:...>.
        register_converter(IdConverter, "id")
