"""The seal that chains the audit journal: each event's digest covers the previous event's
digest and everything the event says, so that changing, removing or inserting an event breaks
every digest after it (`manage.py verify_journal` finds the first broken link).

A pure function of plain values, so that a migration can seal the events written before the
chain existed with the same arithmetic.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


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
