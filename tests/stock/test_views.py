from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.people import services as people_services
from maillage.people.enums import Eligibility
from maillage.stock import services
from maillage.stock.enums import DeviceKind, DeviceState, MovementKind, PlaceKind
from maillage.stock.models import (
    Device,
    Donation,
    EligibilityCheck,
    FleetLoan,
    FreeDistribution,
    Place,
    PriceList,
    Sale,
    StockBalance,
    StockMovement,
    Transfer,
)
from maillage.stock.services import ProductLine
from tests.conftest import World, text
from tests.stock.conftest import Stock, eligible, imei

# --- Places and their stock ---------------------------------------------------------------


def test_a_referent_sees_the_stock_of_their_relay_only(
    client_as, world: World, stock: Stock
) -> None:
    stock.supply(stock.reims, stock.sim, 12)
    client = client_as("relay_referent")
    page = text(client.get("/equiper/lieux/"))
    assert "Comptoir du CCAS de Reims" in page
    assert "Comptoir du centre social de Lille" not in page and "Entrepôt de Reims" not in page
    detail = text(client.get(stock.reims.get_absolute_url()))
    assert "Carte SIM SFR" in detail and ">12<" in detail
    assert client.get(stock.lille.get_absolute_url()).status_code == 404
    assert client.get(stock.warehouse.get_absolute_url()).status_code == 404


def test_a_territory_manager_sees_the_places_of_their_departement(
    client_as, world: World, stock: Stock
) -> None:
    page = text(client_as("territory_manager").get("/equiper/lieux/"))
    assert "Entrepôt de Reims" in page and "Comptoir du CCAS de Reims" in page
    assert "Comptoir du centre social de Lille" not in page


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_reach_no_stock(
    client_as, world: World, stock: Stock, persona: str
) -> None:
    client = client_as(persona)
    for url in (
        "/equiper/lieux/",
        "/equiper/equipements/",
        "/equiper/ventes/",
        stock.reims.get_absolute_url(),
    ):
        assert client.get(url).status_code == 404


def test_a_manager_opens_a_relay_place_taking_its_structures_departement(
    client_as, world: World
) -> None:
    client = client_as("territory_manager")
    response = client.post(
        "/equiper/lieux/nouveau/",
        {
            "name": "Comptoir Reims",
            "kind": PlaceKind.RELAY,
            "structure": world.ccas_reims.pk,
            "is_active": "on",
        },
    )
    place = Place.objects.get()
    assert response["Location"] == place.get_absolute_url()
    assert place.department == world.marne
    assert AuditEvent.objects.filter(action="create", object_id=str(place.pk)).exists()


def test_a_relay_place_needs_its_structure(client_as, world: World) -> None:
    response = client_as("territory_manager").post(
        "/equiper/lieux/nouveau/",
        {"name": "Comptoir", "kind": PlaceKind.RELAY, "department": world.marne.pk},
    )
    assert response.status_code == 200
    assert "Un relais est une structure partenaire" in text(response)
    assert 'value="Comptoir"' in text(response)
    assert not Place.objects.exists()


def test_a_referent_cannot_open_a_place(client_as, world: World) -> None:
    assert client_as("relay_referent").get("/equiper/lieux/nouveau/").status_code == 404


# --- Devices through the workshop ---------------------------------------------------------


def device_form(stock: Stock, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": DeviceKind.SMARTPHONE,
        "brand": "Samsung",
        "model": "Galaxy A12",
        "imei": imei(777),
        "place": stock.warehouse.pk,
    }
    data.update(overrides)
    return data


def test_a_facilitator_registers_a_donated_phone_by_its_imei(
    client_as, world: World, stock: Stock
) -> None:
    good = imei(777)
    spaced = f"{good[:2]} {good[2:8]} {good[8:14]} {good[14]}"
    response = client_as("mediator").post(
        "/equiper/equipements/nouveau/", device_form(stock, imei=spaced)
    )
    device = Device.objects.get()
    assert response["Location"] == device.get_absolute_url()
    assert device.imei == good and device.state == DeviceState.RECEIVED
    assert device.events.get().by == world.personas["mediator"]


