"""Operations on people and referrals that span several models: each runs in one transaction,
writes the audit journal (never a person's data itself) and sends messages after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.core.statemachine import forget_notes_about, notes_about
from maillage.notifications.sms import Sms, send_sms
from maillage.people import registry, tasks
from maillage.people.enums import OPEN_REFERRAL_STATUSES, ReferralStatus, SocialSituation
from maillage.people.models import Beneficiary, Consent, Referral


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the fields that changed: the journal keeps names, never a person's values."""
    return sorted(audit.diff(before, after))


def created_fields(beneficiary: Beneficiary) -> list[str]:
    """The names of the fields filled in on a new record, for the journal."""
    return _changed_fields({}, audit.values(beneficiary, Beneficiary.EDITABLE_FIELDS))


def create_beneficiary(
    beneficiary: Beneficiary,
    *,
    by: Any,
    consents: Sequence[str] = (),
    note: str = "",
) -> Beneficiary:
    with transaction.atomic():
        beneficiary.created_by = audit.author(by)
        beneficiary.save()
        for purpose in consents:
            Consent.objects.create(
                beneficiary=beneficiary, purpose=purpose, recorded_by=beneficiary.created_by
            )
        audit.record(
            by,
            AuditEvent.Action.CREATE,
            beneficiary,
            changes={"fields": created_fields(beneficiary)},
            note=note,
        )
    return beneficiary


def update_beneficiary(beneficiary: Beneficiary, before: dict[str, Any], *, by: Any) -> None:
    """Save a changed record and journal the names of the changed fields."""
    with transaction.atomic():
        beneficiary.save()
        fields = _changed_fields(before, audit.values(beneficiary, Beneficiary.EDITABLE_FIELDS))
        if fields:
            audit.record(by, AuditEvent.Action.UPDATE, beneficiary, changes={"fields": fields})


def merge_into(
    existing: Beneficiary, typed: dict[str, Any], *, by: Any, consents: Sequence[str] = ()
) -> Beneficiary:
    """The person typed on the creation form is one already known: the filled-in fields update
    the existing record instead of creating a duplicate."""
    with transaction.atomic():
        locked = Beneficiary.objects.select_for_update().get(pk=existing.pk)
        before = audit.values(locked, Beneficiary.EDITABLE_FIELDS)
        for name in Beneficiary.EDITABLE_FIELDS:
            value = typed.get(name)
            if value not in (None, "", [], SocialSituation.UNDISCLOSED):
                setattr(locked, name, value)
        locked.save()
        for purpose in consents:
            if locked.active_consent(purpose) is None:
                Consent.objects.create(beneficiary=locked, purpose=purpose, recorded_by=by)
        audit.record(
            by,
            AuditEvent.Action.MERGE,
            locked,
            changes={
                "fields": _changed_fields(before, audit.values(locked, Beneficiary.EDITABLE_FIELDS))
            },
        )
    return locked


def give_consent(
    beneficiary: Beneficiary, purpose: str, *, by: Any, on: date | None = None
) -> Consent:
    with transaction.atomic():
        Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        consent = beneficiary.active_consent(purpose)
        if consent is None:
            consent = Consent.objects.create(
                beneficiary=beneficiary,
                purpose=purpose,
                given_on=on or timezone.localdate(),
                recorded_by=by,
            )
            audit.record(
                by, AuditEvent.Action.UPDATE, beneficiary, changes={"consent_given": purpose}
            )
    return consent


def withdraw_consent(beneficiary: Beneficiary, purpose: str, *, by: Any) -> bool:
    with transaction.atomic():
        changed = Consent.objects.filter(
            beneficiary=beneficiary, purpose=purpose, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawn_by=by)
        if changed:
            audit.record(
                by, AuditEvent.Action.UPDATE, beneficiary, changes={"consent_withdrawn": purpose}
            )
    return bool(changed)


def send_sms_to(beneficiary: Beneficiary, body: str) -> Sms | None:
    """Every SMS to a person goes through here: without an active SMS consent (checked at the
    moment of sending), nothing is sent."""
    fresh = Beneficiary.objects.get(pk=beneficiary.pk)
    if not fresh.may_receive_sms():
        return None
    return send_sms(fresh.phone, body)


def record_view(beneficiary: Beneficiary, *, by: Any) -> None:
    audit.record(by, AuditEvent.Action.VIEW, beneficiary)


def export_person(beneficiary: Beneficiary, *, by: Any) -> dict[str, Any]:
    """Everything held on a person (GDPR article 15), JSON-safe; the export is journalled."""
    audit.record(by, AuditEvent.Action.EXPORT, beneficiary)
    record = {
        name: audit.values(beneficiary, [name])[name]
        for name in (
            "reference",
            "is_anonymous",
            *Beneficiary.EDITABLE_FIELDS,
            "age_band",
            "last_contact_on",
            "created_at",
        )
    }
    record["structure"] = beneficiary.structure.name
    referral_notes = notes_about(beneficiary.referrals.all())
    record["commune"] = beneficiary.commune.name if beneficiary.commune else None
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": record,
        "consents": [
            {
                "purpose": c.purpose,
                "given_on": c.given_on.isoformat(),
                "recorded_by": str(c.recorded_by or ""),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in beneficiary.consents.select_related("recorded_by")
        ],
        "referrals": [
            {
                "reference": r.reference,
                "sent_at": r.created_at.isoformat(),
                "to_structure": r.to_structure.name,
                "referrer_organisation": r.referrer_organisation,
                "needs": r.needs,
                "urgency": r.urgency,
                "eligibility": r.eligibility,
                "message": r.message,
                "status": r.status,
                "status_notes": referral_notes.get(str(r.pk), []),
            }
            for r in beneficiary.referrals.select_related("to_structure")
        ],
        "journal": [
            {"at": e.at.isoformat(), "action": e.action, "by": str(e.actor or "")}
            for e in AuditEvent.objects.for_object(beneficiary).select_related("actor")
        ],
    }
    for provider in registry.providers():
        data[provider.key] = provider.export(beneficiary)
    return data


