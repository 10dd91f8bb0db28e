from django.conf import settings
from django.urls import include, path

from ejournal.api.v1.api import api as api_v1

urlpatterns = [
    path("", include("ejournal.core.urls")),
    path("", include("ejournal.accounts.urls")),
    path("", include("ejournal.journal.urls")),
    path("messages/", include("ejournal.messaging.urls")),
    path("curator/", include("ejournal.schools.urls")),
    path("curator/invitations/", include("ejournal.invitations.urls")),
    path("curator/audit/", include("ejournal.audit.urls")),
    path("curator/schedule/", include("ejournal.journal.setup_urls")),
    path("platform/", include("ejournal.platform.urls")),
    path("api/v1/", api_v1.urls),
    # The ЭлЖур protocol for existing apps: the same methods under both prefixes.
    path("apiv3/", include(("ejournal.api.eljur.urls", "eljur"), namespace="apiv3")),
    path("api/", include(("ejournal.api.eljur.urls", "eljur"), namespace="eljur")),
]

if settings.DEBUG:  # the letter log (notifications.views); its views 404 without DEBUG too
    urlpatterns += [path("debug/letters/", include("ejournal.notifications.urls"))]
