"""One registry of indicators: each has a code, a French label, a definition shown to users,
its computation from the records, and the breakdowns it supports.

Each app that owns records declares the figures about them in its `indicators.py` (found and
imported at start-up), one `register(Indicator(...))` each; `maillage.impact` reads them:
dashboards, reports, the API, publication, and the pre-aggregated facts that answer the same
figures faster (`maillage.impact.figures.FROM_FACTS`). `docs/how-to.md` says how to add one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from maillage.core.roles import EVERYTHING, places_q

# The id no record has: a restriction to it matches nothing.
NOTHING_ID = -1

# How a figure may be broken down.
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


# The breakdowns of figures about places (a structure's département, région, programmes), about
# activities (and their course), and about people (and their gender and age band).
PLACE_BREAKDOWNS = frozenset({"region", "department", "structure", "programme"})
ACTIVITY_BREAKDOWNS = PLACE_BREAKDOWNS | {"course"}
PEOPLE_BREAKDOWNS = ACTIVITY_BREAKDOWNS | {"gender", "age_band"}


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
    # A figure about people (a count of people, a share or an age of people): below the
    # national team, a cell about fewer than 11 people is not shown (maillage.impact.publication).
    about_people: bool = False
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


# --- Helpers of the apps' indicator modules ----------------------------------------------------


def where(filters: Filters, *, department: str, structure: str | None = None) -> Q:
    """Records placed in the filters' régions, départements and structures (each restriction
    given must hold); paths as in `maillage.core.roles.places_q`."""
    return places_q(
        department=department,
        structure=structure,
        region_ids=filters.region_ids,
        department_ids=filters.department_ids,
        structure_ids=filters.structure_ids,
        every=True,
    )


def partners_of(filters: Filters, structure: str) -> Q:
    """A structure's figures count for a programme when it is one of its partners (`structure`
    leads to the structure, "" for structures themselves)."""
    if not filters.programme_ids:
        return EVERYTHING
    return Q(
        **{f"{structure}__programmes__in" if structure else "programmes__in": filters.programme_ids}
    )


def count_of(records: Callable[[Filters], QuerySet[Any]]) -> Callable[[Filters], int]:
    """The figure that counts the records of a period."""
    return lambda filters: records(filters).count()


def listed(
    model: Any, records: Callable[[Filters], QuerySet[Any]], when: Any, place: str
) -> Callable[[Filters, Any], QuerySet[Any]]:
    """The records behind a figure that a person may see, with their date and the name of
    their place (`when` and `place`: an expression and a path), newest first."""

    def visible(filters: Filters, user: Any) -> QuerySet[Any]:
        return (
            model.objects.visible_to(user)
            .filter(pk__in=records(filters).values("pk"))
            .annotate(record_date=when, record_place=F(place))
            .order_by("-record_date", "-pk")
        )

    return visible
