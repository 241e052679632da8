from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from maillage.core import audit
from maillage.core.models import AppendOnlyError, AuditEvent, Transition
from maillage.core.statemachine import TransitionNotAllowed
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from tests.conftest import World


def test_an_audit_event_cannot_be_changed_once_written(world: World) -> None:
    event = audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.ccas_reims)
    event.note = "réécrit"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_audit_event_cannot_be_deleted(world: World) -> None:
    event = audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.ccas_reims)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_the_database_refuses_to_update_an_audit_event_even_in_raw_sql(world: World) -> None:
    event = audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.ccas_reims)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_audit_events_are_found_by_object(world: World) -> None:
    audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.ccas_reims)
    audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.centre_social_lille)
    events = AuditEvent.objects.for_object(world.ccas_reims)
    assert [e.object_id for e in events] == [str(world.ccas_reims.pk)]


def test_diff_keeps_only_changed_fields() -> None:
    assert audit.diff({"a": 1, "b": "x"}, {"a": 1, "b": "y"}) == {"b": ["x", "y"]}
    assert audit.diff({}, {"a": "", "b": [], "c": "x"}) == {"c": [None, "x"]}


def test_an_allowed_transition_records_who_and_when(world: World) -> None:
    manager = world.personas["territory_manager"]
    step = Structure.relay_workflow.apply(world.ccas_reims, RelayStatus.CANDIDATE, by=manager)
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.relay_status == RelayStatus.CANDIDATE
    assert (step.from_state, step.to_state, step.by) == ("prospect", "candidate", manager)
    assert AuditEvent.objects.for_object(world.ccas_reims).get().action == "transition"


def test_an_illegal_transition_is_refused_with_a_clear_message(world: World) -> None:
    with pytest.raises(TransitionNotAllowed) as refusal:
        Structure.relay_workflow.apply(
            world.ccas_reims, RelayStatus.RELAY, by=world.personas["admin"]
        )
    assert str(refusal.value) == (
        "Impossible de passer du statut « Contact » au statut « Relais Numérique »."
    )
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.relay_status == RelayStatus.PROSPECT
    assert not Transition.objects.exists()


def test_a_transition_row_cannot_be_rewritten(world: World) -> None:
    step = Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.CANDIDATE, by=world.personas["admin"]
    )
    with pytest.raises(AppendOnlyError):
        step.save()


def test_a_workflow_declaring_unknown_states_is_rejected() -> None:
    from maillage.core.statemachine import Workflow

    with pytest.raises(ValueError, match="Unknown states"):
        Workflow(field="relay_status", choices=RelayStatus, transitions={"prospect": {"nowhere"}})
