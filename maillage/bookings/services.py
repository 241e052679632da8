"""Booking a seat, cancelling it, moving the waiting list up, and turning a booking into what
the staff record: each in one transaction, the activity's row locked so that two people never
get the last seat, the messages sent after the commit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.bookings.enums import BookingStatus
from maillage.bookings.models import Booking
from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.learning import services as learning
from maillage.learning.models import DropIn, DropInSlot, Workshop
from maillage.people.enums import AgeBand, Gender


class BookingRefused(Exception):
    """The booking cannot be made; the message says why, in the person's language."""


@dataclass(frozen=True)
class Request:
    first_name: str
    phone: str
    email: str
    purpose: str
    sms_consent: bool
    language: str
    booked_by: str = ""


def seats(activity: Workshop | DropInSlot) -> int:
    if isinstance(activity, Workshop):
        return activity.capacity
    return activity.bookable_seats


def with_free_seats(activities: list[Any]) -> list[Any]:
    """Set `free_seats` on each activity: its seats less the followed participants (of a
    workshop) and the bookings that hold a seat. Three queries whatever the number."""
    workshops = [a.pk for a in activities if isinstance(a, Workshop)]
    slots = [a.pk for a in activities if isinstance(a, DropInSlot)]
    held = Booking.objects.holding_seats().order_by()
    taken: Counter[tuple[str, int]] = Counter()
    for pk, n in (
        held.filter(workshop__in=workshops).values_list("workshop").annotate(n=Count("pk"))
    ):
        taken[("workshop", pk)] += n
    for pk, n in held.filter(slot__in=slots).values_list("slot").annotate(n=Count("pk")):
        taken[("slot", pk)] += n
    for pk, n in (
        Workshop.participants.through.objects.filter(workshop__in=workshops)
        .order_by()
        .values_list("workshop")
        .annotate(n=Count("pk"))
    ):
        taken[("workshop", pk)] += n
    for activity in activities:
        kind = "workshop" if isinstance(activity, Workshop) else "slot"
        activity.free_seats = max(0, seats(activity) - taken[(kind, activity.pk)])
    return activities


def free_seats(activity: Workshop | DropInSlot) -> int:
    return int(with_free_seats([activity])[0].free_seats)


def is_bookable(activity: Workshop | DropInSlot, now: datetime) -> bool:
    if activity.starts_at <= now or seats(activity) == 0:
        return False
    if isinstance(activity, Workshop):
        return activity.is_public and activity.structure.is_public
    return activity.structure.is_public


def _locked(activity: Workshop | DropInSlot) -> Workshop | DropInSlot:
    return type(activity).objects.select_for_update().get(pk=activity.pk)


def _send_later(booking: Booking, kind: str) -> None:
    from maillage.bookings.tasks import send_booking_message

    transaction.on_commit(partial(send_booking_message.enqueue, booking.pk, kind))


