from django.urls import path

from . import views

app_name = "platform"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.OperatorLoginView.as_view(), name="login"),
    path("logout/", views.OperatorLogoutView.as_view(), name="logout"),
]
