from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from maillage.core import audit
from maillage.core.models import (
    AppendOnlyError,
    AuditEvent,
    AuditSeal,
    Transition,
    TransitionNote,
)
from maillage.core.seal import seal_of, seal_pending
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


@pytest.mark.parametrize("table", ["core_auditevent", "core_transition"])
def test_the_database_refuses_to_empty_a_journal_even_in_raw_sql(world: World, table: str) -> None:
    audit.record(world.personas["admin"], AuditEvent.Action.VIEW, world.ccas_reims)
    Structure.relay_workflow.apply(world.ccas_reims, RelayStatus.CANDIDATE, by=None)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a constant name)
    assert AuditEvent.objects.exists() and Transition.objects.exists()


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


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_journal", stdout=out)
    return out.getvalue()


def _behind_the_triggers(sql: str, params: list[int]) -> None:
    """What someone with the database's password could do (undone with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            for table in ("core_auditevent", "core_auditseal"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        cursor.execute(sql, params)


def _three_events(world: World) -> list[AuditEvent]:
    admin = world.personas["admin"]
    return [
        audit.record(admin, AuditEvent.Action.VIEW, world.ccas_reims),
        audit.record(admin, AuditEvent.Action.UPDATE, world.ccas_reims, changes={"name": [1, 2]}),
        audit.record(None, AuditEvent.Action.LOGIN_FAILED, note="x"),
    ]


def test_each_audit_event_is_sealed_to_the_previous_one(world: World) -> None:
    first, second, third = _three_events(world)
    seal_pending()  # what runs once the writer's transaction commits
    digests = dict(AuditSeal.objects.values_list("event_id", "digest"))
    assert len({digests[first.pk], digests[second.pk], digests[third.pk]}) == 3
    assert digests[second.pk] == seal_of(second, digests[first.pk])
    assert "Journal intact" in _verify()


def test_events_are_sealed_once_their_transaction_commits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        event = audit.record(None, AuditEvent.Action.LOGIN_FAILED, note="x")
        assert not AuditSeal.objects.filter(event=event).exists()
    assert AuditSeal.objects.filter(event=event).exists()


DEFERRING_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_busy_process_asks_the_worker_to_seal_once_per_delay_after_each_commit(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from maillage.core import seal

    clock = [1_000_000.0]
    monkeypatch.setattr(seal.time, "time", lambda: clock[0])
    monkeypatch.setattr(seal, "_sealing_due_at", 0.0)
    with override_settings(TASKS=DEFERRING_TASKS):
        for _ in range(3):  # three requests within the same second
            with django_capture_on_commit_callbacks(execute=True):
                audit.record(None, AuditEvent.Action.LOGIN_FAILED, note="x")
            clock[0] += 0.2
        queued = list(DBTaskResult.objects.all())
        assert len(queued) == 1  # one sealing covers the three
        assert queued[0].run_after.timestamp() == 1_000_001.0  # after the last of them
        assert AuditEvent.objects.filter(seal__isnull=True).count() == 3  # not in the request
        clock[0] += 1.0  # the next commit after the due time asks again
        with django_capture_on_commit_callbacks(execute=True):
            audit.record(None, AuditEvent.Action.LOGIN_FAILED, note="y")
        assert DBTaskResult.objects.count() == 2
    from maillage.core.tasks import seal_journal

    assert seal_journal.call() == 4  # what the worker runs
    assert not AuditEvent.objects.filter(seal__isnull=True).exists()


def test_verify_journal_names_the_first_event_changed_behind_its_back(world: World) -> None:
    _first, second, _third = _three_events(world)
    seal_pending()
    _behind_the_triggers("UPDATE core_auditevent SET note = 'effacé' WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"l'événement n° {second.pk} du .* ne correspond plus"):
        _verify()


def test_verify_journal_finds_an_event_removed_from_the_middle(world: World) -> None:
    _first, second, _third = _three_events(world)
    seal_pending()
    _behind_the_triggers("DELETE FROM core_auditseal WHERE event_id = %s", [second.pk])
    _behind_the_triggers("DELETE FROM core_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match="Journal rompu : l'événement n° "):
        _verify()


def test_a_note_written_on_a_status_change_lives_beside_the_journal(world: World) -> None:
    step = Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.CANDIDATE, by=None, note="Appelée au 06 01 02 03 04"
    )
    assert step.comment == "Appelée au 06 01 02 03 04"
    note = TransitionNote.objects.get(transition=step)
    note.text = ""
    note.save()  # erasure can empty it; the step itself stays
    assert Transition.objects.get(pk=step.pk).comment == ""


@pytest.mark.django_db(transaction=True)
def test_writers_in_parallel_never_chain_to_the_same_event() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")

    def write(n: int) -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    audit.record(None, AuditEvent.Action.LOGIN_FAILED, note=f"writer {n}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.filter(note__startswith="writer ").count() == 40
    assert f"Journal intact : {AuditEvent.objects.count()} événement(s)" in _verify()
