from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "ejournal.invitations"
    label = "invitations"
