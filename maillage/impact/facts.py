"""Building the pre-aggregated facts from the records, keeping them current, and rebuilding
them. The same computation serves one stale cell and the whole country: `_activity_cells` and
`_place_cells` take a set of structures (or all) and a range of months (or all time)."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from pyroaring import BitMap, FrozenBitMap

from maillage.core.dates import add_months
from maillage.core.models import Transition
from maillage.core.transactions import on_commit_once
from maillage.diagnostics.models import Diagnostic
from maillage.impact.models import (
    ActivityFact,
    Grain,
    PeopleIndex,
    PlaceFact,
    StaleCell,
    new_stamp,
)
from maillage.learning.enums import CohortStatus, Presence
from maillage.learning.models import Attendance, Cohort, DropIn, Session, WalkIns, Workshop
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people.enums import AgeBand, ReferralStatus
from maillage.people.models import Beneficiary, Referral

logger = logging.getLogger(__name__)

ACTIVITY_MEASURES = (
    "parcours_realised",
    "parcours_completed",
    "sessions_held",
    "workshops",
    "drop_ins",
    "learner_minutes",
)
PLACE_MEASURES = (
    "diagnostics",
    "referrals_received",
    "referrals_accepted",
    "structures_joined",
    "relay_delta",
)
BATCH = 2000

# (structure, month, programme, course)
ActivityKey = tuple[int, date, int | None, int | None]


def month_of(moment: datetime) -> date:
    """The first day of the moment's month, in local time (a session at 23:30 on 31 December
    in Paris belongs to December)."""
    return timezone.localtime(moment).date().replace(day=1)


def shift_month(month: date, n: int) -> date:
    """The first day of the month n months later (earlier when n is negative)."""
    return add_months(month.replace(day=1), n)


def next_month(month: date) -> date:
    return shift_month(month, 1)


def month_starts(start: date, end: date) -> list[date]:
    """The first days of the calendar months that overlap [start, end)."""
    months = []
    month = start.replace(day=1)
    while month < end:
        months.append(month)
        month = next_month(month)
    return months


def start_of(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, time.min))


def _local_month(path: str) -> TruncMonth:
    return TruncMonth(path, tzinfo=timezone.get_current_timezone())


def serialize(people: BitMap) -> bytes:
    return people.serialize() if people else b""


def deserialize(data: bytes | memoryview | None) -> BitMap:
    return BitMap.deserialize(bytes(data)) if data else BitMap()


@dataclass
class Cell:
    """The measures of one fact row while it is being computed."""

    counts: Counter[str] = field(default_factory=Counter)
    anonymous: Counter[str] = field(default_factory=Counter)
    people: BitMap = field(default_factory=BitMap)

    def add(self, other: Cell) -> None:
        self.counts.update(other.counts)
        self.anonymous.update(other.anonymous)
        self.people |= other.people


@dataclass(frozen=True)
class Window:
    """Which records a computation covers: some structures (None: all) and a range of months
    [since, until) (None: unbounded)."""

    structure_ids: frozenset[int] | None = None
    since: date | None = None
    until: date | None = None

    def moments(self, path: str) -> Q:
        q = Q()
        if self.since:
            q &= Q(**{f"{path}__gte": start_of(self.since)})
        if self.until:
            q &= Q(**{f"{path}__lt": start_of(self.until)})
        return q

    def places(self, path: str) -> Q:
        if self.structure_ids is None:
            return Q()
        return Q(**{f"{path}__in": self.structure_ids})

    def covers(self, month: date) -> bool:
        return (self.since is None or month >= self.since) and (
            self.until is None or month < self.until
        )


def _anonymous_key(gender: str, band: str) -> str:
    return f"{gender}|{band or AgeBand.UNKNOWN}"


def _activity_cells(window: Window) -> dict[ActivityKey, Cell]:
    cells: dict[ActivityKey, Cell] = defaultdict(Cell)
    key_fields = ("cohort__structure_id", "cohort__programme_id", "cohort__course_id")

    def key(row: dict[str, Any], month: date, prefix: str = "") -> ActivityKey:
        return (
            row[f"{prefix}cohort__structure_id"],
            month,
            row[f"{prefix}cohort__programme_id"],
            row[f"{prefix}cohort__course_id"],
        )

    sessions = Session.objects.exclude(cohort__status=CohortStatus.CANCELLED).filter(
        window.moments("starts_at"), window.places("cohort__structure_id")
    )
    for row in (
        sessions.annotate(m=_local_month("starts_at"))
        .values(*key_fields, "m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[key(row, row["m"].date())].counts["sessions_held"] += row["n"]

    present = Attendance.objects.filter(session__in=sessions, presence=Presence.PRESENT)
    session_fields = tuple(f"session__{f}" for f in key_fields)
    for row in (
        present.annotate(m=_local_month("session__starts_at"))
        .values(*session_fields, "m")
        .annotate(minutes=Sum("session__minutes"))
        .order_by()
    ):
        cells[key(row, row["m"].date(), "session__")].counts["learner_minutes"] += row["minutes"]
    for structure, programme, course, m, person in (
        present.annotate(m=_local_month("session__starts_at"))
        .values_list(*session_fields, "m", "beneficiary_id")
        .distinct()
        .order_by()
        .iterator(chunk_size=BATCH * 10)
    ):
        cells[(structure, m.date(), programme, course)].people.add(person)

    for row in (
        WalkIns.objects.filter(session__in=sessions)
        .annotate(m=_local_month("session__starts_at"))
        .values(*session_fields, "m", "gender", "age_band")
        .annotate(n=Sum("count"), minutes=Sum(F("count") * F("session__minutes")))
        .order_by()
    ):
        cell = cells[key(row, row["m"].date(), "session__")]
        cell.anonymous[_anonymous_key(row["gender"], row["age_band"])] += row["n"]
        cell.counts["learner_minutes"] += row["minutes"]

    cohorts = Cohort.objects.filter(window.places("structure_id"))
    for measure, queryset, bound in (
        ("parcours_realised", cohorts.realised(), Min),
        ("parcours_completed", cohorts.filter(status=CohortStatus.COMPLETED), Max),
    ):
        for structure, programme, course, moment in (
            queryset.annotate(moment=bound("sessions__starts_at"))
            .filter(window.moments("moment"), moment__isnull=False)
            .values_list("structure_id", "programme_id", "course_id", "moment")
            .iterator(chunk_size=BATCH * 10)
        ):
            cells[(structure, month_of(moment), programme, course)].counts[measure] += 1

    workshops = Workshop.objects.filter(window.moments("starts_at"), window.places("structure_id"))
    heads: Counter[int] = Counter()
    workshop_key: dict[int, ActivityKey] = {}
    for pk, structure, programme, moment in workshops.values_list(
        "pk", "structure_id", "programme_id", "starts_at"
    ).iterator(chunk_size=BATCH * 10):
        workshop_key[pk] = (structure, month_of(moment), programme, None)
        cells[workshop_key[pk]].counts["workshops"] += 1
    participants = Workshop.participants.through.objects.filter(workshop__in=workshops)
    for workshop_id, person in participants.values_list("workshop_id", "beneficiary_id"):
        cells[workshop_key[workshop_id]].people.add(person)
        heads[workshop_id] += 1
    for workshop_id, gender, band, count in WalkIns.objects.filter(
        workshop__in=workshops
    ).values_list("workshop_id", "gender", "age_band", "count"):
        cells[workshop_key[workshop_id]].anonymous[_anonymous_key(gender, band)] += count
        heads[workshop_id] += count
    for pk, minutes in workshops.filter(pk__in=list(heads)).values_list("pk", "minutes"):
        cells[workshop_key[pk]].counts["learner_minutes"] += heads[pk] * minutes

    drop_ins = DropIn.objects.filter(window.moments("starts_at"), window.places("structure_id"))
    dated = drop_ins.annotate(m=_local_month("starts_at"))
    place_fields = ("structure_id", "programme_id")
    for row in (
        dated.values(*place_fields, "m").annotate(n=Count("pk"), minutes=Sum("minutes")).order_by()
    ):
        cell = cells[(row["structure_id"], row["m"].date(), row["programme_id"], None)]
        cell.counts["drop_ins"] += row["n"]
        cell.counts["learner_minutes"] += row["minutes"]
    for structure, programme, m, person in (
        dated.filter(beneficiary__isnull=False)
        .values_list(*place_fields, "m", "beneficiary_id")
        .distinct()
        .order_by()
        .iterator(chunk_size=BATCH * 10)
    ):
        cells[(structure, m.date(), programme, None)].people.add(person)
    for row in (
        dated.filter(beneficiary__isnull=True)
        .values(*place_fields, "m", "gender", "age_band")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cell = cells[(row["structure_id"], row["m"].date(), row["programme_id"], None)]
        cell.anonymous[_anonymous_key(row["gender"], row["age_band"])] += row["n"]
    return cells


def _relay_transitions(window: Window) -> QuerySet[Transition]:
    qs = Transition.objects.filter(
        field="relay_status", content_type__app_label="network", content_type__model="structure"
    )
    if window.structure_ids is not None:
        qs = qs.filter(object_id__in=[str(pk) for pk in window.structure_ids])
    return qs


def _place_cells(window: Window) -> dict[tuple[int, date], Counter[str]]:
    cells: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)
    for measure, queryset, structure, moment in (
        (
            "diagnostics",
            Diagnostic.objects.filter(completed_at__isnull=False),
            "structure_id",
            "completed_at",
        ),
        ("referrals_received", Referral.objects.all(), "to_structure_id", "created_at"),
        (
            "referrals_accepted",
            Referral.objects.filter(status=ReferralStatus.ACCEPTED),
            "to_structure_id",
            "status_changed_at",
        ),
    ):
        for row in (
            queryset.filter(window.moments(moment), window.places(structure))
            .annotate(m=_local_month(moment))
            .values(structure, "m")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            cells[(row[structure], row["m"].date())][measure] += row["n"]

    # The relay status at the end of each month: +1 or -1 when it changes over the month.
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    transitions = _relay_transitions(window)
    if window.until:
        transitions = transitions.filter(at__lt=start_of(window.until))
    for object_id, to_state, at in transitions.order_by("object_id", "at", "pk").values_list(
        "object_id", "to_state", "at"
    ):
        history[int(object_id)].append((month_of(at), to_state))
    for structure_id, steps in history.items():
        state = ""
        for month, group in groupby(steps, key=itemgetter(0)):
            states = [to_state for _month, to_state in group]
            before, state = state, states[-1]
            if not window.covers(month):
                continue
            cell = cells[(structure_id, month)]
            cell["structures_joined"] += states.count(RelayStatus.RELAY)
            cell["relay_delta"] += (state == RelayStatus.RELAY) - (before == RelayStatus.RELAY)
    return cells


# --- Writing the facts -----------------------------------------------------------------


def _places_of(structure_ids: Iterable[int] | None) -> dict[int, tuple[int, int]]:
    """structure → (département, région)."""
    qs = Structure.objects.all()
    if structure_ids is not None:
        qs = qs.filter(pk__in=list(structure_ids))
    return {
        pk: (department, region)
        for pk, department, region in qs.values_list(
            "pk", "commune__department_id", "commune__department__region_id"
        ).iterator(chunk_size=BATCH * 10)
    }


def _activity_row(
    grain: str, place: tuple[int | None, int | None], cell: Cell, **keys: Any
) -> ActivityFact:
    return ActivityFact(
        grain=grain,
        department_id=place[0],
        region_id=place[1],
        anonymous=dict(cell.anonymous),
        people=serialize(cell.people),
        **keys,
        **{m: cell.counts[m] for m in ACTIVITY_MEASURES},
    )


@dataclass
class Touched:
    """What a write of structure facts leaves to roll up: (département, month) pairs, and the
    (month, programme, course) combinations of the national rows."""

    departments: set[tuple[int, date]] = field(default_factory=set)
    combos: set[tuple[date, int | None, int | None]] = field(default_factory=set)  # Combo

    def add(self, other: Touched) -> None:
        self.departments |= other.departments
        self.combos |= other.combos


def _structure_rows(model: Any, window: Window) -> QuerySet[Any]:
    """The structure facts (detailed and total) within the window."""
    rows = model.objects.filter(grain__in=[Grain.STRUCTURE, Grain.STRUCTURE_TOTAL])
    if window.structure_ids is not None:
        rows = rows.filter(structure_id__in=window.structure_ids)
    if window.since:
        rows = rows.filter(month__gte=window.since)
    if window.until:
        rows = rows.filter(month__lt=window.until)
    return rows


def _write(window: Window) -> Touched:
    """Recompute the structure facts of the window (per programme and course, and in total);
    returns what the roll-ups must now recompute."""
    activity = _activity_cells(window)
    place = _place_cells(window)
    structure_ids = window.structure_ids
    if structure_ids is None:
        structure_ids = frozenset(s for s, *_ in activity) | frozenset(s for s, _ in place)
    places = _places_of(None if window.structure_ids is None else structure_ids)
    touched = Touched()
    touched.combos.update(
        _structure_rows(ActivityFact, window)
        .filter(grain=Grain.STRUCTURE)
        .values_list("month", "programme_id", "course_id")
        .distinct()
    )
    for model in (ActivityFact, PlaceFact):
        old = _structure_rows(model, window)
        touched.departments.update(
            (department, month)
            for department, month in old.values_list("department_id", "month").distinct()
            if department is not None
        )
        old.delete()
    totals: dict[tuple[int, date], Cell] = defaultdict(Cell)
    for (structure, month, _programme, _course), cell in activity.items():
        totals[(structure, month)].add(cell)
    activity_rows = [
        _activity_row(
            Grain.STRUCTURE,
            places[structure],
            cell,
            month=month,
            structure_id=structure,
            programme_id=programme,
            course_id=course,
        )
        for (structure, month, programme, course), cell in activity.items()
        if structure in places
    ] + [
        _activity_row(
            Grain.STRUCTURE_TOTAL, places[structure], cell, month=month, structure_id=structure
        )
        for (structure, month), cell in totals.items()
        if structure in places
    ]
    ActivityFact.objects.bulk_create(activity_rows, batch_size=BATCH)
    place_rows = (
        PlaceFact(
            grain=Grain.STRUCTURE,
            month=month,
            structure_id=structure,
            department_id=places[structure][0],
            region_id=places[structure][1],
            **{m: counts[m] for m in PLACE_MEASURES},
        )
        for (structure, month), counts in place.items()
        if structure in places and any(counts.values())
    )
    PlaceFact.objects.bulk_create(place_rows, batch_size=BATCH)
    touched.departments.update((places[s][0], m) for s, m, *_ in activity if s in places)
    touched.departments.update((places[s][0], m) for s, m in place if s in places)
    touched.combos.update((m, p, c) for s, m, p, c in activity if s in places)
    return touched


# The rolled-up grains, with which of (programme, course) each keeps; a national grain is
# rolled up from the département grain that keeps the same.
DEPARTMENT_GRAINS = {
    Grain.DEPARTMENT: (True, True),
    Grain.DEPARTMENT_PROGRAMME: (True, False),
    Grain.DEPARTMENT_COURSE: (False, True),
    Grain.DEPARTMENT_TOTAL: (False, False),
}
NATIONAL_GRAINS = {
    Grain.NATIONAL: Grain.DEPARTMENT,
    Grain.NATIONAL_PROGRAMME: Grain.DEPARTMENT_PROGRAMME,
    Grain.NATIONAL_COURSE: Grain.DEPARTMENT_COURSE,
    Grain.NATIONAL_TOTAL: Grain.DEPARTMENT_TOTAL,
}

# The grains that also keep rows of twelve months (ActivityFact.months): those a dashboard
# reads per structure, région, département, programme or course over a year or more. A year
# then reads one row per key instead of twelve.
YEAR = 12
YEAR_GRAINS = frozenset(
    {
        Grain.STRUCTURE_TOTAL,
        Grain.DEPARTMENT_PROGRAMME,
        Grain.DEPARTMENT_COURSE,
        Grain.DEPARTMENT_TOTAL,
        Grain.NATIONAL_PROGRAMME,
        Grain.NATIONAL_COURSE,
        Grain.NATIONAL_TOTAL,
    }
)

# (month, programme, course), with None for what a grain does not keep.
Combo = tuple[date, int | None, int | None]


def _kept(combo: Combo, keeps: tuple[bool, bool]) -> Combo:
    month, programme, course = combo
    return (month, programme if keeps[0] else None, course if keeps[1] else None)


def _roll_up(
    department_id: int,
    months: Collection[date] | None = None,
    pairs: Collection[tuple[int | None, int | None]] | None = None,
) -> None:
    """The département rows are sums (and unions of people) of its structures' rows: per
    programme and course, per programme, per course, and in total; then its rows of twelve
    months that these months reach, for the (programme, course) pairs that changed (all when
    None)."""
    for stale in (
        ActivityFact.objects.filter(months=1),
        PlaceFact.objects.all(),
    ):
        stale = stale.filter(department_id=department_id, grain__in=list(DEPARTMENT_GRAINS))
        if months is not None:
            stale = stale.filter(month__in=list(months))
        stale.delete()
    rows = ActivityFact.objects.filter(grain=Grain.STRUCTURE, department_id=department_id)
    places = PlaceFact.objects.filter(grain=Grain.STRUCTURE, department_id=department_id)
    if months is not None:
        rows = rows.filter(month__in=list(months))
        places = places.filter(month__in=list(months))
    sums: dict[str, dict[Combo, Cell]] = {grain: defaultdict(Cell) for grain in DEPARTMENT_GRAINS}
    region = None
    for fact in rows.iterator(chunk_size=BATCH):
        region = fact.region_id
        cell = _cell_of(fact)
        combo = (fact.month, fact.programme_id, fact.course_id)
        for grain, keeps in DEPARTMENT_GRAINS.items():
            sums[grain][_kept(combo, keeps)].add(cell)
    if region is not None:
        place = (department_id, region)
        ActivityFact.objects.bulk_create(
            [
                _activity_row(grain, place, cell, month=m, programme_id=p, course_id=c)
                for grain, cells in sums.items()
                for (m, p, c), cell in cells.items()
            ],
            batch_size=BATCH,
        )
    place_sums = (
        places.values("month", "region_id")
        .annotate(**{m: Sum(m) for m in PLACE_MEASURES})
        .order_by()
    )
    PlaceFact.objects.bulk_create(
        [
            PlaceFact(grain=Grain.DEPARTMENT, department_id=department_id, **row)
            for row in place_sums
        ],
        batch_size=BATCH,
    )
    for grain in DEPARTMENT_GRAINS.keys() & YEAR_GRAINS:
        rows = ActivityFact.objects.filter(grain=grain, department_id=department_id)
        if pairs is not None:
            rows = rows.filter(_pairs_q(grain, pairs))
        _write_years(grain, rows, months)


def _pairs_q(grain: Grain, pairs: Collection[tuple[int | None, int | None]]) -> Q:
    """The rows of a département grain for these (programme, course) pairs, as it keeps them."""
    keeps = DEPARTMENT_GRAINS[grain]
    return _either({_kept((date.min, p, c), keeps)[1:] for p, c in pairs})


def _either(pairs: Iterable[tuple[int | None, int | None]]) -> Q:
    """The rows of any of these (programme, course) pairs (None: the grain does not keep it)."""
    q = Q(pk__in=[])
    for programme, course in pairs:
        q |= Q(programme_id=programme, course_id=course)
    return q


def _write_years(grain: str, rows: QuerySet[ActivityFact], months: Collection[date] | None) -> None:
    """The twelve-month rows of one grain (`rows`: some structures', a département's or the
    country's, maybe of some programmes and courses only) ending with each month that a change
    of `months` reaches (every month when None): sums and unions of the monthly rows."""
    monthly = rows.filter(months=1)
    ends: set[date] | None = None
    if months is not None:
        ends = {shift_month(month, k) for month in months for k in range(YEAR)}
        monthly = monthly.filter(month__gt=shift_month(min(ends), -YEAR), month__lte=max(ends))
        rows.filter(months=YEAR, month__in=ends).delete()
    else:
        rows.filter(months=YEAR).delete()
    # (structure, programme, course) → month → cell, and where each key stands.
    cells: dict[tuple[int | None, ...], dict[date, Cell]] = defaultdict(dict)
    places: dict[tuple[int | None, ...], tuple[int | None, int | None]] = {}
    for fact in monthly.iterator(chunk_size=BATCH):
        key = (fact.structure_id, fact.programme_id, fact.course_id)
        cells[key][fact.month] = _cell_of(fact)
        places[key] = (fact.department_id, fact.region_id)
    years = []
    for (structure, programme, course), by_month in cells.items():
        reached = {shift_month(month, k) for month in by_month for k in range(YEAR)}
        for end in sorted(reached if ends is None else reached & ends):
            window = [
                cell
                for k in range(YEAR)
                if (cell := by_month.get(shift_month(end, -k))) is not None
            ]
            year = Cell(
                sum((cell.counts for cell in window), Counter()),
                sum((cell.anonymous for cell in window), Counter()),
                BitMap.union(BitMap(), *(cell.people for cell in window)),
            )
            years.append(
                _activity_row(
                    grain,
                    places[(structure, programme, course)],
                    year,
                    month=end,
                    months=YEAR,
                    structure_id=structure,
                    programme_id=programme,
                    course_id=course,
                )
            )
            if len(years) == BATCH:  # written as they come, so that memory stays small
                ActivityFact.objects.bulk_create(years)
                years = []
    ActivityFact.objects.bulk_create(years)


def _structure_years(structure_ids: Collection[int], months: Collection[date] | None) -> None:
    """The twelve-month rows of these structures' totals that `months` reach (all when None)."""
    _write_years(
        Grain.STRUCTURE_TOTAL,
        ActivityFact.objects.filter(grain=Grain.STRUCTURE_TOTAL, structure_id__in=structure_ids),
        months,
    )


def _cell_of(fact: ActivityFact) -> Cell:
    return Cell(
        Counter({m: getattr(fact, m) for m in ACTIVITY_MEASURES}),
        Counter(fact.anonymous),
        deserialize(fact.people),
    )


def _roll_up_national(combos: Collection[Combo]) -> None:
    """The national rows touched by these (month, programme, course) are sums (and unions of
    people) of the départements' rows of the same grain; then the rows of twelve months that
    they reach."""
    for national, department_grain in NATIONAL_GRAINS.items():
        by_month: dict[date, set[tuple[int | None, int | None]]] = defaultdict(set)
        for month, programme, course in {
            _kept(combo, DEPARTMENT_GRAINS[department_grain]) for combo in combos
        }:
            by_month[month].add((programme, course))
        for month, pairs in by_month.items():
            wanted = _either(pairs)
            ActivityFact.objects.filter(wanted, grain=national, month=month, months=1).delete()
            cells: dict[tuple[int | None, int | None], Cell] = defaultdict(Cell)
            rows = ActivityFact.objects.filter(
                wanted, grain=department_grain, month=month, months=1
            )
            for fact in rows.iterator(chunk_size=BATCH):
                cells[(fact.programme_id, fact.course_id)].add(_cell_of(fact))
            ActivityFact.objects.bulk_create(
                [
                    _activity_row(
                        national, (None, None), cell, month=month, programme_id=p, course_id=c
                    )
                    for (p, c), cell in cells.items()
                ],
                batch_size=BATCH,
            )
        if national in YEAR_GRAINS and by_month:
            touched = _either(set().union(*by_month.values()))
            _write_years(
                national, ActivityFact.objects.filter(touched, grain=national), list(by_month)
            )


# --- Keeping them current --------------------------------------------------------------


def mark_stale(cells: Iterable[tuple[int | None, date | None]]) -> None:
    """Called in the writer's transaction: these cells will be recomputed after the commit
    (or by the next reader, whichever comes first)."""
    rows = [StaleCell(structure_id=s, month=m) for s, m in set(cells) if s and m]
    if not rows:
        return
    # Updating on conflict (rather than ignoring) waits for a refresh that holds the row, so
    # that a write committed during a refresh is never forgotten.
    StaleCell.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["structure_id", "month"],
        update_fields=["marked_at"],
    )
    on_commit_once(_schedule_refresh)


