"""Operations of the network's life that span several records: an application and its
structure, a committee and its decisions, a coaching plan and the structure's status, a
registration and its session's seats. Each runs in one transaction, locks what it checks,
writes the audit journal and sends its e-mails after the commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.animation import tasks
from maillage.animation.enums import ApplicationStatus, CoachingStatus
from maillage.animation.models import (
    Application,
    Assessment,
    Call,
    ClosingCommittee,
    CoachingPlan,
    CoachingReminder,
    InfoMeeting,
    InfoMeetingRegistration,
    SelectionCommittee,
    TrainingRegistration,
    TrainingSession,
)
from maillage.core import audit
from maillage.core.dates import add_months
from maillage.core.models import AuditEvent
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.network.services import move_structure, start_of


class NetworkError(Exception):
    """An operation refused, with a French message for the person who asked."""


# --- Applications -----------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_draft_token() -> tuple[str, str]:
    """A secret for a draft's link, and the digest kept in the database."""
    token = secrets.token_urlsafe(24)
    return token, token_digest(token)


def draft_for_token(token: str) -> Application | None:
    return (
        Application.objects.filter(token_digest=token_digest(token))
        .select_related("call", "commune")
        .first()
    )


def _structure_of(application: Application) -> Structure:
    """The structure already known under this SIRET, or by this name in this commune; a new
    one otherwise."""
    assert application.commune is not None
    known = Structure.objects.none()
    if application.siret:
        known = Structure.objects.filter(siret=application.siret)
    if not known.exists():
        known = Structure.objects.filter(
            name__iexact=application.structure_name.strip(), commune=application.commune
        )
    structure = known.order_by("pk").first()
    if structure is not None:
        return structure
    structure = Structure.objects.create(
        name=application.structure_name.strip(),
        kind=application.structure_kind,
        siret=application.siret,
        address=application.address,
        commune=application.commune,
        email=application.contact_email,
        phone=application.contact_phone,
    )
    audit.record(None, AuditEvent.Action.CREATE, structure, note=application.reference)
    return structure


