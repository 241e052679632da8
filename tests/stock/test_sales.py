from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from maillage.people.enums import Eligibility, ReferralStatus
from maillage.stock import services
from maillage.stock.enums import DeviceKind, DeviceState, MovementKind, Payment
from maillage.stock.ledger import OutOfStock, StockError
from maillage.stock.models import FreeDistribution, Sale, StockBalance, StockMovement, Transfer
from maillage.stock.services import ProductLine
from tests.conftest import World
from tests.stock.conftest import Stock, eligible


def ledger_matches_every_balance() -> None:
    sums = {
        (row["place"], row["product"]): row["total"]
        for row in StockMovement.objects.values("place", "product").annotate(total=Sum("delta"))
    }
    balances = {(b.place_id, b.product_id): b.quantity for b in StockBalance.objects.all()}
    assert {k: v for k, v in balances.items() if v or k in sums} == sums


def test_an_eligible_person_buys_a_laptop_and_a_sim_card(world: World, stock: Stock) -> None:
    by = world.personas["relay_referent"]
    laptop = stock.ready(stock.reims, by)
    stock.supply(stock.reims, stock.sim, 3)
    eligible(world.alice, by)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        devices=[laptop],
        products=[ProductLine(stock.sim, 1)],
        payment=Payment.CARD,
        by=by,
    )
    assert sale.total == Decimal("155")
    assert [line.unit_price for line in sale.lines.all()] == [Decimal("150"), Decimal("5")]
    laptop.refresh_from_db()
    assert laptop.state == DeviceState.SOLD
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 2
    assert sale.eligibility_check is not None
    ledger_matches_every_balance()


def test_a_person_without_referral_or_criterion_is_refused_with_the_reason(
    world: World, stock: Stock
) -> None:
    stock.supply(stock.reims, stock.sim, 3)
    with pytest.raises(StockError, match=r"pas éligible.*orientée par un travailleur social"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.CASH,
            by=world.personas["relay_referent"],
        )
    assert not Sale.objects.exists()
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 3


def test_an_accepted_referral_makes_a_person_eligible_for_a_year(
    world: World, stock: Stock
) -> None:
    stock.supply(stock.reims, stock.sim, 3)
    referral = world.referral
    referral.beneficiary = world.alice
    referral.status = ReferralStatus.ACCEPTED
    referral.eligibility = Eligibility.CSS
    referral.save()
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.sim, 1)],
        payment=Payment.CASH,
        by=None,
    )
    assert sale.referral == referral
    later = timezone.now() + timedelta(days=400)
    with pytest.raises(StockError, match="pas éligible"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.CASH,
            by=None,
            at=later,
        )


def test_one_device_of_each_kind_per_24_months(world: World, stock: Stock) -> None:
    by = world.personas["relay_referent"]
    eligible(world.alice, by)
    first, second = stock.ready(stock.reims, by), stock.ready(stock.reims, by)
    phone = stock.ready(stock.reims, by, DeviceKind.SMARTPHONE)
    services.sell(
        place=stock.reims, person=world.alice, devices=[first], payment=Payment.CASH, by=by
    )
    with pytest.raises(StockError, match="déjà reçu un équipement « Ordinateur portable »"):
        services.sell(
            place=stock.reims, person=world.alice, devices=[second], payment=Payment.CASH, by=by
        )
    services.sell(
        place=stock.reims, person=world.alice, devices=[phone], payment=Payment.CASH, by=by
    )
    in_two_years = timezone.now() + timedelta(days=2 * 366)
    eligible_then = services.record_criterion(world.alice, Eligibility.RSA, by=by)
    # The day in Paris: at 23:30 UTC the sale is already the next day there.
    eligible_then.checked_on = timezone.localdate(in_two_years)
    eligible_then.valid_until = timezone.localdate(in_two_years)
    eligible_then.save()
    services.sell(
        place=stock.reims,
        person=world.alice,
        devices=[second],
        payment=Payment.CASH,
        by=by,
        at=in_two_years,
    )