def _schedule_refresh() -> None:
    """After the commit, the worker recomputes the stale cells (readers do it first if they
    come before it)."""
    from maillage.impact.tasks import refresh_facts

    refresh_facts.enqueue()


def refresh_stale() -> int:
    """Recompute every stale cell; returns how many."""
    with transaction.atomic():
        stale = list(
            StaleCell.objects.select_for_update(skip_locked=True).values_list(
                "pk", "structure_id", "month"
            )
        )
        if not stale:
            return 0
        months: dict[int, set[date]] = defaultdict(set)
        for _pk, structure, month in stale:
            months[structure].add(month)
        touched = Touched()
        for structure, wanted in months.items():
            for month in sorted(wanted):
                touched.add(_write(Window(frozenset({structure}), month, next_month(month))))
            _structure_years([structure], wanted)
        by_department: dict[int, set[date]] = defaultdict(set)
        for department, month in touched.departments:
            by_department[department].add(month)
        pairs = {(programme, course) for _month, programme, course in touched.combos}
        for department, dep_months in by_department.items():
            _roll_up(department, dep_months, pairs)
        _roll_up_national(touched.combos)
        StaleCell.objects.filter(pk__in=[pk for pk, *_ in stale]).delete()
    return len(stale)


def ensure_current() -> None:
    """Before reading facts: recompute what a crashed or pending refresh left stale."""
    if StaleCell.objects.exists():
        refresh_stale()


