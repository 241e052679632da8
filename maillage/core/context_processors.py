from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from maillage.core.navigation import menu_for


def layout(request: HttpRequest) -> dict[str, Any]:
    """The site's name and the main menu. A page renders several templates with the request
    (its sections, its forms): the menu is built once per request, and only when the page's
    layout shows it."""
    menu = getattr(request, "main_menu", None)
    if menu is None:
        menu = SimpleLazyObject(lambda: _menu(request))
        request.main_menu = menu  # type: ignore[attr-defined]
    return {"site_name": settings.SITE_NAME, "main_menu": menu}


def _menu(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    return menu_for(user, request.path) if user and user.is_authenticated else []
