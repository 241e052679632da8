"""Forms of the network's journey: calls and applications, committees, coaching, trainings,
resources and information meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.accounts.models import User
from maillage.animation.enums import SCORES, ApplicationStatus, QuestionKind, ResourceTheme
from maillage.animation.models import (
    ActionItem,
    Application,
    Call,
    CallQuestion,
    CoachingPlan,
    FollowUp,
    InfoMeeting,
    Resource,
    TrainingSession,
    lines_of,
)
from maillage.core.forms import RadioSelect
from maillage.core.phones import normalise_optional_phone
from maillage.network.enums import PARTNER_KINDS
from maillage.network.forms import not_in_future
from maillage.network.models import Structure
from maillage.network.validators import normalise_siret, validate_siret
from maillage.territories.forms import CommuneField
from maillage.territories.models import Department

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# --- Calls ------------------------------------------------------------------------------------


class CallForm(forms.ModelForm):
    criteria_text = forms.CharField(
        label=gettext_lazy("Critères de sélection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Notés de 0 à 5 par le comité : un critère par ligne."),
    )

    class Meta:
        model = Call
        fields = Call.EDITABLE_FIELDS
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 4}),
            "departments": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["criteria_text"].initial = "\n".join(
                c.label for c in self.instance.criteria.all()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        if self.instance.pk and "criteria_text" in cleaned:
            kept = set(lines_of(cleaned["criteria_text"]))
            scored = self.instance.criteria.filter(
                pk__in=self.instance.applications.values("assessments__criterion")
            )
            dropped = [c.label for c in scored if c.label not in kept]
            if dropped:
                self.add_error(
                    "criteria_text",
                    _("Ces critères sont déjà notés et ne peuvent pas être retirés : %(labels)s.")
                    % {"labels": ", ".join(dropped)},
                )
        return cleaned

    def save_criteria(self, call: Call) -> None:
        labels = lines_of(self.cleaned_data["criteria_text"])
        existing = {c.label: c for c in call.criteria.all()}
        for label, criterion in existing.items():
            if label not in labels:
                criterion.delete()
        for position, label in enumerate(labels):
            if label in existing:
                existing[label].position = position
                existing[label].save(update_fields=["position"])
            else:
                call.criteria.create(label=label, position=position)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = CallQuestion
        fields = ("label", "help_text", "kind", "choices", "required")
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("kind") == QuestionKind.CHOICE
            and len(lines_of(cleaned.get("choices", ""))) < 2
        ):
            self.add_error("choices", _("Proposez au moins deux choix, un par ligne."))
        return cleaned


# --- The public application form ----------------------------------------------------------------


class ApplicationForm(forms.ModelForm):
    """The structure's application. A draft needs only the structure's name and a contact to
    send its link to; a submission needs every mandatory answer."""

    DRAFT_REQUIRED = ("structure_name", "contact_name", "contact_email")

    commune = CommuneField(
        label=gettext_lazy("Commune de la structure"),
        required=False,
        help_text=gettext_lazy("Nom de la commune ou code postal."),
    )
    siret = forms.CharField(
        label=gettext_lazy("SIRET"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("14 chiffres, facultatif. Les espaces sont acceptés."),
    )

    class Meta:
        model = Application
        fields = (
            "structure_name",
            "structure_kind",
            "siret",
            "commune",
            "address",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
        )

    def __init__(self, *args: Any, call: Call, submitting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.submitting = submitting
        self.fields["structure_kind"].choices = [  # type: ignore[attr-defined]
            ("", _("Choisir un type")),
            *PARTNER_KINDS,
        ]
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["contact_phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel"}
        )
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["siret"].widget.attrs.update({"inputmode": "numeric"})
        mandatory = {*self.DRAFT_REQUIRED, "structure_kind", "commune", "contact_phone"}
        for name, field in self.fields.items():
            field.required = name in mandatory
        answers = self.instance.answers if self.instance.pk else {}
        for question in call.questions.all():
            field = self._question_field(question)
            field.initial = answers.get(str(question.pk))
            self.fields[question.field_name] = field

    def full_clean(self) -> None:
        """Fields are marked as needed to submit; a draft may leave them empty, except those
        that identify it."""
        super().full_clean()
        if self.submitting or not self.is_bound:
            return
        for name in list(self.errors):
            if name in self.DRAFT_REQUIRED or name not in self.fields:
                continue
            if all(error.code == "required" for error in self.errors.as_data()[name]):
                del self.errors[name]
                if name in ApplicationForm.Meta.fields:
                    setattr(self.instance, name, None if name == "commune" else "")

    def _question_field(self, question: CallQuestion) -> forms.Field:
        common: dict[str, Any] = {
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
        }
        if question.kind == QuestionKind.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        if question.kind == QuestionKind.NUMBER:
            return forms.IntegerField(min_value=0, max_value=1_000_000, **common)
        if question.kind == QuestionKind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("oui", _("Oui")), ("non", _("Non"))],
                coerce=lambda v: v == "oui",
                widget=RadioSelect,
                empty_value=None,
                **common,
            )
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(
                choices=[(c, c) for c in question.choice_list()], widget=RadioSelect, **common
            )
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common)

    def clean_siret(self) -> str:
        siret = normalise_siret(self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        return siret

    def clean_contact_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("contact_phone", ""))

    def save(self, commit: bool = True) -> Application:
        application: Application = super().save(commit=False)
        application.call = self.call
        answers = {}
        for question in self.call.questions.all():
            value = self.cleaned_data.get(question.field_name)
            if value not in (None, ""):
                answers[str(question.pk)] = value
        application.answers = answers
        if commit:
            application.save()
        return application


# --- Staff decisions --------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Il est communiqué à la structure par e-mail."),
    )


class CommitteeForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date du comité"), widget=DATE)
    members = forms.CharField(
        label=gettext_lazy("Membres présents"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Un nom et sa structure par ligne."),
    )
    minutes = forms.CharField(
        label=gettext_lazy("Compte rendu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_held_on(self) -> date:
        return not_in_future(self.cleaned_data["held_on"])


class DecisionForm(forms.Form):
    """The committee's scores, comment and decision on one application."""

    comment = forms.CharField(
        label=gettext_lazy("Avis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        required=False,
        widget=RadioSelect,
        choices=[
            ("", gettext_lazy("Pas encore")),
            (ApplicationStatus.SELECTED, gettext_lazy("Retenue")),
            (ApplicationStatus.NOT_SELECTED, gettext_lazy("Non retenue")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif si non retenue"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, application: Application, criteria: list[Any], **kwargs: Any):
        kwargs["prefix"] = f"c{application.pk}"
        super().__init__(*args, **kwargs)
        self.application = application
        self.criteria = criteria
        scores = {a.criterion_id: a.score for a in application.assessments.all()}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", "—"), *SCORES],
                coerce=int,
                empty_value=None,
                required=False,
                initial=scores.get(criterion.pk),
            )
        self.fields["comment"].initial = application.comment

    def score_fields(self) -> list[Any]:
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == ApplicationStatus.NOT_SELECTED and not cleaned.get("reason"):
            self.add_error("reason", _("Indiquez le motif : il est communiqué à la structure."))
        return cleaned

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }


# --- Coaching ---------------------------------------------------------------------------------


class StartCoachingForm(forms.Form):
    coach = forms.ModelChoiceField(
        label=gettext_lazy("Chargé·e d'accompagnement"), queryset=User.objects.none()
    )
    starts_on = forms.DateField(label=gettext_lazy("Début de l'accompagnement"), widget=DATE)
    months = forms.IntegerField(
        label=gettext_lazy("Durée (mois)"), min_value=1, max_value=48, initial=16
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = User.objects.network_staff()  # type: ignore[attr-defined]


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = CoachingPlan
        fields = CoachingPlan.DIAGNOSIS_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("public_description", "needs", "resources", "staff_notes", "funding")
        }


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ActionItem.EDITABLE_FIELDS
        widgets = {"due_on": DATE}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("on", "kind", "notes", "next_steps")
        widgets = {
            "on": DATE,
            "kind": RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"notes": gettext_lazy("N'y notez aucune donnée sensible sur des personnes.")}

    def __init__(self, *args: Any, plan: CoachingPlan, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["kind"].choices = self.fields["kind"].choices[1:]  # type: ignore[attr-defined]

    def clean_on(self) -> date:
        on = not_in_future(self.cleaned_data["on"])
        if on < self.plan.starts_on:
            raise forms.ValidationError(
                _("Le contact ne peut pas précéder le début de l'accompagnement.")
            )
        return on


class ClosingForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Accompagnements clôturés"),
        queryset=CoachingPlan.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    held_on = forms.DateField(label=gettext_lazy("Date du comité de clôture"), widget=DATE)
    attendees = forms.CharField(
        label=gettext_lazy("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Un nom et sa structure par ligne."),
    )
    minutes = forms.CharField(
        label=gettext_lazy("Compte rendu"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, plans: QuerySet[CoachingPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans  # type: ignore[attr-defined]
        self.fields["plans"].label_from_instance = lambda p: p.structure.name  # type: ignore[attr-defined]

    def clean_held_on(self) -> date:
        return not_in_future(self.cleaned_data["held_on"])


# --- Trainings --------------------------------------------------------------------------------


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = (
            "training",
            "day",
            "start_time",
            "end_time",
            "place",
            "department",
            "trainer",
            "capacity",
            "call",
        )
        widgets = {"day": DATE, "start_time": TIME, "end_time": TIME}

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        calls: QuerySet[Call],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["trainer"].queryset = User.objects.network_staff()  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        self.fields["training"].queryset = self.fields["training"].queryset.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("La fin doit suivre le début."))
        return cleaned


class RegistrationForm(forms.Form):
    """Staff register a referent, with or without an account."""

    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure"), queryset=Structure.objects.none()
    )
    full_name = forms.CharField(label=gettext_lazy("Prénom et nom"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))

    def __init__(self, *args: Any, structures: QuerySet[Structure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    """Present or absent, for each registration of a session."""

    def __init__(
        self, *args: Any, registrations: list[Any], label: Callable[[Any], str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"r{registration.pk}"] = forms.TypedChoiceField(
                label=label(registration),
                choices=[("present", _("Présent·e")), ("absent", _("Absent·e"))],
                coerce=lambda v: v == "present",
                widget=RadioSelect,
                initial=None
                if registration.attended is None
                else ("present" if registration.attended else "absent"),
            )

    def save(self) -> None:
        """Record each person's presence."""
        for registration in self.registrations:
            registration.attended = self.cleaned_data[f"r{registration.pk}"]
            registration.save(update_fields=["attended"])


# --- Resources --------------------------------------------------------------------------------


class ResourceForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thèmes"),
        choices=ResourceTheme.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = (
            "title",
            "description",
            "file",
            "url",
            "themes",
            "level",
            "audience",
            "is_published",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "file": gettext_lazy("PDF, document, présentation ou archive ; 20 Mo au plus."),
            "url": gettext_lazy("Ou un lien vers la ressource en ligne."),
        }

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and getattr(upload, "size", 0) > self.MAX_BYTES:
            raise forms.ValidationError(_("Ce fichier dépasse 20 Mo."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_file = bool(cleaned.get("file"))
        has_url = bool(cleaned.get("url"))
        if has_file == has_url:
            self.add_error("url", _("Joignez un fichier ou indiquez un lien, l'un ou l'autre."))
        return cleaned


class ResourceFilterForm(forms.Form):
    theme = forms.ChoiceField(label=gettext_lazy("Thème"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("Niveau"), required=False)
    audience = forms.ChoiceField(label=gettext_lazy("Public"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from maillage.animation.enums import Audience, Level

        everything = ("", _("Tous"))
        self.fields["theme"].choices = [everything, *ResourceTheme.choices]  # type: ignore[attr-defined]
        self.fields["level"].choices = [everything, *Level.choices]  # type: ignore[attr-defined]
        self.fields["audience"].choices = [everything, *Audience.choices]  # type: ignore[attr-defined]

    def filter(self, queryset: Any) -> Any:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("theme"):
            # A JSON list of codes: searched as text, which every database supports.
            queryset = queryset.filter(themes__icontains=f'"{data["theme"]}"')
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("audience"):
            queryset = queryset.filter(audience=data["audience"])
        return queryset


# --- Information meetings ---------------------------------------------------------------------


class InfoMeetingForm(forms.ModelForm):
    class Meta:
        model = InfoMeeting
        fields = (
            "title",
            "starts_at",
            "minutes",
            "place",
            "online_url",
            "department",
            "capacity",
            "call",
            "description",
        )
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, departments: QuerySet[Department], calls: QuerySet[Call], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


class MeetingRegistrationForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Prénom et nom"), max_length=150)
    structure_name = forms.CharField(label=gettext_lazy("Structure"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    phone = forms.CharField(label=gettext_lazy("Téléphone"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["structure_name"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_phone(self) -> str:
        return normalise_optional_phone(self.cleaned_data.get("phone", ""))
