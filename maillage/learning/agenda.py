"""A facilitator's week: their sessions, workshops and drop-in slots day by day, the travel
between consecutive places, and the conflicts (overlaps, too little time to drive)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.bookings.enums import BookingStatus
from maillage.core.roles import facilitator_accounts, within_scope
from maillage.learning.enums import CohortStatus
from maillage.learning.models import Cohort, DropInSlot, Session, Workshop
from maillage.network.models import Structure

# Winding rural roads: the road is about 1.3 times the straight line, driven at 50 km/h on
# average, plus a few minutes to park and set up.
ROAD_FACTOR = 1.3
AVERAGE_SPEED_KMH = 50
SETTLING_MINUTES = 5


@dataclass
class Item:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    structure: Structure
    place: str
    url: str = ""
    # Seats booked by the public (workshops and drop-in slots).
    bookings: int = 0

    @property
    def where(self) -> str:
        return self.place or f"{self.structure.name}, {self.structure.commune.name}"

    @property
    def coordinates(self) -> tuple[float, float] | None:
        lat, lon = self.structure.latitude, self.structure.longitude
        if lat is None or lon is None:
            return None
        return float(Decimal(lat)), float(Decimal(lon))

    @property
    def place_key(self) -> tuple[int, str]:
        return (self.structure.pk, self.place)


@dataclass
class Leg:
    """The way from one item to the next on the same day."""

    distance_km: float | None
    minutes_needed: int | None
    minutes_available: int
    problem: str = ""


@dataclass
class Day:
    day: date
    items: list[Item] = field(default_factory=list)
    legs: list[Leg | None] = field(default_factory=list)

    @property
    def entries(self) -> list[tuple[Leg | None, Item]]:
        """Each item with the way that leads to it from the previous one."""
        return list(zip(self.legs, self.items, strict=True))

    @property
    def problems(self) -> list[str]:
        return [leg.problem for leg in self.legs if leg is not None and leg.problem]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def driving_minutes(km: float) -> int:
    return math.ceil(km * ROAD_FACTOR / AVERAGE_SPEED_KMH * 60) + SETTLING_MINUTES


def leg_between(a: Item, b: Item) -> Leg:
    available = int((b.starts_at - a.ends_at).total_seconds() // 60)
    if b.starts_at < a.ends_at:
        return Leg(
            None,
            None,
            available,
            _("Chevauchement : « %(a)s » n'est pas fini quand « %(b)s » commence.")
            % {"a": a.title, "b": b.title},
        )
    if a.place_key == b.place_key:
        return Leg(0.0, 0, available)
    ca, cb = a.coordinates, b.coordinates
    if ca is None or cb is None:
        return Leg(None, None, available)
    km = distance_km(ca, cb)
    needed = driving_minutes(km)
    problem = ""
    if needed > available:
        problem = _(
            "Trajet trop court : environ %(needed)s min de route pour aller à « %(place)s », %(available)s min disponibles."
        ) % {"needed": needed, "place": b.where, "available": available}
    return Leg(round(km, 1), needed, available, problem)


def session_item(
    session: Session, *, starts_at: datetime | None = None, place: str | None = None
) -> Item:
    """A session as the agenda shows it; `starts_at` and `place` where it is being moved."""
    cohort = session.cohort
    starts = starts_at or session.starts_at
    return Item(
        "session",
        _("%(course)s, séance %(n)s") % {"course": cohort.course.title, "n": session.number},
        starts,
        starts + timedelta(minutes=session.minutes),
        cohort.structure,
        (session.place if place is None else place) or cohort.place,
        session.get_absolute_url() if session.pk else "",
    )


def workshop_item(workshop: Workshop, booked: int = 0) -> Item:
    return Item(
        "workshop",
        workshop.title,
        workshop.starts_at,
        workshop.ends_at,
        workshop.structure,
        workshop.place,
        workshop.get_absolute_url() if workshop.pk else "",
        booked,
    )


def slot_item(slot: DropInSlot, booked: int = 0) -> Item:
    return Item(
        "slot",
        _("Permanence"),
        slot.starts_at,
        slot.ends_at,
        slot.structure,
        "",
        reverse("bookings:slot_bookings", args=[slot.pk]) if slot.pk else "",
        booked,
    )


def items_for(user: Any, start: date, end: date) -> list[Item]:
    """Everything `user` runs between `start` and `end` (excluded), in time order."""
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    until = timezone.make_aware(datetime.combine(end, datetime.min.time()))
    # The cohorts as a subquery: joining both lists of facilitators would need a DISTINCT
    # over the sessions (four times longer to plan).
    led = Cohort.objects.filter(Q(facilitators=user) | Q(co_facilitators=user)).values("pk")
    sessions = (
        Session.objects.filter(starts_at__gte=since, starts_at__lt=until, cohort__in=led)
        .exclude(cohort__status=CohortStatus.CANCELLED)
        .select_related("cohort__course", "cohort__structure__commune")
    )
    items = [session_item(s) for s in sessions]
    booked = Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED))
    workshops = (
        Workshop.objects.filter(starts_at__gte=since, starts_at__lt=until, facilitators=user)
        .select_related("structure__commune")
        .annotate(booked=booked)
    )
    items += [workshop_item(w, w.booked) for w in workshops]
    slots = (
        DropInSlot.objects.filter(starts_at__gte=since, starts_at__lt=until, facilitator=user)
        .select_related("structure__commune")
        .annotate(booked=booked)
    )
    items += [slot_item(slot, slot.booked) for slot in slots]
    return sorted(items, key=lambda i: (i.starts_at, i.ends_at))


def week_of(user: Any, monday: date) -> list[Day]:
    days = [Day(monday + timedelta(days=n)) for n in range(7)]
    by_day = {d.day: d for d in days}
    for item in items_for(user, monday, monday + timedelta(days=7)):
        by_day[timezone.localtime(item.starts_at).date()].items.append(item)
    for day in days:
        day.legs = [None] + [
            leg_between(a, b) for a, b in zip(day.items, day.items[1:], strict=False)
        ]
    return days


def team_of(user: Any) -> Any:
    """Whose agenda this person may open: their own, and for managers their team's."""
    territory = within_scope(user, department="role_assignments__departments", managed_only=True)
    members = facilitator_accounts() & territory
    return User.objects.filter(Q(pk=user.pk) | members).distinct().order_by("full_name")