def erase(beneficiary: Beneficiary, *, by: Any, note: str = "") -> Beneficiary:
    """Anonymise a person (GDPR article 17, or the retention period): what identifies them goes,
    what counts them stays (structure, gender, birth year, age band, dates of activities)."""
    with transaction.atomic():
        locked = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
        if locked.birth_year:
            locked.age_band = locked.band_on(timezone.localdate())
        for name in Beneficiary.PERSONAL_FIELDS:
            field = Beneficiary._meta.get_field(name)
            setattr(locked, field.attname, field.get_default() if not field.null else None)  # type: ignore[union-attr]
        locked.social_situation = SocialSituation.UNDISCLOSED
        locked.is_anonymous = True
        locked.erased_at = timezone.now()
        locked.save()
        locked.consents.all().delete()
        for referral in locked.referrals.all():
            erase_referral(referral)
        for provider in registry.providers():
            provider.erase(locked)
        audit.record(by, AuditEvent.Action.ERASE, locked, note=note)
    return locked


def erase_referral(referral: Referral) -> None:
    forget_notes_about(Referral.objects.filter(pk=referral.pk))
    for name in Referral.PERSONAL_FIELDS:
        field = Referral._meta.get_field(name)
        setattr(referral, field.attname, None if field.null else field.get_default())  # type: ignore[union-attr]
    referral.first_name = "—"
    referral.erased_at = timezone.now()
    referral.save()


def retention_limit(today: date | None = None) -> date:
    """People whose last contact is before this date are due for anonymisation."""
    today = today or timezone.localdate()
    months = settings.PEOPLE_RETENTION_MONTHS
    year, month = divmod(today.month - 1 - months, 12)
    day = min(today.day, 28)
    return date(today.year + year, month + 1, day)


def purge_inactive(*, today: date | None = None) -> tuple[int, int]:
    """Anonymise the people, and the closed referrals, past the retention period."""
    limit = retention_limit(today)
    people = 0
    for beneficiary in Beneficiary.objects.inactive_since(limit).filter(erased_at__isnull=True):
        erase(beneficiary, by=None, note="retention")
        people += 1
    referrals = 0
    cutoff = timezone.make_aware(datetime.combine(limit, time.min))
    for referral in Referral.objects.exclude(status__in=OPEN_REFERRAL_STATUSES).filter(
        erased_at__isnull=True, beneficiary__isnull=True, status_changed_at__lt=cutoff
    ):
        erase_referral(referral)
        referrals += 1
    return people, referrals


def due_for_anonymisation(queryset: Any, *, today: date | None = None) -> Any:
    """Named people who will be anonymised within the warning period."""
    today = today or timezone.localdate()
    warning = settings.PEOPLE_RETENTION_WARNING_DAYS
    return (
        queryset.named()
        .filter(
            erased_at__isnull=True,
            last_contact_on__lt=retention_limit(today + timedelta(days=warning)),
        )
        .order_by("last_contact_on")
    )


# --- Referrals ---------------------------------------------------------------


def send_referral(referral: Referral, *, by: Any) -> Referral:
    with transaction.atomic():
        referral.save()
        audit.record(by, AuditEvent.Action.CREATE, referral)
        Referral.workflow.start(referral, by=by)
        transaction.on_commit(lambda: tasks.tell_team_of_new_referral.enqueue(referral.pk))
    return referral


def move_referral(referral: Referral, target: str, *, by: Any, note: str = "") -> None:
    """One step of the referral's workflow; the referrer is told by e-mail."""
    with transaction.atomic():
        Referral.workflow.apply(referral, target, by=by, note=note)
        fields: dict[str, Any] = {"status_changed_at": timezone.now(), "reminded_at": None}
        if target == ReferralStatus.DECLINED:
            fields["decline_reason"] = note
        Referral.objects.filter(pk=referral.pk).update(**fields)
        for name, value in fields.items():
            setattr(referral, name, value)
        transaction.on_commit(lambda: tasks.tell_referrer.enqueue(referral.pk, target))


def accept_referral(referral: Referral, beneficiary: Beneficiary, *, by: Any) -> None:
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(beneficiary=beneficiary)
        referral.beneficiary = beneficiary
        move_referral(referral, ReferralStatus.ACCEPTED, by=by)
        beneficiary.touch()


def remind_and_expire(*, now: Any = None) -> tuple[int, int]:
    """Daily: expire referrals older than the expiry delay, and remind the receiving team of
    those left without a change for the reminder delay (once)."""
    now = now or timezone.now()
    expired = 0
    for referral in Referral.objects.open().filter(
        created_at__lt=now - timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
    ):
        move_referral(referral, ReferralStatus.EXPIRED, by=None)
        expired += 1
    reminded = 0
    for referral in Referral.objects.waiting_since(
        now - timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    ).filter(reminded_at__isnull=True):
        Referral.objects.filter(pk=referral.pk).update(reminded_at=now)
        transaction.on_commit(partial(tasks.remind_team.enqueue, referral.pk))
        reminded += 1
    return expired, reminded
