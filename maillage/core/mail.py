"""Plain-text e-mails: rendered without HTML escaping, so that « CCAS d'Houplines » reads as
written and not « d&#x27;Houplines »."""

from __future__ import annotations

from typing import Any

from django.template import Context
from django.template.loader import get_template


def render_plain(name: str, context: dict[str, Any] | None = None) -> str:
    """A text template rendered with autoescaping off (mail is not HTML)."""
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context or {}, autoescape=False)))