def test_top_ups_are_capped_at_30_euros_a_month(world: World, stock: Stock) -> None:
    by = world.personas["relay_referent"]
    eligible(world.alice, by)
    stock.supply(stock.reims, stock.topup, 10)
    services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.topup, 2)],
        payment=Payment.CASH,
        by=by,
    )
    with pytest.raises(StockError, match="30 € par personne et par mois : 20 € déjà"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.topup, 2)],
            payment=Payment.CASH,
            by=by,
        )
    services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.topup, 1)],
        payment=Payment.CASH,
        by=by,
    )


def test_selling_more_than_the_stock_is_a_clear_rupture(world: World, stock: Stock) -> None:
    eligible(world.alice, None)
    stock.supply(stock.reims, stock.sim, 1)
    with pytest.raises(OutOfStock, match="Rupture de stock : Carte SIM SFR — 1 disponible"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.sim, 2)],
            payment=Payment.CASH,
            by=None,
        )
    assert not Sale.objects.exists()


def test_the_database_refuses_a_negative_balance(world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(place=stock.reims).update(quantity=-1)


def test_a_device_elsewhere_or_of_the_fleet_cannot_be_sold(
    world: World, stock: Stock, fleet
) -> None:
    eligible(world.alice, None)
    elsewhere = stock.ready(stock.lille, None)
    with pytest.raises(StockError, match="n'est plus disponible ici"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            devices=[elsewhere],
            payment=Payment.CASH,
            by=None,
        )
    lent = fleet.devices.first()
    with pytest.raises(StockError, match="n'est plus disponible ici"):
        services.sell(
            place=stock.warehouse, person=world.alice, devices=[lent], payment=Payment.CASH, by=None
        )


def test_a_device_reserved_for_someone_else_is_not_sold(world: World, stock: Stock) -> None:
    laptop = stock.ready(stock.reims, None)
    services.reserve(laptop, world.bruno, by=None)
    eligible(world.alice, None)
    with pytest.raises(StockError, match="n'est plus disponible"):
        services.sell(
            place=stock.reims, person=world.alice, devices=[laptop], payment=Payment.CASH, by=None
        )
    eligible(world.bruno, None)
    services.sell(
        place=stock.reims, person=world.bruno, devices=[laptop], payment=Payment.CASH, by=None
    )


def test_a_sale_cancelled_the_same_day_returns_everything_to_stock(
    world: World, stock: Stock
) -> None:
    by = world.personas["relay_referent"]
    eligible(world.alice, by)
    laptop = stock.ready(stock.reims, by)
    stock.supply(stock.reims, stock.sim, 2)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        devices=[laptop],
        products=[ProductLine(stock.sim, 2)],
        payment=Payment.CHEQUE,
        by=by,
    )
    services.cancel(sale, reason="Erreur de saisie", by=by)
    laptop.refresh_from_db()
    assert laptop.state == DeviceState.READY and laptop.place == stock.reims
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 2
    with pytest.raises(StockError, match="déjà annulée"):
        services.cancel(sale, reason="", by=by)
    ledger_matches_every_balance()
    # The cap counts only standing sales: the laptop can be sold to her again.
    services.sell(
        place=stock.reims, person=world.alice, devices=[laptop], payment=Payment.CASH, by=by
    )


def test_a_sale_cannot_be_cancelled_the_next_day(world: World, stock: Stock) -> None:
    eligible(world.alice, None)
    stock.supply(stock.reims, stock.sim, 1)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.sim, 1)],
        payment=Payment.CASH,
        by=None,
    )
    with pytest.raises(StockError, match="que le jour même"):
        services.cancel(sale, reason="", by=None, today=timezone.localdate() + timedelta(days=1))


def free_sims(stock: Stock, quantity: int | None = None) -> FreeDistribution:
    operation = FreeDistribution.objects.create(
        name="Connect Refugees",
        criteria=[Eligibility.ASYLUM],
        product=stock.sim,
        quantity=quantity,
        start=date(2026, 1, 1),
    )
    operation.places.set([stock.reims])
    return operation


