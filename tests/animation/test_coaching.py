"""Coaching a selected structure: the plan, its follow-up, the 60-day reminder and the closing
committee that makes it a Relais Numérique."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillage.animation import services
from maillage.animation.enums import CoachingStatus
from maillage.animation.models import ClosingCommittee, CoachingPlan, CoachingReminder, FollowUp
from maillage.core.dates import add_months
from maillage.network.enums import RelayStatus
from tests.animation.conftest import coaching, select
from tests.conftest import World, text

pytestmark = pytest.mark.django_db


def test_a_manager_starts_the_coaching_of_a_selected_structure(
    world: World, client_as: Any
) -> None:
    select(world, world.ccas_reims)
    page = text(client_as("territory_manager").get(world.ccas_reims.get_absolute_url()))
    assert "Commencer l'accompagnement" in page

    url = reverse("animation:plan_start", args=[world.ccas_reims.pk])
    coach = world.personas["mediator"].pk
    too_early = timezone.localdate() - timedelta(days=1)
    refused = client_as("territory_manager").post(
        url, {"coach": coach, "starts_on": too_early.isoformat(), "months": "16"}
    )
    assert "ne peut pas commencer avant la sélection" in text(refused)

    today = timezone.localdate()
    response = client_as("territory_manager").post(
        url, {"coach": coach, "starts_on": today.isoformat(), "months": "16"}
    )

    plan = CoachingPlan.objects.get()
    assert response["Location"] == reverse("animation:plan_diagnosis", args=[plan.pk])
    assert plan.ends_on == add_months(today, 16)
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.relay_status == RelayStatus.IN_COACHING
    assert [label for _step, label in world.ccas_reims.relay_history()][-1] == "En accompagnement"


def test_a_structure_not_selected_cannot_be_coached(world: World, client_as: Any) -> None:
    response = client_as("territory_manager").post(
        reverse("animation:plan_start", args=[world.ccas_reims.pk]),
        {"coach": world.personas["mediator"].pk, "starts_on": "2026-09-01", "months": "16"},
    )
    assert response.status_code == 200
    assert "Seule une structure sélectionnée" in text(response)
    assert not CoachingPlan.objects.exists()


def test_the_coach_writes_the_diagnosis_and_the_action_plan(world: World, client_as: Any) -> None:
    plan = coaching(world)
    coach = client_as("mediator")

    coach.post(
        reverse("animation:plan_diagnosis", args=[plan.pk]),
        {
            "public_description": "Personnes âgées isolées",
            "needs": "Démarches en ligne",
            "resources": "Une salle, quatre ordinateurs",
            "civic_service_volunteers": "1",
            "digital_advisers": "0",
            "volunteers": "3",
            "staff_notes": "",
            "funding": "Subvention municipale",
        },
    )
    coach.post(
        reverse("animation:action_add", args=[plan.pk]),
        {
            "title": "Ouvrir une permanence le mardi",
            "modality": "drop_ins",
            "priority": "high",
            "owner": "Référente du CCAS",
            "due_on": "2026-12-15",
            "status": "todo",
        },
    )

    plan.refresh_from_db()
    assert plan.volunteers == 3 and plan.funding == "Subvention municipale"
    page = text(coach.get(plan.get_absolute_url()))
    assert "Ouvrir une permanence le mardi" in page and "Haute" in page


def test_an_action_without_modality_is_refused(world: World, client_as: Any) -> None:
    plan = coaching(world)
    response = client_as("mediator").post(
        reverse("animation:action_add", args=[plan.pk]),
        {"title": "Sans modalité", "priority": "high", "owner": "x", "status": "todo"},
    )
    assert response.status_code == 200
    assert "Sans modalité" in text(response)
    assert not plan.actions.exists()


def test_the_coach_logs_a_visit(world: World, client_as: Any) -> None:
    plan = coaching(world)
    response = client_as("mediator").post(
        reverse("animation:followup_add", args=[plan.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "kind": "visit",
            "notes": "Rencontre avec l'équipe.",
            "next_steps": "Former deux agents.",
        },
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.by == world.personas["mediator"]
    assert plan.last_contact_on() == timezone.localdate()


def test_a_contact_in_the_future_or_before_the_coaching_is_refused(
    world: World, client_as: Any
) -> None:
    plan = coaching(world)
    url = reverse("animation:followup_add", args=[plan.pk])
    for day in (timezone.localdate() + timedelta(days=1), plan.starts_on - timedelta(days=1)):
        response = client_as("mediator").post(
            url, {"on": day.isoformat(), "kind": "call", "notes": "Appel"}
        )
        assert response.status_code == 200
    assert not FollowUp.objects.exists()


def test_the_referent_reads_the_plan_of_their_structure_but_does_not_write_it(
    world: World, client_as: Any
) -> None:
    plan = coaching(world)
    referent = client_as("relay_referent")
    page = text(referent.get(plan.get_absolute_url()))
    assert "Diagnostic de la structure" in page and "Noter un contact" not in page
    response = referent.post(
        reverse("animation:followup_add", args=[plan.pk]),
        {"on": timezone.localdate().isoformat(), "kind": "call", "notes": "x"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_people_outside_the_structure_and_its_territory_never_see_the_plan(
    world: World, client_as: Any, persona: str
) -> None:
    plan = coaching(world)
    assert client_as(persona).get(plan.get_absolute_url()).status_code == 404


def test_the_coach_is_reminded_after_sixty_days_without_contact(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(date(2026, 3, 2), tick=False):
        plan = coaching(world, starts_on=date(2026, 3, 2))
        FollowUp.objects.create(
            plan=plan, on=date(2026, 3, 2), kind="visit", notes="Lancement", by=plan.coach
        )

    with (
        time_machine.travel(date(2026, 4, 30), tick=False),  # 59 days
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("network_reminders", stdout=StringIO())
    assert mail.outbox == []

    with time_machine.travel(date(2026, 5, 1), tick=False):  # 60 days
        with django_capture_on_commit_callbacks(execute=True):
            call_command("network_reminders", stdout=StringIO())
            call_command("network_reminders", stdout=StringIO())
        assert [m.to for m in mail.outbox] == [[plan.coach.email]]
        assert "2 mars 2026" in mail.outbox[0].body and "CCAS de Reims" in mail.outbox[0].subject

    with time_machine.travel(date(2026, 5, 4), tick=False):
        FollowUp.objects.create(
            plan=plan, on=date(2026, 5, 4), kind="call", notes="Appel", by=plan.coach
        )
    with (
        time_machine.travel(date(2026, 7, 3), tick=False),  # 60 days after the call
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.remind_silent_coaches()
    assert len(mail.outbox) == 2
    assert CoachingReminder.objects.count() == 2


def test_a_structure_is_no_longer_followed_a_year_after_its_closing(world: World) -> None:
    with time_machine.travel(date(2025, 1, 6), tick=False):
        plan = coaching(world, starts_on=date(2025, 1, 6))
    services.close_coaching(
        [plan], held_on=date(2025, 5, 1), attendees="x", minutes="y", call=None, by=None
    )
    assert services.remind_silent_coaches(date(2026, 4, 30)) == 1
    assert services.remind_silent_coaches(date(2026, 5, 2)) == 0


def test_the_closing_committee_makes_the_structure_a_relay_with_its_figures(
    world: World, client_as: Any
) -> None:
    plan = coaching(world, starts_on=date(2026, 1, 5))
    FollowUp.objects.create(plan=plan, on=date(2026, 2, 2), kind="visit", notes="x", by=plan.coach)

    response = client_as("territory_manager").post(
        reverse("animation:closing_create"),
        {
            "plans": [plan.pk],
            "held_on": timezone.localdate().isoformat(),
            "attendees": "Persona territory_manager\nCCAS de Reims",
            "minutes": "Bilan très positif.",
        },
    )

    closing = ClosingCommittee.objects.get()
    assert response["Location"] == closing.get_absolute_url()
    plan.refresh_from_db()
    assert plan.status == CoachingStatus.CLOSED and plan.closed_on == timezone.localdate()
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.relay_status == RelayStatus.RELAY
    page = text(client_as("territory_manager").get(closing.get_absolute_url()))
    assert "Activités menées en autonomie" in page and "Contacts de suivi" in page
    assert "Bilan très positif." in page


def test_a_closing_committee_needs_its_minutes(world: World, client_as: Any) -> None:
    plan = coaching(world)
    response = client_as("territory_manager").post(
        reverse("animation:closing_create"),
        {"plans": [plan.pk], "held_on": timezone.localdate().isoformat(), "attendees": "x"},
    )
    assert response.status_code == 200
    assert "Compte rendu : Ce champ est obligatoire." in text(response)
    plan.refresh_from_db()
    assert plan.status == CoachingStatus.IN_PROGRESS