def clashes_of(
    people: Iterable[Any], planned: list[Item], *, ignoring: Iterable[str] = ()
) -> list[str]:
    """The clashes of each of these people with the planned items, person by person."""
    return [
        clash
        for person in sorted(set(people), key=str)
        for clash in clashes(person, planned, ignoring=ignoring)
    ]


def clashes(person: Any, planned: list[Item], *, ignoring: Iterable[str] = ()) -> list[str]:
    """What stops `person` from running the planned items: something they already run at the
    same time, or too little time to drive from or to it, each named (empty: nothing). The
    items at the addresses `ignoring` are those being planned or moved."""
    if not planned:
        return []
    first = min(timezone.localtime(item.starts_at).date() for item in planned)
    last = max(timezone.localtime(item.ends_at).date() for item in planned)
    skip = set(ignoring)
    booked = [
        item for item in items_for(person, first, last + timedelta(days=1)) if item.url not in skip
    ]
    found: list[str] = []
    for new in planned:
        day = timezone.localtime(new.starts_at).date()
        same_day = [i for i in booked if timezone.localtime(i.starts_at).date() == day]
        overlapping = [
            i for i in same_day if i.starts_at < new.ends_at and new.starts_at < i.ends_at
        ]
        for other in overlapping:
            found.append(
                _(
                    "%(person)s anime déjà « %(title)s » le %(day)s de %(start)s à %(end)s (%(where)s)."
                )
                % {
                    "person": person,
                    "title": other.title,
                    "day": date_format(timezone.localtime(other.starts_at), "l j F"),
                    "start": date_format(timezone.localtime(other.starts_at), "H:i"),
                    "end": date_format(timezone.localtime(other.ends_at), "H:i"),
                    "where": other.where,
                }
            )
        if overlapping:
            continue
        before = [i for i in same_day if i.ends_at <= new.starts_at]
        after = [i for i in same_day if i.starts_at >= new.ends_at]
        legs = []
        if before:
            legs.append(leg_between(max(before, key=lambda i: i.ends_at), new))
        if after:
            legs.append(leg_between(new, min(after, key=lambda i: i.starts_at)))
        found += [f"{person} : {leg.problem}" for leg in legs if leg.problem]
    return found
