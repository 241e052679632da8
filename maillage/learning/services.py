"""Planning cohorts, enrolling people and taking the roll call: each in one transaction, under
a lock where places are counted, journalled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.signals import records_changed
from maillage.core.statemachine import TransitionNotAllowed
from maillage.learning import agenda
from maillage.learning.enums import CohortStatus, EnrolmentStatus, Presence
from maillage.learning.models import (
    Attendance,
    Cohort,
    DropIn,
    DropInSlot,
    Enrolment,
    Session,
    Unavailability,
    WalkIns,
    Workshop,
)
from maillage.learning.schedule import weekly_dates
from maillage.people.models import Beneficiary


def unavailable_days(users: Iterable[Any], start: date, weeks: int) -> set[date]:
    """The days, in the coming weeks, when one of these facilitators is not available."""
    end = start + timedelta(weeks=weeks)
    days: set[date] = set()
    for period in Unavailability.objects.filter(
        user__in=list(users), end__gte=start, start__lte=end
    ):
        day = period.start
        while day <= period.end:
            days.add(day)
            day += timedelta(days=1)
    return days


def session_times(cohort: Cohort, first: date, at: time) -> list[datetime]:
    """When the cohort's sessions take place: every week on `first`'s weekday at `at`."""
    count = cohort.course.session_count
    skip = unavailable_days(cohort.facilitators.all(), first, weeks=count + 20)
    return [
        timezone.make_aware(datetime.combine(day, at))
        for day in weekly_dates(
            first, count, unavailable=skip, department_code=cohort.department_code
        )
    ]


class PlanningClash(Exception):
    """The plan asks someone to be in two places at once (or too far apart): each clash named."""

    def __init__(self, clashes: list[str]) -> None:
        super().__init__(" ".join(clashes))
        self.clashes = clashes


def plan_cohort(
    cohort: Cohort,
    *,
    first: date,
    at: time,
    facilitators: Iterable[Any],
    co_facilitators: Iterable[Any] = (),
    by: Any,
    despite_clashes: bool = False,
) -> Cohort:
    """Create the cohort and its sessions; refused (nothing written) when a facilitator
    already runs something then, unless the planner confirms it (co-facilitation)."""
    with transaction.atomic():
        cohort.created_by = by
        cohort.save()
        cohort.facilitators.set(list(facilitators))
        cohort.co_facilitators.set(list(co_facilitators))
        minutes = cohort.course.minutes_per_session
        sessions = Session.objects.bulk_create(
            Session(cohort=cohort, number=number, starts_at=moment, minutes=minutes)
            for number, moment in enumerate(session_times(cohort, first, at), start=1)
        )
        found = _clashes(cohort, sessions)
        if found and not despite_clashes:
            raise PlanningClash(found)
        records_changed.send(sender=Session, objects=sessions)
        audit.record(by, AuditEvent.Action.CREATE, cohort, note=_planned_despite(found))
    return cohort


def _planned_despite(clashes: list[str]) -> str:
    """What the journal says of a plan confirmed despite its clashes."""
    if not clashes:
        return ""
    return ngettext(
        "Planifié malgré %(n)s conflit signalé.",
        "Planifié malgré %(n)s conflits signalés.",
        len(clashes),
    ) % {"n": len(clashes)}


def _clashes(cohort: Cohort, sessions: list[Session]) -> list[str]:
    return agenda.clashes_of(
        [*cohort.facilitators.all(), *cohort.co_facilitators.all()],
        [agenda.session_item(s) for s in sessions],
        ignoring={s.get_absolute_url() for s in sessions},
    )


def move_cohort(cohort: Cohort, target: str, *, reason: str = "", by: Any) -> None:
    """Complete or cancel a cohort (a cancellation keeps its reason), in one transaction."""
    with transaction.atomic():
        Cohort.workflow.apply(cohort, target, by=by, note=reason)
        if target == CohortStatus.CANCELLED:
            Cohort.objects.filter(pk=cohort.pk).update(cancel_reason=reason)
            cohort.cancel_reason = reason


def move_session(
    session: Session,
    starts_at: datetime,
    *,
    by: Any,
    place: str = "",
    despite_clashes: bool = False,
) -> None:
    """Move a session, checked as a plan is: refused when a facilitator already runs
    something then, unless confirmed."""
    with transaction.atomic():
        cohort = session.cohort
        found = agenda.clashes_of(
            [*cohort.facilitators.all(), *cohort.co_facilitators.all()],
            [agenda.session_item(session, starts_at=starts_at, place=place)],
            ignoring={session.get_absolute_url()},
        )
        if found and not despite_clashes:
            raise PlanningClash(found)
        before = audit.values(session, ["starts_at", "place"])
        session.starts_at = starts_at
        session.place = place
        session.save(update_fields=["starts_at", "place"])
        # Numbers follow the order of the dates.
        sessions = list(session.cohort.sessions.order_by("starts_at", "pk"))
        # Two passes, so that renumbering never meets the unique (cohort, number) halfway.
        Session.objects.filter(cohort=session.cohort).update(number=F("number") + 1000)
        for number, each in enumerate(sessions, start=1):
            Session.objects.filter(pk=each.pk).update(number=number)
        audit.record(
            by,
            AuditEvent.Action.UPDATE,
            session,
            changes=audit.diff(before, audit.values(session, ["starts_at", "place"])),
            note=_planned_despite(found),
        )


def enrol(
    cohort: Cohort, beneficiary: Beneficiary, *, by: Any, orientation: Any = None
) -> Enrolment:
    """A seat if one is free, else the waiting list. The cohort row is locked while counting."""
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.status in (CohortStatus.COMPLETED, CohortStatus.CANCELLED):
            raise TransitionNotAllowed(
                _("Ce parcours est terminé ou annulé : on ne peut plus s'y inscrire.")
            )
        existing = Enrolment.objects.filter(cohort=locked, beneficiary=beneficiary).first()
        if existing is not None:
            raise TransitionNotAllowed(_("Cette personne est déjà inscrite à ce parcours."))
        status = EnrolmentStatus.WAITING if locked.is_full() else EnrolmentStatus.ENROLLED
        enrolment = Enrolment.objects.create(
            cohort=locked, beneficiary=beneficiary, status=status, orientation=orientation
        )
        audit.record(by, AuditEvent.Action.CREATE, enrolment, changes={"status": status})
        beneficiary.touch()
    return enrolment


def drop(enrolment: Enrolment, *, by: Any, reason: str) -> Enrolment | None:
    """The learner leaves; the first person waiting takes the seat. Returns who got it."""
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=enrolment.cohort_id)
        was_seated = enrolment.status == EnrolmentStatus.ENROLLED
        Enrolment.workflow.apply(enrolment, EnrolmentStatus.DROPPED, by=by, note=reason)
        Enrolment.objects.filter(pk=enrolment.pk).update(drop_reason=reason)
        enrolment.drop_reason = reason
        if not was_seated:
            return None
        waiting = (
            Enrolment.objects.filter(cohort_id=enrolment.cohort_id, status=EnrolmentStatus.WAITING)
            .order_by("enrolled_at", "pk")
            .first()
        )
        if waiting is not None:
            Enrolment.workflow.apply(waiting, EnrolmentStatus.ENROLLED, by=by, note="waiting list")
        return waiting


def take_roll_call(
    session: Session,
    presences: Mapping[int, str],
    walk_ins: Mapping[tuple[str, str], int],
    *,
    by: Any,
) -> list[Enrolment]:
    """Record the presence of every learner (beneficiary id → presence) and the anonymous
    participants, in one transaction; mark those who reached the completion rule. Returns the
    enrolments completed by this roll call."""
    cohort = session.cohort
    refusal = session.roll_call_refusal()
    if refusal:
        raise TransitionNotAllowed(refusal)
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        # Only what changed is written, in two statements, and the figures hear of it once.
        recorded = {a.beneficiary_id: a for a in Attendance.objects.filter(session=session)}
        created, changed = [], []
        for beneficiary_id, presence in presences.items():
            found = recorded.get(beneficiary_id)
            if found is None:
                created.append(
                    Attendance(session=session, beneficiary_id=beneficiary_id, presence=presence)
                )
            elif found.presence != presence:
                found.presence = presence
                changed.append(found)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["presence"])
        records_changed.send(sender=Attendance, objects=[*created, *changed])
        WalkIns.objects.filter(session=session).delete()
        groups = WalkIns.objects.bulk_create(
            WalkIns(session=session, gender=gender, age_band=band, count=count)
            for (gender, band), count in walk_ins.items()
            if count
        )
        records_changed.send(sender=WalkIns, objects=groups)
        session.roll_called_at, session.roll_called_by = timezone.now(), by
        session.save(update_fields=["roll_called_at", "roll_called_by"])
        if cohort.status == CohortStatus.PLANNED:
            Cohort.workflow.apply(cohort, CohortStatus.RUNNING, by=by, note="roll call")
        present = [b for b, p in presences.items() if p == Presence.PRESENT]
        day = timezone.localtime(session.starts_at).date()
        Beneficiary.objects.filter(pk__in=present).touch(min(day, timezone.localdate()))
        completed = complete_learners(cohort, by=by)
        audit.record(by, AuditEvent.Action.UPDATE, session, changes={"fields": ["attendance"]})
    return completed


def complete_learners(cohort: Cohort, *, by: Any) -> list[Enrolment]:
    """Mark as completed the enrolled learners who attended enough sessions."""
    needed = cohort.course.sessions_needed()
    completed = []
    attended = dict(
        Attendance.objects.filter(session__cohort=cohort, presence=Presence.PRESENT)
        .values("beneficiary_id")
        .annotate(n=Count("pk"))
        .values_list("beneficiary_id", "n")
    )
    for enrolment in cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        if attended.get(enrolment.beneficiary_id, 0) >= needed:
            Enrolment.workflow.apply(
                enrolment, EnrolmentStatus.COMPLETED, by=by, note="completion rule"
            )
            completed.append(enrolment)
    return completed


def create_workshop(
    workshop: Workshop,
    *,
    starts_at: datetime,
    facilitators: Iterable[Any],
    by: Any,
    despite_clashes: bool = False,
) -> Workshop:
    """Refused, as a cohort is, when a facilitator already runs something then."""
    with transaction.atomic():
        workshop.starts_at = starts_at
        workshop.created_by = by
        people = list(facilitators)
        found = agenda.clashes_of(people, [agenda.workshop_item(workshop)])
        if found and not despite_clashes:
            raise PlanningClash(found)
        workshop.save()
        workshop.facilitators.set(people)
        audit.record(by, AuditEvent.Action.CREATE, workshop, note=_planned_despite(found))
    return workshop


def open_slot(slot: DropInSlot, *, facilitator: Any) -> DropInSlot:
    """A drop-in slot of the facilitator's, refused when they already run something then."""
    found = agenda.clashes(facilitator, [agenda.slot_item(slot)])
    if found:
        raise PlanningClash(found)
    slot.facilitator = facilitator
    slot.save()
    return slot


