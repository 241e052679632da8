from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.accounts.models import User
from maillage.learning import agenda, services
from maillage.learning.models import (
    CalendarFeed,
    Cohort,
    Course,
    DropInSlot,
    Unavailability,
    Workshop,
)
from maillage.network.models import Structure
from tests.conftest import World, text
from tests.factories import StructureFactory


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


MONDAY = date(2023, 4, 3)


@pytest.fixture
def places(world: World) -> tuple[Structure, Structure]:
    """Reims and Épernay, about 24 km apart."""
    Structure.objects.filter(pk=world.ccas_reims.pk).update(
        latitude=Decimal("49.2583"), longitude=Decimal("4.0317")
    )
    epernay = StructureFactory.create(
        name="Centre social d'Épernay",
        commune=world.reims,
        latitude=Decimal("49.0437"),
        longitude=Decimal("3.9563"),
    )
    world.ccas_reims.refresh_from_db()
    return world.ccas_reims, epernay


def cohort_at(world: World, structure: Structure, first: date, hour: int) -> Cohort:
    return services.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-computer"), structure=structure),
        first=first,
        at=time(hour, 0),
        facilitators=[world.personas["mediator"]],
        by=None,
        despite_clashes=True,  # the agenda shows the clashes planned on purpose
    )


def workshop_at(
    world: World, structure: Structure, starts: datetime, minutes: int = 120
) -> Workshop:
    return services.create_workshop(
        Workshop(
            title="Arnaques en ligne", themes=["safety"], structure=structure, minutes=minutes
        ),
        starts_at=starts,
        facilitators=[world.personas["mediator"]],
        by=None,
        despite_clashes=True,
    )


def test_the_distance_between_two_places_and_the_driving_time() -> None:
    km = agenda.distance_km((49.2583, 4.0317), (49.0437, 3.9563))
    assert 24 < km < 25
    assert agenda.driving_minutes(km) == 44  # 1.3 × 24.4 km at 50 km/h, rounded up, plus 5 min


def test_the_week_shows_each_day_with_the_travel_between_places(
    world: World, places: tuple[Structure, Structure]
) -> None:
    reims, epernay = places
    cohort_at(world, reims, MONDAY, 9)  # 9:00–11:00 in Reims
    workshop_at(world, epernay, at(MONDAY, 14))  # 14:00 in Épernay
    days = agenda.week_of(world.personas["mediator"], MONDAY)
    monday = days[0]
    assert [i.kind for i in monday.items] == ["session", "workshop"]
    leg = monday.legs[1]
    assert (
        leg is not None
        and leg.minutes_needed == 44
        and leg.minutes_available == 180
        and not leg.problem
    )
    assert monday.problems == [] and days[1].items == []


def test_too_little_time_to_drive_is_a_conflict(
    world: World, places: tuple[Structure, Structure]
) -> None:
    reims, epernay = places
    cohort_at(world, reims, MONDAY, 9)
    workshop_at(world, epernay, at(MONDAY, 11, 20))  # 20 minutes for a 44-minute drive
    problems = agenda.week_of(world.personas["mediator"], MONDAY)[0].problems
    assert len(problems) == 1 and "Trajet trop court" in problems[0] and "44 min" in problems[0]


def test_two_overlapping_activities_are_a_conflict(
    world: World, places: tuple[Structure, Structure]
) -> None:
    reims, _ = places
    cohort_at(world, reims, MONDAY, 9)
    workshop_at(world, reims, at(MONDAY, 10))
    problems = agenda.week_of(world.personas["mediator"], MONDAY)[0].problems
    assert len(problems) == 1 and "Chevauchement" in problems[0]


def test_no_travel_check_without_coordinates(world: World) -> None:
    """A place whose commune has no known centre and no pin has no position: no travel check."""
    Structure.objects.filter(pk=world.mediatheque_charleville.pk).update(
        latitude=None, longitude=None
    )
    cohort_at(world, world.ccas_reims, MONDAY, 9)
    workshop_at(world, world.mediatheque_charleville, at(MONDAY, 11, 5))
    monday = agenda.week_of(world.personas["mediator"], MONDAY)[0]
    leg = monday.legs[1]
    assert leg is not None and leg.distance_km is None and monday.problems == []


def test_the_agenda_page_flags_the_conflicts(
    client_as, world: World, places: tuple[Structure, Structure]
) -> None:
    reims, epernay = places
    cohort_at(world, reims, MONDAY, 9)
    workshop_at(world, epernay, at(MONDAY, 11, 20))
    page = text(client_as("mediator").get("/accompagner/agenda/", {"semaine": "2023-W14"}))
    assert "Un conflit cette semaine" in page and "Trajet trop court" in page
    assert "Initiation ordinateur, séance 1" in page


