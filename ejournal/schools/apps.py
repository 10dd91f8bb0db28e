from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "ejournal.schools"
    label = "schools"
