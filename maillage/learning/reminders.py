"""Reminders the day before a session: an SMS, and an e-mail where there is one, to each
enrolled learner who agreed to reminders. Never twice for the same session and person."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from maillage.learning.enums import CohortStatus, EnrolmentStatus
from maillage.learning.models import ReminderSent, Session
from maillage.notifications.sms import SmsError
from maillage.people.enums import ConsentPurpose
from maillage.people.models import Beneficiary
from maillage.people.services import send_sms_to

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    session: Session
    beneficiary: Beneficiary
    channel: str
    text: str


def day_span(day: date) -> tuple[datetime, datetime]:
    """The first and last moments of a day, in the site's time zone: what a reminder sent
    for that day covers."""
    return (
        timezone.make_aware(datetime.combine(day, time.min)),
        timezone.make_aware(datetime.combine(day, time.max)),
    )


def sessions_on(day: date) -> Any:
    return (
        Session.objects.filter(starts_at__range=day_span(day))
        .exclude(cohort__status__in=[CohortStatus.CANCELLED, CohortStatus.COMPLETED])
        .select_related("cohort__course", "cohort__structure__commune")
        .order_by("starts_at")
    )


def message_for(session: Session) -> str:
    """Short, plain French, with the place and the time."""
    with override("fr"):
        moment = timezone.localtime(session.starts_at)
        return _(
            "Rappel : séance « %(course)s » demain %(day)s à %(hour)s, %(place)s. "
            "Répondez STOP pour ne plus recevoir de rappels."
        ) % {
            "course": session.cohort.course.title,
            "day": formats.date_format(moment, "l j F"),
            "hour": formats.time_format(moment, "G \\h i").replace(" 00", ""),
            "place": session.where,
        }


def planned_for(session: Session) -> list[Planned]:
    """The reminders this session calls for, whether sent already or not."""
    learners = Beneficiary.objects.filter(
        enrolments__cohort=session.cohort,
        enrolments__status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED],
        consents__purpose=ConsentPurpose.SMS,
        consents__withdrawn_at__isnull=True,
    ).distinct()
    text = message_for(session)
    planned = []
    for person in learners:
        if person.phone:
            planned.append(Planned(session, person, ReminderSent.Channel.SMS, text))
        if person.email:
            planned.append(Planned(session, person, ReminderSent.Channel.EMAIL, text))
    return planned


def send(planned: Planned) -> bool:
    """Claim the reminder's row, then send; if nothing goes out (no consent any more, a provider
    failure) the claim is given back. Returns whether something was sent now."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                session=planned.session, beneficiary=planned.beneficiary, channel=planned.channel
            )
            sent = _deliver(planned)
            if not sent:
                transaction.set_rollback(True)
            return sent
    except IntegrityError:
        return False  # already sent by an earlier run


def _deliver(planned: Planned) -> bool:
    if planned.channel == ReminderSent.Channel.SMS:
        # send_sms_to checks the consent again at the moment of sending.
        try:
            return send_sms_to(planned.beneficiary, planned.text) is not None
        except SmsError:
            logger.warning(
                "SMS reminder not sent for session %s", planned.session.pk, exc_info=True
            )
            return False
    person = Beneficiary.objects.get(pk=planned.beneficiary.pk)
    if person.active_consent(ConsentPurpose.SMS) is None or not person.email:
        return False
    with override("fr"):
        subject = _("Rappel : votre séance de demain")
    return bool(send_mail(subject, planned.text, None, [person.email]))
