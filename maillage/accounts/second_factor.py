"""The second factor: a code from an authenticator app (TOTP), or a one-time recovery code;
and the confirmation of identity asked again before the most sensitive actions."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.accounts import throttle
from maillage.accounts.models import RecoveryCodes, User
from maillage.core import audit
from maillage.core.middleware import read_time
from maillage.core.models import AuditEvent
from maillage.core.roles import needs_second_factor
from maillage.core.throttle import client_address

# When the person last proved who they are (password, code, or confirmation).
SESSION_CONFIRMED_AT = "maillage_confirmed_at"


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user: Any) -> bool:
    return needs_second_factor(user) and not has_second_factor(user)


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled (not yet confirmed by a first code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(settings.SITE_NAME), confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key as typed into an app by hand: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code(device: TOTPDevice) -> str:
    """The enrolment address as an inline SVG QR code (no script, no request elsewhere)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title="QR code", omitsize=False
    )


def enrol(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; the recovery codes, shown once."""
    user = request.user
    assert isinstance(user, User)
    if not device.verify_token(_token(code)):
        _failed(request, user)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = RecoveryCodes.issue(user)
        audit.record(user, AuditEvent.Action.SECOND_FACTOR_ENROLLED, user)
    django_otp.login(request, device)
    confirmed_now(request)
    return codes


def _token(code: str) -> str:
    """A code as typed, without its spaces (« 123 456 »)."""
    return code.strip().replace(" ", "")


def matching_device(user: User, code: str) -> Any:
    """The person's device (authenticator or recovery codes) that accepts this code, or None.
    The devices are locked meanwhile, so that one code is not used twice at once."""
    token = _token(code)
    with transaction.atomic():
        return next(
            (
                d
                for d in django_otp.devices_for_user(user, for_verify=True)
                if d.verify_token(token)
            ),
            None,
        )


def verify(request: HttpRequest, code: str) -> bool:
    """The code of the authenticator, or a recovery code (crossed out once used). The caller
    has checked the throttle."""
    user = request.user
    assert isinstance(user, User)
    device = matching_device(user, code)
    if device is None:
        _failed(request, user)
        return False
    throttle.record(user.email, client_address(request), succeeded=True)
    django_otp.login(request, device)
    confirmed_now(request)
    note = "recovery code" if isinstance(device, RecoveryCodes) else ""
    audit.record(user, AuditEvent.Action.SECOND_FACTOR, user, note=note)
    return True


def _failed(request: HttpRequest, user: User) -> None:
    throttle.record(user.email, client_address(request), succeeded=False)
    audit.record(user, AuditEvent.Action.SECOND_FACTOR_FAILED, user)


def confirmed_now(request: HttpRequest) -> None:
    request.session[SESSION_CONFIRMED_AT] = timezone.now().isoformat()


def confirmed_recently(request: HttpRequest) -> bool:
    at: datetime | None = read_time(request.session.get(SESSION_CONFIRMED_AT))
    if at is None:
        return False
    return (timezone.now() - at).total_seconds() < settings.REAUTHENTICATION_MINUTES * 60


def reauthenticated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view asks for the password (or the code) again when the last proof is older than
    REAUTHENTICATION_MINUTES; a form posted meanwhile is shown again, to confirm."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if confirmed_recently(request):
            return view(request, *args, **kwargs)
        back = request.get_full_path() if request.method == "GET" else request.path
        return redirect(f"{reverse('accounts:confirm')}?{urlencode({'next': back})}")

    return wrapper
