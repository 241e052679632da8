from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.forms import ListedModelChoiceField
from maillage.core.indicators import all_indicators
from maillage.impact.facts import next_month
from maillage.learning.models import Course
from maillage.network.models import Structure
from maillage.people.enums import AgeBand, Gender
from maillage.programmes.models import Programme, Target


def period_problem(start: date, end: date) -> str | None:
    """What is wrong with a period from `start` to `end` (included), if anything."""
    if end < start:
        return _("La fin de la période ne peut pas précéder son début.")
    if end - start > timedelta(days=366 * 10):
        return _("Choisissez une période de dix ans au plus.")
    return None


def checked_period(
    form: forms.Form, cleaned: dict[str, Any], start: str, end: str
) -> dict[str, Any]:
    """A form's cleaned data, with the period's problem (if any) on its end field."""
    first, last = cleaned.get(start), cleaned.get(end)
    problem = period_problem(first, last) if first and last else None
    if problem:
        form.add_error(end, problem)
    return cleaned


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=gettext_lazy("Au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    programme = ListedModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tous les programmes de mon périmètre"),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        return checked_period(self, super().clean() or {}, "start", "end")


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


class MonthField(forms.CharField):
    """A calendar month typed as AAAA-MM (the browser offers a month picker)."""

    widget = forms.TextInput(
        attrs={"type": "month", "placeholder": "AAAA-MM", "pattern": r"\d{4}-\d{2}"}
    )

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            year, month = text.split("-")
            return date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Indiquez un mois au format AAAA-MM, par exemple 2024-03.")
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, date) else value


def last_twelve_months(today: date) -> tuple[date, date]:
    """The first days of the month eleven months ago and of this month."""
    first = date(today.year - (today.month <= 11), (today.month - 12) % 12 + 1, 1)
    return first, today.replace(day=1)


class DashboardForm(forms.Form):
    """The dashboard's filters: months, a territory of the person's scope, a structure (reached
    from the département's table), a programme, a course, a gender and an age band."""

    du = MonthField(label=gettext_lazy("Du mois"), required=False)
    au = MonthField(label=gettext_lazy("Au mois (inclus)"), required=False)
    territoire = forms.ChoiceField(label=gettext_lazy("Territoire"), required=False)
    structure = forms.ModelChoiceField(
        queryset=Structure.objects.none(), required=False, widget=forms.HiddenInput
    )
    programme = ListedModelChoiceField(
        label=gettext_lazy("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Tous"),
    )
    parcours = ListedModelChoiceField(
        label=gettext_lazy("Parcours"),
        queryset=Course.objects.order_by("title"),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("Tous"),
    )
    genre = forms.ChoiceField(label=gettext_lazy("Genre"), required=False)
    tranche = forms.ChoiceField(label=gettext_lazy("Tranche d'âge"), required=False)
    places: Any = None  # the départements and régions of the person (dashboard.Places)

    def __init__(
        self,
        data: Any,
        *,
        territories: list[tuple[str, list[tuple[str, str]]]],
        structures: QuerySet[Structure],
        programmes: QuerySet[Programme],
    ) -> None:
        first, last = last_twelve_months(timezone.localdate())
        super().__init__(data, initial={"du": first, "au": last})
        self.fields["territoire"].choices = [  # type: ignore[attr-defined]
            ("", _("Tout mon périmètre")),
            *territories,
        ]
        self.fields["structure"].queryset = structures  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["genre"].choices = [("", _("Tous")), *Gender.choices]  # type: ignore[attr-defined]
        self.fields["tranche"].choices = [("", _("Toutes")), *AgeBand.choices]  # type: ignore[attr-defined]

    @property
    def territories(self) -> set[str]:
        """The territories the person may choose (`r:<id>` for a région, `d:<id>` for a
        département)."""
        return {
            value
            for _group, options in self.fields["territoire"].choices[1:]  # type: ignore[attr-defined]
            for value, _label in options
        }

    def clean(self) -> dict[str, Any]:
        return checked_period(self, super().clean() or {}, "du", "au")

    def listed(self, name: str) -> list[Any]:
        """The rows a choice field offers (programmes, courses), read once for the page."""
        return list(self.fields[name].queryset)  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The cleaned value, or the initial one when the field is empty or wrong."""
        if not self.is_bound or name in self.errors:
            return self.initial.get(name)
        cleaned = self.cleaned_data.get(name)
        return self.initial.get(name) if cleaned in (None, "") else cleaned

    def period(self) -> tuple[date, date]:
        """[first day of the first month, first day after the last month); the last twelve
        months while the period typed is wrong."""
        if self.is_bound and ("du" in self.errors or "au" in self.errors):
            return self.initial["du"], next_month(self.initial["au"])
        return self.value("du"), next_month(self.value("au"))
