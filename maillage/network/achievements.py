"""What structures achieved over a period (their own activities, the people they accompanied),
shown on coaching plans and closing committees. The impact app computes it from its indicator
registry and provides it here, since this app sits below impact."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    value: int | float | None
    definition: str | Promise = ""


# The structures' ids and a period [start, end) to the figures of what they achieved.
Provider = Callable[[Sequence[int], date, date], list[Figure]]

_PROVIDERS: dict[str, Provider] = {}


def provide(key: str, provider: Provider) -> None:
    _PROVIDERS[key] = provider


def achieved(structure_ids: Sequence[int], start: date, end: date) -> list[Figure]:
    figures: list[Figure] = []
    for _key, provider in sorted(_PROVIDERS.items()):
        figures.extend(provider(structure_ids, start, end))
    return figures
