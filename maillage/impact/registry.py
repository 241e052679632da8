"""One registry of indicators: each has a code, a French label, a definition shown to users,
its computation, and the breakdowns it supports. Apps add their indicators with `register`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

# The id no record has: a restriction to it matches nothing.
NOTHING_ID = -1

BREAKDOWNS = (
    "region",
    "department",
    "structure",
    "programme",
    "course",
    "gender",
    "age_band",
    "device_kind",
)


@dataclass(frozen=True)
class Filters:
    """What a figure is about: a period [start, end) in local dates, and optional restrictions.
    Empty restrictions mean no restriction; `None` for a set means "nothing" is never used."""

    start: date
    end: date
    region_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    structure_ids: frozenset[int] = frozenset()
    programme_ids: frozenset[int] = frozenset()
    course_codes: frozenset[str] = frozenset()
    genders: frozenset[str] = frozenset()
    age_bands: frozenset[str] = frozenset()
    # Kinds of devices (maillage.stock.enums.DeviceKind), for the figures about devices.
    device_kinds: frozenset[str] = frozenset()

    @property
    def since(self) -> datetime:
        """The period's first instant, in the site's time zone (Europe/Paris)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    def narrowed(self, **changes: Any) -> Filters:
        return replace(self, **changes)

    def restricted(self, **sets: frozenset[Any]) -> Filters:
        """Narrowed to these sets inside the restrictions already there (their intersection
        where both restrict the same thing), so that a request never widens a scope. An
        intersection with nothing in it holds a value no record has (an empty set would mean
        no restriction at all)."""
        changes: dict[str, Any] = {}
        for name, values in sets.items():
            current = getattr(self, name)
            kept = current & values if current else values
            changes[name] = kept or frozenset({NOTHING_ID if name.endswith("_ids") else ""})
        return replace(self, **changes)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise | str
    definition: Promise | str
    compute: Callable[[Filters], Any]
    unit: str = "count"  # count, share (0 to 1), years, hours, distribution
    breakdowns: frozenset[str] = field(default_factory=lambda: frozenset(BREAKDOWNS))
    order: int = 0
    # The same figure from the pre-aggregated facts' totals (maillage.impact.figures.Totals);
    # None: always computed live.
    from_facts: Callable[[Any], Any] | None = None
    # The records behind the figure that a person may see, annotated with `record_date` (a
    # date or None) and `record_place` (a place name), for the list a figure links to; None: no list.
    records: Callable[[Filters, Any], Any] | None = None


_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    unknown = indicator.breakdowns - set(BREAKDOWNS)
    if unknown:
        raise ValueError(f"Unknown breakdowns for {indicator.code}: {sorted(unknown)}")
    _INDICATORS[indicator.code] = indicator
    return indicator


def get(code: str) -> Indicator:
    return _INDICATORS[code]


def all_indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.code))


def compute(code: str, filters: Filters) -> Any:
    return get(code).compute(filters)
