from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("", views.issue, name="issue"),
    path("reissue/<str:role>/<id:person_id>/", views.reissue, name="reissue"),
]
