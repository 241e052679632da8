"""Helpers to build the network's journey in the test world: a call in the Marne, its
applications, the coaching of the Reims CCAS and a training session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.animation import services
from maillage.animation.enums import QuestionKind
from maillage.animation.models import Application, Call, CoachingPlan, Training, TrainingSession
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from tests.conftest import World


def open_call(world: World, **fields: Any) -> Call:
    """« Devenez Relais Numérique — Marne », open today, two places, two criteria, two
    questions (one mandatory)."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": "Devenez Relais Numérique — Marne",
        "slug": "relais-marne",
        "description": "Un appel pour les structures sociales de la Marne.",
        "co_carriers": "Département de la Marne",
        "opens_on": today - timedelta(days=10),
        "closes_on": today + timedelta(days=20),
        "eligibility": "Structure sociale de la Marne\nAccueil de publics précaires",
        "places": 2,
        "is_published": True,
        **fields,
    }
    call = Call.objects.create(**values)
    call.departments.set([world.marne])
    call.criteria.create(label="Motivation", position=0)
    call.criteria.create(label="Capacité à mobiliser une équipe", position=1)
    call.questions.create(
        label="Pourquoi voulez-vous devenir Relais Numérique ?",
        kind=QuestionKind.LONG_TEXT,
        required=True,
        position=0,
    )
    call.questions.create(
        label="Avez-vous une salle équipée ?", kind=QuestionKind.YES_NO, required=False, position=1
    )
    return call


def application(
    call: Call, name: str, commune: Any, *, submit: bool = True, **fields: Any
) -> Application:
    question = call.questions.order_by("position").first()
    values: dict[str, Any] = {
        "structure_name": name,
        "structure_kind": "association",
        "commune": commune,
        "contact_name": "Lou Candidate",
        "contact_email": "candidate@exemple.test",
        "contact_phone": "+33326000000",
        "answers": {str(question.pk): "Pour aider nos publics."} if question else {},
        "token_digest": services.new_draft_token()[1],
        **fields,
    }
    draft = Application.objects.create(call=call, **values)
    return services.submit(draft) if submit else draft


def shortlisted(call: Call, name: str, commune: Any, **fields: Any) -> Application:
    candidate = application(call, name, commune, **fields)
    services.shortlist(candidate, by=None)
    candidate.refresh_from_db()
    return candidate


def select(world: World, structure: Structure, on: date | None = None) -> None:
    """Walk a structure to *selected* (on that day, today by default), as a committee would."""
    at = timezone.make_aware(datetime.combine(on, time(9, 0))) if on else None
    for target in (RelayStatus.CANDIDATE, RelayStatus.SELECTED):
        if Structure.relay_workflow.can(structure.relay_status, target):
            Structure.relay_workflow.apply(structure, target, by=world.personas["admin"], at=at)


def coaching(world: World, *, starts_on: date | None = None) -> CoachingPlan:
    """The Reims CCAS, selected, coached by the Marne facilitator."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=30)
    select(world, world.ccas_reims, on=starts_on)
    return services.start_coaching(
        world.ccas_reims,
        coach=world.personas["mediator"],
        starts_on=starts_on,
        by=world.personas["territory_manager"],
    )


def training_session(
    world: World, *, day: date | None = None, capacity: int = 12
) -> TrainingSession:
    return TrainingSession.objects.create(
        training=Training.objects.get(code="decouvrir-inclusion-numerique"),
        day=day or timezone.localdate() + timedelta(days=7),
        start_time=time(9, 0),
        end_time=time(17, 0),
        place="Maison des associations, Reims",
        department=world.marne,
        trainer=world.personas["mediator"],
        capacity=capacity,
    )


def journey(world: World) -> None:
    """A call in the Marne (one application submitted, one shortlisted) and one in the Nord,
    the coaching of the Reims CCAS (an action, a contact), a closed coaching in the Ardennes,
    a training session with a registration present, a resource and an information meeting."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.animation import services
    from maillage.animation.models import Call, InfoMeeting, Resource, TrainingRegistration
    from tests.animation.conftest import (
        application,
        coaching,
        open_call,
        select,
        shortlisted,
        training_session,
    )

    if Call.objects.exists():
        return
    call = open_call(world)
    application(call, "Association de Reims", world.reims)
    shortlisted(call, "Centre de Reims", world.reims)
    elsewhere = open_call(world, slug="relais-nord", title="Relais Nord")
    elsewhere.departments.set([world.nord])
    application(elsewhere, "Association de Lille", world.lille)
    plan = coaching(world)
    plan.actions.create(title="Permanence", modality="drop_ins", owner="CCAS")
    plan.followups.create(on=plan.starts_on, kind="visit", notes="x", by=plan.coach)
    start = timezone.localdate() - timedelta(days=60)
    select(world, world.mediatheque_charleville, on=start)
    closed = services.start_coaching(
        world.mediatheque_charleville, coach=world.personas["admin"], starts_on=start, by=None
    )
    services.close_coaching(
        [closed], held_on=timezone.localdate(), attendees="x", minutes="y", call=None, by=None
    )
    session = training_session(world)
    TrainingRegistration.objects.create(
        session=session,
        structure=world.ccas_reims,
        user=world.personas["relay_referent"],
        full_name="Persona",
        email="relay.referent@exemple.test",
        attended=True,
    )
    Resource.objects.create(
        title="Kit",
        description="x",
        url="https://kits.exemple.test/kit",
        themes=["safety"],
        level="beginner",
        audience="adults",
    )
    InfoMeeting.objects.create(
        title="Réunion",
        starts_at=timezone.now() + timedelta(days=2),
        place="Reims",
        department=world.marne,
        capacity=10,
    )