def book(activity: Workshop | DropInSlot, asked: Request, *, wait: bool = False) -> Booking:
    """A seat if one is free; else, if the person asked for it, a place on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        activity = _locked(activity)
        if not is_bookable(activity, now):
            raise BookingRefused(_("Cette date n'est plus ouverte à la réservation."))
        mine = Booking.objects.for_phone(asked.phone).to_come(now)
        if asked.phone and mine.of_activity(activity).exists():
            raise BookingRefused(_("Ce numéro a déjà une réservation pour cette date."))
        if mine.count() >= settings.BOOKINGS_PER_PHONE:
            raise BookingRefused(
                _(
                    "Ce numéro a déjà %(count)s réservations à venir : annulez-en une ou "
                    "appelez le lieu."
                )
                % {"count": settings.BOOKINGS_PER_PHONE}
            )
        full = free_seats(activity) == 0
        if full and not wait:
            raise BookingRefused(_("Il n'y a plus de place libre à cette date."))
        booking = Booking.objects.create(
            structure=activity.structure,
            workshop=activity if isinstance(activity, Workshop) else None,
            slot=activity if isinstance(activity, DropInSlot) else None,
            starts_at=activity.starts_at,
            first_name=asked.first_name,
            phone=asked.phone,
            email=asked.email,
            purpose=asked.purpose,
            sms_consent=asked.sms_consent,
            language=asked.language,
            booked_by=asked.booked_by,
            status=BookingStatus.WAITING if full else BookingStatus.BOOKED,
        )
        Booking.workflow.start(booking, by=None)
        audit.record(None, AuditEvent.Action.CREATE, booking)
        _send_later(booking, "waiting" if full else "confirmed")
    return booking


def cancel(booking: Booking, *, by: Any = None) -> None:
    """The person (through their link) or the staff cancel; the first on the waiting list gets
    the seat."""
    with transaction.atomic():
        _locked(booking.activity)
        Booking.workflow.apply(booking, BookingStatus.CANCELLED, by=by)
        _send_later(booking, "cancelled")
        move_waiting_list_up(booking.activity)


def move_waiting_list_up(activity: Workshop | DropInSlot) -> list[Booking]:
    """Give each free seat to the first person waiting; they are told by SMS or e-mail."""
    moved: list[Booking] = []
    with transaction.atomic():
        activity = _locked(activity)
        if activity.starts_at <= timezone.now():
            return moved
        free = free_seats(activity)
        for booking in Booking.objects.of_activity(activity).filter(status=BookingStatus.WAITING)[
            :free
        ]:
            Booking.workflow.apply(booking, BookingStatus.BOOKED, by=None)
            _send_later(booking, "promoted")
            moved.append(booking)
    return moved


def came_to_workshop(booking: Booking, *, by: Any) -> None:
    """A person who booked came to the workshop: counted among its anonymous participants."""
    workshop = booking.workshop
    assert workshop is not None
    with transaction.atomic():
        _locked(workshop)
        groups = Counter({(g.gender, g.age_band): g.count for g in workshop.walk_ins.all()})
        groups[(Gender.UNDISCLOSED, AgeBand.UNKNOWN)] += 1
        learning.record_workshop(workshop, groups, report=workshop.report, by=by)
        Booking.workflow.apply(booking, BookingStatus.ATTENDED, by=by)


def came_to_drop_in(booking: Booking, drop_in: DropIn, *, by: Any) -> None:
    """The drop-in recorded from a booking is linked to it."""
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(drop_in=drop_in)
        booking.drop_in = drop_in
        Booking.workflow.apply(booking, BookingStatus.ATTENDED, by=by)


def did_not_come(booking: Booking, *, by: Any) -> None:
    Booking.workflow.apply(booking, BookingStatus.NO_SHOW, by=by)


def claim_reminder(booking: Booking, now: datetime) -> bool:
    """True once per booking: the reminder is claimed by the first worker that asks."""
    return bool(
        Booking.objects.filter(pk=booking.pk, reminded_at=None, status=BookingStatus.BOOKED).update(
            reminded_at=now
        )
    )


def forget_old_bookings(now: datetime) -> int:
    """A booking names a person for BOOKING_KEEP_DAYS after its date, then only counts."""
    return Booking.objects.past_keeping(now).update(
        first_name="—", phone="", email="", purpose="", booked_by="", erased_at=now
    )


def booking_to_record(user: Any, raw_pk: str) -> Booking | None:
    """The drop-in booking a drop-in is being recorded from, if this person handles it."""
    if not raw_pk.isdigit():
        return None
    return (
        Booking.objects.handled_by(user)
        .filter(pk=int(raw_pk), slot__isnull=False)
        .filter(status__in=[BookingStatus.BOOKED, BookingStatus.NO_SHOW])
        .select_related("slot")
        .first()
    )


def shown_to_staff(user: Any, activity: Workshop | DropInSlot) -> list[Booking]:
    """The bookings of an activity the staff act on: all but the cancelled ones."""
    return list(
        Booking.objects.handled_by(user)
        .of_activity(activity)
        .exclude(status=BookingStatus.CANCELLED)
    )


def coming_at(place: Any, now: datetime, limit: int = 10) -> tuple[list[Any], list[Any]]:
    """A place's public workshops (60 days) and drop-in slots (30 days) to come, with their
    free seats: what its public page announces and what can be booked."""
    workshops = Workshop.objects.announced(now).filter(structure=place)[:limit]
    slots = DropInSlot.objects.filter(
        structure=place, starts_at__gte=now, starts_at__lt=now + timedelta(days=30)
    ).order_by("starts_at")[:limit]
    return with_free_seats(list(workshops)), with_free_seats(list(slots))
