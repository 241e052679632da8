"""What higher apps hold about a person, without this app importing them.

An app that keeps data about a beneficiary (diagnostics, later enrolments and sales) registers a
`PersonData` in its `AppConfig.ready()`: a section of the person's page, its part of the
subject-access export, and what erasure must empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from maillage.people.models import Beneficiary


@dataclass(frozen=True)
class PersonData:
    key: str
    # The person's page: a template and its context, or None to show nothing.
    section: Callable[[HttpRequest, Beneficiary], tuple[str, dict[str, Any]] | None]
    # Everything held, JSON-safe, for the subject-access export.
    export: Callable[[Beneficiary], Any]
    # Remove what identifies the person; counts must stay the same.
    erase: Callable[[Beneficiary], None]
    order: int = 0


_PROVIDERS: dict[str, PersonData] = {}


def register(provider: PersonData) -> None:
    _PROVIDERS[provider.key] = provider


def providers() -> list[PersonData]:
    return sorted(_PROVIDERS.values(), key=lambda p: p.order)