def _record_months() -> list[date]:
    """Every month from the first record that counts in a fact to the last."""
    moments = []
    for queryset, path in (
        (Session.objects.all(), "starts_at"),
        (Workshop.objects.all(), "starts_at"),
        (DropIn.objects.all(), "starts_at"),
        (Diagnostic.objects.all(), "completed_at"),
        (Referral.objects.all(), "created_at"),
        (Referral.objects.all(), "status_changed_at"),
        (_relay_transitions(Window()), "at"),
    ):
        bounds = queryset.aggregate(first=Min(path), last=Max(path))
        moments += [m for m in bounds.values() if m is not None]
    if not moments:
        return []
    return month_starts(month_of(min(moments)), next_month(month_of(max(moments))))


def rebuild(*, progress: Any = None) -> dict[str, int]:
    """Everything again from the records, month by month (so that memory holds one month of
    the country at a time), then the roll-ups per département."""
    with transaction.atomic():
        StaleCell.objects.all().delete()
        ActivityFact.objects.all().delete()
        PlaceFact.objects.all().delete()
        touched = Touched()
        for month in _record_months():
            touched.add(_write(Window(None, month, next_month(month))))
            if progress:
                progress(f"{month:%Y-%m}")
        structures = list(
            ActivityFact.objects.filter(grain=Grain.STRUCTURE_TOTAL)
            .values_list("structure_id", flat=True)
            .distinct()
            .order_by("structure_id")
        )
        for chunk in range(0, len(structures), BATCH):
            _structure_years(structures[chunk : chunk + BATCH], None)
        departments = sorted({d for d, _m in touched.departments})
        for department in departments:
            _roll_up(department)
        _roll_up_national(touched.combos)
        rebuild_people_index()
    return {
        "activity": ActivityFact.objects.count(),
        "place": PlaceFact.objects.count(),
        "departments": len(departments),
    }


