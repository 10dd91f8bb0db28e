"""The protocol's routes, included under both `apiv3/` and `api/` (after `api/v1/`)."""

from django.urls import path

from . import views

urlpatterns = [path("<str:method>", views.call)]
