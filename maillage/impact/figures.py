"""Reading the indicators: from the pre-aggregated facts when the period is made of whole
months (what every dashboard asks), else live from the records. Both give the same figures;
the test suite proves it on a random dataset."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.db.models import Q
from pyroaring import BitMap

from maillage.impact import indicators
from maillage.impact.facts import (
    ACTIVITY_MEASURES,
    PLACE_MEASURES,
    deserialize,
    ensure_current,
    load_people_index,
    next_month,
)
from maillage.impact.models import ActivityFact, Grain, PlaceFact
from maillage.impact.registry import Filters, get
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


class PeopleIndex:
    """The people index, read once per request when a figure about people needs it."""

    @cached_property
    def entries(self) -> dict[str, BitMap]:
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
        index: PeopleIndex,
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
        self, filters: Filters, *, totals: Totals | None = None, index: PeopleIndex | None = None
    ) -> None:
        self.filters = filters
        self.index = index or PeopleIndex()
        self.from_facts = month_aligned(filters)
        if totals is not None:
            self.totals = totals

    @cached_property
    def totals(self) -> Totals:
        return _totals(self.filters, self.index, None)[None]

    def value(self, code: str) -> Any:
        indicator = get(code)
        if self.from_facts and indicator.from_facts is not None:
            return indicator.from_facts(self.totals)
        return indicator.compute(self.filters)

    def gender_counts(self) -> tuple[int, int]:
        """Women and men reached (named and anonymous)."""
        if self.from_facts:
            return self.totals.of_gender(Gender.WOMAN), self.totals.of_gender(Gender.MAN)
        reach = indicators.reach(self.filters)
        return reach.of_gender(Gender.WOMAN), reach.of_gender(Gender.MAN)

    def by(self, dimension: str, keys: Iterable[Any]) -> dict[Any, Figures]:
        """The same figures for each key of a breakdown (months as their first day, courses
        and places as ids)."""
        keys = list(keys)
        if not self.from_facts:
            return {
                key: Figures(_narrowed(self.filters, dimension, key), index=self.index)
                for key in keys
            }
        groups = _totals(self.filters, self.index, dimension, keys)
        return {
            key: Figures(totals.filters, index=self.index, totals=totals)
            for key, totals in groups.items()
        }


def _narrowed(filters: Filters, dimension: str, key: Any) -> Filters:
    if dimension == "month":
        return filters.narrowed(
            start=max(key, filters.start), end=min(next_month(key), filters.end)
        )
    if dimension == "course":
        code = Course.objects.filter(pk=key).values_list("code", flat=True).first()
        return filters.narrowed(course_codes=frozenset({code or ""}))
    return filters.narrowed(**{f"{dimension}_ids": frozenset({key})})


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


def _activity_rows(filters: Filters, dimension: str | None) -> Any:
    if filters.structure_ids or dimension == "structure":
        grain = Grain.STRUCTURE
    elif filters.programme_ids or filters.course_codes or dimension in ("programme", "course"):
        grain = Grain.DEPARTMENT
    else:
        grain = Grain.DEPARTMENT_TOTAL
    rows = ActivityFact.objects.filter(
        _places(filters),
        grain=grain,
        month__gte=filters.start,
        month__lt=filters.end,
    )
    if filters.programme_ids:
        rows = rows.filter(programme_id__in=filters.programme_ids)
    if filters.course_codes:
        rows = rows.filter(course_id__in=_course_ids(filters.course_codes))
    return rows


def _partners(programme_ids: Iterable[int]) -> dict[int, set[int]]:
    """structure → the programmes (among these) it is a partner of."""
    partners: dict[int, set[int]] = defaultdict(set)
    through = Programme.partner_structures.through.objects.filter(
        programme_id__in=list(programme_ids)
    )
    for programme, structure in through.values_list("programme_id", "structure_id"):
        partners[structure].add(programme)
    return partners


def _place_rows(filters: Filters, dimension: str | None) -> tuple[Any, dict[int, set[int]]]:
    """Place facts: per structure when the figures are about structures or programmes (a
    programme counts its partner structures), else per département. Every month before the
    end, for the relay count."""
    by_structure = bool(filters.structure_ids or filters.programme_ids) or dimension in (
        "structure",
        "programme",
    )
    rows = PlaceFact.objects.filter(
        _places(filters),
        grain=Grain.STRUCTURE if by_structure else Grain.DEPARTMENT,
        month__lt=filters.end,
    )
    partners: dict[int, set[int]] = {}
    if filters.programme_ids or dimension == "programme":
        programmes = filters.programme_ids or Programme.objects.values_list("pk", flat=True)
        partners = _partners(programmes)
        rows = rows.filter(structure_id__in=list(partners))
    return rows, partners


# The fact column that gives a place row its key in a breakdown (None: the row counts for
# every key, as place figures do not split by course).
PLACE_KEYS = {
    "region": "region_id",
    "department": "department_id",
    "structure": "structure_id",
    "programme": "structure_id",
    "month": "month",
}


def _totals(
    filters: Filters, index: PeopleIndex, dimension: str | None, keys: Iterable[Any] = (None,)
) -> dict[Any, Totals]:
    """The facts summed for each key of the dimension (the single key None without one)."""
    ensure_current()
    keys = list(keys)
    column = DIMENSIONS[dimension] if dimension else None
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    anonymous: dict[Any, Counter[str]] = defaultdict(Counter)
    people: dict[Any, list[BitMap]] = defaultdict(list)
    for key, *values, groups, bitmap in _activity_rows(filters, dimension).values_list(
        column or "grain", *ACTIVITY_MEASURES, "anonymous", "people"
    ):
        key = key if column else None
        counts[key].update(dict(zip(ACTIVITY_MEASURES, values, strict=True)))
        anonymous[key].update(groups)
        if bitmap:
            people[key].append(deserialize(bitmap))

    rows, partners = _place_rows(filters, dimension)
    place_column = PLACE_KEYS.get(dimension or "")
    places: dict[Any, Counter[str]] = defaultdict(Counter)
    relays: Counter[Any] = Counter()
    for key, month, *values in rows.values_list(
        place_column or "grain", "month", *PLACE_MEASURES
    ).iterator(chunk_size=5000):
        measures = dict(zip(PLACE_MEASURES, values, strict=True))
        delta = measures.pop("relay_delta")
        row_keys: Iterable[Any] = [key] if place_column else [None]
        if dimension == "programme":
            row_keys = partners.get(key, set())
            if filters.programme_ids:
                row_keys = row_keys & filters.programme_ids
        if dimension == "month":
            relays[month] += delta  # summed up to each month below
        else:
            for each in row_keys:
                relays[each] += delta
        if month >= filters.start:
            for each in row_keys:
                places[each].update(measures)

    totals = {}
    for key in keys:
        measures = counts.get(key, Counter())
        place_key = None if dimension == "course" else key
        measures.update(places.get(place_key, Counter()))
        if dimension == "month":
            measures["relays"] = sum(n for month, n in relays.items() if month <= key)
        else:
            measures["relays"] = relays.get(place_key, 0)
        totals[key] = Totals(
            _narrowed(filters, dimension, key) if dimension else filters,
            index,
            measures,
            anonymous.get(key),
            BitMap.union(BitMap(), *people.get(key, [])),
        )
    return totals
