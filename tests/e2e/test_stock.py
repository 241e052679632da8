"""Équiper et connecter, in a real browser: a donated laptop through the workshop to a relay,
its sale at the counter with the receipt, a refusal, and the lending fleet."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from maillage.people.enums import Eligibility
from maillage.people.models import Beneficiary
from maillage.stock import services
from maillage.stock.enums import DeviceState, DonorKind, PlaceKind
from maillage.stock.models import (
    Device,
    Donation,
    DonationLine,
    Donor,
    Fleet,
    FleetLoan,
    Place,
    Price,
    PriceList,
    Sale,
    Transfer,
)
from tests.conftest import World
from tests.e2e.conftest import Visitor
from tests.stock.conftest import ready_device


def places(world: World) -> tuple[Place, Place]:
    warehouse = Place.objects.create(
        name="Entrepôt de Reims", kind=PlaceKind.WAREHOUSE, department=world.marne
    )
    counter = Place.objects.create(
        name="Comptoir du CCAS", kind=PlaceKind.RELAY, structure=world.ccas_reims
    )
    prices = PriceList.objects.create(name="Grille", valid_from=date(2020, 1, 1))
    Price.objects.create(price_list=prices, device_kind="laptop", grade="B", amount=Decimal(150))
    return warehouse, counter


def test_a_donated_laptop_is_refurbished_sent_received_and_sold_with_its_receipt(
    visitor: Visitor, e2e_world: World
) -> None:
    warehouse, _counter = places(e2e_world)
    donation = services.receive_donation(
        Donation(
            donor=Donor.objects.create(name="Entreprise Exemple", kind=DonorKind.COMPANY),
            place=warehouse,
        ),
        [DonationLine(device_kind="laptop", quantity=10)],
        by=None,
    )
    page = visitor.page

    # The refurbisher registers the laptop from the donation, then takes it through the workshop.
    visitor.sign_in("mediator@exemple.test")
    visitor.click(page.get_by_role("link", name="Dons"))
    visitor.click(page.get_by_role("link", name=donation.reference))
    visitor.click(page.get_by_role("link", name="Enregistrer un équipement de ce don"))
    page.get_by_label("Ordinateur portable").check()
    page.get_by_label("Marque").fill("Lenovo")
    page.get_by_label("Modèle").fill("ThinkPad T480")
    page.get_by_label("Numéro de série").fill("PF-1A2B3C")
    visitor.click(page.get_by_role("button", name="Enregistrer", exact=True))
    device = Device.objects.get()
    expect(page.locator("h1")).to_contain_text(device.reference)
    for radio in page.locator("input[type=radio][value=ok]").all():
        radio.check()
    visitor.click(page.get_by_role("button", name="Enregistrer le test"))
    page.get_by_label("Méthode d'effacement").select_option(
        label="Effacement sécurisé du support (NIST 800-88, purge)"
    )
    page.get_by_label("Opérateur·rice").fill("Sam Atelier")
    visitor.click(page.get_by_role("button", name="Enregistrer l'effacement"))
    page.get_by_label("B — traces d'usage légères").check()
    visitor.click(page.get_by_role("button", name="Enregistrer le grade"))
    visitor.click(page.get_by_role("button", name="Marquer prêt à la vente"))
    expect(page.get_by_text("Prêt, en stock").first).to_be_visible()
    certificate = page.request.get(
        visitor.base_url
        + (
            page.get_by_role("link", name=re.compile("Certificat d'effacement")).get_attribute(
                "href"
            )
            or ""
        )
    )
    assert certificate.headers["content-type"] == "application/pdf"

    # It goes to the relay with a delivery note.
    visitor.click(page.get_by_role("link", name="Entrepôt de Reims").first)
    visitor.click(page.get_by_role("link", name="Envoyer vers un autre lieu"))
    page.get_by_label("Vers").select_option(label="Comptoir du CCAS")
    page.get_by_label(re.compile(device.reference)).check()
    visitor.click(page.get_by_role("button", name="Envoyer"))
    transfer = Transfer.objects.get()
    expect(page.locator("h1")).to_contain_text(transfer.reference)
    page.context.clear_cookies()

    # The relay's referent confirms its arrival and sells it to an eligible person.
    services.record_criterion(e2e_world.alice, Eligibility.RSA, by=None)
    visitor.sign_in("relay.referent@exemple.test")
    visitor.click(page.get_by_role("link", name="Stocks"))
    visitor.click(page.get_by_role("link", name=str(transfer)).first)
    visitor.click(page.get_by_role("button", name="Confirmer la réception"))
    expect(page.locator(".messages")).to_contain_text("Réception confirmée")
    visitor.click(page.get_by_role("link", name="Comptoir", exact=True))
    page.get_by_label("Nom, référence ou téléphone de la personne").fill("Alice")
    visitor.click(page.get_by_role("button", name="Chercher"))
    visitor.click(page.get_by_role("link", name="Alice Exemple"))
    expect(page.locator(".alert--success")).to_contain_text("Éligible")
    page.get_by_label(re.compile("^Équipements : référence")).fill(device.reference)
    page.get_by_label("Espèces").check()
    visitor.click(page.get_by_role("button", name="Valider la vente"))
    sale = Sale.objects.get()
    expect(page.locator("h1")).to_contain_text(sale.reference)
    expect(page.locator("tfoot")).to_contain_text("150")
    receipt = page.request.get(
        visitor.base_url
        + (page.get_by_role("link", name="Imprimer le ticket (PDF)").get_attribute("href") or "")
    )
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    device.refresh_from_db()
    assert device.state == DeviceState.SOLD


def test_an_ineligible_person_is_refused_with_the_reason(
    visitor: Visitor, e2e_world: World
) -> None:
    _warehouse, counter = places(e2e_world)
    laptop = ready_device(counter)
    denise = Beneficiary.objects.create(
        first_name="Denise", last_name="Exemple", structure=e2e_world.ccas_reims
    )
    page = visitor.page
    visitor.sign_in("relay.referent@exemple.test")
    visitor.goto(f"/equiper/comptoir/{counter.pk}/personne/{denise.reference}/")
    expect(page.locator(".alert--warning")).to_contain_text(
        "n'est pas éligible à l'offre solidaire"
    )
    page.get_by_label(re.compile("^Équipements : référence")).fill(laptop.reference)
    page.get_by_label("Carte bancaire").check()
    visitor.click(page.get_by_role("button", name="Valider la vente"))
    expect(page.locator(".error-summary")).to_contain_text(
        "pas été orientée par un travailleur social"
    )
    expect(page.get_by_label(re.compile("^Équipements : référence"))).to_have_value(
        laptop.reference
    )
    assert not Sale.objects.exists()


def test_a_facilitator_checks_out_eight_laptops_for_a_workshop_and_returns_them(
    visitor: Visitor, e2e_world: World
) -> None:
    warehouse, _counter = places(e2e_world)
    fleet = Fleet.objects.create(name="Flotte du Département", place=warehouse)
    for _ in range(10):
        ready_device(warehouse, fleet=fleet)
    page = visitor.page
    visitor.sign_in("mediator@exemple.test")
    visitor.click(page.get_by_role("link", name="Flotte de prêt"))
    visitor.click(page.get_by_role("link", name="Flotte du Département"))
    boxes = page.get_by_role("group", name=re.compile("^Ordinateurs")).get_by_role("checkbox")
    for n in range(8):
        boxes.nth(n).check()
    page.get_by_label("Animateur·rice").select_option(label="Persona mediator")
    page.get_by_label("Pour quel atelier ?").fill("Atelier e-mail à la médiathèque")
    visitor.click(page.get_by_role("button", name="Enregistrer la sortie"))
    expect(page.locator(".messages")).to_contain_text("8 ordinateurs sortis")
    loan = FleetLoan.objects.get()
    assert loan.items.count() == 8 and len(services.available(fleet, timezone.localdate())) == 2
    visitor.click(page.get_by_role("button", name="Enregistrer le retour"))
    expect(page.locator(".messages")).to_contain_text("Retour enregistré")
    loan.refresh_from_db()
    assert loan.returned_at is not None
    assert len(services.available(fleet, timezone.localdate())) == 10
