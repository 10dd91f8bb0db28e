from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator

from ejournal.core.http import school_required

from ..forms.login import LoginForm


@method_decorator(school_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """ "Вход в журнал". Django's view: a new session key on login, `next` kept to this host."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@method_decorator(school_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Ends the session on the server (POST only)."""
