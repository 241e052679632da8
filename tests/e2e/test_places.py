"""The public's journey in a real browser: from the home page, find a place near Briançon that
sells SIM cards, open it, book a drop-in appointment, get the SMS, cancel through its link;
then the facilitator turns a booking into the recorded drop-in. Every public page is checked
with axe-core for violations of any impact, on a phone and a computer."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from maillage.accounts.models import User
from maillage.bookings.enums import BookingStatus
from maillage.bookings.models import Booking
from maillage.learning.models import DropIn, DropInSlot
from maillage.network.enums import RelayOffer
from maillage.notifications.sms import LocmemBackend
from tests.conftest import World
from tests.e2e.conftest import AXE, Visitor


def no_violation_at_all(page: Page) -> None:
    """The public pages answer to a stricter rule than the staff's: no violation of any impact."""
    page.add_script_tag(content=AXE)
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    found = [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
    assert not found, f"axe-core on {page.url}:\n{json.dumps(found, indent=2, ensure_ascii=False)}"


def _open_place(world: World) -> DropInSlot:
    place = world.ccas_reims
    place.is_public, place.address = True, "9 rue Eugène Desteuque"
    place.relay_offer = [RelayOffer.SIM_CARDS, RelayOffer.DROP_INS]
    place.hours = {"mo": [["09:00", "12:00"]], "th": [["14:00", "17:00"]]}
    place.save()
    return DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=place,
        starts_at=timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
        + timedelta(days=3),
        bookable_seats=2,
    )


def _place_in_briancon() -> DropInSlot:
    """The accueil de jour of Briançon (Hautes-Alpes) sells SIM cards and holds drop-ins."""
    from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory, StructureFactory

    alps = DepartmentFactory.create(
        code="05",
        name="Hautes-Alpes",
        region=RegionFactory.create(code="93", name="Provence-Alpes-Côte d'Azur"),
    )
    briancon = CommuneFactory.create(
        code="05023",
        name="Briançon",
        department=alps,
        latitude=44.8986,
        longitude=6.6433,
        postal_codes=["05100"],
    )
    place = StructureFactory.create(
        name="APPASE — accueil de jour de Briançon",
        commune=briancon,
        address="4 avenue du Dauphiné",
        is_public=True,
        relay_offer=[RelayOffer.SIM_CARDS, RelayOffer.DROP_INS],
        hours={"mo": [["09:00", "12:00"]], "th": [["14:00", "17:00"]]},
    )
    StructureFactory.create(
        name="Médiathèque de Briançon", commune=briancon, address="1 rue", is_public=True
    )
    return DropInSlot.objects.create(
        facilitator=User.objects.get(email="mediator@exemple.test"),
        structure=place,
        starts_at=timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
        + timedelta(days=3),
        bookable_seats=2,
    )


