"""Forms of the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import RadioSelect
from maillage.core.phones import normalise_optional_phone
from maillage.people.enums import BestMoment, Need
from maillage.people.models import Referral


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


class CallBackForm(forms.ModelForm):
    """« Je voudrais être rappelé·e »: the person leaves a first name, a phone number, what it
    is about and when to call; the place's team finds it in its referral inbox."""

    needs = forms.MultipleChoiceField(
        label=_("C'est pour quoi ?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une réponse.")},
    )
    best_moment = forms.ChoiceField(
        label=_("Quand préférez-vous être appelé·e ?"),
        choices=BestMoment.choices,
        initial=BestMoment.ANY,
        widget=RadioSelect,
    )
    person_agreed = forms.BooleanField(
        label=_("J'accepte que l'équipe du lieu garde mon prénom et mon numéro pour me rappeler."),
        error_messages={"required": _("Cochez cette case pour être rappelé·e.")},
    )

    class Meta:
        model = Referral
        fields = ("first_name", "phone", "needs", "message", "best_moment", "person_agreed")
        labels = {
            "first_name": _("Votre prénom"),
            "phone": _("Votre numéro de téléphone"),
            "message": _("Précisions (facultatif)"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["phone"].required = True
        self.fields["first_name"].widget.attrs.update({"autocomplete": "given-name"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["message"].help_text = _(
            "Par exemple : je n'arrive pas à envoyer un document à la CAF."
        )

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone", ""))
