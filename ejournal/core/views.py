from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """The school's front page: the login form for visitors, the user's start page otherwise.

    On the platform's own domain: the operator's dashboard once logged in; a visitor (most
    likely a parent who typed the bare domain) is told where a school's journal lives.
    """
    if getattr(request, "school", None) is None:
        if request.user.is_authenticated and request.user.role == "operator":  # type: ignore[union-attr]
            return redirect("platform:dashboard")
        return render(request, "core/platform_home.html")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.role == "curator":  # type: ignore[union-attr]
        return redirect("schools:class_list")
    return render(request, "core/home.html")
