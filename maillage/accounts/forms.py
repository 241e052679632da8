from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.accounts import throttle
from maillage.accounts.models import RoleAssignment, User
from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.roles import Role
from maillage.core.throttle import client_address


class SignInForm(AuthenticationForm):
    """Django's sign-in form, throttled per account and per network address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie, "
            "ou utilisez « Mot de passe oublié ? »."
        ),
        "inactive": _("Ce compte est désactivé. Contactez l'administration du réseau."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, Any]:
        email = (self.data.get("username") or "").strip()
        address = client_address(self.request) if self.request else None
        verdict = throttle.check(email, address)
        if verdict.blocked:
            _record_on_account(email, AuditEvent.Action.LOGIN_THROTTLED)
            raise forms.ValidationError(
                ngettext(
                    "Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)d "
                    "minute ou réinitialisez votre mot de passe.",
                    "Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)d "
                    "minutes ou réinitialisez votre mot de passe.",
                    verdict.retry_in_minutes,
                )
                % {"minutes": verdict.retry_in_minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record(email, address, succeeded=False)
            _record_on_account(email, AuditEvent.Action.LOGIN_FAILED)
            raise
        throttle.record(email, address, succeeded=True)
        return cleaned


def _record_on_account(email: str, action: str) -> None:
    """A refused sign-in on an existing account goes to that account's audit trail."""
    account = User.objects.filter(email__iexact=email).first()
    if account is not None:
        audit.record(None, action, account)


class RoleAssignmentForm(forms.ModelForm):
    """A role with exactly the scope it needs (used by the administration screens)."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "region", "departments", "structure", "programmes"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        departments = cleaned.get("departments")
        programmes = cleaned.get("programmes")
        takes_departments = role in {Role.TERRITORY_MANAGER, Role.MEDIATOR}
        if takes_departments and not departments:
            self.add_error(
                "departments", _("Ce rôle porte sur un ou plusieurs départements : choisissez-les.")
            )
        if not takes_departments and departments:
            self.add_error(
                "departments",
                _(
                    "Seuls les responsables de territoire et les conseillers portent sur des départements."
                ),
            )
        if role == Role.FUNDER and not programmes:
            self.add_error(
                "programmes", _("Un financeur suit un ou plusieurs programmes : choisissez-les.")
            )
        if role != Role.FUNDER and programmes:
            self.add_error("programmes", _("Seul le rôle de financeur porte sur des programmes."))
        return cleaned
