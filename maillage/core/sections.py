"""Sections that higher apps add to a page of a lower app, without the lower app importing them:
the laptops of a lending fleet on a cohort's page, the targets on a programme's page, the calls,
coaching and trainings on a structure's page.

The lower app declares the page (`COHORT_PAGE = PageSections("cohort")`) and renders it; a higher
app registers, in its `AppConfig.ready()`, a function of the request and the page's object that
gives a template and its context, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

Section = Callable[["HttpRequest", Any], tuple[str, dict[str, Any]] | None]


class PageSections:
    def __init__(self, object_name: str) -> None:
        # The name of the page's object in the sections' templates.
        self.object_name = object_name
        self._sections: dict[str, tuple[int, Section]] = {}

    def register(self, key: str, section: Section, *, order: int = 0) -> None:
        self._sections[key] = (order, section)

    def render(self, request: HttpRequest, obj: Any) -> list[SafeString]:
        """The HTML of each section shown, in their order (a rendered template is safe)."""
        shown = []
        for _key, (_order, section) in sorted(self._sections.items(), key=lambda kv: kv[1][0]):
            found = section(request, obj)
            if found is not None:
                template, context = found
                html = render_to_string(template, {self.object_name: obj, **context}, request)
                shown.append(SafeString(html))
        return shown
