"""Operations on a structure's journey that other apps call (a decision of the network moves
the structure along)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from maillage.network.enums import RelayStatus
from maillage.network.models import Structure


def start_of(day: date) -> datetime:
    """A step dated today keeps the current time; an earlier date is recorded at noon."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def move_structure(structure: Structure, target: str, *, by: Any, on: date, note: str) -> None:
    """Move the structure along its journey when it may go there (it may already be further)."""
    structure.refresh_from_db(fields=["relay_status"])
    if structure.relay_status == RelayStatus.LEFT and target == RelayStatus.CANDIDATE:
        Structure.relay_workflow.apply(
            structure, RelayStatus.PROSPECT, by=by, at=start_of(on), note=note
        )
    if Structure.relay_workflow.can(structure.relay_status, target):
        Structure.relay_workflow.apply(structure, target, by=by, at=start_of(on), note=note)
