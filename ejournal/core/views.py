from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

# Where "/" takes a logged-in user of the school, by role.
START_PAGES = {
    "student": "journal:diary_home",
    "parent": "journal:diary_home",
    "teacher": "journal:teacher_home",
    "curator": "schools:class_list",
}


def home(request: HttpRequest) -> HttpResponse:
    """The school's front page: the login form for visitors, the user's start page otherwise
    (the diary for students and parents, the journal for teachers, the classes for the curator).

    On the platform's own domain: the operator's dashboard once logged in; a visitor (most
    likely a parent who typed the bare domain) is told where a school's journal lives.
    """
    if getattr(request, "school", None) is None:
        if request.user.is_authenticated and request.user.role == "operator":  # type: ignore[union-attr]
            return redirect("platform:dashboard")
        return render(request, "core/platform_home.html")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    # Every account of a school has one of these roles (the operator's has no school).
    return redirect(START_PAGES[request.user.role])  # type: ignore[union-attr]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a stale page (CSRF_FAILURE_VIEW): the page to open afresh.

    Sending the same form again would fail again, so the link goes back to the page the form
    came from (the Referer, when it is this site's) for a fresh form, or else to the start.
    """
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(
        request, "403_csrf.html", {"form_page": referer if same_site else "/"}, status=403
    )
