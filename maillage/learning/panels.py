"""Sections that higher apps add to a cohort's page, without this app importing them (e.g. the
laptops of a lending fleet available on the cohort's dates)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

    from maillage.learning.models import Cohort

# A panel: the request and the cohort, to the HTML of a section or None to show nothing.
Panel = Callable[["HttpRequest", "Cohort"], SafeString | None]

_PANELS: dict[str, Panel] = {}


def register(key: str, panel: Panel) -> None:
    _PANELS[key] = panel


def render(request: HttpRequest, cohort: Cohort) -> list[SafeString]:
    shown = (panel(request, cohort) for _key, panel in sorted(_PANELS.items()))
    return [html for html in shown if html]