def _sms_received(folder: Path) -> list[str]:
    """The SMS written by the file backend, oldest first."""
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_person_finds_a_place_books_a_drop_in_and_cancels_it(
    visitor: Visitor, e2e_world: World, width: int, settings: Any, tmp_path: Path
) -> None:
    settings.SMS_BACKEND = "maillage.notifications.sms.FileBackend"
    settings.SMS_FILE_DIR = str(tmp_path)
    slot = _place_in_briancon()
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.goto("/")
    no_violation_at_all(page)
    page.get_by_label("Commune ou code postal").fill("Briançon")
    visitor.click(page.get_by_role("button", name="Rechercher"))
    expect(page.locator("h1")).to_have_text("Trouver un lieu près de chez moi")
    expect(page.get_by_role("heading", name=re.compile(r"2 lieux à moins de"))).to_be_visible()
    page.get_by_text("Affiner : ce que propose le lieu").click()
    page.get_by_label("Cartes SIM et recharges à prix solidaire").check()
    visitor.click(page.get_by_role("button", name="Rechercher"))
    expect(
        page.get_by_role("heading", name=re.compile(r"1 lieu à moins de 20 km de Briançon"))
    ).to_be_visible()
    no_violation_at_all(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visitor.click(page.get_by_role("link", name="APPASE — accueil de jour de Briançon"))
    expect(page.locator("h1")).to_have_text("APPASE — accueil de jour de Briançon")
    no_violation_at_all(page)
    visitor.click(page.get_by_role("link", name=re.compile("Prendre rendez-vous le")))
    expect(page.locator("h1")).to_have_text("Réserver une place")
    no_violation_at_all(page)
    page.get_by_label("Votre prénom").fill("Josiane")
    page.get_by_label("Votre numéro de téléphone portable").fill("06 12 34 56 78")
    page.get_by_label(re.compile("J'accepte de recevoir des SMS")).check()
    visitor.click(page.get_by_role("button", name="Réserver"))
    expect(page.get_by_role("status")).to_contain_text("Votre réservation est confirmée.")
    no_violation_at_all(page)
    [sms] = _sms_received(tmp_path)
    assert "To: +33612345678" in sms and "Réservation confirmée" in sms
    assert "APPASE — accueil de jour de Briançon" in sms
    link = re.search(r"https?://\S+", sms)
    assert link is not None
    visitor.goto(link.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    visitor.click(page.get_by_role("button", name="Annuler ma réservation"))
    expect(page.get_by_role("status")).to_contain_text("Votre réservation est annulée.")
    booking = Booking.objects.get(slot=slot)
    assert booking.status == BookingStatus.CANCELLED
    assert "est annulée" in _sms_received(tmp_path)[-1]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_facilitator_turns_a_booking_into_the_drop_in(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    slot = _open_place(e2e_world)
    booking = Booking.objects.create(
        structure=slot.structure,
        slot=slot,
        starts_at=slot.starts_at,
        first_name="Olena",
        phone="+33639980103",
        purpose="Créer mon compte Ameli",
    )
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("mediator@exemple.test")
    day = timezone.localtime(slot.starts_at).date()
    visitor.goto(f"/accompagner/agenda/?date={day.isoformat()}")
    expect(page.get_by_text("1 réservation")).to_be_visible()
    visitor.click(page.get_by_role("link", name="Permanence", exact=True))
    expect(page.locator("h1")).to_have_text("Réservations de la permanence")
    visitor.click(page.get_by_role("button", name="Enregistrer la permanence de Olena"))
    expect(page.get_by_text("Rendez-vous réservé en ligne par Olena.")).to_be_visible()
    page.get_by_label("Genre").select_option(label="Femme")
    page.get_by_label("30 min").check()
    page.get_by_label("Démarches administratives").check()
    page.get_by_label("Autonome avec aide si besoin").check()
    visitor.click(page.get_by_role("button", name="Enregistrer", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Permanence enregistrée.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED and booking.drop_in == DropIn.objects.get()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_a_person_asks_to_be_called_back_and_the_referent_sees_it(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    _open_place(e2e_world)
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.goto(f"/lieux/{e2e_world.ccas_reims.pk}/")
    visitor.click(page.get_by_role("link", name="Je voudrais être rappelé·e"))
    no_violation_at_all(page)
    page.get_by_label("Votre prénom").fill("Ahmad")
    page.get_by_label("Votre numéro de téléphone").fill("06 12 34 56 79")
    page.get_by_label("Démarches en ligne").check()
    page.get_by_label("L'après-midi").check()
    page.get_by_label(re.compile("J'accepte que l'équipe du lieu")).check()
    visitor.click(page.get_by_role("button", name="Demander à être rappelé·e"))
    expect(page.get_by_role("status")).to_contain_text("va vous rappeler")
    no_violation_at_all(page)
    visitor.sign_in("relay.referent@exemple.test")
    visitor.goto("/orientations/")
    expect(page.get_by_text("Demande de rappel du public")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_same_journey_in_arabic_reads_right_to_left(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    _open_place(e2e_world)
    LocmemBackend.outbox.clear()
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.goto("/")
    visitor.click(page.get_by_role("link", name=re.compile("Langue")))
    page.get_by_label("Langue").select_option("ar")
    visitor.click(page.get_by_role("button", name="Changer"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    no_violation_at_all(page)
    page.get_by_label("البلدية أو الرمز البريدي").fill("Reims")
    visitor.click(page.get_by_role("button", name="بحث", exact=True))
    no_violation_at_all(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visitor.click(page.get_by_role("link", name="CCAS de Reims"))
    no_violation_at_all(page)
    visitor.click(page.get_by_role("link", name=re.compile("احجز موعداً يوم")))
    no_violation_at_all(page)
    page.get_by_label("اسمك الأول").fill("Ahmad")
    page.get_by_label("رقم هاتفك المحمول").fill("06 12 34 56 79")
    page.get_by_label(re.compile("أوافق على تلقي رسائل نصية")).check()
    visitor.click(page.get_by_role("button", name="احجز"))
    expect(page.get_by_role("status")).to_contain_text("تم تأكيد حجزك.")
    no_violation_at_all(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    [sms] = LocmemBackend.outbox
    assert sms.body.startswith("تم تأكيد الحجز")
    visitor.click(page.get_by_role("button", name="إلغاء حجزي"))
    expect(page.get_by_role("status")).to_contain_text("تم إلغاء حجزك.")
    assert Booking.objects.get(first_name="Ahmad").language == "ar"


def _every_public_page(world: World) -> list[str]:
    """One address of each page open without an account, with what it shows filled in."""
    from datetime import date

    from maillage.animation.models import InfoMeeting
    from maillage.learning.models import Workshop
    from maillage.people.models import ReferralLink
    from tests.animation.conftest import open_call

    slot = _open_place(world)
    place = slot.structure
    workshop = Workshop.objects.create(
        title="Découvrir sa tablette",
        structure=place,
        starts_at=slot.starts_at + timedelta(days=1),
        is_public=True,
        capacity=8,
    )
    booking = Booking.objects.create(
        structure=place,
        slot=slot,
        starts_at=slot.starts_at,
        first_name="Anne",
        phone="+33612345678",
    )
    call = open_call(world)
    meeting = InfoMeeting.objects.create(
        title="Réunion d'information",
        starts_at=timezone.now() + timedelta(days=2),
        place="Reims",
        department=world.marne,
        capacity=10,
    )
    link = ReferralLink.objects.create(
        structure=place, label="Partenaires", expires_on=date(2099, 1, 1)
    )
    return [
        "/",
        "/lieux/?ou=Reims",
        f"/lieux/{place.pk}/",
        f"/lieux/{place.pk}/signaler-une-erreur/",
        f"/lieux/{place.pk}/etre-rappele/",
        f"/reserver/atelier/{workshop.pk}/",
        f"/reserver/permanence/{slot.pk}/",
        booking.get_public_url(),
        "/rejoindre/",
        f"/rejoindre/reunions/{meeting.pk}/",
        f"/appels/{call.slug}/",
        f"/orienter/{link.token}/",
        "/statistiques/",
        "/mentions-legales/",
        "/confidentialite/",
        "/accessibilite/",
    ]


@pytest.mark.parametrize("language", ["fr", "en", "uk", "ar"])
def test_every_public_page_has_no_violation_in_each_language(
    visitor: Visitor, e2e_world: World, language: str
) -> None:
    """What the public reads, in French, English, Ukrainian and Arabic, on a phone and a
    computer: no axe-core violation of any impact, nothing wider than the screen."""
    page = visitor.page
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": visitor.base_url}]
    )
    not_found = visitor.base_url + "/nulle-part/"
    page.expected_missing.add(not_found)  # type: ignore[attr-defined]
    for path in [*_every_public_page(e2e_world), "/nulle-part/"]:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(visitor.base_url + path)
            assert response is not None
            assert response.status == (404 if path == "/nulle-part/" else 200), path
            expect(page.locator("html")).to_have_attribute("lang", language)
            no_violation_at_all(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
