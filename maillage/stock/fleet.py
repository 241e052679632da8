"""The laptops of lending fleets seen from a cohort: how many are free on each of its coming
sessions, for the cohort's page (a panel the learning app shows without importing stock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from maillage.learning.enums import CourseDevice
from maillage.learning.models import Cohort, Session
from maillage.stock import services
from maillage.stock.models import Fleet
from maillage.stock.perms import can_refurbish


@dataclass(frozen=True)
class SessionNeed:
    session: Session
    available: int
    needed: int

    @property
    def short(self) -> bool:
        return self.available < self.needed


def fleets_near(cohort: Cohort) -> list[Fleet]:
    """The lending fleets kept in the cohort's département."""
    department = cohort.structure.commune.department_id
    return list(
        Fleet.objects.filter(place__department_id=department, place__is_active=True)
        .annotate(size=Count("devices"))
        .select_related("place")
    )


def needs(fleet: Fleet, cohort: Cohort) -> list[SessionNeed]:
    """For each coming session: the fleet's laptops free that day, for one per seat."""
    today = timezone.localdate()
    by_day: dict[Any, int] = {}
    rows = []
    for session in cohort.sessions.filter(starts_at__date__gte=today).order_by("starts_at"):
        day = timezone.localtime(session.starts_at).date()
        if day not in by_day:
            by_day[day] = len(services.available(fleet, day, today))
        rows.append(SessionNeed(session, by_day[day], cohort.capacity))
    return rows


def cohort_panel(request: HttpRequest, cohort: Cohort) -> tuple[str, dict[str, Any]] | None:
    """Shown for a computer course still to run, to the staff who take laptops out."""
    if (
        cohort.course.device != CourseDevice.COMPUTER
        or not cohort.is_open
        or not can_refurbish(request.user)
    ):
        return None
    fleets = [(fleet, needs(fleet, cohort)) for fleet in fleets_near(cohort)]
    return "stock/cohort_fleet_panel.html", {"fleets": fleets}