def test_a_free_distribution_checks_its_own_public_and_counts(world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 5)
    operation = free_sims(stock, quantity=2)
    eligible(world.alice, None)  # RSA: eligible to the offer, not to this operation
    with pytest.raises(StockError, match="réservée aux publics suivants : Demandeur·se d'asile"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.FREE,
            free_distribution=operation,
            by=None,
        )
    eligible(world.alice, None, Eligibility.ASYLUM)
    sale = services.sell(
        place=stock.reims,
        person=world.alice,
        products=[ProductLine(stock.sim, 2)],
        payment=Payment.FREE,
        free_distribution=operation,
        by=None,
    )
    assert sale.total == 0 and operation.given() == 2
    assert StockMovement.objects.filter(sale=sale).get().kind == MovementKind.DISTRIBUTION
    eligible(world.bruno, None, Eligibility.ASYLUM)
    with pytest.raises(StockError, match="a atteint son nombre prévu"):
        services.sell(
            place=stock.reims,
            person=world.bruno,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.FREE,
            free_distribution=operation,
            by=None,
        )


def test_free_means_within_an_operation_and_paid_means_without(world: World, stock: Stock) -> None:
    eligible(world.alice, None)
    stock.supply(stock.reims, stock.sim, 2)
    with pytest.raises(StockError, match="dans le cadre d'une opération"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.FREE,
            by=None,
        )
    with pytest.raises(StockError, match="ne donne que"):
        services.sell(
            place=stock.reims,
            person=world.alice,
            products=[ProductLine(stock.cable, 1)],
            payment=Payment.FREE,
            free_distribution=free_sims(stock),
            by=None,
        )


def test_a_transfer_moves_devices_and_products_once_received(world: World, stock: Stock) -> None:
    by = world.personas["territory_manager"]
    laptop = stock.ready(stock.warehouse, by)
    stock.supply(stock.warehouse, stock.sim, 10)
    transfer = services.send(
        Transfer(from_place=stock.warehouse, to_place=stock.reims),
        devices=[laptop],
        products={stock.sim: 4},
        by=by,
    )
    laptop.refresh_from_db()
    assert laptop.state == DeviceState.IN_TRANSIT
    assert StockBalance.objects.get(place=stock.warehouse, product=stock.sim).quantity == 6
    assert not StockBalance.objects.filter(place=stock.reims, quantity__gt=0).exists()
    services.confirm_receipt(transfer, by=world.personas["relay_referent"])
    laptop.refresh_from_db()
    assert laptop.state == DeviceState.READY and laptop.place == stock.reims
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 4
    with pytest.raises(StockError, match="déjà confirmée"):
        services.confirm_receipt(transfer, by=by)
    ledger_matches_every_balance()


def test_a_stock_count_records_differences_in_the_ledger(world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 10)
    stock.supply(stock.reims, stock.cable, 3)
    count = services.record_count(
        stock.reims,
        {stock.sim: 8, stock.cable: 3},
        reasons={stock.sim: "Deux cartes abîmées"},
        by=world.personas["relay_referent"],
    )
    differences = {line.product.name: line.difference for line in count.lines.all()}
    assert differences == {"Carte SIM SFR": -2, "Câble USB-C": 0}
    adjustment = StockMovement.objects.get(kind=MovementKind.ADJUSTMENT)
    assert adjustment.delta == -2 and adjustment.reason == "Deux cartes abîmées"
    ledger_matches_every_balance()


def test_a_receipt_of_a_donation_enters_the_stock(world: World, stock: Stock) -> None:
    from maillage.stock.enums import DonorKind
    from maillage.stock.models import Donation, DonationLine, Donor

    donor = Donor.objects.create(name="SFR", kind=DonorKind.COMPANY)
    donation = services.receive_donation(
        Donation(donor=donor, place=stock.warehouse, received_on=date(2026, 3, 1)),
        [
            DonationLine(device_kind=DeviceKind.SMARTPHONE, quantity=215),
            DonationLine(product=stock.sim, quantity=500),
        ],
        by=world.personas["admin"],
    )
    assert donation.reference.startswith("D-")
    assert StockBalance.objects.get(place=stock.warehouse, product=stock.sim).quantity == 500
    ledger_matches_every_balance()


def sold_today_at(hour: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate(), datetime.min.time())
    ) + timedelta(hours=hour)
