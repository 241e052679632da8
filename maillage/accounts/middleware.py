"""A signed-in person who must give a second factor reaches nothing else before: the code
(when they enrolled an authenticator) or the enrolment (when their role requires one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from maillage.accounts.second_factor import has_second_factor
from maillage.core.roles import needs_second_factor


def before_second_factor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view reachable between the password and the code (the code, the enrolment,
    signing out)."""
    view.before_second_factor = True  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user  # verified or not by django-otp's middleware
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view, "login_required", True) or getattr(
            view, "before_second_factor", False
        ):
            return None
        if has_second_factor(user):
            step = "accounts:second_factor"
        elif needs_second_factor(user):
            step = "accounts:second_factor_enrol"
        else:
            return None
        url = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