def test_a_wrong_imei_is_refused_next_to_the_field(client_as, world: World, stock: Stock) -> None:
    wrong = imei(777)[:14] + str((int(imei(777)[14]) + 1) % 10)
    response = client_as("mediator").post(
        "/equiper/equipements/nouveau/", device_form(stock, imei=wrong)
    )
    assert "son dernier chiffre de contrôle ne correspond pas" in text(response)
    assert 'value="Galaxy A12"' in text(response)
    missing = client_as("mediator").post(
        "/equiper/equipements/nouveau/", device_form(stock, imei="")
    )
    assert (
        "Un téléphone s&#x27;identifie par son IMEI" in missing.content.decode()
        or "identifie par son IMEI" in text(missing)
    )
    assert not Device.objects.exists()


def test_the_same_imei_cannot_be_registered_twice(client_as, world: World, stock: Stock) -> None:
    client = client_as("mediator")
    client.post("/equiper/equipements/nouveau/", device_form(stock))
    response = client.post("/equiper/equipements/nouveau/", device_form(stock))
    assert "Un équipement portant cet IMEI est déjà enregistré." in text(response)
    assert Device.objects.count() == 1


def test_a_referent_cannot_register_devices(client_as, world: World, stock: Stock) -> None:
    assert client_as("relay_referent").get("/equiper/equipements/nouveau/").status_code == 404


def test_the_workshop_steps_through_the_device_page(client_as, world: World, stock: Stock) -> None:
    client = client_as("mediator")
    device = stock.device(stock.warehouse, world.personas["mediator"])
    url = device.get_absolute_url()
    checks = {f"test-check_{item}": "ok" for item in device.checklist}
    checks["test-check_battery"] = "repaired"
    refused = client.post(f"{url}etape/test/", checks, follow=True)
    assert "Décrivez les réparations faites." in text(refused)
    client.post(f"{url}etape/test/", {**checks, "test-repairs": "Batterie neuve"})
    today = timezone.localdate().isoformat()
    client.post(
        f"{url}etape/wipe/",
        {
            "wipe-method": "nist_purge",
            "wipe-operator": "Sam",
            "wipe-wiped_on": today,
            "wipe-software": "Blancco",
        },
    )
    client.post(f"{url}etape/grade/", {"grade-grade": "A", "grade-note": ""})
    client.post(f"{url}etape/ready/")
    device.refresh_from_db()
    assert device.state == DeviceState.READY and device.grade == "A"
    page = text(client.get(url))
    assert "Batterie neuve" in page and "Certificat d'effacement" in page
    certificate = client.get(f"{url}certificat-effacement.pdf")
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")


def test_a_wipe_dated_in_the_future_is_refused(client_as, world: World, stock: Stock) -> None:
    client = client_as("mediator")
    device = stock.device(stock.warehouse, world.personas["mediator"])
    services.record_test(device, dict.fromkeys(device.checklist, "ok"), repairs="", by=None)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"{device.get_absolute_url()}etape/wipe/",
        {"wipe-method": "nist_purge", "wipe-operator": "Sam", "wipe-wiped_on": tomorrow},
        follow=True,
    )
    assert "ne peut pas être dans le futur" in text(response)
    # Only the form posted shows errors: the others on the page are not bound.
    assert "Ce champ est obligatoire" not in text(response)
    device.refresh_from_db()
    assert device.state == DeviceState.TESTED


