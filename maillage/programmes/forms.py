from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.programmes.models import Programme, Staffing


class ProgrammeForm(forms.ModelForm):
    # The calls for applications that count for the programme. A call declares its programmes
    # (calls live in the animation app, above this one): the form reaches them through the
    # reverse relation, without importing that app.
    calls: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("appels à manifestation d'intérêt"),
        help_text=gettext_lazy(
            "Les candidatures et sélections de ces appels comptent pour le programme."
        ),
    )

    # What the journal records of a change.
    AUDITED = ["name", "slug", "description", "start", "end", "funders", "departments", "calls"]

    class Meta:
        model = Programme
        fields = ["name", "slug", "description", "start", "end", "funders", "departments"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "funders": forms.CheckboxSelectMultiple,
            "departments": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call = Programme._meta.get_field("calls").related_model
        self.fields["calls"].queryset = call._default_manager.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["calls"].initial = list(self.instance.calls.values_list("pk", flat=True))

    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]
        self.instance.calls.set(self.cleaned_data["calls"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin du programme doit suivre son début."))
        return cleaned


class StaffingForm(forms.ModelForm):
    class Meta:
        model = Staffing
        fields = ["title", "person", "fte", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        people = get_user_model().objects.filter(is_active=True, role_assignments__isnull=False)
        self.fields["person"].queryset = people.distinct().order_by("full_name")  # type: ignore[attr-defined]
        self.fields["start"].initial = programme.start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin doit suivre le début."))
        return cleaned

    def save(self, commit: bool = True) -> Staffing:
        staffing = super().save(commit=False)
        staffing.programme = self.programme
        if commit:
            staffing.save()
        return staffing


def offer_programmes(form: forms.BaseForm, user: Any, field: str = "programme") -> None:
    """The programmes an activity may count for: those the person works in, each named with
    its period, so that an ended programme is not taken for a running one."""
    choice = form.fields[field]
    choice.queryset = Programme.objects.visible_to(user)  # type: ignore[attr-defined]
    choice.label_from_instance = lambda programme: f"{programme.name} ({programme.period()})"  # type: ignore[attr-defined]


def refuse_programme_outside(
    form: forms.BaseForm, *days: date | None, field: str = "programme"
) -> None:
    """An activity counts for a programme only within the programme's dates."""
    programme = form.cleaned_data.get(field)
    if programme is None:
        return
    for day in days:
        refusal = programme.refusal_for(day) if day is not None else ""
        if refusal:
            form.add_error(field, refusal)
            return
