"""Throttling of sign-in attempts (passwords and second-factor codes), per account and per
network address, and the lock of an account after too many failures."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import LoginAttempt, User
from maillage.core import audit
from maillage.core.mail import render_plain
from maillage.core.models import AuditEvent


@dataclass(frozen=True)
class Verdict:
    blocked: bool
    retry_in_minutes: int = 0
    locked: bool = False


def check(email: str, address: str | None) -> Verdict:
    if User.objects.filter(email__iexact=email, locked_at__isnull=False).exists():
        return Verdict(True, locked=True)
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
    """Count an attempt; the failure that reaches LOGIN_LOCK_AFTER within LOGIN_LOCK_WINDOW
    locks the account (whatever the addresses: a slow guess from many addresses is still a
    guess)."""
    email = email.lower()[:254]
    LoginAttempt.objects.create(email=email, address=address, succeeded=succeeded)
    if succeeded:
        LoginAttempt.objects.filter(email=email, succeeded=False).delete()
        return
    since = timezone.now() - settings.LOGIN_LOCK_WINDOW
    if LoginAttempt.objects.failures_since(since).filter(email=email).count() >= (
        settings.LOGIN_LOCK_AFTER
    ):
        account = User.objects.filter(email__iexact=email, locked_at__isnull=True).first()
        if account is not None:
            lock(account)


def lock(account: User) -> None:
    """Lock the account until its password is reset, and tell its holder how to unlock it."""
    User.objects.filter(pk=account.pk).update(locked_at=timezone.now())
    audit.record(None, AuditEvent.Action.ACCOUNT_LOCKED, account)
    reset = settings.SITE_URL + reverse("accounts:password_reset")
    transaction.on_commit(
        lambda: send_mail(
            render_plain("accounts/email/locked_subject.txt").strip(),
            render_plain("accounts/email/locked.txt", {"account": account, "reset": reset}),
            None,
            [account.email],
        )
    )


def unlock(account: User, *, by: object) -> None:
    if account.locked_at is None:
        return
    User.objects.filter(pk=account.pk).update(locked_at=None)
    account.locked_at = None
    LoginAttempt.objects.filter(email=account.email.lower(), succeeded=False).delete()
    audit.record(by, AuditEvent.Action.ACCOUNT_UNLOCKED, account)


def prune() -> int:
    """Forget attempts older than both the throttle and the lock windows."""
    kept = max(settings.LOGIN_THROTTLE_WINDOW, settings.LOGIN_LOCK_WINDOW)
    deleted, _ = LoginAttempt.objects.filter(at__lt=timezone.now() - kept).delete()
    return deleted
