"""Keeping the facts current: every write that can change a figure marks the (structure,
month) cells it touches as stale, before and after the change; the cells are recomputed after
the commit. Beneficiaries' gender and birth year are kept in the people index the same way."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from maillage.core.models import Transition
from maillage.core.signals import records_changed
from maillage.diagnostics.models import Diagnostic
from maillage.impact.facts import (
    add_to_index,
    index_keys,
    mark_stale,
    month_of,
    move_in_index,
)
from maillage.impact.models import ActivityFact, PlaceFact
from maillage.learning.models import Attendance, Cohort, DropIn, Session, WalkIns, Workshop
from maillage.network.models import Structure
from maillage.people.models import Beneficiary, Referral

Cells = set[tuple[int, date]]

# Saving only these fields changes no figure (a roll call stamps the session, for instance).
NEUTRAL_FIELDS = {
    Session: {"roll_called_at", "roll_called_by", "place", "number"},
    Cohort: {"cancel_reason"},
    Referral: {"reminded_at"},
    Structure: {
        "is_public",
        "public_since",
        "latitude",
        "longitude",
        "location_source",
        "geocoded_at",
        "updated_at",
    },
}


def _cohort(cohort_id: int, *also: Any) -> Cells:
    """The months of the cohort's sessions (and of `also`, moments of a session being
    written) at its structure."""
    structure = Cohort.objects.filter(pk=cohort_id).values_list("structure_id", flat=True).first()
    if structure is None:
        return set()
    starts = Session.objects.filter(cohort_id=cohort_id).values_list("starts_at", flat=True)
    return {(structure, month_of(moment)) for moment in [*starts, *also]}


def _session(session_id: int) -> Cells:
    return {
        (structure, month_of(moment))
        for structure, moment in Session.objects.filter(pk=session_id).values_list(
            "cohort__structure_id", "starts_at"
        )
    }


def _workshop(workshop_id: int) -> Cells:
    return {
        (structure, month_of(moment))
        for structure, moment in Workshop.objects.filter(pk=workshop_id).values_list(
            "structure_id", "starts_at"
        )
    }


def _relay(structure_id: int, at: Any) -> Cells:
    """A change of status moves the relay count from its month until the next change."""
    later = Transition.objects.filter(
        field="relay_status",
        content_type__app_label="network",
        content_type__model="structure",
        object_id=str(structure_id),
        at__gt=at,
    ).values_list("at", flat=True)
    return {(structure_id, month_of(at))} | {(structure_id, month_of(m)) for m in later}


def cells_of(obj: Model) -> Cells:
    """The cells whose figures depend on this record, as it stands."""
    match obj:
        case Cohort():
            return _cohort(obj.pk)
        case Session():
            return _cohort(obj.cohort_id, obj.starts_at)
        case Attendance():
            return _session(obj.session_id)
        case WalkIns():
            if obj.session_id:
                return _session(obj.session_id)
            return _workshop(obj.workshop_id) if obj.workshop_id else set()
        case Workshop() | DropIn():
            return {(obj.structure_id, month_of(obj.starts_at))}
        case Diagnostic():
            return {(obj.structure_id, month_of(obj.completed_at))} if obj.completed_at else set()
        case Referral():
            return {
                (obj.to_structure_id, month_of(obj.created_at)),
                (obj.to_structure_id, month_of(obj.status_changed_at)),
            }
        case Transition():
            return _transition(obj)
        case Structure():
            return _all_cells_of_structure(obj.pk)
    return set()


def _transition(step: Transition) -> Cells:
    if step.content_type_id is None:
        return set()
    model = ContentType.objects.get_for_id(step.content_type_id).model_class()
    if model is Structure and step.field == "relay_status":
        return _relay(int(step.object_id), step.at)
    if model is Cohort:
        return _cohort(int(step.object_id))
    if model is Referral:
        referral = Referral.objects.filter(pk=step.object_id).first()
        if referral is not None:
            return cells_of(referral) | {(referral.to_structure_id, month_of(step.at))}
    return set()


def _all_cells_of_structure(structure_id: int) -> Cells:
    cells: Cells = set()
    for rows in (  # the months with records (a twelve-month row follows from them)
        ActivityFact.objects.filter(structure_id=structure_id, months=1),
        PlaceFact.objects.filter(structure_id=structure_id),
    ):
        cells.update((structure_id, month) for month in rows.values_list("month", flat=True))
    return cells


WATCHED: tuple[type[Model], ...] = (
    Cohort,
    Session,
    Attendance,
    WalkIns,
    Workshop,
    DropIn,
    Diagnostic,
    Referral,
    Transition,
)
# Their cells may move when they change: the cells they had before count too.
MOVABLE = (Cohort, Session, Workshop, DropIn, Diagnostic, Referral)


def _neutral(sender: Any, update_fields: Iterable[str] | None) -> bool:
    return update_fields is not None and set(update_fields) <= NEUTRAL_FIELDS.get(sender, set())


def before_save(sender: Any, instance: Model, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or _neutral(sender, update_fields):
        return
    if isinstance(instance, MOVABLE):
        old = sender._default_manager.filter(pk=instance.pk).first()
        if old is not None:
            mark_stale(cells_of(old))
    elif isinstance(instance, Structure):
        old_department = (
            Structure.objects.filter(pk=instance.pk)
            .values_list("commune__department_id", flat=True)
            .first()
        )
        new_department = instance.commune.department_id if instance.commune_id else None
        if old_department != new_department:
            mark_stale(cells_of(instance))


def after_save(sender: Any, instance: Model, update_fields: Any = None, **kwargs: Any) -> None:
    if not _neutral(sender, update_fields):
        mark_stale(cells_of(instance))


def before_delete(sender: Any, instance: Model, **kwargs: Any) -> None:
    mark_stale(cells_of(instance))


def bulk_written(sender: Any, objects: Iterable[Model], **kwargs: Any) -> None:
    cells: Cells = set()
    created: list[Beneficiary] = []
    sessions: set[int] = set()  # the rows of one session share its cells: read them once
    for obj in objects:
        if isinstance(obj, Attendance | WalkIns) and obj.session_id:
            if obj.session_id in sessions:
                continue
            sessions.add(obj.session_id)
        if isinstance(obj, WATCHED):
            cells |= cells_of(obj)
        elif isinstance(obj, Beneficiary):
            created.append(obj)
    mark_stale(cells)
    if created:  # people created in bulk (an import) join the people index in one write per key
        add_to_index((person.pk, _keys(person)) for person in created)


def participants_changed(
    sender: Any, instance: Model, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        mark_stale(cells_of(instance))
        return
    workshops = (
        pk_set if pk_set is not None else Workshop.objects.filter(participants__pk=instance.pk)
    )
    workshops = [getattr(w, "pk", w) for w in workshops]
    cells: Cells = set()
    for pk in workshops:
        cells |= _workshop(pk)
    mark_stale(cells)


# --- People index ----------------------------------------------------------------------


def _keys(person: Any) -> set[str]:
    return index_keys(person.gender, person.birth_year, person.age_band)


def person_before_save(sender: Any, instance: Beneficiary, **kwargs: Any) -> None:
    old = (
        Beneficiary.objects.filter(pk=instance.pk)
        .values_list("gender", "birth_year", "age_band")
        .first()
        if instance.pk
        else None
    )
    instance._index_before = index_keys(*old) if old else set()  # type: ignore[attr-defined]


def person_after_save(sender: Any, instance: Beneficiary, **kwargs: Any) -> None:
    before: set[str] = getattr(instance, "_index_before", set())
    after = _keys(instance)
    if before != after:
        move_in_index(instance.pk, before, after)


def person_deleted(sender: Any, instance: Beneficiary, **kwargs: Any) -> None:
    move_in_index(instance.pk, _keys(instance), set())


def _receivers() -> list[tuple[Any, Any, Any, str]]:
    """(signal, receiver, sender, dispatch uid) for every receiver that keeps the facts
    current."""
    uid = "impact-facts"
    receivers: list[tuple[Any, Any, Any, str]] = []
    models: tuple[type[Model], ...] = (*WATCHED, Structure)
    for model in models:
        name = model.__name__
        receivers.append((pre_save, before_save, model, f"{uid}-pre-{name}"))
        receivers.append((pre_delete, before_delete, model, f"{uid}-del-{name}"))
        if model is not Structure:  # only a move to another département changes its figures
            receivers.append((post_save, after_save, model, f"{uid}-post-{name}"))
    return [
        *receivers,
        (records_changed, bulk_written, None, f"{uid}-bulk"),
        (m2m_changed, participants_changed, Workshop.participants.through, f"{uid}-m2m"),
        (pre_save, person_before_save, Beneficiary, f"{uid}-person-pre"),
        (post_save, person_after_save, Beneficiary, f"{uid}-person-post"),
        (post_delete, person_deleted, Beneficiary, f"{uid}-person-del"),
    ]


def connect() -> None:
    for signal, receiver, sender, uid in _receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect() -> None:
    """Only to measure what keeping the facts current costs (`make bench`)."""
    for signal, _receiver, sender, uid in _receivers():
        signal.disconnect(sender=sender, dispatch_uid=uid)
