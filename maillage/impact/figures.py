"""Reading the indicators: from the pre-aggregated facts when the period is made of whole
months (what every dashboard asks), else live from the records. Both give the same figures;
the test suite proves it on a random dataset."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Q, Sum, TextField
from django.db.models.functions import Cast
from pyroaring import BitMap, FrozenBitMap

from maillage.core.indicators import Filters, get
from maillage.impact import equipment
from maillage.impact.facts import (
    ACTIVITY_MEASURES,
    PLACE_MEASURES,
    YEAR,
    YEAR_GRAINS,
    deserialize,
    ensure_current,
    load_people_index,
    next_month,
    shift_month,
)
from maillage.impact.models import ActivityFact, Grain, PlaceFact
from maillage.learning.indicators import reach
from maillage.learning.models import Course
from maillage.people.enums import AgeBand, Gender
from maillage.programmes.models import Programme

# What a breakdown groups by, and the fact column holding it.
DIMENSIONS = {
    "month": "month",
    "region": "region_id",
    "department": "department_id",
    "structure": "structure_id",
    "programme": "programme_id",
    "course": "course_id",
}


def month_aligned(filters: Filters) -> bool:
    return filters.start.day == 1 and filters.end.day == 1


def _counted(measure: str) -> Callable[[Totals], int]:
    return lambda totals: totals.counts[measure]


# The indicators the facts answer, each from the totals of the facts read for a period of whole
# months (the others are computed live from the records).
FROM_FACTS: dict[str, Callable[[Totals], Any]] = {
    **{
        code: _counted(code)
        for code in (
            "parcours_realised",
            "parcours_completed",
            "sessions_held",
            "workshops",
            "drop_ins",
            "diagnostics",
            "referrals_received",
            "referrals_accepted",
            "structures_joined",
        )
    },
    "people_accompanied": lambda totals: totals.reached,
    "learner_hours": lambda totals: round(totals.counts["learner_minutes"] / 60, 1),
    "relays_active": _counted("relays"),
    "women_share": lambda totals: totals.women_share(),
    "average_age": lambda totals: totals.average_age(),
    "age_bands": lambda totals: totals.age_bands(),
}


def live(
    code: str,
    filters: Filters,
    *,
    keep_seconds: int = 0,
    computed: Callable[[], None] | None = None,
) -> Any:
    """A figure computed from the records; the equipment figures through their cache, the
    others kept `keep_seconds` when asked (a computation cut short by its budget resumes
    there). `computed` is called after a figure was computed rather than found."""
    if code in equipment.CODES:
        return equipment.cached(code, filters, computed=computed)
    if not keep_seconds:
        return get(code).compute(filters)
    return equipment.remembered(
        ("live", code, filters), code, filters, keep_seconds, computed=computed
    )


class OverBudget(Exception):
    """A request's live computations went past its budget; what was computed is kept."""


