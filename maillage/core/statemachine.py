"""Statuses as declared state machines.

A model declares a `Workflow` (its choices and the allowed transitions); `Workflow.apply`
performs one transition under a row lock, refuses an illegal one with a clear French error,
and records who and when in the `Transition` journal and the audit journal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import audit
from maillage.core.models import AuditEvent, Transition, TransitionNote


class TransitionNotAllowed(Exception):
    """The requested status change is not in the declared table."""


class Tone(models.TextChoices):
    """What a status means to the person reading it, which gives its badge's colour."""

    DONE = "done"  # reached its aim: selected, completed, accepted, a relay
    WAITING = "waiting"  # still to come or under way
    REFUSED = "refused"  # turned down
    CANCELLED = "cancelled"  # stopped, expired, left


@dataclass(frozen=True)
class Workflow:
    field: str
    choices: type[models.TextChoices]
    transitions: Mapping[str, Collection[str]]
    # The states that are not WAITING, with their tone.
    tones: Mapping[str, str] = dataclass_field(default_factory=dict)
    # What entering a state also does, in the same transaction: called with the record and
    # the author of the step.
    on_enter: Mapping[str, Callable[[Any, Any], None]] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        known = set(self.choices.values)
        for source, targets in self.transitions.items():
            unknown = ({source} | set(targets)) - known
            if unknown:
                raise ValueError(f"Unknown states in workflow {self.field}: {sorted(unknown)}")
        unknown = set(self.tones) - known
        if unknown:
            raise ValueError(f"Tones of unknown states in workflow {self.field}: {unknown}")

    @staticmethod
    def of(model: type[models.Model] | models.Model, field: str = "status") -> Workflow:
        """The workflow a model declares for this field."""
        cls = model if isinstance(model, type) else type(model)
        for klass in cls.__mro__:
            for value in vars(klass).values():
                if isinstance(value, Workflow) and value.field == field:
                    return value
        raise LookupError(f"{cls.__name__} declares no workflow for {field}")

    def label(self, state: str) -> str:
        return str(self.choices(state).label) if state else ""

    def tone(self, state: str) -> str:
        return self.tones.get(state, Tone.WAITING)

    def targets(self, current: str) -> list[str]:
        """Allowed next states, in the order of the choices."""
        allowed = set(self.transitions.get(current, ()))
        return [value for value in self.choices.values if value in allowed]

    def can(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, ())

    def check(self, current: str, target: str) -> None:
        if not self.can(current, target):
            raise TransitionNotAllowed(
                _("Impossible de passer du statut « %(current)s » au statut « %(target)s ».")
                % {"current": self.label(current), "target": self.label(target)}
            )

    def apply(
        self,
        obj: models.Model,
        target: str,
        *,
        by: Any,
        at: datetime | None = None,
        note: str = "",
    ) -> Transition:
        """Move `obj` to `target`. The row is locked and re-read, so two concurrent
        transitions cannot both start from the same state."""
        at = at or timezone.now()
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            current = getattr(locked, self.field)
            self.check(current, target)
            type(obj)._default_manager.filter(pk=obj.pk).update(**{self.field: target})
            setattr(obj, self.field, target)
            step = self._journal(obj, current, target, by=by, at=at, note=note)
            if (enter := self.on_enter.get(target)) is not None:
                enter(obj, by)
            audit.record(
                by,
                AuditEvent.Action.TRANSITION,
                obj,
                changes={self.field: [current, target]},
            )
        return step

    def start(self, obj: models.Model, *, by: Any, at: datetime | None = None) -> Transition:
        """Journal the state a new record starts in (it had none before), so that its history
        begins with its creation."""
        return self._journal(obj, "", getattr(obj, self.field), by=by, at=at or timezone.now())

    def _journal(
        self, obj: models.Model, current: str, target: str, *, by: Any, at: datetime, note: str = ""
    ) -> Transition:
        step = Transition.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            field=self.field,
            from_state=current,
            to_state=target,
            at=at,
            by=audit.author(by),
        )
        if note:
            TransitionNote.objects.create(transition=step, text=note)
        return step

    def history(self, obj: models.Model) -> models.QuerySet[Transition]:
        return (
            Transition.objects.for_object(obj)
            .filter(field=self.field)
            .select_related("by", "written_note")
        )

    def labelled_history(self, obj: models.Model) -> list[tuple[Transition, str]]:
        """Each change with the label of the state reached, oldest first."""
        return [(step, self.label(step.to_state)) for step in self.history(obj)]


def _steps_about(records: models.QuerySet[Any]) -> models.QuerySet[Transition]:
    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(records.model),
        object_id__in=records.annotate(_key=Cast("pk", models.CharField())).values("_key"),
    )


def notes_about(records: models.QuerySet[Any]) -> dict[str, list[dict[str, str]]]:
    """What was written on the status changes of these records, by record (its pk as text):
    a person's subject-access export includes it."""
    notes: dict[str, list[dict[str, str]]] = {}
    for step in (
        _steps_about(records)
        .filter(written_note__isnull=False)
        .select_related("written_note")
        .order_by("at", "pk")
    ):
        notes.setdefault(step.object_id, []).append(
            {"at": step.at.isoformat(), "status": step.to_state, "note": step.comment}
        )
    return notes


def forget_notes_about(records: models.QuerySet[Any]) -> int:
    """Erase what was written on the status changes of these records; the changes themselves
    (who, when, from which status to which) stay in the journal."""
    deleted, _ = TransitionNote.objects.filter(transition__in=_steps_about(records)).delete()
    return deleted
