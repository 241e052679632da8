from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.core.models import AppendOnlyError
from maillage.core.statemachine import TransitionNotAllowed
from maillage.stock import services
from maillage.stock.enums import DeviceKind, DeviceState, WipeMethod
from maillage.stock.ledger import StockError
from maillage.stock.models import Device, DeviceEvent
from maillage.stock.validators import validate_iccid, validate_imei
from tests.conftest import World
from tests.stock.conftest import Stock, imei


def test_an_imei_with_a_wrong_check_digit_is_refused() -> None:
    good = imei(42)
    validate_imei(good)
    validate_imei(f"{good[:2]} {good[2:8]} {good[8:14]} {good[14]}")
    wrong = good[:14] + str((int(good[14]) + 1) % 10)
    with pytest.raises(ValidationError, match="chiffre de contrôle"):
        validate_imei(wrong)
    with pytest.raises(ValidationError, match="15 chiffres"):
        validate_imei("1234")


def test_an_iccid_is_checked_by_its_last_digit() -> None:
    validate_iccid("8933150319091234563")
    with pytest.raises(ValidationError, match="chiffre de contrôle"):
        validate_iccid("8933150319091234564")
    with pytest.raises(ValidationError, match="commence par 89"):
        validate_iccid("1233150319091234564")


def test_a_donated_laptop_goes_through_the_workshop_and_its_history_is_kept(
    world: World, stock: Stock
) -> None:
    by = world.personas["mediator"]
    device = stock.device(stock.warehouse, by)
    results = dict.fromkeys(device.checklist, "ok")
    results["battery"] = "failed"
    services.record_test(device, results, repairs="", by=by)
    with pytest.raises(StockError, match="réparez-la"):
        services.record_wipe(
            device,
            method=WipeMethod.NIST_PURGE,
            operator="A",
            wiped_on=timezone.localdate(),
            software="",
            by=by,
        )
    results["battery"] = "repaired"
    with pytest.raises(StockError, match="réparations"):
        services.record_test(device, results, repairs="", by=by)
    services.record_test(device, results, repairs="Batterie remplacée", by=by)
    services.record_wipe(
        device,
        method=WipeMethod.NIST_PURGE,
        operator="A",
        wiped_on=timezone.localdate(),
        software="",
        by=by,
    )
    services.record_grade(device, grade="A", note="Comme neuf", by=by)
    services.make_ready(device, by=by)

    device.refresh_from_db()
    assert device.state == DeviceState.READY
    assert device.grade == "A"
    states = [e.to_state for e in device.events.all()]
    assert states == ["received", "tested", "tested", "wiped", "graded", "ready"]
    assert device.meets_decree()
    repaired = device.decree_conditions()[1]
    assert repaired[1] and repaired[2] == "Batterie remplacée"


def test_the_current_state_is_the_last_event_of_every_device(world: World, stock: Stock) -> None:
    by = world.personas["mediator"]
    stock.ready(stock.warehouse, by)
    stock.device(stock.warehouse, by, DeviceKind.SMARTPHONE)
    for device in Device.objects.all():
        last = device.events.order_by("at", "pk").last()
        assert last is not None and last.to_state == device.state


def test_a_device_cannot_skip_the_wipe(world: World, stock: Stock) -> None:
    by = world.personas["mediator"]
    device = stock.device(stock.warehouse, by)
    services.record_test(device, dict.fromkeys(device.checklist, "ok"), repairs="", by=by)
    with pytest.raises(TransitionNotAllowed, match="Testé"):
        services.record_grade(device, grade="A", note="", by=by)
    with pytest.raises(StockError, match="trois conditions"):
        services.make_ready(device, by=by)
    assert device.decree_conditions()[2][1] is False


def test_a_test_must_cover_every_function_of_the_kind(world: World, stock: Stock) -> None:
    device = stock.device(stock.warehouse, world.personas["mediator"], DeviceKind.SMARTPHONE)
    assert "network" in device.checklist and "keyboard" not in device.checklist
    with pytest.raises(StockError, match="Chaque fonction"):
        services.record_test(device, {"screen": "ok"}, repairs="", by=None)


def test_a_device_event_cannot_be_changed_or_deleted(world: World, stock: Stock) -> None:
    device = stock.device(stock.warehouse, world.personas["mediator"])
    event = device.events.get()
    event.to_state = "lost"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        DeviceEvent.objects.filter(pk=event.pk).update(to_state="lost")
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_an_expired_reservation_puts_the_device_back_in_stock(world: World, stock: Stock) -> None:
    by = world.personas["relay_referent"]
    device = stock.ready(stock.reims, by)
    services.reserve(device, world.alice, until=date(2026, 1, 10), by=by)
    assert device.state == DeviceState.RESERVED and device.reserved_for == world.alice
    assert services.release_expired_reservations(date(2026, 1, 10)) == 0
    assert services.release_expired_reservations(date(2026, 1, 11)) == 1
    device.refresh_from_db()
    assert device.state == DeviceState.READY and device.reserved_for is None