# --- The people index ------------------------------------------------------------------


def index_keys(gender: str, birth_year: int | None, age_band: str) -> set[str]:
    """The index entries of one person; the age band on any date follows from the birth year,
    and only when it is unknown does the declared band count."""
    kept = f"birth:{birth_year}" if birth_year else f"band:{age_band or AgeBand.UNKNOWN}"
    return {f"gender:{gender}", kept}


def rebuild_people_index() -> None:
    index: dict[str, BitMap] = defaultdict(BitMap)
    for pk, gender, birth_year, band in Beneficiary.objects.values_list(
        "pk", "gender", "birth_year", "age_band"
    ).iterator(chunk_size=BATCH * 10):
        for key in index_keys(gender, birth_year, band):
            index[key].add(pk)
    PeopleIndex.objects.all().delete()
    PeopleIndex.objects.bulk_create(
        PeopleIndex(key=key, people=serialize(people)) for key, people in index.items()
    )


def move_in_index(person: int, before: set[str], after: set[str]) -> None:
    """One person's index entries change (a new person has none before, a deleted one none
    after)."""
    _rewrite_index(
        {key: {person} for key in after - before}, {key: {person} for key in before - after}
    )


def add_to_index(people: Iterable[tuple[int, set[str]]]) -> None:
    """People created in bulk join their index entries: one write per entry, whatever their
    number."""
    additions: dict[str, set[int]] = defaultdict(set)
    for person, keys in people:
        for key in keys:
            additions[key].add(person)
    _rewrite_index(additions, {})