class Budget:
    """How long one request may spend computing figures live (the API's): checked after each
    figure computed, so that every request moves the computation on by one figure at least,
    and what was computed is kept for the next request to resume from."""

    def __init__(self, seconds: float, *, keep_seconds: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.keep_seconds = keep_seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise OverBudget


class Reading:
    """What one request reads of the facts, read once: the people index when a figure about
    people needs it, and the activity rows already fetched (a dashboard's totals, months and
    régions come from the same rows, its programmes and courses too)."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget
        self.rows: dict[tuple[Filters, str, bool], list[tuple[Any, ...]]] = {}
        self.place_months: dict[Filters, dict[Any, Counter[str]]] = {}
        self.current = False

    def ensure_current(self) -> None:
        """Stale cells are recomputed before the first read of the request."""
        if not self.current:
            ensure_current()
            self.current = True

    @cached_property
    def entries(self) -> dict[str, FrozenBitMap]:
        return load_people_index()

    def allowed(self, filters: Filters, year: int) -> BitMap | None:
        """The people of the requested genders and age bands (None: no restriction)."""
        allowed: BitMap | None = None
        if filters.genders:
            allowed = BitMap.union(
                BitMap(), *(self.entries.get(f"gender:{g}", BitMap()) for g in filters.genders)
            )
        if filters.age_bands:
            in_bands = BitMap.union(
                BitMap(),
                *(
                    people
                    for key, people in self.entries.items()
                    if _band_of_key(key, year) in filters.age_bands
                ),
            )
            allowed = in_bands if allowed is None else allowed & in_bands
        return allowed


def _band_of_key(key: str, year: int) -> str | None:
    kind, _sep, value = key.partition(":")
    if kind == "birth":
        return AgeBand.of_age(year - int(value))
    if kind == "band":
        return value
    return None


class Totals:
    """The facts summed over one set of filters (or one group of a breakdown)."""

    def __init__(
        self,
        filters: Filters,
        index: Reading,
        counts: Counter[str] | None = None,
        anonymous: Counter[str] | None = None,
        people: BitMap | None = None,
    ) -> None:
        self.filters = filters
        self.index = index
        self.counts: Counter[str] = counts or Counter()
        self.year = (filters.end - timedelta(days=1)).year
        people = people if people is not None else BitMap()
        anonymous = anonymous or Counter()
        if filters.genders or filters.age_bands:
            allowed = index.allowed(filters, self.year)
            if allowed is not None:
                people &= allowed
            anonymous = Counter(
                {
                    key: n
                    for key, n in anonymous.items()
                    if (not filters.genders or key.split("|")[0] in filters.genders)
                    and (not filters.age_bands or key.split("|")[1] in filters.age_bands)
                }
            )
        self.people = people
        self.anonymous = anonymous

    @cached_property
    def named(self) -> dict[str, int]:
        """Named people reached, per index entry."""
        return {
            key: self.people.intersection_cardinality(entry)
            for key, entry in self.index.entries.items()
        }

    @property
    def reached(self) -> int:
        return len(self.people) + sum(self.anonymous.values())

    def of_gender(self, gender: str) -> int:
        anonymous = sum(n for key, n in self.anonymous.items() if key.split("|")[0] == gender)
        return self.named.get(f"gender:{gender}", 0) + anonymous

    def women_share(self) -> float | None:
        women, men = self.of_gender(Gender.WOMAN), self.of_gender(Gender.MAN)
        return round(women / (women + men), 2) if women + men else None

    def average_age(self) -> float | None:
        ages = count = 0
        for key, n in self.named.items():
            if key.startswith("birth:") and n:
                ages += (self.year - int(key[6:])) * n
                count += n
        return round(ages / count, 1) if count else None

    def age_bands(self) -> dict[str, int]:
        bands: Counter[str] = Counter()
        for key, n in self.named.items():
            band = _band_of_key(key, self.year)
            if band is not None:
                bands[band] += n
        for key, n in self.anonymous.items():
            bands[key.split("|")[1]] += n
        return {band: bands.get(band, 0) for band in AgeBand.values}


class Figures:
    """Every indicator for one set of filters."""

    def __init__(
        self, filters: Filters, *, totals: Totals | None = None, index: Reading | None = None
    ) -> None:
        self.filters = filters
        self.index = index or Reading()
        self.from_facts = month_aligned(filters)
        self.breakdowns: dict[tuple[str, tuple[Any, ...]], dict[Any, Figures]] = {}
        if totals is not None:
            self.totals = totals

    @cached_property
    def totals(self) -> Totals:
        return _totals(self.filters, self.index, None)[None]

    def value(self, code: str) -> Any:
        if self.from_facts and code in FROM_FACTS:
            return FROM_FACTS[code](self.totals)
        budget = self.index.budget
        if budget is None:
            return live(code, self.filters)
        return live(code, self.filters, keep_seconds=budget.keep_seconds, computed=budget.check)

    def gender_counts(self) -> tuple[int, int]:
        """Women and men reached (named and anonymous)."""
        if self.from_facts:
            return self.totals.of_gender(Gender.WOMAN), self.totals.of_gender(Gender.MAN)
        people = reach(self.filters)
        return people.of_gender(Gender.WOMAN), people.of_gender(Gender.MAN)

    def by(self, dimension: str, keys: Iterable[Any]) -> dict[Any, Figures]:
        """The same figures for each key of a breakdown (months as their first day, courses
        and places as ids), computed once for these filters (two charts share their months)."""
        keys = list(keys)
        asked = (dimension, tuple(keys))
        if asked not in self.breakdowns:
            self.breakdowns[asked] = self._by(dimension, keys)
        return self.breakdowns[asked]

    def _by(self, dimension: str, keys: list[Any]) -> dict[Any, Figures]:
        if not self.from_facts or dimension not in DIMENSIONS:
            codes = _codes(dimension, keys)
            return {
                key: Figures(_narrowed(self.filters, dimension, key, codes), index=self.index)
                for key in keys
            }
        # Structures are many: only the rows of the structures asked for are read.
        fetched = (
            self.filters.restricted(structure_ids=frozenset(keys))
            if dimension == "structure"
            else self.filters
        )
        groups = _totals(fetched, self.index, dimension, keys)
        return {
            key: Figures(totals.filters, index=self.index, totals=totals)
            for key, totals in groups.items()
        }


def _narrowed(
    filters: Filters, dimension: str, key: Any, codes: dict[int, str] | None = None
) -> Filters:
    """The filters of one key of a breakdown, inside the filters (never wider); `codes` maps
    course ids to their codes."""
    if dimension == "month":
        return filters.narrowed(
            start=max(key, filters.start), end=min(next_month(key), filters.end)
        )
    if dimension == "course":
        return filters.restricted(course_codes=frozenset({(codes or {}).get(key, "")}))
    if dimension == "device_kind":
        return filters.restricted(device_kinds=frozenset({key}))
    return filters.restricted(**{f"{dimension}_ids": frozenset({key})})


def _codes(dimension: str, keys: Iterable[Any]) -> dict[int, str] | None:
    """The course codes of a breakdown by course, in one query."""
    if dimension != "course":
        return None
    return dict(Course.objects.filter(pk__in=list(keys)).values_list("pk", "code"))


def _course_ids(codes: Iterable[str]) -> list[int]:
    return list(Course.objects.filter(code__in=list(codes)).values_list("pk", flat=True))


def _places(filters: Filters) -> Q:
    q = Q()
    if filters.region_ids:
        q &= Q(region_id__in=filters.region_ids)
    if filters.department_ids:
        q &= Q(department_id__in=filters.department_ids)
    if filters.structure_ids:
        q &= Q(structure_id__in=filters.structure_ids)
    return q


def _grain(filters: Filters, dimension: str | None) -> str:
    """The fewest rows that answer: a structure's rows when the figures are about structures,
    else a département's when a place narrows them or they are broken down by place, else the
    country's; each per programme, per course, both or neither, as the figures need."""
    programme = bool(filters.programme_ids) or dimension == "programme"
    course = bool(filters.course_codes) or dimension == "course"
    if filters.structure_ids or dimension == "structure":
        return Grain.STRUCTURE if programme or course else Grain.STRUCTURE_TOTAL
    if filters.region_ids or filters.department_ids or dimension in ("region", "department"):
        grains = (Grain.DEPARTMENT, Grain.DEPARTMENT_PROGRAMME, Grain.DEPARTMENT_COURSE)
        total = Grain.DEPARTMENT_TOTAL
    else:
        grains = (Grain.NATIONAL, Grain.NATIONAL_PROGRAMME, Grain.NATIONAL_COURSE)
        total = Grain.NATIONAL_TOTAL
    if programme and course:
        return grains[0]
    if programme:
        return grains[1]
    return grains[2] if course else total


# The columns of an activity row that a breakdown may group by, then its measures.
KEY_COLUMNS = ("month", "region_id", "department_id", "structure_id", "programme_id", "course_id")


def _spans(filters: Filters, grain: str, monthly: bool) -> Q:
    """The rows that cover the period once: rows of twelve months from its end backwards where
    the grain keeps them (unless the figures are wanted month by month), then single months."""
    end = filters.end
    years = []
    if grain in YEAR_GRAINS and not monthly:
        while shift_month(end, -YEAR) >= filters.start:
            years.append(shift_month(end, -1))
            end = shift_month(end, -YEAR)
    return Q(months=YEAR, month__in=years) | Q(months=1, month__gte=filters.start, month__lt=end)


def _activity_rows(
    filters: Filters, grain: str, index: Reading, *, monthly: bool = False
) -> list[tuple[Any, ...]]:
    """The rows of this grain within the filters (keys, measures, anonymous groups, people as
    a bitmap), fetched once per request."""
    cached = index.rows.get((filters, grain, monthly))
    if cached is not None:
        return cached
    rows = ActivityFact.objects.filter(
        _places(filters), _spans(filters, grain, monthly), grain=grain
    )
    if filters.programme_ids:
        rows = rows.filter(programme_id__in=filters.programme_ids)
    if filters.course_codes:
        rows = rows.filter(course_id__in=_course_ids(filters.course_codes))
    # The anonymous groups as text, decoded only when there are some (most rows have none).
    rows = rows.annotate(anonymous_text=Cast("anonymous", output_field=TextField()))
    fetched = [
        (
            *row[:-2],
            json.loads(row[-2]) if row[-2] not in ("{}", "", None) else None,
            deserialize(row[-1]),
        )
        for row in _fetch(
            rows.values_list(*KEY_COLUMNS, *ACTIVITY_MEASURES, "anonymous_text", "people")
        )
    ]
    index.rows[(filters, grain, monthly)] = fetched
    return fetched


def _fetch(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query; on PostgreSQL in the binary format, so that the
    bitmaps travel as bytes rather than as hexadecimal text to decode."""
    if connection.vendor != "postgresql":
        return list(query)
    import psycopg

    sql, params = query.query.sql_with_params()
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


# The fact column that gives a place row its key in a breakdown (a programme counts its
# partner structures); without one, the sums count for every key, as place figures do not
# split by course.
PLACE_KEYS = {
    "region": "region_id",
    "department": "department_id",
    "structure": "structure_id",
    "programme": "structure__programmes",
    "month": "month",
}


def _place_sums(filters: Filters, dimension: str | None, index: Reading) -> dict[Any, Counter[str]]:
    """Place measures summed in the database per key: over the period, and the relays as the
    sum of every change before its end (per structure when the figures are about structures or
    programmes, else per département). The totals are the sum of the months, read once."""
    column = PLACE_KEYS.get(dimension or "")
    if column not in (None, "month"):
        return _place_query(filters, dimension, column)
    months = index.place_months.get(filters)
    if months is None:
        months = index.place_months[filters] = _place_query(filters, None, "month")
    if column == "month":
        return {month: Counter(sums) for month, sums in months.items()}
    total: Counter[str] = Counter()
    for sums in months.values():
        total.update(sums)
    return {None: total}


def _place_query(filters: Filters, dimension: str | None, column: str) -> dict[Any, Counter[str]]:
    by_structure = bool(filters.structure_ids or filters.programme_ids) or dimension in (
        "structure",
        "programme",
    )
    rows = PlaceFact.objects.filter(
        _places(filters),
        grain=Grain.STRUCTURE if by_structure else Grain.DEPARTMENT,
        month__lt=filters.end,
    )
    if filters.programme_ids:
        partners = Programme.partner_structures.through.objects.filter(
            programme_id__in=filters.programme_ids
        ).values("structure_id")
        rows = rows.filter(structure_id__in=partners)
    in_period = Q(month__gte=filters.start)
    sums: dict[str, Any] = {
        m: Sum(m, filter=in_period, default=0) for m in PLACE_MEASURES if m != "relay_delta"
    }
    sums["relays"] = Sum("relay_delta", default=0)
    return {
        row.pop(column): Counter(row)
        for row in rows.values(column).annotate(**sums).order_by()
        if row[column] is not None
    }


def _totals(
    filters: Filters, index: Reading, dimension: str | None, keys: Iterable[Any] = (None,)
) -> dict[Any, Totals]:
    """The facts summed for each key of the dimension (the single key None without one)."""
    index.ensure_current()
    keys = list(keys)
    position = KEY_COLUMNS.index(DIMENSIONS[dimension]) if dimension else None
    first, width = len(KEY_COLUMNS), len(ACTIVITY_MEASURES)
    sums: dict[Any, list[int]] = {}
    anonymous: dict[Any, Counter[str]] = defaultdict(Counter)
    people: dict[Any, list[BitMap]] = defaultdict(list)
    grain = _grain(filters, dimension)
    # The totals reuse the months' rows when they were read first (the dashboard draws its
    # charts before its totals), rather than read the twelve-month rows as well.
    monthly = dimension == "month" or (dimension is None and (filters, grain, True) in index.rows)
    for row in _activity_rows(filters, grain, index, monthly=monthly):
        key = row[position] if position is not None else None
        total = sums.get(key)
        if total is None:
            total = sums[key] = [0] * width
        for i in range(width):
            total[i] += row[first + i]
        if row[-2]:
            anonymous[key].update(row[-2])
        if row[-1]:
            people[key].append(row[-1])
    counts = {
        key: Counter(dict(zip(ACTIVITY_MEASURES, total, strict=True)))
        for key, total in sums.items()
    }

    places = _place_sums(filters, dimension, index)
    if dimension == "month":  # the relays at the end of each month: every change until then
        changes = sorted((month, sums.pop("relays")) for month, sums in places.items())
        for month in keys:
            places.setdefault(month, Counter())["relays"] = sum(
                n for changed, n in changes if changed <= month
            )

    codes = _codes(dimension, keys) if dimension else None
    totals = {}
    for key in keys:
        measures = counts.get(key, Counter())
        measures.update(places.get(None if dimension == "course" else key, Counter()))
        totals[key] = Totals(
            _narrowed(filters, dimension, key, codes) if dimension else filters,
            index,
            measures,
            anonymous.get(key),
            BitMap.union(BitMap(), *people.get(key, [])),
        )
    return totals