def test_a_referent_reserves_a_device_but_does_not_refurbish(
    client_as, world: World, stock: Stock
) -> None:
    device = stock.ready(stock.reims, None)
    client = client_as("relay_referent")
    assert client.post(f"{device.get_absolute_url()}etape/dispose/", {}).status_code == 404
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(
        f"{device.get_absolute_url()}etape/reserve/",
        {"reserve-person": world.alice.reference, "reserve-until": until},
    )
    device.refresh_from_db()
    assert device.state == DeviceState.RESERVED and device.reserved_for == world.alice


# --- Donations ----------------------------------------------------------------------------


def test_a_donation_with_its_lines_and_the_donor_receipt(
    client_as, world: World, stock: Stock
) -> None:
    client = client_as("territory_manager")
    response = client.post(
        "/equiper/dons/nouveau/",
        {
            "donor_name": "Entreprise Exemple",
            "donor_kind": "company",
            "received_on": timezone.localdate().isoformat(),
            "place": stock.warehouse.pk,
            "lignes-TOTAL_FORMS": "2",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-item": "kind:laptop",
            "lignes-0-quantity": "12",
            "lignes-1-item": f"product:{stock.sim.pk}",
            "lignes-1-quantity": "100",
        },
    )
    donation = Donation.objects.get()
    assert response["Location"] == donation.get_absolute_url()
    assert donation.donor.name == "Entreprise Exemple"
    assert StockBalance.objects.get(place=stock.warehouse, product=stock.sim).quantity == 100
    receipt = client.get(f"{donation.get_absolute_url()}recu.pdf")
    assert receipt.content.startswith(b"%PDF")


def test_a_donation_needs_a_donor_and_a_line(client_as, world: World, stock: Stock) -> None:
    response = client_as("territory_manager").post(
        "/equiper/dons/nouveau/",
        {
            "received_on": timezone.localdate().isoformat(),
            "place": stock.warehouse.pk,
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-item": "kind:laptop",
        },
    )
    page = text(response)
    assert "Choisissez le donateur" in page and "Indiquez le nombre reçu." in page
    assert not Donation.objects.exists()


# --- Transfers ----------------------------------------------------------------------------


def test_a_transfer_is_sent_then_confirmed_by_the_receiving_referent(
    client_as, world: World, stock: Stock
) -> None:
    laptop = stock.ready(stock.warehouse, None)
    stock.supply(stock.warehouse, stock.sim, 10)
    manager = client_as("territory_manager")
    response = manager.post(
        f"/equiper/lieux/{stock.warehouse.pk}/envoyer/",
        {"to_place": stock.reims.pk, "devices": [laptop.pk], f"product_{stock.sim.pk}": "4"},
    )
    transfer = Transfer.objects.get()
    assert response["Location"] == transfer.get_absolute_url()
    assert manager.get(f"{transfer.get_absolute_url()}bon-de-livraison.pdf").content.startswith(
        b"%PDF"
    )
    referent = client_as("relay_referent")
    assert "Confirmer la réception" in text(referent.get(transfer.get_absolute_url()))
    referent.post(f"{transfer.get_absolute_url()}reception/")
    transfer.refresh_from_db()
    assert transfer.received_by == world.personas["relay_referent"]
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 4


def test_a_transfer_of_more_than_the_stock_is_refused(
    client_as, world: World, stock: Stock
) -> None:
    stock.supply(stock.warehouse, stock.sim, 3)
    response = client_as("territory_manager").post(
        f"/equiper/lieux/{stock.warehouse.pk}/envoyer/",
        {"to_place": stock.reims.pk, f"product_{stock.sim.pk}": "4"},
    )
    assert "inférieure ou égale à 3" in text(response)
    assert not Transfer.objects.exists()


def test_another_relay_cannot_confirm_a_transfer(client_as, world: World, stock: Stock) -> None:
    stock.supply(stock.warehouse, stock.sim, 3)
    transfer = services.send(
        Transfer(from_place=stock.warehouse, to_place=stock.lille), products={stock.sim: 1}, by=None
    )
    assert (
        client_as("relay_referent").post(f"{transfer.get_absolute_url()}reception/").status_code
        == 404
    )
    transfer.refresh_from_db()
    assert transfer.received_at is None


