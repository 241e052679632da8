"""Forms of the public pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PlaceErrorForm(forms.Form):
    message = forms.CharField(
        label=_("Qu'est-ce qui est faux sur cette page ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Par exemple : les horaires ont changé, le lieu a déménagé."),
    )
    contact = forms.CharField(
        label=_("Votre téléphone ou votre e-mail (facultatif)"),
        required=False,
        max_length=120,
        help_text=_("Seulement si vous voulez une réponse."),
    )