def test_a_manager_sees_the_team_agenda_and_a_facilitator_only_their_own(
    client_as, world: World
) -> None:
    cohort_at(world, world.ccas_reims, MONDAY, 9)
    mediator = world.personas["mediator"]
    page = text(
        client_as("territory_manager").get(
            "/accompagner/agenda/", {"semaine": "2023-W14", "personne": mediator.pk}
        )
    )
    assert "Agenda de Persona mediator" in page and "Initiation ordinateur" in page
    other = world.personas["territory_manager"]
    assert (
        client_as("mediator").get("/accompagner/agenda/", {"personne": other.pk}).status_code == 404
    )
    assert client_as("funder").get("/accompagner/agenda/").status_code == 404


def test_a_facilitator_adds_a_drop_in_slot_and_a_day_off(client_as, world: World) -> None:
    client = client_as("mediator")
    client.post(
        "/accompagner/agenda/creneau/",
        {
            "structure": world.ccas_reims.pk,
            "day": "2023-04-04",
            "start_time": "09:00",
            "minutes": "180",
        },
    )
    slot = DropInSlot.objects.get()
    assert slot.facilitator == world.personas["mediator"]
    client.post(
        "/accompagner/agenda/indisponibilite/",
        {"start": "2023-04-10", "end": "2023-04-14", "reason": "Congés"},
    )
    assert Unavailability.objects.get().reason == "Congés"
    refused = client.post(
        "/accompagner/agenda/indisponibilite/", {"start": "2023-04-10", "end": "2023-04-01"}
    )
    assert refused.status_code == 302 and Unavailability.objects.count() == 1


def test_a_workshop_or_a_slot_at_the_hour_of_a_session_is_refused(client_as, world: World) -> None:
    from tests.learning.test_activities import workshop_form

    cohort = cohort_at(world, world.ccas_reims, date(2027, 1, 5), 14)
    client = client_as("mediator")
    refused = client.post(
        "/accompagner/ateliers/nouveau/", workshop_form(world, day="2027-01-05", start_time="15:00")
    )
    assert "anime déjà « Initiation ordinateur, séance 1 »" in text(refused)
    assert not Workshop.objects.exists()
    client.post(
        "/accompagner/ateliers/nouveau/",
        workshop_form(world, day="2027-01-05", start_time="15:00", despite_clashes="on"),
    )
    assert Workshop.objects.count() == 1
    slot = client.post(
        "/accompagner/agenda/creneau/",
        {
            "structure": world.ccas_reims.pk,
            "day": "2027-01-05",
            "start_time": "13:00",
            "minutes": "90",
        },
        follow=True,
    )
    assert "Le créneau n'a pas été ajouté" in text(slot) and not DropInSlot.objects.exists()
    assert cohort.sessions.count() > 1


def test_the_private_calendar_feed(
    client_as, client, world: World, places: tuple[Structure, Structure]
) -> None:
    reims, _ = places
    cohort = cohort_at(world, reims, timezone.localdate(), 14)
    services.enrol(cohort, world.alice, by=None)
    client_as("mediator").post("/accompagner/agenda/calendrier/", {"action": "create"})
    feed = CalendarFeed.objects.get()
    assert len(feed.token) >= 40
    response = client.get(feed.get_absolute_url())
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 6
    assert "SUMMARY:Initiation ordinateur\\, séance 1" in body and "GEO:49.258300;4.031700" in body
    assert "Alice" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    client_as("mediator").post("/accompagner/agenda/calendrier/", {"action": "revoke"})
    assert client.get(feed.get_absolute_url()).status_code == 404
    assert client.get("/accompagner/agenda/devine.ics").status_code == 404


def test_a_calendar_feed_dies_with_its_account(client_as, client, world: World) -> None:
    client_as("mediator").post("/accompagner/agenda/calendrier/", {"action": "create"})
    feed = CalendarFeed.objects.get()
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"

    User.objects.filter(pk=world.personas["mediator"].pk).update(is_active=False)

    assert client.get(feed.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"semaine": "0001-W01"},
        {"date": "pas une date"},
        {"personne": "abc"},
        {"personne": "100000000000000000000"},
    ],
)
def test_the_agenda_shrugs_off_a_bad_address(client_as, world: World, query: dict) -> None:
    response = client_as("territory_manager").get("/accompagner/agenda/", query)
    assert response.status_code in (200, 404)
    if "date" in query or "semaine" in query:
        assert response.status_code == 200