# --- Stock count --------------------------------------------------------------------------


def test_a_count_with_a_difference_needs_its_reason(client_as, world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 10)
    client = client_as("relay_referent")
    url = f"/equiper/lieux/{stock.reims.pk}/inventaire/"
    counted = {f"product_{p.pk}": "0" for p in (stock.topup, stock.cable)}
    response = client.post(url, {**counted, f"product_{stock.sim.pk}": "9"})
    assert "Expliquez l'écart pour Carte SIM SFR." in text(response)
    response = client.post(
        url, {**counted, f"product_{stock.sim.pk}": "9", f"reason_{stock.sim.pk}": "Carte perdue"}
    )
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 9
    assert "-1" in text(client.get(response["Location"]))
    assert StockMovement.objects.filter(
        kind=MovementKind.ADJUSTMENT, reason="Carte perdue"
    ).exists()


# --- The counter --------------------------------------------------------------------------


def test_the_counter_finds_a_person_and_sells_with_a_receipt(
    client_as, world: World, stock: Stock
) -> None:
    laptop = stock.ready(stock.reims, None)
    stock.supply(stock.reims, stock.sim, 5)
    client = client_as("relay_referent")
    found = text(client.get(f"/equiper/comptoir/{stock.reims.pk}/?q=Alice"))
    assert world.alice.reference in found
    person_url = f"/equiper/comptoir/{stock.reims.pk}/personne/{world.alice.reference}/"
    page = text(client.get(person_url))
    assert "n'est pas éligible à l'offre solidaire" in page
    client.post(f"{person_url}critere/", {"critere-criterion": Eligibility.RSA})
    assert "Éligible" in text(client.get(person_url))
    response = client.post(
        person_url,
        {
            "devices": laptop.reference,
            f"product_{stock.sim.pk}": "1",
            "payment": "cash",
            "iccids": "8933150319091234563",
        },
    )
    sale = Sale.objects.get()
    assert response["Location"] == sale.get_absolute_url()
    assert sale.total == Decimal("155")
    assert sale.lines.get(product=stock.sim).iccid == "8933150319091234563"
    receipt = client.get(f"{sale.get_absolute_url()}ticket.pdf")
    assert receipt.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(sale.pk)).exists()


def test_the_counter_refuses_an_ineligible_person_keeping_the_basket(
    client_as, world: World, stock: Stock
) -> None:
    laptop = stock.ready(stock.reims, None)
    client = client_as("relay_referent")
    response = client.post(
        f"/equiper/comptoir/{stock.reims.pk}/personne/{world.alice.reference}/",
        {"devices": laptop.reference, "payment": "cash"},
    )
    assert response.status_code == 200
    assert "n'est pas éligible à l'offre solidaire" in text(response)
    assert laptop.reference in text(response)
    assert not Sale.objects.exists()


def test_an_unknown_device_at_the_counter_is_named(client_as, world: World, stock: Stock) -> None:
    eligible(world.alice, None)
    elsewhere = stock.ready(stock.lille, None)
    response = client_as("admin").post(
        f"/equiper/comptoir/{stock.reims.pk}/personne/{world.alice.reference}/",
        {"devices": elsewhere.reference, "payment": "cash"},
    )
    assert f"Aucun équipement « {elsewhere.reference} » dans le stock de ce lieu." in text(response)


def test_a_referent_cannot_serve_at_another_counter(client_as, world: World, stock: Stock) -> None:
    client = client_as("relay_referent")
    assert client.get(f"/equiper/comptoir/{stock.lille.pk}/").status_code == 404
    assert (
        client.get(
            f"/equiper/comptoir/{stock.reims.pk}/personne/{world.chloe.reference}/"
        ).status_code
        == 404
    )