def submit(application: Application, *, at: datetime | None = None) -> Application:
    """The applicant submits: the application is linked to its structure (found or created),
    the structure becomes a candidate, and the applicant receives an acknowledgement. `at`
    dates an application recorded afterwards (an import, the demo)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise NetworkError(_("Cette candidature a déjà été déposée."))
        if not locked.call.is_open_on(timezone.localtime(at).date()):
            raise NetworkError(_("Cet appel est clos : la candidature ne peut plus être déposée."))
        if locked.commune is None:
            raise NetworkError(_("Indiquez la commune de la structure."))
        structure = _structure_of(locked)
        locked.structure = structure
        locked.submitted_at = at
        locked.save(update_fields=["structure", "submitted_at", "updated_at"])
        Application.workflow.apply(locked, ApplicationStatus.SUBMITTED, by=None, at=at)
        move_structure(
            structure,
            RelayStatus.CANDIDATE,
            by=None,
            on=timezone.localtime(at).date(),
            note=str(_("Candidature %(reference)s") % {"reference": locked.reference}),
        )
    transaction.on_commit(partial(tasks.tell_applicant.enqueue, locked.pk, "submitted"))
    return locked


def shortlist(application: Application, *, by: Any, at: datetime | None = None) -> None:
    with transaction.atomic():
        Application.workflow.apply(application, ApplicationStatus.SHORTLISTED, by=by, at=at)
    transaction.on_commit(partial(tasks.tell_applicant.enqueue, application.pk, "shortlisted"))


def turn_down(
    application: Application, *, reason: str, by: Any, at: datetime | None = None
) -> None:
    """Not selected before the committee (e.g. not eligible), with the reason."""
    if not reason.strip():
        raise NetworkError(_("Indiquez le motif : il est communiqué à la structure."))
    at = at or timezone.now()
    with transaction.atomic():
        Application.workflow.apply(
            application, ApplicationStatus.NOT_SELECTED, by=by, at=at, note=reason[:255]
        )
        Application.objects.filter(pk=application.pk).update(decision_reason=reason, decided_at=at)
        if application.structure is not None:
            move_structure(
                application.structure,
                RelayStatus.PROSPECT,
                by=by,
                on=timezone.localtime(at).date(),
                note="",
            )
    transaction.on_commit(partial(tasks.tell_applicant.enqueue, application.pk, "not_selected"))


@dataclass(frozen=True)
class Decision:
    application: Application
    scores: dict[int, int]  # criterion id → score
    comment: str
    outcome: str  # "", selected or not_selected
    reason: str


def record_committee(
    call: Call,
    *,
    held_on: date,
    members: str,
    minutes: str,
    decisions: Iterable[Decision],
    by: Any,
) -> SelectionCommittee:
    """Record the committee's scores, comments and decisions in one transaction. An application
    left without a decision keeps its scores and stays shortlisted."""
    decisions = list(decisions)
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        already = call.applications.filter(status=ApplicationStatus.SELECTED).count()
        selecting = sum(1 for d in decisions if d.outcome == ApplicationStatus.SELECTED)
        if already + selecting > call.places:
            raise NetworkError(
                _(
                    "L'appel compte %(places)s places : %(already)s structures déjà retenues, "
                    "%(selecting)s de plus dépasseraient ce nombre."
                )
                % {"places": call.places, "already": already, "selecting": selecting}
            )
        for d in decisions:
            if d.outcome == ApplicationStatus.NOT_SELECTED and not d.reason.strip():
                raise NetworkError(
                    _("Indiquez le motif de la décision pour %(name)s.")
                    % {"name": d.application.structure_name}
                )
        committee = SelectionCommittee.objects.create(
            call=call, held_on=held_on, members=members, minutes=minutes, recorded_by=by
        )
        audit.record(by, AuditEvent.Action.CREATE, committee)
        decided_at = start_of(held_on)
        for d in decisions:
            application = d.application
            for criterion_id, score in d.scores.items():
                Assessment.objects.update_or_create(
                    application=application, criterion_id=criterion_id, defaults={"score": score}
                )
            Assessment.objects.filter(application=application).exclude(
                criterion_id__in=list(d.scores)
            ).delete()
            fields: dict[str, Any] = {"comment": d.comment}
            if d.outcome:
                Application.workflow.apply(
                    application, d.outcome, by=by, at=decided_at, note=d.reason[:255]
                )
                fields.update(
                    committee=committee,
                    decided_at=decided_at,
                    decision_reason=d.reason if d.outcome == ApplicationStatus.NOT_SELECTED else "",
                )
                target = (
                    RelayStatus.SELECTED
                    if d.outcome == ApplicationStatus.SELECTED
                    else RelayStatus.PROSPECT
                )
                if application.structure is not None:
                    move_structure(
                        application.structure,
                        target,
                        by=by,
                        on=held_on,
                        note=str(committee),
                    )
                transaction.on_commit(
                    partial(tasks.tell_applicant.enqueue, application.pk, d.outcome)
                )
            Application.objects.filter(pk=application.pk).update(**fields)
    return committee


# --- Coaching ---------------------------------------------------------------------------------


def start_coaching(
    structure: Structure,
    *,
    coach: Any,
    starts_on: date,
    months: int = 16,
    application: Application | None = None,
    by: Any,
) -> CoachingPlan:
    """The coaching starts: the plan is opened and the structure is *in coaching*."""
    with transaction.atomic():
        Structure.objects.select_for_update().get(pk=structure.pk)
        structure.refresh_from_db(fields=["relay_status"])
        if not Structure.relay_workflow.can(structure.relay_status, RelayStatus.IN_COACHING):
            raise NetworkError(
                _(
                    "Seule une structure sélectionnée peut commencer un accompagnement "
                    "(statut actuel : %(status)s)."
                )
                % {"status": structure.get_relay_status_display()}
            )
        selected_at = (
            Structure.relay_workflow.history(structure)
            .filter(to_state=RelayStatus.SELECTED)
            .order_by("at")
            .last()
        )
        if selected_at is not None and starts_on < timezone.localtime(selected_at.at).date():
            raise NetworkError(
                _("L'accompagnement ne peut pas commencer avant la sélection (le %(day)s).")
                % {"day": timezone.localtime(selected_at.at).strftime("%d/%m/%Y")}
            )
        plan = CoachingPlan.objects.create(
            structure=structure,
            application=application,
            coach=coach,
            starts_on=starts_on,
            ends_on=add_months(starts_on, months),
        )
        audit.record(by, AuditEvent.Action.CREATE, plan)
        Structure.relay_workflow.apply(
            structure, RelayStatus.IN_COACHING, by=by, at=start_of(starts_on)
        )
    return plan


def close_coaching(
    plans: Iterable[CoachingPlan],
    *,
    held_on: date,
    attendees: str,
    minutes: str,
    call: Call | None,
    by: Any,
) -> ClosingCommittee:
    """The closing committee ends the coaching of these structures: they become Relais
    Numériques, followed for one more year."""
    plans = list(plans)
    if not plans:
        raise NetworkError(_("Choisissez au moins un accompagnement à clôturer."))
    with transaction.atomic():
        locked = list(
            CoachingPlan.objects.select_for_update()
            .filter(pk__in=[p.pk for p in plans])
            .order_by("pk")
        )
        for plan in locked:
            if plan.status != CoachingStatus.IN_PROGRESS:
                raise NetworkError(
                    _("L'accompagnement de %(structure)s est déjà clôturé.")
                    % {"structure": plan.structure}
                )
            if held_on < plan.starts_on:
                raise NetworkError(
                    _("Le comité ne peut pas précéder le début de l'accompagnement de %(s)s.")
                    % {"s": plan.structure}
                )
        committee = ClosingCommittee.objects.create(
            call=call, held_on=held_on, attendees=attendees, minutes=minutes, recorded_by=by
        )
        audit.record(by, AuditEvent.Action.CREATE, committee)
        for plan in locked:
            CoachingPlan.workflow.apply(
                plan, CoachingStatus.CLOSED, by=by, at=start_of(held_on), note=str(committee)
            )
            plan.closed_on = held_on
            plan.closing = committee
            plan.save(update_fields=["closed_on", "closing"])
            move_structure(
                plan.structure, RelayStatus.RELAY, by=by, on=held_on, note=str(committee)
            )
    return committee


def remind_silent_coaches(today: date | None = None) -> int:
    """Remind each coach whose structure has had no contact for COACHING_SILENCE_DAYS; a
    reminder is claimed before it is queued, so one silence gives one reminder."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.COACHING_SILENCE_DAYS)
    queued = 0
    silent = (
        CoachingPlan.objects.followed_on(today)  # type: ignore[misc]
        .with_last_contact()
        .filter(last_contact__lte=limit)
        .values_list("pk", "last_contact")
    )
    for plan_pk, last in silent:
        try:
            with transaction.atomic():
                reminder = CoachingReminder.objects.create(plan_id=plan_pk, last_contact_on=last)
        except IntegrityError:
            continue
        transaction.on_commit(partial(tasks.remind_coach.enqueue, reminder.pk))
        queued += 1
    return queued


