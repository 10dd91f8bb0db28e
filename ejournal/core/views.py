from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """The school's front page: the login form for visitors, the user's start page otherwise."""
    if getattr(request, "school", None) is None:
        return render(request, "core/platform_home.html")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.role == "curator":  # type: ignore[union-attr]
        return redirect("schools:class_list")
    return render(request, "core/home.html")