def test_a_sale_is_cancelled_the_same_day_from_its_page(
    client_as, world: World, stock: Stock
) -> None:
    eligible(world.alice, None)
    stock.supply(stock.reims, stock.sim, 2)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.sim, 1)],
        payment="cash",
        by=None,
    )
    client = client_as("relay_referent")
    refused = client.post(f"{sale.get_absolute_url()}annuler/", {}, follow=True)
    assert "Indiquez le motif" in text(refused)
    client.post(f"{sale.get_absolute_url()}annuler/", {"reason": "Erreur"})
    sale.refresh_from_db()
    assert sale.cancelled_at is not None
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 2


def test_a_free_distribution_at_the_counter(client_as, world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 5)
    operation = FreeDistribution.objects.create(
        name="Connect Refugees",
        criteria=[Eligibility.ASYLUM],
        product=stock.sim,
        start=timezone.localdate(),
    )
    operation.places.set([stock.reims])
    eligible(world.alice, None, Eligibility.ASYLUM)
    client = client_as("relay_referent")
    url = f"/equiper/comptoir/{stock.reims.pk}/personne/{world.alice.reference}/"
    refused = client.post(url, {f"product_{stock.sim.pk}": "1", "payment": "free"})
    assert "choisissez-la" in text(refused)
    client.post(
        url, {f"product_{stock.sim.pk}": "1", "payment": "free", "free_distribution": operation.pk}
    )
    assert operation.given() == 1 and Sale.objects.get().total == 0


# --- Offer settings -----------------------------------------------------------------------


def test_the_national_team_sets_a_price_list(client_as, world: World) -> None:
    client = client_as("admin")
    response = client.post(
        "/equiper/prix/nouvelle/",
        {
            "name": "Grille 2027",
            "valid_from": "2027-01-01",
            "price_laptop_B": "150",
            "price_smartphone_A": "100",
        },
    )
    assert response.status_code == 302
    prices = PriceList.objects.get()
    assert prices.price_of_device("laptop", "B") == Decimal("150")
    assert prices.price_of_device("laptop", "A") is None