# --- Registrations ----------------------------------------------------------------------------


def register_to_training(
    session: TrainingSession,
    *,
    structure: Structure,
    full_name: str,
    email: str,
    user: Any = None,
    by: Any,
) -> TrainingRegistration:
    """A referent takes a seat, if one is left and the session is still to come."""
    email = email.strip().lower()
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.day < timezone.localdate():
            raise NetworkError(_("Cette session est passée : l'inscription est close."))
        if locked.registrations.filter(email=email).exists():
            raise NetworkError(_("Cette personne est déjà inscrite à cette session."))
        if locked.registrations.count() >= locked.capacity:
            raise NetworkError(_("Cette session est complète."))
        if user is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        registration = TrainingRegistration.objects.create(
            session=locked, structure=structure, user=user, full_name=full_name, email=email
        )
        audit.record(by, AuditEvent.Action.CREATE, registration)
    return registration


def register_to_meeting(
    meeting: InfoMeeting, *, full_name: str, structure_name: str, email: str, phone: str
) -> InfoMeetingRegistration:
    email = email.strip().lower()
    with transaction.atomic():
        locked = InfoMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.starts_at <= timezone.now():
            raise NetworkError(_("Cette réunion a déjà eu lieu."))
        if locked.registrations.filter(email=email).exists():
            raise NetworkError(_("Vous êtes déjà inscrit·e à cette réunion avec cet e-mail."))
        if locked.registrations.count() >= locked.capacity:
            raise NetworkError(_("Cette réunion est complète."))
        registration = InfoMeetingRegistration.objects.create(
            meeting=locked,
            full_name=full_name,
            structure_name=structure_name,
            email=email,
            phone=phone,
        )
    transaction.on_commit(partial(tasks.confirm_meeting_registration.enqueue, registration.pk))
    return registration


