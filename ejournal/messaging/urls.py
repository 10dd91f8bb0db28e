from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("new/", views.compose, name="compose"),
    path("letters/", views.letters, name="letters"),
    path("<id:message_id>/", views.message, name="message"),
    path("<id:message_id>/remove/", views.remove, name="remove"),
]
