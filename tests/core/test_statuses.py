"""A status reads the same everywhere: one badge whose colour says what the status means, one
history of its changes, and templates that never compare a status with a bare string."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from maillage.animation.models import Application, CoachingPlan
from maillage.bookings.models import Booking
from maillage.core.statemachine import Tone, Workflow
from maillage.diagnostics.models import Orientation
from maillage.learning.models import Cohort, Enrolment
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people.models import Referral
from maillage.stock.models import Device
from tests.conftest import World

WORKFLOWS = [
    (Structure, "relay_status"),
    (Application, "status"),
    (CoachingPlan, "status"),
    (Cohort, "status"),
    (Enrolment, "status"),
    (Referral, "status"),
    (Orientation, "outcome"),
    (Device, "state"),
    (Booking, "status"),
]


def test_every_workflow_says_which_of_its_states_are_done_and_which_are_not() -> None:
    for model, field in WORKFLOWS:
        workflow = Workflow.of(model, field)
        tones = {workflow.tone(state) for state in workflow.choices.values}
        assert Tone.DONE in tones and Tone.WAITING in tones, model.__name__


def test_a_relay_reads_as_done_and_a_structure_that_left_as_cancelled(world: World) -> None:
    badge = Template('{% load maillage %}{% status structure "relay_status" %}')
    world.ccas_reims.relay_status = RelayStatus.RELAY
    assert 'class="badge badge--done">Relais Numérique<' in badge.render(
        Context({"structure": world.ccas_reims})
    )
    world.ccas_reims.relay_status = RelayStatus.LEFT
    assert "badge--cancelled" in badge.render(Context({"structure": world.ccas_reims}))


def test_the_history_lists_each_change_with_its_badge_and_note(world: World) -> None:
    structure = world.ccas_reims
    Structure.relay_workflow.apply(
        structure, RelayStatus.CANDIDATE, by=world.personas["admin"], note="Dossier reçu"
    )
    html = Template('{% load maillage %}{% status_history structure "relay_status" %}').render(
        Context({"structure": structure})
    )
    assert 'badge--waiting">Candidate<' in html
    assert "Dossier reçu" in html and "Persona admin" in html


def test_no_template_compares_a_status_with_a_bare_string() -> None:
    compared = re.compile(
        r"\b(status|state|outcome|relay_status)\s*(==|!=)\s*['\"]|['\"]\s*(==|!=)\s*\w+\.(status|state)"
    )
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compared.search(line)
    ]
    assert not found, found
