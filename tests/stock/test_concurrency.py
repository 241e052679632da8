"""Counters racing for the last units, on PostgreSQL: threads, each with its own connection,
start together and try to sell. Exactly as many as there are units succeed; every other gets a
clear « rupture de stock »; balances end at zero; no deadlock and no database error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from maillage.people.models import Beneficiary
from maillage.stock import services
from maillage.stock.enums import Payment
from maillage.stock.ledger import StockError
from maillage.stock.models import Device, Sale, StockBalance
from maillage.stock.services import ProductLine
from tests.conftest import World
from tests.stock.conftest import Stock, eligible
from tests.stock.test_sales import ledger_matches_every_balance

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every writer: no race to prove"
    ),
]


def race(attempts: list[Callable[[], Any]]) -> list[BaseException | None]:
    """Run the attempts in threads released at the same moment; each one's error or None."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[BaseException | None] = [None] * len(attempts)

    def run(index: int) -> None:
        try:
            barrier.wait()
            attempts[index]()
        except BaseException as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def people(world: World, count: int) -> list[Beneficiary]:
    return [
        eligible(
            Beneficiary.objects.create(first_name=f"Client {i}", structure=world.ccas_reims), None
        )
        for i in range(count)
    ]


def assert_only_ruptures(outcomes: list[BaseException | None], successes: int) -> None:
    errors = [o for o in outcomes if o is not None]
    assert len(outcomes) - len(errors) == successes, errors[:3]
    for error in errors:
        assert isinstance(error, StockError), repr(error)
        assert "Rupture de stock" in str(error)


def test_fifty_sales_race_for_the_last_five_sim_cards(world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.sim, 5)
    buyers = people(world, 50)

    def buy(person: Beneficiary) -> Callable[[], Any]:
        return lambda: services.sell(
            place=stock.reims,
            person=person,
            products=[ProductLine(stock.sim, 1)],
            payment=Payment.CASH,
            by=None,
        )

    outcomes = race([buy(person) for person in buyers])
    assert_only_ruptures(outcomes, successes=5)
    assert StockBalance.objects.get(place=stock.reims, product=stock.sim).quantity == 0
    assert Sale.objects.count() == 5
    ledger_matches_every_balance()


def test_fifty_sales_race_for_one_laptop(world: World, stock: Stock) -> None:
    laptop = stock.ready(stock.reims, None)
    stock.supply(stock.reims, stock.cable, 50)
    buyers = people(world, 50)

    def buy(person: Beneficiary) -> Callable[[], Any]:
        # With a cable each, so that devices and balances are locked in the same sale.
        return lambda: services.sell(
            place=stock.reims,
            person=person,
            devices=[Device.objects.get(pk=laptop.pk)],
            products=[ProductLine(stock.cable, 1)],
            payment=Payment.CARD,
            by=None,
        )

    outcomes = race([buy(person) for person in buyers])
    assert_only_ruptures(outcomes, successes=1)
    assert Sale.objects.get().lines.filter(device=laptop).exists()
    assert StockBalance.objects.get(place=stock.reims, product=stock.cable).quantity == 49
    ledger_matches_every_balance()


def test_ten_top_ups_race_for_one_persons_monthly_cap(world: World, stock: Stock) -> None:
    stock.supply(stock.reims, stock.topup, 20)
    (person,) = people(world, 1)
    outcomes = race(
        [
            lambda: services.sell(
                place=stock.reims,
                person=person,
                products=[ProductLine(stock.topup, 1)],
                payment=Payment.CASH,
                by=None,
            )
        ]
        * 10
    )
    errors = [o for o in outcomes if o is not None]
    assert len(errors) == 7, errors[:3]
    for error in errors:
        assert isinstance(error, StockError) and "limitées à 30 €" in str(error), repr(error)
    assert sum(s.total for s in Sale.objects.all()) == Decimal("30")
    assert StockBalance.objects.get(place=stock.reims, product=stock.topup).quantity == 17
