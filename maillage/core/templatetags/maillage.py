from __future__ import annotations

from typing import Any

from django import template

from maillage.core.phones import display_phone

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*items: Any) -> dict[str, Any]:
    """`{% breadcrumbs label1 url1 label2 url2 … %}`; the last one (current page) has url ''."""
    return {"trail": list(zip(items[::2], items[1::2], strict=True))}


@register.filter
def phone(value: str) -> str:
    return display_phone(value)
