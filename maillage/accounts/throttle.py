"""Throttling of sign-in attempts, per account and per network address."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from maillage.accounts.models import LoginAttempt


@dataclass(frozen=True)
class Verdict:
    blocked: bool
    retry_in_minutes: int = 0


def check(email: str, address: str | None) -> Verdict:
    window = settings.LOGIN_THROTTLE_WINDOW
    since = timezone.now() - window
    failures = LoginAttempt.objects.failures_since(since)
    by_account = failures.filter(email=email.lower())
    by_address = failures.filter(address=address) if address else failures.none()
    for attempts, limit in (
        (by_account, settings.LOGIN_THROTTLE_PER_ACCOUNT),
        (by_address, settings.LOGIN_THROTTLE_PER_ADDRESS),
    ):
        if attempts.count() >= limit:
            oldest = attempts.order_by("-at").values_list("at", flat=True)[limit - 1]
            remaining = (oldest + window - timezone.now()).total_seconds()
            return Verdict(True, max(1, math.ceil(remaining / 60)))
    return Verdict(False)


def record(email: str, address: str | None, *, succeeded: bool) -> None:
    LoginAttempt.objects.create(email=email.lower()[:254], address=address, succeeded=succeeded)
    if succeeded:
        LoginAttempt.objects.filter(email=email.lower(), succeeded=False).delete()


def prune() -> int:
    """Forget attempts older than the throttle window."""
    deleted, _ = LoginAttempt.objects.filter(
        at__lt=timezone.now() - settings.LOGIN_THROTTLE_WINDOW
    ).delete()
    return deleted
