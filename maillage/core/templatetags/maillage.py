from __future__ import annotations

from typing import Any

from django import template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.html import format_html
from django.utils.safestring import SafeString

from maillage.core.forms import answer_buttons as write_answer_buttons
from maillage.core.forms import input_html
from maillage.core.navigation import menu_html
from maillage.core.phones import display_phone
from maillage.core.statemachine import Workflow

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*items: Any) -> dict[str, Any]:
    """`{% breadcrumbs label1 url1 label2 url2 … %}`; the last one (current page) has url ''."""
    return {"trail": list(zip(items[::2], items[1::2], strict=True))}


@register.filter
def phone(value: str) -> str:
    return display_phone(value)


@register.simple_tag
def status(obj: Any, field: str = "status") -> SafeString:
    """A record's status as a badge coloured by what it means (`Workflow.tones`), written here
    rather than through a template: lists show one per row."""
    workflow = Workflow.of(obj, field)
    state = getattr(obj, field)
    return badge(workflow.tone(state), workflow.label(state))


@register.simple_tag
def badge(tone: str, label: Any) -> SafeString:
    """A label in a badge of the tone's colour (`{% badge tone label %}`)."""
    return format_html('<span class="badge badge--{}">{}</span>', tone, label)


@register.inclusion_tag("components/status_history.html")
def status_history(obj: Any, field: str = "status", caption: str = "") -> dict[str, Any]:
    """Every status a record went through: when, which, by whom, and the note."""
    workflow = Workflow.of(obj, field)
    return {
        "steps": [
            (step, workflow.label(step.to_state), workflow.tone(step.to_state))
            for step in workflow.history(obj)
        ],
        "caption": caption,
    }


@register.filter
def input_tag(choice: BoundWidget) -> SafeString:
    """One radio button's or checkbox's <input>, written in Python rather than through a
    template per choice (a roll call has sixty): the same markup as Django's widget template."""
    return input_html(choice.data)


@register.filter
def answer_buttons(field: BoundField) -> SafeString:
    """`{{ field|answer_buttons }}`: see `maillage.core.forms.answer_buttons`."""
    return write_answer_buttons(field)


@register.simple_tag
def main_menu_html(menu: list[dict[str, Any]]) -> SafeString:
    """`{% main_menu_html main_menu %}`: see `maillage.core.navigation.menu_html`."""
    return menu_html(menu)


@register.simple_tag
def map_tiles() -> dict[str, str]:
    """The map's background tiles and the credit their licence asks for (settings)."""
    from django.conf import settings

    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION}
