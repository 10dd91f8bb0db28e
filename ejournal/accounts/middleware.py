from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """A user whose password the curator set must choose their own before anything else.

    Every page but "Сменить пароль" and logging out redirects there while
    User.must_change_password is set; changing the password clears it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:password_change")
            if request.path not in (target, reverse("accounts:logout")):
                if request.method in ("GET", "HEAD"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
