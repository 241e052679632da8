from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.forms import RadioSelect
from maillage.diagnostics.enums import LearningDevice, OrientationOutcome, RecommendationKind
from maillage.diagnostics.models import Framework
from maillage.network.models import Structure
from maillage.people.enums import Connection, Equipment
from maillage.people.forms import (
    StructureChoiceField,
    clean_equipment_value,
    offer_structures,
)


class SituationForm(forms.Form):
    equipment = forms.MultipleChoiceField(
        label=gettext_lazy("Équipement à domicile"),
        choices=Equipment.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Cochez au moins une réponse, même « Aucun équipement ».")
        },
    )
    connection = forms.ChoiceField(
        label=gettext_lazy("Connexion à domicile"),
        choices=Connection.choices,
        widget=RadioSelect,
    )
    learning_device = forms.ChoiceField(
        label=gettext_lazy("Sur quel appareil la personne veut-elle apprendre ?"),
        choices=LearningDevice.choices,
        widget=RadioSelect,
        help_text=gettext_lazy("Celui qu'elle a, ou celui qu'elle va acquérir."),
    )

    def clean_equipment(self) -> list[str]:
        return clean_equipment_value(self.cleaned_data.get("equipment", []))


class AreaForm(forms.Form):
    """One area: every question answered yes, with help, or no."""

    def __init__(
        self, *args: Any, framework: Framework, area: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for question in area["questions"]:
            self.fields[question["code"]] = forms.ChoiceField(
                label=question["text"],
                choices=framework.answer_choices(),
                widget=RadioSelect,
                error_messages={"required": _("Choisissez une réponse.")},
            )


class BarriersForm(forms.Form):
    barriers = forms.MultipleChoiceField(
        label=gettext_lazy("Qu'est-ce qui freine la personne ?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgent_procedure = forms.TypedChoiceField(
        label=gettext_lazy("La personne a-t-elle une démarche en ligne urgente à faire ?"),
        choices=[("yes", gettext_lazy("Oui")), ("no", gettext_lazy("Non"))],
        coerce=lambda value: value == "yes",
        widget=RadioSelect,
    )
    urgent_procedure_note = forms.CharField(
        label=gettext_lazy("Laquelle ?"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Par exemple : renouveler une demande à la CAF avant la fin du mois."
        ),
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["barriers"].choices = framework.barrier_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("urgent_procedure") and not cleaned.get("urgent_procedure_note", "").strip():
            self.add_error("urgent_procedure_note", _("Précisez la démarche urgente."))
        return cleaned


class AcceptForm(forms.Form):
    """Details of the outbound orientation a recommendation becomes."""

    structure = StructureChoiceField(
        label=gettext_lazy("Lieu"), queryset=Structure.objects.none(), required=False
    )
    external_service = forms.ChoiceField(label=gettext_lazy("Service extérieur"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Précisions"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Date, contact, ce qui a été convenu."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        framework: Framework,
        structures: QuerySet[Structure],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        offer_structures(self, structures, preselect=False)
        if kind == RecommendationKind.EXTERNAL:
            del self.fields["structure"]
            self.fields["external_service"].choices = framework.external_service_choices()  # type: ignore[attr-defined]
            self.fields["external_service"].required = True
        else:
            del self.fields["external_service"]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Suite de l'orientation"),
        choices=[
            (OrientationOutcome.DONE, OrientationOutcome.DONE.label),
            (OrientationOutcome.NOT_DONE, OrientationOutcome.NOT_DONE.label),
        ],
        widget=RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Commentaire"), required=False, max_length=255)
