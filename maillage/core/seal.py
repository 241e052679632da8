"""The seals that chain the audit journal: each event's seal covers the previous seal and
everything the event says, so that changing, removing or inserting an event breaks every seal
after it (`manage.py verify_journal` finds the first broken link).

Events are sealed after their transaction commits, by `seal_pending`, in a short transaction of
its own: writers never wait on one another for the chain. A request does not seal: it asks
the tasks worker to, at most once per `SEAL_DELAY_SECONDS` and process (`schedule_sealing`), so
that a page that journals who read it (a person's record) costs one insert, not a locked
transaction. `seal` is a pure function of plain values, so that a migration can seal the
events written before the chain with the same arithmetic.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from typing import Any

# How long an event may wait for its seal when the tasks worker seals (see `schedule_sealing`).
SEAL_DELAY_SECONDS = 1.0


def seal(
    previous: str,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    content_type_id: int | None,
    object_id: str,
    changes: Any,
    note: str,
) -> str:
    """The SHA-256 digest of an event chained to the previous one (hexadecimal)."""
    body = json.dumps(
        [
            previous,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            action,
            content_type_id,
            object_id,
            changes,
            note,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def seal_of(event: Any, previous: str) -> str:
    """The digest of an event row (a model instance, historical or current)."""
    return seal(
        previous,
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        content_type_id=event.content_type_id,
        object_id=event.object_id,
        changes=event.changes,
        note=event.note,
    )


# The PostgreSQL advisory lock that lets one sealer at a time extend the chain.
_SEALER_LOCK = 7_245_113


def seal_pending() -> int:
    """Seal the committed events not sealed yet, in their order, each chained to the last
    seal: one short transaction of its own, never the writers' (who never wait on each other).
    Run by the tasks worker (`schedule_sealing`), and before the journal is verified or saved."""
    from django.db import connection, transaction

    from maillage.core.models import AuditEvent, AuditSeal

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEALER_LOCK])
        pending = list(AuditEvent.objects.filter(seal__isnull=True).order_by("pk")[:5000])
        if not pending:
            return 0
        previous = AuditSeal.objects.order_by("-pk").values_list("digest", flat=True).first()
        seals = []
        for event in pending:
            previous = seal_of(event, previous or "")
            seals.append(AuditSeal(event=event, digest=previous))
        AuditSeal.objects.bulk_create(seals)
    return len(seals)


# When the sealing this process last asked for will run (seconds since the epoch).
_sealing_due_at = 0.0


def schedule_sealing() -> None:
    """After a commit that journalled events: have them sealed. With a tasks backend that can
    defer (the worker), one sealing task per process and SEAL_DELAY_SECONDS, due after every
    commit it covers: an event committed before the due time is sealed by it. Otherwise (the
    tests' immediate backend) seal at once."""
    global _sealing_due_at
    from django.tasks import default_task_backend

    from maillage.core.tasks import seal_journal

    if not default_task_backend.supports_defer:
        seal_journal.enqueue()
        return
    now = time.time()
    if now < _sealing_due_at:
        return
    _sealing_due_at = now + SEAL_DELAY_SECONDS
    seal_journal.using(run_after=datetime.fromtimestamp(_sealing_due_at, UTC)).enqueue()


def first_broken_link() -> str | None:
    """Walk the seals in their order; what is wrong with the first one that does not hold, or
    None. Events are fetched by id, so that a seal whose event was removed is found too."""
    from maillage.core.models import AuditEvent, AuditSeal

    previous = ""
    seals = AuditSeal.objects.order_by("pk").values_list("event_id", "digest")
    batch: list[tuple[int, str]] = []

    def check(batch: list[tuple[int, str]], previous: str) -> tuple[str | None, str]:
        events = AuditEvent.objects.in_bulk([event_id for event_id, _digest in batch])
        for event_id, digest in batch:
            event = events.get(event_id)
            if event is None:
                return f"l'événement n° {event_id} a disparu", previous
            if seal_of(event, previous) != digest:
                return (
                    f"l'événement n° {event_id} du {event.at:%d/%m/%Y %H:%M:%S} "
                    f"({event.action}) ne correspond plus à son sceau",
                    previous,
                )
            previous = digest
        return None, previous

    for row in seals.iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) == 2000:
            problem, previous = check(batch, previous)
            if problem:
                return problem
            batch = []
    problem, previous = check(batch, previous)
    return problem
