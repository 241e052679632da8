"""Session lifetime for staff, and sign-in required everywhere but on public pages.

A form posted after its session expired is kept (not its passwords or files): the person signs
in again and finds it filled in, to confirm (see `maillage.core.forms.bind`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from maillage.core import audit

SESSION_STARTED = "maillage_started_at"
SESSION_LAST_SEEN = "maillage_last_seen_at"
SESSION_EXPIRED_USER = "maillage_expired_user"
SESSION_PENDING_POST = "maillage_pending_post"

# Posted fields never kept across a sign-in.
_NEVER_KEPT = ("csrfmiddlewaretoken", "password")
# Write the "last seen" time at most this often (seconds), to spare the session store.
_LAST_SEEN_RESOLUTION = 30


def read_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def start_session_clock(request: HttpRequest) -> None:
    now = timezone.now().isoformat()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Signs out a staff member after the idle timeout or the maximum session age."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            started = read_time(request.session.get(SESSION_STARTED))
            last_seen = read_time(request.session.get(SESSION_LAST_SEEN))
            if started is None or last_seen is None:
                start_session_clock(request)
            elif (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_MAX_AGE
            ):
                user_pk = request.user.pk
                logout(request)
                request.session[SESSION_EXPIRED_USER] = user_pk
                messages.info(
                    request,
                    _("Votre session a expiré. Reconnectez-vous pour continuer."),
                )
            elif (now - last_seen).total_seconds() > _LAST_SEEN_RESOLUTION:
                request.session[SESSION_LAST_SEEN] = now.isoformat()
        return self.get_response(request)


class LoginRequiredMiddleware(BaseLoginRequired):
    """Django's middleware, which keeps a form posted without a session and answers htmx
    requests with a full-page redirect."""

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:  # type: ignore[override]
        if request.method == "POST":
            keep_pending_post(request)
        redirect = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": redirect["Location"]})
        return redirect


def keep_pending_post(request: HttpRequest) -> None:
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if not any(marker in key for marker in _NEVER_KEPT)
    }
    request.session[SESSION_PENDING_POST] = {
        "path": request.path,
        "user": request.session.get(SESSION_EXPIRED_USER),
        "data": data,
        "at": timezone.now().isoformat(),
    }


class ActorMiddleware:
    """The signed-in person is the author of what the journal records during the request,
    signals included (see `audit.current_actor`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class PrivatePagesMiddleware:
    """What a signed-in person reads (a person's record, an export, a receipt, a report) is
    never kept by the browser or a proxy: `Cache-Control: no-store` on every answer to a
    signed-in request, and on any answer that set none (the forms of the public pages carry
    what people typed). Every answer says which browser features the site never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class LanguageMiddleware:
    """French unless the person chose another language with the switch (a cookie). The
    browser's Accept-Language is not followed: the interface is written in French first, and a
    half-translated page would serve no one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
