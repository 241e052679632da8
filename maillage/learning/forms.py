from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.accounts.models import User
from maillage.core.forms import RadioSelect, or_model_default
from maillage.core.roles import referent_accounts, staff_accounts
from maillage.learning.enums import DROP_IN_MINUTES, Presence, ProcedureTheme, ReferredTo, Theme
from maillage.learning.models import Cohort, Course, DropIn, DropInSlot, Unavailability, Workshop
from maillage.network.models import Structure
from maillage.people.enums import AgeBand, Gender
from maillage.people.forms import SENSITIVE_DATA_WARNING, StructureChoiceField, offer_structures
from maillage.programmes.forms import offer_programmes, refuse_programme_outside


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class CourseForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thèmes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    syllabus_text = forms.CharField(
        label=gettext_lazy("Programme des séances"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Une ligne par séance, dans l'ordre."),
    )
    publics_text = forms.CharField(
        label=gettext_lazy("Publics visés"),
        required=False,
        help_text=gettext_lazy("Séparés par des virgules : seniors, parents, jeunes…"),
    )

    class Meta:
        model = Course
        fields = (
            "code",
            "title",
            "description",
            "device",
            "level",
            "session_count",
            "minutes_per_session",
            "themes",
            "completion_numerator",
            "completion_denominator",
            "is_active",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["syllabus_text"].initial = "\n".join(self.instance.syllabus)
            self.fields["publics_text"].initial = ", ".join(self.instance.publics)
            self.fields["code"].disabled = True  # recommendations point to it

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        numerator, denominator = (
            cleaned.get("completion_numerator"),
            cleaned.get("completion_denominator"),
        )
        if numerator is not None and denominator and numerator > denominator:
            self.add_error(
                "completion_numerator", _("La part des séances à suivre ne peut pas dépasser 1.")
            )
        lines = [
            line.strip() for line in cleaned.get("syllabus_text", "").splitlines() if line.strip()
        ]
        count = cleaned.get("session_count")
        if lines and count and len(lines) != count:
            self.add_error(
                "syllabus_text",
                _(
                    "Le programme compte %(lines)s lignes pour %(count)s séances : une ligne par séance."
                )
                % {"lines": len(lines), "count": count},
            )
        return cleaned

    def save(self, commit: bool = True) -> Course:
        course = super().save(commit=False)
        course.syllabus = [
            line.strip()
            for line in self.cleaned_data.get("syllabus_text", "").splitlines()
            if line.strip()
        ]
        course.publics = [
            p.strip() for p in self.cleaned_data.get("publics_text", "").split(",") if p.strip()
        ]
        if commit:
            course.save()
        return course


def facilitator_choices(user: Any, structures: QuerySet[Structure]) -> QuerySet[User]:
    """Who may facilitate: the network's staff, and the referents of the host structures."""
    return (
        User.objects.filter(is_active=True)
        .filter(staff_accounts() | referent_accounts(structures))
        .distinct()
        .order_by("full_name")
    )


def ask_about_clashes(form: forms.BaseForm) -> None:
    """A plan may clash with what its facilitators already run: the form then offers to plan it
    all the same (co-facilitation, or a clash wanted), a box shown only after a refusal."""
    form.fields["despite_clashes"] = forms.BooleanField(
        label=gettext_lazy("Planifier quand même (co-animation ou conflit voulu)"),
        required=False,
        widget=forms.HiddenInput,
    )


def refuse_for_clashes(form: forms.BaseForm, clashes: list[str]) -> None:
    """Say why the plan was refused (the first clashes, then how many more) and show the box
    to plan it all the same."""
    shown = 3
    for clash in clashes[:shown]:
        form.add_error(None, clash)
    if len(clashes) > shown:
        more = len(clashes) - shown
        form.add_error(
            None,
            ngettext("… et %(n)s autre conflit.", "… et %(n)s autres conflits.", more)
            % {"n": more},
        )
    form.fields["despite_clashes"].widget = forms.CheckboxInput()


def _referent_with_structure(user: Any) -> str:
    names = sorted(
        {a.structure.name for a in user.role_assignments.all() if a.structure_id is not None}
    )
    return f"{user} ({', '.join(names)})" if names else str(user)


class CohortForm(forms.ModelForm):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure d'accueil"), queryset=Structure.objects.none()
    )
    facilitators = PersonChoiceField(
        label=gettext_lazy("Animateurs"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    co_facilitators = PersonChoiceField(
        label=gettext_lazy("Co-animateurs de la structure d'accueil"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Les référents de la structure qui animent avec vous."),
    )
    first_day = forms.DateField(
        label=gettext_lazy("Date de la première séance"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Les séances suivantes ont lieu chaque semaine le même jour, sauf jours fériés et "
            "indisponibilités des animateurs."
        ),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Heure de début"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=time(14, 0),
    )

    class Meta:
        model = Cohort
        fields = ("course", "structure", "place", "programme", "capacity")

    def __init__(
        self, *args: Any, user: Any, structures: QuerySet[Structure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)
        self.fields["course"].queryset = Course.objects.filter(is_active=True)  # type: ignore[attr-defined]
        offer_programmes(self, user)
        people = facilitator_choices(user, structures)
        self.fields["facilitators"].queryset = people  # type: ignore[attr-defined]
        self._offer_co_facilitators(structures)
        ask_about_clashes(self)
        # Choosing the host asks the page for its referents (the list below follows).
        self.fields["structure"].widget.attrs.update(
            {
                "hx-get": reverse("learning:cohort_create"),
                "hx-trigger": "change",
                "hx-target": "#id_co_facilitators",
                "hx-select": "#id_co_facilitators",
                "hx-swap": "outerHTML",
            }
        )
        if people.filter(pk=user.pk).exists():
            self.fields["facilitators"].initial = [user.pk]

    def _offer_co_facilitators(self, structures: QuerySet[Structure]) -> None:
        """The referents of the host structure once it is known (the page asks again when
        it changes); before, every referent within reach, named with their structure."""
        raw = self.data.get("structure") if self.is_bound else self.initial.get("structure")
        host = str(getattr(raw, "pk", raw) or "")
        hosts = structures.filter(pk=int(host)) if host.isdigit() else structures.none()
        known = hosts.exists()
        referents = User.objects.filter(referent_accounts(hosts if known else structures))
        field = self.fields["co_facilitators"]
        field.queryset = (  # type: ignore[attr-defined]
            referents.distinct()
            .order_by("full_name")
            .prefetch_related("role_assignments__structure")
        )
        if not known:
            field.label_from_instance = _referent_with_structure  # type: ignore[attr-defined]

    def clean_first_day(self) -> date:
        """Past cohorts may be recorded afterwards; a date years away is a typing mistake."""
        day = self.cleaned_data["first_day"]
        today = timezone.localdate()
        if not date(2015, 1, 1) <= day <= today.replace(year=today.year + 2):
            raise forms.ValidationError(
                _("Choisissez une date entre 2015 et dans deux ans au plus.")
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refuse_programme_outside(self, cleaned.get("first_day"))
        structure = cleaned.get("structure")
        co = cleaned.get("co_facilitators")
        if structure is not None and co:
            outside = [u for u in co if not u.role_assignments.filter(structure=structure).exists()]
            if outside:
                self.add_error(
                    "co_facilitators",
                    _("Les co-animateurs sont des référents de la structure d'accueil."),
                )
        return cleaned


def _day_and_time(label_day: Any, label_time: Any) -> tuple[forms.DateField, forms.TimeField]:
    return (
        forms.DateField(
            label=label_day, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        ),
        forms.TimeField(
            label=label_time, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        ),
    )


class SessionMoveForm(forms.Form):
    day, start_time = _day_and_time(gettext_lazy("Date"), gettext_lazy("Heure de début"))
    place = forms.CharField(
        label=gettext_lazy("Lieu"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Si vide : le lieu du parcours."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ask_about_clashes(self)


class EnrolForm(forms.Form):
    beneficiary = forms.CharField(
        label=gettext_lazy("Référence de la personne"),
        max_length=12,
        help_text=gettext_lazy("Cherchez la personne ci-dessous, ou tapez sa référence (P-…)."),
    )


class DropForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif de l'abandon"), max_length=255)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif de l'annulation"), max_length=255)


class WalkInsMixin:
    """Anonymous participants by gender and age band: one number field per group."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_walk_in_fields(self) -> None:
        for gender, gender_label in Gender.choices:
            for band, band_label in AgeBand.choices:
                self.fields[f"w_{gender}_{band}"] = forms.IntegerField(
                    label=f"{gender_label}, {band_label}",
                    min_value=0,
                    max_value=100,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def walk_in_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("w_")]  # type: ignore[index]

    def walk_ins(self) -> dict[tuple[str, str], int]:
        counts = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("w_") and value:
                _prefix, gender, band = name.split("_", 2)
                counts[(gender, band)] = value
        return counts


def walk_in_initial(groups: Any) -> dict[str, int]:
    return {f"w_{g.gender}_{g.age_band}": g.count for g in groups}


class RollCallForm(WalkInsMixin, forms.Form):
    """Every learner's presence, and the anonymous walk-ins by gender and age band."""

    def __init__(self, *args: Any, learners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learners = learners
        for person in learners:
            self.fields[f"p{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=Presence.choices,
                widget=RadioSelect,
                error_messages={"required": _("Indiquez si la personne est présente.")},
            )
        self.add_walk_in_fields()

    def learner_fields(self) -> list[Any]:
        return [self[f"p{person.pk}"] for person in self.learners]

    def presences(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"p{person.pk}"] for person in self.learners}


class WorkshopAttendanceForm(WalkInsMixin, forms.Form):
    report = forms.CharField(
        label=gettext_lazy("Comment s'est passé l'atelier ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sans information personnelle sur les participants."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_walk_in_fields()


class SessionReportForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("Comment s'est passée la séance ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Ce qui a été vu, ce qui a plu ou posé problème. Sans information personnelle sur les participants."
        ),
    )
    new_needs = forms.MultipleChoiceField(
        label=gettext_lazy("Nouveaux besoins exprimés"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Pour préparer les prochaines séances."),
    )


class WorkshopForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thèmes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    structure = StructureChoiceField(
        label=gettext_lazy("Structure d'accueil"), queryset=Structure.objects.none()
    )
    facilitators = PersonChoiceField(
        label=gettext_lazy("Animateurs"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    day, start_time = _day_and_time(gettext_lazy("Date"), gettext_lazy("Heure de début"))

    class Meta:
        model = Workshop
        fields = (
            "title",
            "themes",
            "structure",
            "place",
            "programme",
            "minutes",
            "level",
            "capacity",
            "is_public",
        )

    def __init__(
        self, *args: Any, user: Any, structures: QuerySet[Structure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)
        offer_programmes(self, user)
        people = facilitator_choices(user, structures)
        self.fields["facilitators"].queryset = people  # type: ignore[attr-defined]
        if people.filter(pk=user.pk).exists():
            self.fields["facilitators"].initial = [user.pk]
        self.fields["start_time"].initial = time(14, 0)
        ask_about_clashes(self)

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"])
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refuse_programme_outside(self, cleaned.get("day"))
        return cleaned


class DropInForm(forms.ModelForm):
    """Recording a drop-in in under a minute on a phone: sensible defaults, few fields."""

    structure = StructureChoiceField(
        label=gettext_lazy("Structure"), queryset=Structure.objects.none()
    )
    person = forms.CharField(
        label=gettext_lazy("Personne suivie (référence)"),
        required=False,
        max_length=12,
        help_text=gettext_lazy(
            "P-… si la personne a une fiche ; sinon indiquez seulement son genre et sa tranche d'âge."
        ),
    )
    day, start_time = _day_and_time(gettext_lazy("Date"), gettext_lazy("Heure"))
    duration = forms.TypedChoiceField(
        label=gettext_lazy("Durée"),
        choices=[(m, _("%(minutes)s min") % {"minutes": m}) for m in DROP_IN_MINUTES],
        coerce=int,
        initial=30,
        widget=RadioSelect,
    )
    other_minutes = forms.IntegerField(
        label=gettext_lazy("Autre durée (minutes)"), required=False, min_value=5, max_value=480
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thèmes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    procedure_themes = forms.MultipleChoiceField(
        label=gettext_lazy("Démarches administratives : lesquelles ?"),
        choices=ProcedureTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DropIn
        fields = (
            "structure",
            "gender",
            "age_band",
            "themes",
            "procedure_themes",
            "device",
            "autonomy",
            "referred_to",
            "notes",
            "programme",
        )
        widgets = {
            "device": RadioSelect,
            "autonomy": RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        user: Any,
        structures: QuerySet[Structure],
        people: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        offer_structures(self, structures)
        offer_programmes(self, user)
        now = timezone.localtime()
        self.fields["day"].initial = now.date()
        self.fields["start_time"].initial = now.time().replace(second=0, microsecond=0)
        self.fields["gender"].required = False
        self.fields["age_band"].required = False
        self.fields["referred_to"].choices = [("", _("Personne d'autre")), *ReferredTo.choices]  # type: ignore[attr-defined]
        self.fields["notes"].help_text = SENSITIVE_DATA_WARNING
        self.order_fields(
            [
                "structure",
                "person",
                "gender",
                "age_band",
                "day",
                "start_time",
                "duration",
                "other_minutes",
            ]
        )

    def clean_person(self) -> Any:
        reference = self.cleaned_data.get("person", "").strip().upper()
        if not reference:
            return None
        person = self.people.filter(reference=reference).first()
        if person is None:
            raise forms.ValidationError(
                _("Aucune personne suivie n'a cette référence dans votre périmètre.")
            )
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refuse_programme_outside(self, cleaned.get("day"))
        if (
            cleaned.get("person") is None
            and "person" not in self.errors
            and not cleaned.get("gender")
        ):
            self.add_error("gender", _("Sans fiche, indiquez au moins le genre de la personne."))
        return cleaned

    def save(self, commit: bool = True) -> DropIn:
        drop_in = super().save(commit=False)
        drop_in.beneficiary = self.cleaned_data.get("person")
        if drop_in.beneficiary is not None:
            drop_in.gender, drop_in.age_band = "", ""
        drop_in.starts_at = timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"])
        )
        drop_in.minutes = self.cleaned_data.get("other_minutes") or self.cleaned_data["duration"]
        if commit:
            drop_in.save()
        return drop_in


class DropInSlotForm(forms.ModelForm):
    structure = StructureChoiceField(
        label=gettext_lazy("Structure"), queryset=Structure.objects.none()
    )
    day, start_time = _day_and_time(gettext_lazy("Date"), gettext_lazy("Heure de début"))

    class Meta:
        model = DropInSlot
        fields = ("structure", "minutes", "bookable_seats")

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_structures(self, structures)
        self.fields["bookable_seats"].required = False
        self.order_fields(["structure", "day", "start_time", "minutes"])

    def save(self, commit: bool = True) -> DropInSlot:
        slot = super().save(commit=False)
        slot.starts_at = timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"])
        )
        if commit:
            slot.save()
        return slot

    def clean_bookable_seats(self) -> int:
        """Left empty: the usual number."""
        return int(or_model_default(self, "bookable_seats"))


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ("start", "end", "reason")
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin ne peut pas précéder le début."))
        return cleaned
