from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "ejournal.messaging"
    label = "messaging"
