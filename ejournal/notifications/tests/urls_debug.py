"""The project's URLs with the letter log mounted, as config/urls.py does under DEBUG."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("debug/letters/", include("ejournal.notifications.urls")),
]
