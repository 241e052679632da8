"""Messages to the people who booked, sent by the tasks worker after the transaction commits."""

from __future__ import annotations

import logging
from datetime import date

from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from maillage.bookings import messages, services
from maillage.bookings.enums import BookingStatus
from maillage.bookings.models import Booking
from maillage.learning.reminders import day_span
from maillage.notifications.sms import SmsError, send_sms

logger = logging.getLogger(__name__)


@task()
def send_booking_message(booking_pk: int, kind: str) -> int:
    """By SMS where the person agreed to it, by e-mail where they gave one. Returns how many
    messages went out."""
    booking = (
        Booking.objects.select_related("structure__commune", "workshop")
        .filter(pk=booking_pk, erased_at=None)
        .first()
    )
    if booking is None:
        return 0
    body = messages.text(booking, kind)
    sent = 0
    if booking.phone and booking.sms_consent:
        try:
            send_sms(booking.phone, body)
            sent += 1
        except SmsError:
            logger.warning("Booking %s: the SMS %s was not sent.", booking.pk, kind)
    if booking.email:
        sent += send_mail(messages.subject(booking), body, None, [booking.email])
    return sent


def bookings_on(day: date) -> list[Booking]:
    return list(
        Booking.objects.filter(
            starts_at__range=day_span(day), status=BookingStatus.BOOKED, reminded_at=None
        )
    )


@task()
def send_booking_reminders(day: str) -> int:
    """The reminders of the bookings of a day, each claimed once whoever runs it."""
    sent = 0
    now = timezone.now()
    for booking in bookings_on(date.fromisoformat(day)):
        if services.claim_reminder(booking, now):
            sent += send_booking_message.call(booking.pk, "reminder")
    return sent