def test_a_price_list_ending_before_it_starts_is_refused(client_as, world: World) -> None:
    response = client_as("admin").post(
        "/equiper/prix/nouvelle/",
        {"name": "X", "valid_from": "2027-01-01", "valid_until": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not PriceList.objects.exists()


@pytest.mark.parametrize("persona", ["territory_manager", "relay_referent", "mediator"])
def test_only_the_national_team_sets_the_offer(client_as, world: World, persona: str) -> None:
    client = client_as(persona)
    assert client.get("/equiper/prix/nouvelle/").status_code == 404
    assert client.get("/equiper/distributions/nouvelle/").status_code == 404
    assert client.get("/equiper/prix/").status_code == 200


def test_a_free_distribution_gives_a_device_kind_or_a_product(
    client_as, world: World, stock: Stock
) -> None:
    client = client_as("admin")
    data = {
        "name": "Smartphones SFR",
        "start": "2026-01-01",
        "places": [stock.reims.pk],
        "quantity": "215",
    }
    refused = client.post("/equiper/distributions/nouvelle/", data)
    assert "Choisissez soit un type d'équipement, soit un produit donné." in text(refused)
    client.post("/equiper/distributions/nouvelle/", {**data, "device_kind": "smartphone"})
    assert FreeDistribution.objects.get().quantity == 215


# --- The fleet ----------------------------------------------------------------------------


def test_a_facilitator_checks_out_laptops_and_brings_them_back(
    client_as, world: World, stock: Stock, fleet
) -> None:
    client = client_as("mediator")
    devices = list(fleet.devices.order_by("pk")[:8])
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        fleet.get_absolute_url(),
        {
            "devices": [d.pk for d in devices],
            "facilitator": world.personas["mediator"].pk,
            "due_on": due,
        },
    )
    loan = FleetLoan.objects.get()
    assert response["Location"] == loan.get_absolute_url()
    assert len(services.available(fleet, timezone.localdate())) == 2
    data = {f"condition_{d.pk}": "good" for d in devices}
    data[f"condition_{devices[0].pk}"] = "damaged"
    refused = client.post(loan.get_absolute_url(), data)
    assert f"Décrivez le problème de {devices[0].reference}." in text(refused)
    client.post(loan.get_absolute_url(), {**data, f"note_{devices[0].pk}": "Écran fissuré"})
    loan.refresh_from_db()
    assert loan.returned_at is not None
    assert len(services.available(fleet, timezone.localdate())) == 9
    devices[0].refresh_from_db()
    assert devices[0].state == DeviceState.RETURNED


def test_overdue_loans_are_listed(client_as, world: World, stock: Stock, fleet) -> None:
    loan = services.check_out(
        fleet,
        list(fleet.devices.all()[:2]),
        facilitator=world.personas["mediator"],
        due_on=timezone.localdate(),
        by=None,
    )
    FleetLoan.objects.filter(pk=loan.pk).update(
        out_on=timezone.localdate() - timedelta(days=3),
        due_on=timezone.localdate() - timedelta(days=2),
    )
    page = text(client_as("territory_manager").get("/equiper/flottes/"))
    assert "Prêts en retard" in page and "2 ordinateurs chez Persona mediator" in page


def test_a_referent_has_no_fleet(client_as, world: World, stock: Stock, fleet) -> None:
    assert client_as("relay_referent").get(fleet.get_absolute_url()).status_code == 404


# --- The person's page, export and erasure ------------------------------------------------


def test_purchases_appear_on_the_person_page_export_and_survive_erasure(
    client_as, world: World, stock: Stock
) -> None:
    eligible(world.alice, None)
    stock.supply(stock.reims, stock.sim, 2)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.sim, 1, "8933150319091234563")],
        payment="cash",
        by=None,
    )
    page = text(client_as("relay_referent").get(world.alice.get_absolute_url()))
    assert sale.reference in page and "Servir au comptoir" in page
    exported = people_services.export_person(world.alice, by=None)
    assert exported["stock"]["purchases"][0]["items"][0]["sim_number"] == "8933150319091234563"
    people_services.erase(world.alice, by=world.personas["admin"])
    assert not EligibilityCheck.objects.filter(beneficiary=world.alice).exists()
    assert Sale.objects.get().lines.get().iccid == ""


def test_a_device_lent_to_a_person_comes_back_through_the_tests(
    client_as, world: World, stock: Stock
) -> None:
    device = stock.ready(stock.reims, None)
    client = client_as("relay_referent")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        f"{device.get_absolute_url()}etape/lend/",
        {"lend-person": world.alice.reference, "lend-until": until},
    )
    device.refresh_from_db()
    assert device.state == DeviceState.LENT
    refused = client.post(f"{device.get_absolute_url()}etape/take_back/", {}, follow=True)
    assert "Corrigez le formulaire" in text(refused)
    client.post(f"{device.get_absolute_url()}etape/take_back/", {"take_back-note": "Fin du prêt"})
    device.refresh_from_db()
    assert device.state == DeviceState.RETURNED
    assert device.events.last().beneficiary == world.alice  # type: ignore[union-attr]


