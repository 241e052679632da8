from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from maillage.programmes.models import Programme


class ProgrammeForm(forms.ModelForm):
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin du programme doit suivre son début."))
        return cleaned
