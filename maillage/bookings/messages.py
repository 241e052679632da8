"""What a person who booked receives, by SMS and by e-mail, in the language they chose: short
sentences with the place, the date and the link to see or cancel."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from maillage.bookings.models import Booking

KINDS = ("confirmed", "waiting", "promoted", "cancelled", "reminder")


def _when(booking: Booking) -> dict[str, str]:
    moment = timezone.localtime(booking.starts_at)
    structure = booking.structure
    address = ", ".join(part for part in (structure.address, structure.commune.name) if part)
    return {
        "title": booking.title,
        "day": formats.date_format(moment, "l j F"),
        "hour": formats.time_format(moment, "G \\h i").replace(" 00", ""),
        "place": structure.name,
        "address": address,
        "link": settings.SITE_URL + booking.get_public_url(),
    }


def text(booking: Booking, kind: str) -> str:
    """The message, in the booking's language."""
    with translation.override(booking.language):
        values = _when(booking)
        if kind == "confirmed":
            return (
                _(
                    "Réservation confirmée : %(title)s, %(day)s à %(hour)s, %(place)s, "
                    "%(address)s. Pour voir ou annuler : %(link)s"
                )
                % values
            )
        if kind == "waiting":
            return (
                _(
                    "Vous êtes sur la liste d'attente : %(title)s, %(day)s à %(hour)s, "
                    "%(place)s. Nous vous prévenons si une place se libère. Pour annuler : "
                    "%(link)s"
                )
                % values
            )
        if kind == "promoted":
            return (
                _(
                    "Une place s'est libérée pour vous : %(title)s, %(day)s à %(hour)s, "
                    "%(place)s, %(address)s. Si vous ne pouvez pas venir : %(link)s"
                )
                % values
            )
        if kind == "cancelled":
            return _("Votre réservation du %(day)s à %(hour)s, %(place)s, est annulée.") % values
        if kind == "reminder":
            return (
                _(
                    "Rappel : %(title)s demain, %(day)s à %(hour)s, %(place)s, %(address)s. "
                    "Si vous ne pouvez pas venir : %(link)s"
                )
                % values
            )
    raise ValueError(kind)


def subject(booking: Booking) -> str:
    with translation.override(booking.language):
        return _("Votre réservation : %(place)s") % {"place": booking.structure.name}
