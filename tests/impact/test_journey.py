"""The network's journey indicators: applications, selections, coaching, referents trained,
follow-up contacts and activities relays run on their own."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.animation import services
from maillage.animation.enums import ApplicationStatus
from maillage.animation.models import FollowUp, TrainingRegistration
from maillage.core.indicators import Filters, compute
from maillage.learning.models import Workshop
from tests.animation.conftest import application, coaching, open_call, shortlisted, training_session
from tests.conftest import World
from tests.learning.test_activities import workshop_form

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _period(**restrictions: Any) -> Filters:
    return Filters(TODAY - timedelta(days=400), TODAY + timedelta(days=30), **restrictions)


def test_applications_and_selections_count_for_the_programmes_of_their_call(world: World) -> None:
    call = open_call(world)
    world.ruralite.calls.add(call)
    application(call, "Association A", world.reims)
    chosen = shortlisted(call, "Association B", world.reims)
    services.record_committee(
        call,
        held_on=TODAY,
        members="x",
        minutes="",
        decisions=[services.Decision(chosen, {}, "", ApplicationStatus.SELECTED, "")],
        by=None,
    )
    ruralite = frozenset({world.ruralite.pk})
    assert compute("applications", _period(programme_ids=ruralite)) == 2
    assert compute("structures_selected", _period(programme_ids=ruralite)) == 1
    # Applicants are not the programme's partners: another programme counts none of them.
    metropole = frozenset({world.metropole.pk})
    assert compute("applications", _period(programme_ids=metropole)) == 0
    # A draft is not an application yet; the Ardennes have none.
    application(call, "Brouillon", world.reims, submit=False)
    assert compute("applications", _period()) == 2
    assert compute("applications", _period(department_ids=frozenset({world.ardennes.pk}))) == 0


def test_a_structure_counts_as_coached_while_its_plan_overlaps_the_period(world: World) -> None:
    plan = coaching(world, starts_on=date(2025, 3, 3))
    services.close_coaching(
        [plan], held_on=date(2025, 9, 1), attendees="x", minutes="y", call=None, by=None
    )
    assert compute("structures_in_coaching", Filters(date(2025, 1, 1), date(2025, 4, 1))) == 1
    assert compute("structures_in_coaching", Filters(date(2025, 9, 1), date(2025, 10, 1))) == 1
    assert compute("structures_in_coaching", Filters(date(2025, 9, 2), date(2025, 10, 1))) == 0
    assert compute("structures_in_coaching", Filters(date(2024, 1, 1), date(2025, 3, 3))) == 0
    ruralite = frozenset({world.ruralite.pk})  # the Reims CCAS is a partner
    assert (
        compute(
            "structures_in_coaching",
            Filters(date(2025, 1, 1), date(2026, 1, 1), programme_ids=ruralite),
        )
        == 1
    )


def test_referents_trained_are_people_present_at_a_session_of_the_period(world: World) -> None:
    session = training_session(world, day=TODAY - timedelta(days=3))
    for name, present in (("paul", True), ("zoe", False)):
        TrainingRegistration.objects.create(
            session=session,
            structure=world.ccas_reims,
            full_name=name,
            email=f"{name}@ccas.test",
            attended=present,
        )
    second = training_session(world, day=TODAY - timedelta(days=1))
    TrainingRegistration.objects.create(
        session=second,
        structure=world.ccas_reims,
        full_name="Paul",
        email="paul@ccas.test",
        attended=True,
    )
    assert compute("referents_trained", _period()) == 1
    assert (
        compute("referents_trained", _period(structure_ids=frozenset({world.ccas_reims.pk}))) == 1
    )
    assert compute("referents_trained", _period(department_ids=frozenset({world.nord.pk}))) == 0


def test_follow_up_contacts_are_counted_in_their_period(world: World) -> None:
    plan = coaching(world)
    for days in (1, 20, 200):
        FollowUp.objects.create(
            plan=plan, on=TODAY - timedelta(days=days), kind="call", notes="x", by=plan.coach
        )
    assert compute("followup_contacts", Filters(TODAY - timedelta(days=30), TODAY)) == 2


def test_only_activities_led_by_the_structures_referents_count_as_its_own(
    world: World, client_as: Any
) -> None:
    referent = world.personas["relay_referent"]
    client_as("relay_referent").post(
        "/accompagner/ateliers/nouveau/", workshop_form(world, facilitators=[referent.pk])
    )
    client_as("mediator").post("/accompagner/ateliers/nouveau/", workshop_form(world))
    assert Workshop.objects.count() == 2
    period = Filters(date(2023, 1, 1), date(2024, 1, 1))
    assert compute("workshops", period) == 2
    assert compute("relay_own_activities", period) == 1
    assert (
        compute(
            "relay_own_activities",
            period.narrowed(structure_ids=frozenset({world.centre_social_lille.pk})),
        )
        == 0
    )
