from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.impact.registry import all_indicators
from maillage.programmes.models import Programme, Target


def period_problem(start: date, end: date) -> str | None:
    """What is wrong with a period from `start` to `end` (included), if anything."""
    if end < start:
        return _("La fin de la période ne peut pas précéder son début.")
    if end - start > timedelta(days=366 * 10):
        return _("Choisissez une période de dix ans au plus.")
    return None


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=gettext_lazy("Au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tous les programmes de mon périmètre"),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    @staticmethod
    def default_period() -> tuple[date, date]:
        today = timezone.localdate()
        return date(today.year, 1, 1), today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        problem = period_problem(start, end) if start and end else None
        if problem:
            self.add_error("end", problem)
        return cleaned


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=gettext_lazy("Indicateur"))

    class Meta:
        model = Target
        fields = ("indicator", "value", "deadline", "department")
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            (i.code, i.label) for i in all_indicators() if i.unit == "count"
        ]
        self.fields["department"].queryset = programme.departments.all()  # type: ignore[attr-defined]
        if programme.end:
            self.fields["deadline"].initial = programme.end

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.programme.start:
            raise forms.ValidationError(_("L'échéance ne peut pas précéder le début du programme."))
        return deadline

    def save(self, commit: bool = True) -> Target:
        target = super().save(commit=False)
        target.programme = self.programme
        if commit:
            target.save()
        return target
