"""A small hand-built dataset whose answers are known, shared by the impact tests."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from maillage.learning import services
from maillage.learning.models import Cohort, Course, DropIn, Workshop
from maillage.network.models import Structure
from maillage.people.enums import Gender
from maillage.people.models import Beneficiary
from tests.conftest import World
from tests.stock.conftest import fleet, stock  # noqa: F401 (the stock's fixtures, shared)


@pytest.fixture
def every_count_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-built dataset counts a handful of people: the tests of what a scope reads see
    every count, as the national team does (the small counts withheld from the others are
    tested on their own, in test_disclosure.py)."""
    monkeypatch.setattr("maillage.impact.publication.THRESHOLD", 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def cohort(
    world: World,
    structure: Structure,
    first: date,
    code: str = "initiation-computer",
    **fields: Any,
) -> Cohort:
    return services.plan_cohort(
        Cohort(course=Course.objects.get(code=code), structure=structure, **fields),
        first=first,
        at=time(14, 0),
        facilitators=[world.personas["mediator"]],
        by=None,
    )


def attend(
    c: Cohort,
    presences: dict[Beneficiary, str],
    number: int = 1,
    walk_ins: dict[tuple[str, str], int] | None = None,
) -> None:
    for person in presences:
        if not c.enrolments.filter(beneficiary=person).exists():
            services.enrol(c, person, by=None)
    services.take_roll_call(
        c.sessions.get(number=number),
        {p.pk: v for p, v in presences.items()},
        walk_ins or {},
        by=None,
    )


@pytest.fixture
def dataset(world: World) -> dict[str, Any]:
    """In 2023, in Reims (Marne): Alice (woman, 1960) follows two parcours; Bertrand (man,
    1950) one; a cancelled cohort; two anonymous women aged 60–69 at a session; a workshop with
    Alice and one anonymous man of 70+; an anonymous drop-in (woman, 40–59). In Lille (Nord):
    Chloé (woman, 1960) at one session. One parcours in 2022 does not count."""
    bertrand = Beneficiary.objects.create(
        first_name="Bertrand", birth_year=1950, gender=Gender.MAN, structure=world.ccas_reims
    )
    computer = cohort(world, world.ccas_reims, date(2023, 3, 6), programme=world.ruralite)
    attend(
        computer, {world.alice: "present", bertrand: "present"}, walk_ins={("woman", "60-69"): 2}
    )
    attend(computer, {world.alice: "present", bertrand: "absent"}, number=2)
    tablet = cohort(
        world,
        world.ccas_reims,
        date(2023, 9, 4),
        code="initiation-tablet",
        programme=world.ruralite,
    )
    attend(tablet, {world.alice: "present"})
    cancelled = cohort(world, world.ccas_reims, date(2023, 5, 2))
    attend(cancelled, {world.alice: "present"})
    Cohort.workflow.apply(cancelled, "cancelled", by=None, note="Salle fermée")
    old = cohort(world, world.ccas_reims, date(2022, 3, 7))
    attend(old, {bertrand: "present"})
    lille = cohort(world, world.centre_social_lille, date(2023, 6, 5), programme=world.metropole)
    attend(lille, {world.chloe: "present"})
    workshop = services.create_workshop(
        Workshop(
            title="Arnaques",
            themes=["safety"],
            structure=world.ccas_reims,
            minutes=90,
            programme=world.ruralite,
        ),
        starts_at=at(date(2023, 10, 6), 14),
        facilitators=[],
        by=None,
    )
    services.add_participant(workshop, world.alice, by=None)
    services.record_workshop(workshop, {("man", "70+"): 1}, report="", by=None)
    services.record_drop_in(
        DropIn(
            structure=world.ccas_reims,
            gender="woman",
            age_band="40-59",
            themes=["procedures"],
            autonomy="guided",
            minutes=30,
            starts_at=at(date(2023, 11, 8), 10),
        ),
        by=world.personas["mediator"],
    )
    return {"bertrand": bertrand, "computer": computer, "tablet": tablet}
