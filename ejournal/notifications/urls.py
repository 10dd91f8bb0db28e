from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.letter_log, name="letter_log"),
    path("<id:letter_id>/", views.letter_detail, name="letter_detail"),
]
