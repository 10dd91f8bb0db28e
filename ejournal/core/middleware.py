from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]


class SchoolUserMiddleware:
    """A session is valid only at the school its user belongs to.

    Cookies are per host already; this also covers a session presented at another
    school's address (a copied cookie, a custom domain sharing a parent domain).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        school = request.school  # type: ignore[attr-defined]
        if user.is_authenticated and user.school_id != (school.id if school else None):  # type: ignore[union-attr]
            logout(request)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) on every response, and
    `sandbox` on every download.

    A download is any response sent as an attachment (homework files, invitation cards,
    the class summary, whatever is added later): should a browser ever show one instead of
    saving it, an uploaded HTML or SVG file then runs no script and reaches no cookie.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("Content-Disposition", "").lower().startswith("attachment"):
            parts.update = {**(parts.update or {}), "sandbox": True}
        return parts


class PrivatePagesMiddleware:
    """Nothing sent to a logged-in user is kept by the browser or a proxy.

    Families share computers: the diary, the marks, a profile or a downloaded class summary
    must not come back from the cache (the Back button, a proxy) once the user has logged
    out. Every response to a logged-in user is therefore `Cache-Control: private, no-store`.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Asked after the view: the answer to a successful login is private too.
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
