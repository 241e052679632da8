from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.accounts import perms, throttle
from maillage.accounts.models import RoleAssignment, User
from maillage.accounts.second_factor import matching_device
from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.roles import Role
from maillage.core.throttle import client_address

LOCKED = gettext_lazy(
    "Ce compte est verrouillé après trop de tentatives. Pour le déverrouiller, choisissez un "
    "nouveau mot de passe avec « Mot de passe oublié ? » (un message vous a été envoyé)."
)


def throttled_message(minutes: int) -> str:
    return ngettext(
        "Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)d "
        "minute ou réinitialisez votre mot de passe.",
        "Trop de tentatives de connexion. Par sécurité, réessayez dans %(minutes)d "
        "minutes ou réinitialisez votre mot de passe.",
        minutes,
    ) % {"minutes": minutes}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code de connexion"),
        help_text=gettext_lazy(
            "Le code à 6 chiffres de votre application d'authentification, ou un code de "
            "secours (par exemple 7KQ4-M2PX)."
        ),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ConfirmForm(forms.Form):
    """The password, or for someone with an authenticator, its code."""

    secret = forms.CharField(
        label=gettext_lazy("Mot de passe ou code de connexion"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"]
        if self.user.check_password(secret):
            return secret
        if matching_device(self.user, secret) is not None:
            return secret
        raise forms.ValidationError(
            _("Ce mot de passe ou ce code ne convient pas."), code="invalid"
        )


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
        if verdict.locked:
            _record_on_account(email, AuditEvent.Action.LOGIN_THROTTLED)
            raise forms.ValidationError(LOCKED, code="locked")
        if verdict.blocked:
            _record_on_account(email, AuditEvent.Action.LOGIN_THROTTLED)
            raise forms.ValidationError(
                throttled_message(verdict.retry_in_minutes), code="throttled"
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


class TeamRoleForm(RoleAssignmentForm):
    """A role given from the team screen: only the roles and places the manager reaches."""

    def __init__(self, manager: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = perms.grantable_roles(manager)
        role = self.fields["role"]
        role.choices = [(v, label) for v, label in Role.choices if v in grantable]  # type: ignore[attr-defined]
        self.fields["departments"].queryset = perms.departments_reached(manager)  # type: ignore[attr-defined]
        self.fields["structure"].queryset = perms.structures_reached(manager).order_by("name")  # type: ignore[attr-defined]
        national = Role.ADMIN in grantable
        for name in ("region", "programmes"):
            if not national:
                del self.fields[name]
        for name, hint in (
            ("departments", _("Pour un·e responsable de territoire ou un·e conseiller·ère.")),
            ("structure", _("Pour un·e référent·e de structure.")),
            ("region", _("Pour un·e responsable régional·e.")),
            ("programmes", _("Pour un financeur.")),
        ):
            if name in self.fields:
                self.fields[name].help_text = hint


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"))
    full_name = forms.CharField(label=gettext_lazy("Nom complet"), max_length=150)
