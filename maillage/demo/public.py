"""The demo's public agenda, relative to the day it is built: the Hautes-Alpes relays have
opening hours, public workshops and bookable drop-in slots in the coming two weeks, and a few
bookings (one workshop full with a waiting list, a drop-in booked today), so that finding a
place, booking and turning a booking into a drop-in can be tried on the demo today."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.bookings.enums import BookingStatus
from maillage.bookings.models import Booking
from maillage.demo.learning import _at, _mediators
from maillage.learning.enums import Theme
from maillage.learning.models import DropInSlot, Workshop
from maillage.network.enums import RelayOffer, RelayStatus, Service, StructureKind, SupportMode
from maillage.network.models import Structure
from maillage.territories.models import Commune

WEEKDAYS = ("mo", "tu", "we", "th", "fr")
HOURS: list[dict[str, list[list[str]]]] = [
    {day: [["09:00", "12:00"], ["14:00", "17:00"]] for day in WEEKDAYS},
    {"tu": [["14:00", "17:30"]], "th": [["14:00", "17:30"]], "sa": [["09:30", "12:00"]]},
    {day: [["09:00", "17:00"]] for day in WEEKDAYS},
    {"mo": [["13:30", "17:00"]], "we": [["09:00", "12:00"]], "fr": [["09:00", "12:00"]]},
]
WORKSHOPS = [
    ("Premiers pas sur le smartphone", [Theme.DEVICE]),
    ("Faire ses démarches en ligne", [Theme.PROCEDURES]),
    ("Envoyer un e-mail avec une pièce jointe", [Theme.EMAIL]),
    ("Se protéger des arnaques en ligne", [Theme.SAFETY]),
]
# Invented people of the public, with numbers of the range kept for fiction (06 39 98…).
PUBLIC = [("Josiane", "+33639980101"), ("Ahmad", "+33639980102"), ("Olena", "+33639980103")]


def _book(activity: Workshop | DropInSlot, index: int, status: str, purpose: str = "") -> Booking:
    first_name, phone = PUBLIC[index % len(PUBLIC)]
    booking = Booking.objects.create(
        structure=activity.structure,
        workshop=activity if isinstance(activity, Workshop) else None,
        slot=activity if isinstance(activity, DropInSlot) else None,
        starts_at=activity.starts_at,
        first_name=first_name,
        phone=phone,
        sms_consent=True,
        purpose=purpose,
        status=status,
    )
    Booking.workflow.start(booking, by=None)
    return booking


def build_public_agenda(today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    relays = list(
        Structure.objects.filter(
            commune__department__code="05", relay_status=RelayStatus.RELAY
        ).order_by("pk")
    )
    mediators = _mediators("05")
    workshops, slots = [], []
    for index, place in enumerate(relays):
        if not place.hours:
            place.hours = HOURS[index % len(HOURS)]
            place.save(update_fields=["hours"])
        mediator = mediators[index % len(mediators)]
        for week in range(2):
            day = today + timedelta(days=1 + (index % 5) + 7 * week)
            title, themes = WORKSHOPS[(index + week) % len(WORKSHOPS)]
            workshop = Workshop.objects.create(
                title=title,
                themes=themes,
                structure=place,
                starts_at=_at(day, time(14, 0)),
                is_public=True,
                capacity=6,
            )
            workshop.facilitators.add(mediator)
            workshops.append(workshop)
            slots.append(
                DropInSlot.objects.create(
                    facilitator=mediator,
                    structure=place,
                    starts_at=_at(day + timedelta(days=1), time(9, 30)),
                    minutes=180,
                    bookable_seats=4,
                )
            )
    # The first workshop is full, with one person waiting; a drop-in today has two bookings.
    full = workshops[0]
    full.capacity = 2
    full.save(update_fields=["capacity"])
    _book(full, 0, BookingStatus.BOOKED)
    _book(full, 1, BookingStatus.BOOKED)
    _book(full, 2, BookingStatus.WAITING)
    today_slot = DropInSlot.objects.create(
        facilitator=mediators[0],
        structure=relays[0],
        starts_at=_at(today, time(14, 0)),
        minutes=180,
        bookable_seats=4,
    )
    _book(today_slot, 0, BookingStatus.BOOKED, "Créer mon compte Ameli")
    _book(today_slot, 2, BookingStatus.BOOKED, "Envoyer un document à la CAF")
    site_slots = build_network_site(today)
    return {
        "places": len(relays) + 1,
        "workshops": len(workshops),
        "slots": len(slots) + 1 + site_slots,
    }


def build_network_site(today: date) -> int:
    """The network's own premises in Reims: found in the search like the relays, with its
    team's drop-ins to book over the coming two weeks."""
    site = Structure.objects.create(
        name="Antenne Maillage de Reims",
        kind=StructureKind.NETWORK_SITE,
        commune=Commune.objects.get(code="51454"),
        address="12 rue de Vesle",
        phone="+33326000000",
        hours={day: [["09:30", "12:30"], ["13:30", "17:30"]] for day in WEEKDAYS},
        services=[str(Service.EVERYDAY_TOOLS), str(Service.ADMIN_PROCEDURES), str(Service.ACCESS)],
        support_modes=[str(SupportMode.INDIVIDUAL), str(SupportMode.COLLECTIVE)],
        relay_offer=[
            str(RelayOffer.DROP_INS),
            str(RelayOffer.WORKSHOPS),
            str(RelayOffer.EQUIPMENT_SALE),
            str(RelayOffer.SIM_CARDS),
        ],
    )
    mediators = _mediators("51")
    days = [today + timedelta(days=n) for n in range(1, 15)]
    weekdays = [day for day in days if day.weekday() in (1, 3)]
    for index, day in enumerate(weekdays):
        DropInSlot.objects.create(
            facilitator=mediators[index % len(mediators)],
            structure=site,
            starts_at=_at(day, time(9, 30)),
            minutes=180,
            bookable_seats=4,
        )
    return len(weekdays)