def _rewrite_index(additions: dict[str, set[int]], removals: dict[str, set[int]]) -> None:
    """Rows are locked in key order, so two writers never wait on each other in a cycle."""
    with transaction.atomic():  # a person may be saved outside any transaction
        for key in sorted(additions.keys() | removals.keys()):
            entry, _ = PeopleIndex.objects.get_or_create(key=key)
            entry = PeopleIndex.objects.select_for_update().get(pk=entry.pk)
            people = deserialize(entry.people)
            people |= BitMap(additions.get(key, ()))
            people -= BitMap(removals.get(key, ()))
            entry.people = serialize(people)
            entry.stamp = new_stamp()
            entry.save(update_fields=["people", "stamp"])


# The entries this process has read, with their stamps.
_index_read: dict[str, tuple[int, FrozenBitMap]] = {}


def load_people_index() -> dict[str, FrozenBitMap]:
    """The people index, read from the database only for the entries whose stamp changed since
    this process last read them (a few hundred kilobytes per entry at national scale)."""
    stamps = dict(PeopleIndex.objects.values_list("key", "stamp"))
    changed = [key for key, stamp in stamps.items() if _index_read.get(key, (None,))[0] != stamp]
    if changed:
        for key, stamp, data in PeopleIndex.objects.filter(key__in=changed).values_list(
            "key", "stamp", "people"
        ):
            _index_read[key] = (
                stamp,
                FrozenBitMap.deserialize(bytes(data)) if data else FrozenBitMap(),
            )
    return {key: _index_read[key][1] for key in stamps if key in _index_read}