def remind_meeting_registrants(now: datetime | None = None) -> int:
    """Queue the reminder of every registration to a meeting within the next 24 hours; each is
    claimed by a conditional update, so it is sent once."""
    now = now or timezone.now()
    due = InfoMeetingRegistration.objects.filter(
        reminder_sent_at__isnull=True,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + timedelta(hours=24),
    )
    queued = 0
    for pk in list(due.values_list("pk", flat=True)):
        claimed = InfoMeetingRegistration.objects.filter(
            Q(pk=pk), reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if claimed:
            transaction.on_commit(partial(tasks.remind_meeting_registrant.enqueue, pk))
            queued += 1
    return queued


# --- Retention --------------------------------------------------------------------------------


def forget_old_contacts(today: date | None = None) -> tuple[int, int, int]:
    """Delete the drafts of calls closed APPLICATION_DRAFT_MONTHS ago; anonymise the contact
    persons of applications and the people registered to information meetings
    PEOPLE_RETENTION_MONTHS after the decision or the meeting. The organisations' names, the
    decisions and the attendance stay, counted."""
    today = today or timezone.localdate()
    drafts, _ = Application.objects.filter(
        status=ApplicationStatus.DRAFT,
        call__closes_on__lt=add_months(today, -settings.APPLICATION_DRAFT_MONTHS),
    ).delete()
    limit = start_of(add_months(today, -settings.PEOPLE_RETENTION_MONTHS))
    contacts = (
        Application.objects.submitted()
        .filter(Q(decided_at__lt=limit) | Q(decided_at__isnull=True, submitted_at__lt=limit))
        .exclude(contact_name="")
        .update(contact_name="", contact_role="", contact_email="", contact_phone="")
    )
    registrants = 0
    for registration in InfoMeetingRegistration.objects.filter(
        meeting__starts_at__lt=limit
    ).exclude(full_name=""):
        registration.full_name = ""
        registration.email = f"anonyme-{registration.pk}@anonyme.invalid"
        registration.phone = ""
        registration.save(update_fields=["full_name", "email", "phone"])
        registrants += 1
    return drafts, contacts, registrants


def forget_old_contacts_report() -> str:
    """`forget_old_contacts`, as the retention command reports it."""
    drafts, contacts, registrants = forget_old_contacts()
    return (
        f"{drafts} brouillon(s) de candidature supprimé(s), {contacts} contact(s) de "
        f"candidature et {registrants} inscrit(s) aux réunions d'information anonymisé(s)."
    )
