"""The main navigation, grouped by pillar. Each app registers its entries in `ready()`, so a
lower app never needs to know a higher one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PILLARS: list[tuple[str, Promise]] = [
    ("orienter", _("Orienter")),
    ("diagnostiquer", _("Diagnostiquer")),
    ("accompagner", _("Accompagner")),
    ("equiper", _("Équiper")),
    ("connecter", _("Connecter")),
    ("reseau", _("Animer le réseau")),
    ("mesurer", _("Mesurer")),
]


@dataclass(frozen=True)
class NavItem:
    pillar: str
    label: Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 0


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item.pillar not in dict(PILLARS):
        raise ValueError(f"Unknown pillar {item.pillar!r}")
    if item not in _ITEMS:
        _ITEMS.append(item)


@cache
def _address(url_name: str, prefix: str) -> str:
    """A menu entry's address, computed once per process (the entries take no argument)."""
    return reverse(url_name)


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """The pillars that have at least one entry this user may open."""
    menu = []
    for key, label in PILLARS:
        entries = []
        for item in sorted((i for i in _ITEMS if i.pillar == key), key=lambda i: i.order):
            if not item.visible(user):
                continue
            url = _address(item.url_name, get_script_prefix())
            entries.append(
                {"label": item.label, "url": url, "current": current_path.startswith(url)}
            )
        if entries:
            menu.append(
                {
                    "key": key,
                    "label": label,
                    "entries": entries,
                    "current": any(e["current"] for e in entries),
                }
            )
    return menu


def menu_html(menu: list[dict[str, Any]]) -> SafeString:
    """The menu as the layout shows it (written here: it is on every staff page): one list of
    links per pillar, labelled by the pillar's name, the current page marked."""
    pillars = format_html_join(
        "",
        '<li class="main-nav__pillar"><span class="main-nav__title" id="pilier-{0}">{1}</span>'
        '<ul class="main-nav__entries" aria-labelledby="pilier-{0}">{2}</ul></li>',
        (
            (
                pillar["key"],
                pillar["label"],
                format_html_join(
                    "",
                    '<li><a href="{}"{}>{}</a></li>',
                    (
                        (
                            entry["url"],
                            mark_safe(' aria-current="page"') if entry["current"] else "",
                            entry["label"],
                        )
                        for entry in pillar["entries"]
                    ),
                ),
            )
            for pillar in menu
        ),
    )
    return format_html(
        '<nav class="main-nav" aria-label="{}"><details class="main-nav__menu" open'
        ' data-collapsible-menu><summary class="container main-nav__summary">{}</summary>'
        '<ul class="container main-nav__pillars">{}</ul></details></nav>',
        gettext("Menu principal"),
        gettext("Menu"),
        pillars,
    )
