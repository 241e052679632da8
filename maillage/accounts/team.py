"""The team's accounts, managed from the site: invite by e-mail with a first role, grant and
remove roles, deactivate and reactivate, unlock, remove a lost second factor. Grants and
removals reach the journal through the signals (whatever the path); the rest is journalled
here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.accounts import throttle
from maillage.accounts.models import ApiToken, RecoveryCodes, RoleAssignment, User
from maillage.core import audit
from maillage.core.mail import render_plain
from maillage.core.models import AuditEvent


def invite(email: str, full_name: str, role_form: Any, *, by: Any) -> tuple[User, bool]:
    """The account of this address (created when new, with an e-mail to choose a password)
    and its new role. Returns the account and whether it was created."""
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        account = User.objects.filter(email__iexact=email).first()
        created = account is None
        if account is None:
            account = User.objects.create_user(email, None, full_name=full_name)
            audit.record(by, AuditEvent.Action.ACCOUNT_INVITED, account)
            link = settings.SITE_URL + reverse(
                "accounts:password_reset_confirm",
                args=[
                    urlsafe_base64_encode(force_bytes(account.pk)),
                    default_token_generator.make_token(account),
                ],
            )
            invited = account
            transaction.on_commit(lambda: _send_invitation(invited, link, by))
        grant(account, role_form)
    return account, created


def grant(account: User, role_form: Any) -> RoleAssignment:
    assignment = role_form.save(commit=False)
    assignment.user = account
    assignment.save()
    role_form.save_m2m()
    return assignment


def _send_invitation(account: User, link: str, by: Any) -> None:
    send_mail(
        render_plain("accounts/email/invitation_subject.txt").strip(),
        render_plain(
            "accounts/email/invitation.txt",
            {
                "account": account,
                "link": link,
                "by": by,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                "reset": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        ),
        None,
        [account.email],
    )


def set_active(account: User, active: bool) -> None:
    """Deactivating ends the sessions (an inactive account is signed out at its next request),
    the calendar feeds and the API key; the journal records it (signals)."""
    with transaction.atomic():
        account.is_active = active
        account.save(update_fields=["is_active"])
        if not active:
            ApiToken.objects.filter(user=account).delete()


def unlock(account: User, *, by: Any) -> None:
    throttle.unlock(account, by=by)


def remove_second_factor(account: User, *, by: Any) -> None:
    """For a person who lost their phone and their recovery codes: they enrol again at their
    next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        RecoveryCodes.objects.filter(user=account).delete()
        audit.record(by, AuditEvent.Action.SECOND_FACTOR_REMOVED, account)