def add_participant(workshop: Workshop, beneficiary: Beneficiary, *, by: Any) -> None:
    with transaction.atomic():
        workshop.participants.add(beneficiary)
        beneficiary.touch(min(timezone.localtime(workshop.starts_at).date(), timezone.localdate()))
        audit.record(by, AuditEvent.Action.UPDATE, workshop, changes={"fields": ["participants"]})


def remove_participant(workshop: Workshop, beneficiary: Beneficiary, *, by: Any) -> None:
    with transaction.atomic():
        workshop.participants.remove(beneficiary)
        audit.record(by, AuditEvent.Action.UPDATE, workshop, changes={"fields": ["participants"]})


def record_workshop(
    workshop: Workshop, walk_ins: Mapping[tuple[str, str], int], *, report: str, by: Any
) -> None:
    """The anonymous participants and the facilitator's report, in one go."""
    with transaction.atomic():
        WalkIns.objects.filter(workshop=workshop).delete()
        groups = WalkIns.objects.bulk_create(
            WalkIns(workshop=workshop, gender=gender, age_band=band, count=count)
            for (gender, band), count in walk_ins.items()
            if count
        )
        records_changed.send(sender=WalkIns, objects=groups)
        workshop.report = report
        workshop.save(update_fields=["report"])
        audit.record(
            by, AuditEvent.Action.UPDATE, workshop, changes={"fields": ["walk_ins", "report"]}
        )


def record_drop_in(drop_in: DropIn, *, by: Any) -> DropIn:
    with transaction.atomic():
        drop_in.facilitator = by
        drop_in.save()
        if drop_in.beneficiary is not None:
            drop_in.beneficiary.touch(
                min(timezone.localtime(drop_in.starts_at).date(), timezone.localdate())
            )
        audit.record(by, AuditEvent.Action.CREATE, drop_in)
    return drop_in
