"""Booking by the public: a seat in a public workshop or a drop-in appointment, confirmed by SMS
or e-mail with a signed link to see or cancel; the waiting list; the limits; the social worker
booking for someone; the staff turning a booking into what they record; the reminder the day
before, sent once; bookings forgotten after their keeping time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.bookings.enums import BookingStatus
from maillage.bookings.models import Booking
from maillage.learning.models import DropIn, DropInSlot, Workshop
from maillage.notifications.sms import LocmemBackend
from maillage.people.enums import AgeBand, Gender
from maillage.people.models import ReferralLink
from tests.conftest import World, text

ANNE = {"first_name": "Anne", "phone": "06 12 34 56 78", "sms_consent": "on"}


@pytest.fixture(autouse=True)
def _outbox() -> None:
    LocmemBackend.outbox.clear()


@pytest.fixture
def place(world: World) -> Any:
    place = world.ccas_reims
    place.is_public, place.address, place.phone = True, "9 rue Eugène Desteuque", "+33326000000"
    place.save()
    return place


@pytest.fixture
def workshop(place: Any) -> Workshop:
    return Workshop.objects.create(
        title="Premiers pas sur la tablette",
        structure=place,
        starts_at=timezone.now() + timedelta(days=3),
        is_public=True,
        capacity=2,
    )


@pytest.fixture
def slot(world: World, place: Any) -> DropInSlot:
    return DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=place,
        starts_at=timezone.now() + timedelta(days=2),
        bookable_seats=1,
    )


def _book(client: Any, url: str, capture: Any, **data: Any) -> Any:
    with capture(execute=True):
        return client.post(url, data)


def test_a_person_books_a_workshop_seat_and_gets_an_sms_with_the_link(
    client: Any, workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/reserver/atelier/{workshop.pk}/"
    page = text(client.get(url))
    assert "Premiers pas sur la tablette" in page and "Encore 2 places libres." in page
    response = _book(client, url, django_capture_on_commit_callbacks, **ANNE, purpose="Mes e-mails")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.phone == "+33612345678"
    assert response["Location"] == booking.get_public_url()
    assert "Votre réservation est confirmée." in text(client.get(response["Location"]))
    [sms] = LocmemBackend.outbox
    assert sms.to == "+33612345678"
    assert "Réservation confirmée : Premiers pas sur la tablette" in sms.body
    assert "CCAS de Reims, 9 rue Eugène Desteuque, Reims" in sms.body
    assert booking.get_public_url() in sms.body
    assert mail.outbox == []


def test_an_email_alone_is_enough_and_gets_the_confirmation(
    client: Any, workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    _book(
        client,
        f"/reserver/atelier/{workshop.pk}/",
        django_capture_on_commit_callbacks,
        first_name="Karim",
        email="karim@exemple.test",
    )
    assert LocmemBackend.outbox == []
    assert mail.outbox[0].to == ["karim@exemple.test"]
    assert "Réservation confirmée" in mail.outbox[0].body


def test_the_form_asks_for_a_way_to_confirm_and_a_valid_number(
    client: Any, workshop: Workshop
) -> None:
    url = f"/reserver/atelier/{workshop.pk}/"
    assert "Donnez un numéro de téléphone portable ou une adresse e-mail" in text(
        client.post(url, {"first_name": "Anne"})
    )
    assert "Cochez cette case pour recevoir la confirmation par SMS" in text(
        client.post(url, {"first_name": "Anne", "phone": "06 12 34 56 78"})
    )
    assert "Ce numéro de téléphone n'est pas" in text(client.post(url, {**ANNE, "phone": "12"}))
    assert "Ce champ est obligatoire." in text(client.post(url, {**ANNE, "first_name": ""}))
    assert not Booking.objects.exists()


def test_a_full_workshop_offers_the_waiting_list_and_a_freed_seat_goes_to_the_first_waiting(
    client: Any, workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/reserver/atelier/{workshop.pk}/"
    capture = django_capture_on_commit_callbacks
    _book(client, url, capture, **ANNE)
    _book(client, url, capture, **{**ANNE, "first_name": "Bruno", "phone": "06 22 22 22 22"})
    page = text(client.get(url))
    assert "C'est complet." in page and "M'inscrire sur la liste d'attente" in page
    full = client.post(url, {**ANNE, "first_name": "Chloé", "phone": "06 33 33 33 33"})
    assert "Il n'y a plus de place libre à cette date." in text(full)
    _book(
        client,
        url,
        capture,
        **{**ANNE, "first_name": "Chloé", "phone": "06 33 33 33 33"},
        attente="1",
    )
    chloe = Booking.objects.get(first_name="Chloé")
    assert chloe.status == BookingStatus.WAITING
    assert "Vous êtes sur la liste d'attente" in LocmemBackend.outbox[-1].body
    anne = Booking.objects.get(first_name="Anne")
    with capture(execute=True):
        client.post(anne.get_public_url())
    anne.refresh_from_db()
    chloe.refresh_from_db()
    assert anne.status == BookingStatus.CANCELLED and chloe.status == BookingStatus.BOOKED
    bodies = {m.to: m.body for m in LocmemBackend.outbox[-2:]}
    assert "est annulée" in bodies["+33612345678"]
    assert "Une place s'est libérée pour vous" in bodies["+33633333333"]


def test_cancelling_online_stops_before_the_places_delay(
    client: Any, workshop: Workshop, place: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _book(client, f"/reserver/atelier/{workshop.pk}/", django_capture_on_commit_callbacks, **ANNE)
    booking = Booking.objects.get()
    place.booking_cancel_hours = 100  # the workshop is in 72 hours
    place.save()
    page = text(client.get(booking.get_public_url()))
    assert "Vous ne pouvez plus annuler en ligne" in page and "03 26 00 00 00" in page
    response = client.post(booking.get_public_url(), follow=True)
    assert "Il est trop tard pour annuler en ligne" in text(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_forged_link_finds_nothing(client: Any, world: World) -> None:
    assert client.get("/reservations/faux-jeton/").status_code == 404


def test_one_phone_number_holds_a_bounded_number_of_bookings(
    client: Any, place: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.BOOKINGS_PER_PHONE = 2
    soon = timezone.now() + timedelta(days=3)
    workshops = [
        Workshop.objects.create(
            title=f"Atelier {n}", structure=place, starts_at=soon, is_public=True, capacity=5
        )
        for n in range(3)
    ]
    for workshop in workshops[:2]:
        _book(
            client, f"/reserver/atelier/{workshop.pk}/", django_capture_on_commit_callbacks, **ANNE
        )
    again = client.post(f"/reserver/atelier/{workshops[0].pk}/", ANNE)
    assert "Ce numéro a déjà une réservation pour cette date." in text(again)
    third = client.post(f"/reserver/atelier/{workshops[2].pk}/", ANNE)
    assert "Ce numéro a déjà 2 réservations à venir" in text(third)
    assert Booking.objects.count() == 2


def test_the_booking_forms_share_the_public_throttle(
    client: Any, workshop: Workshop, settings: Any
) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    url = f"/reserver/atelier/{workshop.pk}/"
    client.post(url, {"first_name": ""})
    assert "Trop d'envois" in text(client.post(url, ANNE))


def test_only_public_coming_activities_of_published_places_can_be_booked(
    client: Any, world: World, place: Any, workshop: Workshop, slot: DropInSlot
) -> None:
    private = Workshop.objects.create(
        title="Interne", structure=place, starts_at=workshop.starts_at, capacity=5
    )
    past = Workshop.objects.create(
        title="Passé",
        structure=place,
        starts_at=timezone.now() - timedelta(hours=1),
        is_public=True,
        capacity=5,
    )
    closed = DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=place,
        starts_at=slot.starts_at,
        bookable_seats=0,
    )
    for url in (
        f"/reserver/atelier/{private.pk}/",
        f"/reserver/atelier/{past.pk}/",
        f"/reserver/permanence/{closed.pk}/",
        "/reserver/atelier/999999/",
    ):
        assert client.get(url).status_code == 404, url
    place.is_public = False
    place.save()
    assert client.get(f"/reserver/atelier/{workshop.pk}/").status_code == 404


def test_the_places_page_offers_to_book_each_workshop_and_drop_in(
    client: Any, place: Any, workshop: Workshop, slot: DropInSlot
) -> None:
    page = text(client.get(f"/lieux/{place.pk}/"))
    assert f'href="/reserver/atelier/{workshop.pk}/">Réserver pour le' in page
    assert "2 places libres" in page and "1 rendez-vous libre" in page
    assert f'href="/reserver/permanence/{slot.pk}/">Prendre rendez-vous le' in page


def test_a_social_worker_books_for_someone_through_the_places_referral_link(
    client: Any, world: World, place: Any, slot: DropInSlot, django_capture_on_commit_callbacks: Any
) -> None:
    link = ReferralLink.objects.create(
        structure=place,
        created_by=world.personas["relay_referent"],
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    referral_page = text(client.get(f"/orienter/{link.token}/"))
    assert "Ou réserver directement une place pour la personne" in referral_page
    url = f"/reserver/permanence/{slot.pk}/?lien={link.token}"
    # The page's link carries the same referral link (signed again, so not the same text).
    assert f'href="/reserver/permanence/{slot.pk}/?lien=' in referral_page
    page = text(client.get(url))
    assert "Vous réservez pour une personne que vous accompagnez" in page
    assert "Prénom de la personne" in page
    assert "Ce champ est obligatoire." in text(client.post(url, ANNE))
    _book(
        client, url, django_capture_on_commit_callbacks, **ANNE, booked_by="Lucie, CCAS d'Épernay"
    )
    assert Booking.objects.get().booked_by == "Lucie, CCAS d'Épernay"
    # Without a valid link, no one books on behalf.
    assert "Prénom de la personne" not in text(
        client.get(f"/reserver/permanence/{slot.pk}/?lien=x")
    )


def test_the_staff_count_who_came_to_a_workshop_and_who_did_not(
    client: Any, client_as: Any, workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/reserver/atelier/{workshop.pk}/"
    _book(client, url, django_capture_on_commit_callbacks, **ANNE)
    _book(
        client,
        url,
        django_capture_on_commit_callbacks,
        **{**ANNE, "first_name": "Bruno", "phone": "0622222222"},
    )
    anne, bruno = Booking.objects.order_by("pk")
    staff = client_as("relay_referent")
    page = text(staff.get(f"/accompagner/ateliers/{workshop.pk}/"))
    assert "Réservations du public" in page and "Anne est présent·e" in page
    staff.post(f"/accompagner/reservations/{anne.pk}/present/")
    staff.post(f"/accompagner/reservations/{bruno.pk}/absent/")
    anne.refresh_from_db()
    bruno.refresh_from_db()
    assert anne.status == BookingStatus.ATTENDED and bruno.status == BookingStatus.NO_SHOW
    [group] = workshop.walk_ins.all()
    assert (group.gender, group.age_band, group.count) == (
        Gender.UNDISCLOSED,
        AgeBand.UNKNOWN,
        1,
    )
    # Twice is once.
    response = staff.post(f"/accompagner/reservations/{anne.pk}/present/", follow=True)
    assert "Cette réservation a déjà été traitée." in text(response)
    assert workshop.walk_ins.get().count == 1


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_who_does_not_record_the_places_activity_cannot_touch_its_bookings(
    client: Any,
    client_as: Any,
    persona: str,
    workshop: Workshop,
    slot: DropInSlot,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _book(client, f"/reserver/atelier/{workshop.pk}/", django_capture_on_commit_callbacks, **ANNE)
    booking = Booking.objects.get()
    other = client_as(persona)
    assert other.post(f"/accompagner/reservations/{booking.pk}/present/").status_code == 404
    assert other.post(f"/accompagner/reservations/{booking.pk}/absent/").status_code == 404
    assert other.get(f"/accompagner/reservations/permanences/{slot.pk}/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_drop_in_booking_becomes_the_recorded_drop_in(
    client: Any, client_as: Any, slot: DropInSlot, django_capture_on_commit_callbacks: Any
) -> None:
    _book(
        client,
        f"/reserver/permanence/{slot.pk}/",
        django_capture_on_commit_callbacks,
        **ANNE,
        purpose="Ameli",
    )
    booking = Booking.objects.get()
    staff = client_as("mediator")
    page = text(staff.get(f"/accompagner/reservations/permanences/{slot.pk}/"))
    assert "Anne" in page and "Ameli" in page and "Enregistrer la permanence de Anne" in page
    response = staff.post(f"/accompagner/reservations/{booking.pk}/present/")
    assert response["Location"] == f"/accompagner/permanences/nouvelle/?reservation={booking.pk}"
    form = text(staff.get(response["Location"]))
    assert "Ameli" in form
    moment = timezone.localtime(slot.starts_at)
    created = staff.post(
        response["Location"],
        {
            "structure": slot.structure_id,
            "day": moment.date().isoformat(),
            "start_time": moment.strftime("%H:%M"),
            "duration": "30",
            "gender": Gender.WOMAN,
            "age_band": AgeBand.FROM_60,
            "themes": ["email"],
            "device": "smartphone",
            "autonomy": "with_help",
            "notes": "Ameli",
        },
    )
    assert created.status_code == 302, text(created)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.drop_in == DropIn.objects.get()


def test_the_reminder_goes_the_day_before_once(
    client: Any, place: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = timezone.localtime() + timedelta(days=1)
    workshop = Workshop.objects.create(
        title="Demain", structure=place, starts_at=tomorrow, is_public=True, capacity=5
    )
    _book(client, f"/reserver/atelier/{workshop.pk}/", django_capture_on_commit_callbacks, **ANNE)
    LocmemBackend.outbox.clear()
    call_command("send_reminders", stdout=__import__("io").StringIO())
    call_command("send_reminders", stdout=__import__("io").StringIO())
    [reminder] = LocmemBackend.outbox
    assert reminder.body.startswith("Rappel : Demain demain")


def test_a_booking_names_the_person_only_for_the_keeping_time(
    client: Any, workshop: Workshop, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from maillage.bookings.services import forget_old_bookings

    _book(client, f"/reserver/atelier/{workshop.pk}/", django_capture_on_commit_callbacks, **ANNE)
    booking = Booking.objects.get()
    assert forget_old_bookings(timezone.now()) == 0
    later = workshop.starts_at + timedelta(days=settings.BOOKING_KEEP_DAYS + 1)
    assert forget_old_bookings(later) == 1
    booking.refresh_from_db()
    assert (booking.first_name, booking.phone, booking.erased_at) == ("—", "", later)
    assert client.get(booking.get_public_url()).status_code == 404


def test_the_facilitators_agenda_shows_the_bookings_of_their_slots(
    client: Any, client_as: Any, slot: DropInSlot, django_capture_on_commit_callbacks: Any
) -> None:
    _book(client, f"/reserver/permanence/{slot.pk}/", django_capture_on_commit_callbacks, **ANNE)
    day = timezone.localtime(slot.starts_at).date()
    page = text(client_as("mediator").get("/accompagner/agenda/", {"date": day.isoformat()}))
    assert f'href="/accompagner/reservations/permanences/{slot.pk}/">Permanence</a>' in page
    assert "1 réservation" in page
