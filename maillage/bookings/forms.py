from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.phones import normalise_optional_phone


class BookingForm(forms.Form):
    """A first name and a way to confirm: a mobile number with the SMS consent, or an e-mail."""

    first_name = forms.CharField(
        label=_("Votre prénom"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Votre numéro de téléphone portable"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    sms_consent = forms.BooleanField(
        label=_(
            "J'accepte de recevoir des SMS pour ce rendez-vous : confirmation et rappel la veille."
        ),
        required=False,
    )
    email = forms.EmailField(
        label=_("Ou votre adresse e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    purpose = forms.CharField(
        label=_("Pour quoi ? (facultatif)"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : créer une adresse e-mail, faire une démarche en ligne."),
    )
    booked_by = forms.CharField(
        label=_("Votre nom et votre structure"),
        max_length=150,
        required=False,
        help_text=_("Vous réservez pour une personne que vous accompagnez."),
    )

    def __init__(self, *args: Any, on_behalf: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["booked_by"].required = True
            self.fields["first_name"].label = _("Prénom de la personne")
            self.fields["phone"].label = _("Numéro de téléphone portable de la personne")
            self.fields["sms_consent"].label = _(
                "La personne accepte de recevoir des SMS pour ce rendez-vous : confirmation et "
                "rappel la veille."
            )
            self.fields["email"].label = _("Ou son adresse e-mail")
        else:
            del self.fields["booked_by"]

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "phone" in self.errors or "email" in self.errors:
            return cleaned
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if not phone and not email:
            self.add_error(
                "phone",
                _(
                    "Donnez un numéro de téléphone portable ou une adresse e-mail pour la confirmation."
                ),
            )
        elif phone and not cleaned.get("sms_consent") and not email:
            self.add_error(
                "sms_consent",
                _(
                    "Cochez cette case pour recevoir la confirmation par SMS, ou donnez une "
                    "adresse e-mail."
                ),
            )
        return cleaned