def test_a_computer_cohort_shows_the_fleets_laptops_on_its_dates(
    client_as, world: World, stock: Stock, fleet
) -> None:
    from datetime import time

    from maillage.learning import services as learning
    from maillage.learning.models import Cohort, Course

    first = timezone.localdate() + timedelta(days=2)
    cohort = learning.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-computer"), structure=world.ccas_reims),
        first=first,
        at=time(14, 0),
        facilitators=[world.personas["mediator"]],
        by=None,
    )
    services.check_out(
        fleet,
        list(fleet.devices.all()[:5]),
        facilitator=world.personas["mediator"],
        due_on=first,
        by=None,
    )
    client = client_as("mediator")
    page = text(client.get(cohort.get_absolute_url()))
    assert "Ordinateurs de prêt" in page
    assert (
        "Séance 1" in page and "5 disponibles" in page and "pas assez pour 8 participants" in page
    )
    assert "Séance 2" in page and "10 disponibles" in page
    second = cohort.sessions.get(number=2)
    form = text(client.get(f"{fleet.get_absolute_url()}?seance={second.pk}"))
    assert f'<option value="{second.pk}" selected>' in form
    # Referents do not take laptops out: no panel for them.
    assert "Ordinateurs de prêt" not in text(
        client_as("relay_referent").get(cohort.get_absolute_url())
    )


def test_the_national_team_adds_a_top_up_with_its_face_value(client_as, world: World) -> None:
    from maillage.stock.models import Product

    client = client_as("admin")
    refused = client.post(
        "/equiper/produits/nouveau/", {"name": "Recharge 5 €", "kind": "topup", "is_active": "on"}
    )
    assert "Indiquez le crédit que donne cette recharge." in text(refused)
    client.post(
        "/equiper/produits/nouveau/",
        {"name": "Recharge 5 €", "kind": "topup", "face_value": "5", "is_active": "on"},
    )
    assert Product.objects.get().face_value == Decimal("5")
    assert client_as("relay_referent").get("/equiper/produits/nouveau/").status_code == 404
    assert "Recharge 5 €" in text(client_as("relay_referent").get("/equiper/produits/"))


def test_a_manager_creates_a_lending_fleet(client_as, world: World, stock: Stock) -> None:
    from maillage.stock.models import Fleet

    client = client_as("territory_manager")
    client.post("/equiper/flottes/", {"name": "Flotte de la Marne", "place": stock.warehouse.pk})
    assert Fleet.objects.get().place == stock.warehouse
    assert client_as("mediator").post("/equiper/flottes/", {"name": "X"}).status_code == 404
    # A place outside the manager's territory is refused.
    client.post("/equiper/flottes/", {"name": "Ailleurs", "place": stock.lille.pk})
    assert Fleet.objects.count() == 1


def test_the_daily_command_releases_expired_reservations(world: World, stock: Stock) -> None:
    from io import StringIO

    from django.core.management import call_command

    device = stock.ready(stock.reims, None)
    services.reserve(device, world.alice, until=timezone.localdate() - timedelta(days=1), by=None)
    out = StringIO()
    call_command("release_reservations", stdout=out)
    assert "1 réservation(s) expirée(s)" in out.getvalue()
    device.refresh_from_db()
    assert device.state == DeviceState.READY


def test_the_receipt_prints_the_decrees_conditions_and_the_warranty(
    client_as, world: World, stock: Stock, monkeypatch
) -> None:
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    from maillage.stock import views

    monkeypatch.setattr(
        views,
        "pdf_response",
        lambda template, context, filename: HttpResponse(render_to_string(template, context)),
    )
    eligible(world.alice, None)
    laptop = stock.ready(stock.reims, None)
    sale = services.sell(
        place=stock.reims, person=world.alice, devices=[laptop], payment="card", by=None
    )
    receipt = text(client_as("relay_referent").get(f"{sale.get_absolute_url()}ticket.pdf"))
    assert "décret n° 2022-190" in receipt
    assert "Oui — Toutes les fonctionnalités ont été testées" in receipt
    assert "Oui — Les fonctionnalités défaillantes ont été réparées" in receipt
    assert "Oui — Les données de l'utilisateur précédent ont été effacées" in receipt
    assert "Garantie légale de conformité de 12 mois" in receipt
    assert laptop.serial in receipt and "150 €" in receipt
    certificate = text(
        client_as("admin").get(f"{laptop.get_absolute_url()}certificat-effacement.pdf")
    )
    assert "Effacement sécurisé du support (NIST 800-88, purge)" in certificate
