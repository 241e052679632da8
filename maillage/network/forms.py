from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.forms import or_model_default
from maillage.core.phones import normalise_optional_phone
from maillage.network import hours
from maillage.network.enums import (
    AccessFeature,
    LocationSource,
    Public,
    RelayOffer,
    RelayStatus,
    Service,
    SpecificSupport,
    StructureKind,
    SupportMode,
)
from maillage.network.models import Structure
from maillage.network.validators import normalise_siret, validate_siret
from maillage.territories.forms import CommuneField
from maillage.territories.models import Department, Region


def not_in_future(day: date) -> date:
    """A date of something that has happened."""
    if day > timezone.localdate():
        raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
    return day


def _checkboxes(choices: Any, label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class StructureForm(forms.ModelForm):
    commune = CommuneField(
        label=gettext_lazy("Commune"),
        help_text=gettext_lazy("Nom de la commune ou code postal."),
    )
    siret = forms.CharField(
        label=gettext_lazy("SIRET"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("14 chiffres, facultatif. Les espaces sont acceptés."),
    )
    services = _checkboxes(Service.choices, gettext_lazy("Services proposés"))
    publics = _checkboxes(Public.choices, gettext_lazy("Publics spécifiquement accueillis"))
    specific_support = _checkboxes(
        SpecificSupport.choices, gettext_lazy("Prise en charge spécifique")
    )
    support_modes = _checkboxes(SupportMode.choices, gettext_lazy("Modalités d'accompagnement"))
    relay_offer = _checkboxes(RelayOffer.choices, gettext_lazy("Offre du Relais Numérique"))
    accessibility = _checkboxes(AccessFeature.choices, gettext_lazy("Accessibilité"))

    class Meta:
        model = Structure
        # The hours are typed a day at a time (`hours_mo`…), see __init__.
        fields = [name for name in Structure.EDITABLE_FIELDS if name != "hours"]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, allowed_department_ids: Collection[int] | None = None, **kwargs: Any
    ) -> None:
        """`allowed_department_ids`: where this person may place a structure (None: anywhere)."""
        super().__init__(*args, **kwargs)
        self.allowed_department_ids = allowed_department_ids
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("Choisir un type")),
            *StructureKind.choices,
        ]
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["siret"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["booking_cancel_hours"].required = False
        self._add_day_fields()

    def _add_day_fields(self) -> None:
        """One field per day, placed before the holidays' box."""
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("closed_on_public_holidays")
        days = [
            (
                f"hours_{day}",
                forms.CharField(
                    label=capfirst(hours.DAY_NAMES[day]),
                    required=False,
                    max_length=80,
                    initial=hours.format_day(hours.ranges_of(self.instance.hours, day)),
                    help_text=_("Par exemple : 9 h – 12 h, 14 h – 17 h. Vide : fermé.")
                    if day == "mo"
                    else "",
                ),
            )
            for day in hours.DAYS
        ]
        self.fields = dict(fields[:at] + days + fields[at:])

    def clean_booking_cancel_hours(self) -> int:
        """Left empty: the usual delay."""
        return int(or_model_default(self, "booking_cancel_hours"))

    def clean_siret(self) -> str:
        siret = normalise_siret(self.cleaned_data.get("siret", ""))
        if not siret:
            return ""
        validate_siret(siret)
        duplicate = Structure.objects.filter(siret=siret).exclude(pk=self.instance.pk).first()
        if duplicate:
            raise forms.ValidationError(
                _("Ce SIRET est déjà celui de la structure « %(name)s ».")
                % {"name": duplicate.name}
            )
        return siret

    def _clean_day(self, day: str) -> hours.Ranges:
        try:
            return hours.parse_day(self.cleaned_data.get(f"hours_{day}", ""))
        except forms.ValidationError as error:
            self.add_error(f"hours_{day}", error)
            return []

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone"))

    def clean_commune(self) -> Any:
        commune = self.cleaned_data.get("commune")
        if (
            commune is not None
            and self.allowed_department_ids is not None
            and commune.department_id not in self.allowed_department_ids
            and commune.pk != self.instance.commune_id
        ):
            raise forms.ValidationError(
                _(
                    "Cette commune est hors de votre territoire : choisissez-en une de vos départements."
                )
            )
        return commune

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error(
                "longitude" if latitude is not None else "latitude",
                _("Indiquez la latitude et la longitude ensemble, ou aucune des deux."),
            )
        self.instance.hours = hours.to_week({day: self._clean_day(day) for day in hours.DAYS})
        if cleaned.get("is_public") and not cleaned.get("address", "").strip():
            self.add_error(
                "address",
                _("Indiquez l'adresse du lieu pour le publier : le public doit le trouver."),
            )
        return cleaned

    @property
    def pinned(self) -> bool:
        """Staff put the place on the map (moved the pin or typed its coordinates)."""
        return bool({"latitude", "longitude"} & set(self.changed_data)) and (
            self.cleaned_data.get("latitude") is not None
        )

    @property
    def needs_geocoding(self) -> bool:
        """The place moved to an address not placed by staff: ask the geocoding service."""
        if self.pinned:
            return False
        if self.instance._state.adding:
            return True
        commune = self.cleaned_data.get("commune")
        return self.cleaned_data.get("address", "").strip() != self.initial.get(
            "address", ""
        ).strip() or getattr(commune, "pk", None) != self.initial.get("commune")

    def save(self, commit: bool = True) -> Structure:
        structure: Structure = super().save(commit=False)
        if self.pinned:
            structure.location_source = LocationSource.STAFF
        elif self.needs_geocoding:
            # A pin placed at the old address is forgotten with it.
            structure.place_at_commune_centre()
            structure.geocoded_at = None
        if commit:
            structure.save()
            self.save_m2m()
        return structure


class StructureFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Rechercher"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Région"), queryset=Region.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Département"), queryset=Department.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    relay_status = forms.ChoiceField(label=gettext_lazy("Statut dans le réseau"), required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            departments__in=departments
        ).distinct()
        self.fields["region"].empty_label = _("Toutes")  # type: ignore[attr-defined]
        self.fields["department"].empty_label = _("Tous")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Tous")), *StructureKind.choices]  # type: ignore[attr-defined]
        self.fields["relay_status"].choices = [("", _("Tous")), *RelayStatus.choices]  # type: ignore[attr-defined]

    def filter(self, queryset: Any) -> Any:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = queryset.search(data.get("q") or "")
        if data.get("region"):
            queryset = queryset.filter(commune__department__region=data["region"])
        if data.get("department"):
            queryset = queryset.filter(commune__department=data["department"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("relay_status"):
            queryset = queryset.filter(relay_status=data["relay_status"])
        return queryset


class RelayTransitionForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Nouveau statut"))
    on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("La date à laquelle le changement a eu lieu."),
    )
    note = forms.CharField(
        label=gettext_lazy("Commentaire"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, structure: Structure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        workflow = Structure.relay_workflow
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (state, workflow.label(state)) for state in workflow.targets(structure.relay_status)
        ]

    def clean_on(self) -> date:
        return not_in_future(self.cleaned_data["on"])
