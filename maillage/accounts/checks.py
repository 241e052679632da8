"""What `check --deploy` says about sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def second_factor_required(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        checks.Warning(
            "TWO_FACTOR_REQUIRED is off: the staff sign in with a password alone.",
            hint="Only the demo runs without it; unset it (or set it to true) in production.",
            id="maillage.W001",
        )
    ]
