"""The commune picker: a text input that searches by name or postal code (htmx suggestions as
one types) and also works without JavaScript (the server resolves what was typed, and offers a
choice when several communes match)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.territories.models import Commune, normalise

_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d[\dAB]\d{2,3}|\d{2,3})…?\)$")
MAX_CHOICES = 12


class CommuneWidget(forms.Widget):
    template_name = "territories/commune_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.candidates: list[Commune] = []

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (data.get(name, "") or "", data.get(f"{name}_id", "") or "")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_id" not in data

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text, selected = "", ""
        if isinstance(value, tuple):
            text, selected = value
        elif isinstance(value, Commune):
            text, selected = value.label, str(value.pk)
        elif value:
            commune = Commune.objects.filter(pk=value).first()
            if commune:
                text, selected = commune.label, str(commune.pk)
        context["widget"].update(
            {
                "text": text,
                "selected": selected,
                "candidates": self.candidates,
                "search_url": reverse("territories:commune_search"),
            }
        )
        return context


class CommuneField(forms.Field):
    widget = CommuneWidget
    default_error_messages = {
        "required": gettext_lazy("Indiquez une commune."),
    }

    def to_python(self, value: Any) -> Commune | None:
        text, selected = value if isinstance(value, tuple) else (str(value or ""), "")
        text = text.strip()
        if selected.isdigit():
            # A suggestion picked with JavaScript, or a choice among the candidates offered
            # without it: kept while the text still designates that commune.
            commune = Commune.objects.filter(pk=int(selected)).first()
            if commune and (
                not text
                or normalise(text) in {normalise(commune.label), normalise(commune.name)}
                or Commune.objects.search(text).filter(pk=commune.pk).exists()
            ):
                return commune
        if not text:
            return None
        return self._resolve(text)

    def _resolve(self, text: str) -> Commune:
        name, code = text, ""
        match = _LABEL.match(text)
        if match:
            name, code = match["name"], match["code"]
        results = Commune.objects.search(code or name).select_related("department")
        if code:
            results = results.filter(search_name=normalise(name))
        exact = [c for c in results[: MAX_CHOICES * 4] if c.search_name == normalise(name)]
        if len(exact) == 1:
            return exact[0]
        candidates = exact or list(results[:MAX_CHOICES])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise forms.ValidationError(
                _(
                    "Aucune commune ne correspond à « %(text)s ». Vérifiez l'orthographe ou "
                    "saisissez le code postal."
                )
                % {"text": text},
                code="unknown",
            )
        assert isinstance(self.widget, CommuneWidget)
        self.widget.candidates = candidates
        raise forms.ValidationError(
            _(
                "Plusieurs communes correspondent à « %(text)s » : choisissez la vôtre dans la liste."
            )
            % {"text": text},
            code="ambiguous",
        )

    def prepare_value(self, value: Any) -> Any:
        return value
