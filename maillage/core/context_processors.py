from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from maillage.core.navigation import menu_for


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "main_menu": menu_for(user, request.path) if user and user.is_authenticated else [],
    }
