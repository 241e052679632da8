"""Writing to the audit journal."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from maillage.core.models import AuditEvent
from maillage.core.seal import schedule_sealing

# Who is acting in this request or command, for the journal written by signals (a change made
# in the technical administration, a role granted from a shell).
_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    return _actor.get()


def author(user: Any) -> Any:
    """The account to record as the author of a write: None for the anonymous public and for
    the system (a command, the worker)."""
    return user if getattr(user, "is_authenticated", False) else None


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append an event. `changes` must not carry personal data: field names, or values of
    organisations' public fields only."""
    event = AuditEvent.objects.create(
        actor=author(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        note=note[:255],
    )
    transaction.on_commit(schedule_sealing)
    return event


def record_each(
    actor: Any,
    action: str,
    objects: Collection[models.Model],
    *,
    changes: Any = None,
    note: str = "",
) -> list[AuditEvent]:
    """One event per object, written in one statement (a bulk import): `changes` is called with
    each object and returns what `record` would take."""
    if not objects:
        return []
    written_by = author(actor)
    kind = ContentType.objects.get_for_model(next(iter(objects)))
    events = AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=written_by,
                action=action,
                content_type=kind,
                object_id=str(obj.pk),
                changes=(changes(obj) if changes else None) or {},
                note=note[:255],
            )
            for obj in objects
        ]
    )
    transaction.on_commit(schedule_sealing)
    return events


def values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of some fields, JSON-safe: a foreign key as its id, a many-to-many
    as the sorted ids. Only for organisations' data, never a person's."""
    snapshot: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = getattr(instance, name).values_list("pk", flat=True) if instance.pk else []
            snapshot[name] = sorted(related)
        else:
            snapshot[name] = _json_safe(field.value_from_object(instance))  # type: ignore[union-attr]
    return snapshot


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as {field: [old, new]} in JSON-safe form. Empty values
    (None, "", []) count as equal, so a creation lists only the fields that were filled in."""
    return {
        name: [_json_safe(before.get(name)), _json_safe(value)]
        for name, value in after.items()
        if before.get(name) != value and not (_is_empty(before.get(name)) and _is_empty(value))
    }


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def save_form(form: Any, actor: Any, *, fields: Collection[str] = (), **assign: Any) -> Any:
    """Save a model form and journal it, in one transaction: `CREATE` for a new record, `UPDATE`
    for a change, with the `fields` whose value changed (an organisation's data only, never a
    person's; a change of none of them is not journalled). `assign` sets what the form does not
    carry (the author, the parent record). The values before are read from the database:
    binding the form already changed the instance."""
    instance = form.instance
    creating = instance._state.adding
    with transaction.atomic():
        before = (
            values(type(instance)._default_manager.get(pk=instance.pk), fields)
            if fields and not creating
            else {}
        )
        saved = form.save(commit=False)
        for name, value in assign.items():
            setattr(saved, name, value)
        saved.save()
        form.save_m2m()
        changes = diff(before, values(saved, fields))
        if creating or changes or not fields:
            record(
                actor,
                AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
                saved,
                changes=changes,
            )
    return saved
