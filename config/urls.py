from django.urls import include, path

urlpatterns = [
    path("", include("ejournal.core.urls")),
    path("", include("ejournal.accounts.urls")),
    path("curator/", include("ejournal.schools.urls")),
    path("curator/invitations/", include("ejournal.invitations.urls")),
]
