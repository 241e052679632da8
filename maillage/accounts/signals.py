from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from maillage.core import audit
from maillage.core.middleware import start_session_clock
from maillage.core.models import AuditEvent


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    start_session_clock(request)
    audit.record(user, AuditEvent.Action.LOGIN, user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, AuditEvent.Action.LOGOUT, user)
