"""Sections that higher apps add to a programme's page (the impact app shows the targets with
their progress), without this app importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from maillage.programmes.models import Programme

Section = Callable[["HttpRequest", "Programme"], tuple[str, dict[str, Any]] | None]

_SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def sections() -> list[Section]:
    return list(_SECTIONS)
