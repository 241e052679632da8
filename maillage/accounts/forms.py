from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.accounts import throttle


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
        address = throttle.client_address(self.request) if self.request else None
        verdict = throttle.check(email, address)
        if verdict.blocked:
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
            raise
        throttle.record(email, address, succeeded=True)
        return cleaned
