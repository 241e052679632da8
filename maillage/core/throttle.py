"""Limits on the doors anyone may knock at without an account (the public forms, the password
reset), counted in the database so that every process and every restart sees the same count.

A door is limited per network address and per target (the account, structure, call or meeting
it reaches): changing address does not flood one team's inbox, and one address cannot reach
every team. Only the sendings let through are counted; refused ones leave no row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Sending


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind our own reverse proxy (BEHIND_PROXY=true), the last
    address it appended to X-Forwarded-For; otherwise the socket's peer."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Door:
    """A rate-limited way in; the limits are names of settings, read at each use."""

    name: str
    per_address: str
    per_target: str
    window: timedelta = timedelta(hours=1)


MEETING = Door("meeting", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET")
APPLICATION = Door(
    "application", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET"
)
REFERRAL_LINK = Door(
    "referral_link", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET"
)
CALL_BACK = Door("call_back", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET")
BOOKING = Door("booking", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET")
PLACE_ERROR = Door(
    "place_error", "PUBLIC_FORM_SENDINGS_PER_HOUR", "PUBLIC_FORM_SENDINGS_PER_TARGET"
)
PASSWORD_RESET = Door(
    "password_reset", "PASSWORD_RESETS_PER_ADDRESS", "PASSWORD_RESETS_PER_ACCOUNT"
)


TOO_MANY = _(
    "Trop d'envois en une heure depuis cette connexion ou vers ce destinataire : réessayez un "
    "peu plus tard. Ce que vous avez saisi est conservé ci-dessous."
)


def spend(request: HttpRequest, door: Door, target: str = "") -> bool:
    """Count one sending through `door` towards `target`; False (and nothing counted) once
    this address or this target has spent its allowance in the window."""
    address = client_address(request)
    since = timezone.now() - door.window
    recent = Sending.objects.filter(door=door.name, at__gte=since)
    limits = [(Q(address=address), getattr(settings, door.per_address))]
    if target:
        limits.append((Q(target=target[:128]), getattr(settings, door.per_target)))
    for same, limit in limits:
        if recent.filter(same).count() >= limit:
            return False
    Sending.objects.create(door=door.name, address=address, target=target[:128])
    return True


def accepts(request: HttpRequest, form: Any, door: Door, target: str = "") -> bool:
    """A public form sent within the door's allowance and valid. Over the allowance, the form
    says so and nothing else is checked (nor counted)."""
    if request.method != "POST":
        return False
    if not spend(request, door, target):
        form.add_error(None, TOO_MANY)
        return False
    return bool(form.is_valid())


def prune() -> int:
    """Forget the sendings older than every door's window."""
    deleted, _ = Sending.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
