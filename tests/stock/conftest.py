"""A small stock world on top of the personas' world: a warehouse in the Marne, the Reims CCAS
as a relay with a counter, the Lille centre as another relay, products, a price list, and
helpers that take a device through the workshop."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from maillage.people.enums import Eligibility
from maillage.people.models import Beneficiary
from maillage.stock import ledger, services
from maillage.stock.enums import DeviceKind, MovementKind, PlaceKind, ProductKind, WipeMethod
from maillage.stock.models import Device, Fleet, Place, Price, PriceList, Product
from maillage.stock.validators import luhn_valid
from tests.conftest import World

# IMEIs and serials that pass their checks, one per device made in a test.
_serials = itertools.count(1)


def imei(body: int) -> str:
    """A valid IMEI: 14 digits then the Luhn check digit."""
    digits = f"35{body:012d}"
    for check in range(10):
        if luhn_valid(digits + str(check)):
            return digits + str(check)
    raise AssertionError


def received_device(place: Place, by: Any, kind: str = DeviceKind.LAPTOP, **fields: Any) -> Device:
    """A device received at a place."""
    n = next(_serials)
    values: dict[str, Any] = {"brand": "Lenovo", "model": "ThinkPad T480", "serial": f"SN{n:06d}"}
    if kind in (DeviceKind.SMARTPHONE, DeviceKind.BASIC_PHONE):
        values = {"brand": "Samsung", "model": "Galaxy A12", "imei": imei(n)}
    device = Device(kind=kind, place=place, **{**values, **fields})
    device.start_history(by=by)
    return device


def ready_device(
    place: Place, by: Any = None, kind: str = DeviceKind.LAPTOP, grade: str = "B", **fields: Any
) -> Device:
    """A device taken through tests, wipe and grade, ready at the place."""
    device = received_device(place, by, kind, **fields)
    services.record_test(device, dict.fromkeys(device.checklist, "ok"), repairs="", by=by)
    services.record_wipe(
        device,
        method=WipeMethod.NIST_PURGE,
        operator="Atelier de Reims",
        wiped_on=timezone.localdate(),
        software="Blancco",
        by=by,
    )
    services.record_grade(device, grade=grade, note="", by=by)
    services.make_ready(device, by=by)
    return device


@dataclass
class Stock:
    warehouse: Place
    reims: Place
    lille: Place
    sim: Product
    topup: Product
    cable: Product
    prices: PriceList

    def device(self, place: Place, by: Any, kind: str = DeviceKind.LAPTOP, **fields: Any) -> Device:
        return received_device(place, by, kind, **fields)

    def ready(
        self, place: Place, by: Any, kind: str = DeviceKind.LAPTOP, grade: str = "B", **fields: Any
    ) -> Device:
        return ready_device(place, by, kind, grade, **fields)

    def supply(self, place: Place, product: Product, quantity: int, by: Any = None) -> None:
        ledger.move(place, product, quantity, MovementKind.RECEIPT, by=by, reason="test")


def eligible(person: Beneficiary, by: Any, criterion: str = Eligibility.RSA) -> Beneficiary:
    services.record_criterion(person, criterion, by=by)
    return person


@pytest.fixture
def stock(world: World) -> Stock:
    warehouse = Place.objects.create(
        name="Entrepôt de Reims", kind=PlaceKind.WAREHOUSE, department=world.marne
    )
    reims = Place.objects.create(
        name="Comptoir du CCAS de Reims", kind=PlaceKind.RELAY, structure=world.ccas_reims
    )
    lille = Place.objects.create(
        name="Comptoir du centre social de Lille",
        kind=PlaceKind.RELAY,
        structure=world.centre_social_lille,
    )
    sim = Product.objects.create(name="Carte SIM SFR", kind=ProductKind.SIM, operator="SFR")
    topup = Product.objects.create(
        name="Recharge SFR 10 €", kind=ProductKind.TOPUP, operator="SFR", face_value=Decimal("10")
    )
    cable = Product.objects.create(name="Câble USB-C", kind=ProductKind.ACCESSORY)
    prices = PriceList.objects.create(name="Grille 2026", valid_from=date(2026, 1, 1))
    for kind, grade, amount in [
        (DeviceKind.LAPTOP, "A", "180"),
        (DeviceKind.LAPTOP, "B", "150"),
        (DeviceKind.LAPTOP, "C", "120"),
        (DeviceKind.SMARTPHONE, "A", "120"),
        (DeviceKind.SMARTPHONE, "B", "100"),
    ]:
        Price.objects.create(
            price_list=prices, device_kind=kind, grade=grade, amount=Decimal(amount)
        )
    for product, amount in [(sim, "5"), (topup, "10"), (cable, "3")]:
        Price.objects.create(price_list=prices, product=product, amount=Decimal(amount))
    return Stock(warehouse, reims, lille, sim, topup, cable, prices)


@pytest.fixture
def fleet(world: World, stock: Stock) -> Fleet:
    fleet = Fleet.objects.create(
        name="Flotte du Département", place=stock.warehouse, owner="Prêtée par le Département"
    )
    for _ in range(10):
        stock.ready(stock.warehouse, world.personas["mediator"], fleet=fleet)
    return fleet
