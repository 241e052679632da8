from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulé")
    ATTENDED = "attended", _("Venu·e")
    NO_SHOW = "no_show", _("Absent·e")


# Who may move a booking where: the public cancels; a seat freed moves the first waiting
# booking up; the staff record who came. A mistake on the day can be corrected.
BOOKING_TRANSITIONS: dict[str, list[str]] = {
    BookingStatus.WAITING: [BookingStatus.BOOKED, BookingStatus.CANCELLED],
    BookingStatus.BOOKED: [BookingStatus.CANCELLED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW],
    BookingStatus.NO_SHOW: [BookingStatus.ATTENDED],
}

# A booking that holds a seat.
HOLDS_A_SEAT = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
# A booking still to come, counted against the limit per phone number.
ACTIVE = (BookingStatus.BOOKED, BookingStatus.WAITING)
