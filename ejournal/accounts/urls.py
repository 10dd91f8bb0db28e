from django.urls import path

from .views import email, login, password, recovery, registration, support

app_name = "accounts"
urlpatterns = [
    # Login and logout.
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", login.LogoutView.as_view(), name="logout"),
    # Registration by invitation code ("/hello" is printed on the invitations).
    path("hello", registration.hello, name="hello"),
    path("hello/account", registration.register, name="register"),
    path("hello/done", registration.registered, name="registered"),
    # The user's own profile.
    path("profile/", registration.profile, name="profile"),
    path(
        "profile/tokens/<id:token_id>/revoke/",
        registration.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("profile/children/add/", registration.child_add, name="child_add"),
    path("profile/email/", email.email_update, name="email_update"),
    path("profile/password/", password.password_change, name="password_change"),
    path("email/confirm/<str:token>/", email.email_confirm, name="email_confirm"),
    # Recovery by email.
    path("recovery/", recovery.recovery, name="recovery"),
    path("recovery/sent/", recovery.recovery_sent, name="recovery_sent"),
    path("recovery/<uidb64>/<token>/", recovery.recovery_confirm, name="recovery_confirm"),
    path("recovery/done/", recovery.recovery_done, name="recovery_done"),
    # The curator's account support.
    path("curator/users/", support.user_list, name="support_users"),
    path("curator/users/<id:user_id>/", support.user_detail, name="support_user"),
    path("curator/users/<id:user_id>/password/", support.user_password, name="support_password"),
]
