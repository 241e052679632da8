"""Operations on stock that span several records, each in one transaction: lock (always in the
same order: a free distribution, a person, devices by id, balances by id), check, write, journal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.core import audit
from maillage.core.dates import add_months
from maillage.core.models import AuditEvent
from maillage.people.models import Beneficiary
from maillage.programmes.models import Programme
from maillage.stock import eligibility, ledger
from maillage.stock.enums import (
    Condition,
    DeviceState,
    MovementKind,
    Payment,
    ProductKind,
    TestResult,
)
from maillage.stock.ledger import StockError
from maillage.stock.models import (
    Device,
    Donation,
    DonationLine,
    EligibilityCheck,
    Fleet,
    FleetLoan,
    FleetLoanItem,
    FreeDistribution,
    Place,
    PriceList,
    Product,
    Sale,
    SaleLine,
    StockCount,
    StockCountLine,
    Transfer,
    TransferLine,
)


def _lock_devices(devices: Iterable[Device]) -> list[Device]:
    ids = sorted({device.pk for device in devices})
    return list(Device.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


# --- Donations ---------------------------------------------------------------------------


def receive_donation(
    donation: Donation, lines: Sequence[DonationLine], *, by: Any, at: datetime | None = None
) -> Donation:
    """Record a donation; its counted products enter the stock of the receiving place."""
    with transaction.atomic():
        donation.created_by = by
        donation.save()
        for line in lines:
            line.donation = donation
            line.save()
        ledger.move_all(
            donation.place,
            [(line.product, line.quantity) for line in lines if line.product is not None],
            MovementKind.RECEIPT,
            by=by,
            at=at,
            donation=donation,
            reason=str(donation),
        )
        audit.record(by, AuditEvent.Action.CREATE, donation)
    return donation


# --- Refurbishing ------------------------------------------------------------------------


def record_test(
    device: Device,
    results: dict[str, str],
    *,
    repairs: str,
    by: Any,
    at: datetime | None = None,
) -> None:
    """The functions of the checklist, each ok, repaired (then `repairs` says how) or failed."""
    missing = [item for item in device.checklist if results.get(item) not in TestResult.values]
    if missing:
        raise StockError(_("Chaque fonction de la liste doit être testée."))
    if TestResult.REPAIRED in results.values() and not repairs.strip():
        raise StockError(_("Décrivez les réparations faites."))
    device.record(
        DeviceState.TESTED,
        by=by,
        data={"results": {item: results[item] for item in device.checklist}, "repairs": repairs},
        at=at,
    )


def record_wipe(
    device: Device,
    *,
    method: str,
    operator: str,
    wiped_on: date,
    software: str,
    by: Any,
    at: datetime | None = None,
) -> None:
    """Previous data deleted: how, by whom, when (printed on the erasure certificate)."""
    test = device.last_event(DeviceState.TESTED)
    if test is not None and TestResult.FAILED in test.data.get("results", {}).values():
        raise StockError(
            _(
                "Une fonction a échoué au dernier test : réparez-la et testez à nouveau avant d'effacer."
            )
        )
    device.record(
        DeviceState.WIPED,
        by=by,
        data={
            "method": method,
            "operator": operator,
            "wiped_on": wiped_on.isoformat(),
            "software": software,
        },
        at=at,
    )


def record_grade(
    device: Device, *, grade: str, note: str, by: Any, at: datetime | None = None
) -> None:
    device.record(DeviceState.GRADED, by=by, data={"grade": grade}, note=note, grade=grade, at=at)


def make_ready(device: Device, *, by: Any, at: datetime | None = None) -> None:
    """Ready for sale only when the decree's three conditions are met."""
    if not device.meets_decree():
        raise StockError(
            _(
                "Les trois conditions du reconditionnement (tests, réparations, effacement) ne sont pas toutes remplies."
            )
        )
    device.record(DeviceState.READY, by=by, at=at)


def reserve(device: Device, person: Beneficiary, *, until: date | None = None, by: Any) -> None:
    until = until or timezone.localdate() + timedelta(days=settings.STOCK_RESERVATION_DAYS)
    if device.fleet_id is not None:
        raise StockError(_("Un ordinateur de la flotte de prêt ne se réserve pas."))
    device.record(
        DeviceState.RESERVED,
        by=by,
        beneficiary=person,
        data={"until": until.isoformat()},
        reserved_for=person,
        reserved_until=until,
    )


def lend(device: Device, person: Beneficiary, *, until: date, by: Any) -> None:
    """Lend a ready device to a person until a date (a loan, not a sale)."""
    if device.fleet_id is not None:
        raise StockError(_("Un ordinateur de la flotte se prête aux ateliers, pas aux personnes."))
    device.record(DeviceState.LENT, by=by, beneficiary=person, data={"until": until.isoformat()})
    person.touch()


def take_back(device: Device, *, note: str, by: Any) -> None:
    """A device comes back from a person (end of a loan, or a return under warranty): it goes
    through the tests again before it is handed out."""
    holder = device.events.filter(
        to_state__in=(DeviceState.LENT, DeviceState.SOLD, DeviceState.GIVEN)
    )
    last = holder.order_by("-at", "-pk").first()
    device.record(
        DeviceState.RETURNED, by=by, beneficiary=last.beneficiary if last else None, note=note
    )


def release(device: Device, *, by: Any) -> None:
    """A reserved device is put back on sale before its reservation ends."""
    device.record(DeviceState.READY, by=by, note=str(_("Réservation levée")))


def dispose(device: Device, outcome: str, *, note: str, by: Any) -> None:
    """A device leaves the stock: recycled or lost (`outcome`), with why."""
    device.record(outcome, by=by, note=note)


def release_expired_reservations(today: date | None = None) -> int:
    """Devices whose reservation has expired go back to stock."""
    today = today or timezone.localdate()
    released = 0
    for device in Device.objects.filter(state=DeviceState.RESERVED, reserved_until__lt=today):
        device.record(DeviceState.READY, by=None, note=str(_("Réservation expirée")))
        released += 1
    return released


# --- Transfers ---------------------------------------------------------------------------


def send(
    transfer: Transfer,
    *,
    devices: Iterable[Device] = (),
    products: dict[Product, int] | None = None,
    by: Any,
) -> Transfer:
    """Send devices and products to another place with a delivery note: the devices are in
    transit, the products leave the sending place's stock."""
    products = {p: q for p, q in (products or {}).items() if q}
    devices = list(devices)
    if not devices and not products:
        raise StockError(_("Choisissez au moins un équipement ou un produit à envoyer."))
    with transaction.atomic():
        locked = _lock_devices(devices)
        for device in locked:
            if device.place_id != transfer.from_place_id or device.state != DeviceState.READY:
                raise StockError(
                    _("L'équipement %(reference)s n'est pas prêt dans ce lieu.")
                    % {"reference": device.reference}
                )
        transfer.sent_by = by
        transfer.save()
        for device in locked:
            TransferLine.objects.create(transfer=transfer, device=device)
            device.record(
                DeviceState.IN_TRANSIT,
                by=by,
                at=transfer.sent_at,
                data={"transfer": transfer.reference},
            )
        for product, quantity in products.items():
            TransferLine.objects.create(transfer=transfer, product=product, quantity=quantity)
        ledger.move_all(
            transfer.from_place,
            [(product, -quantity) for product, quantity in products.items()],
            MovementKind.TRANSFER_OUT,
            by=by,
            at=transfer.sent_at,
            transfer=transfer,
            reason=str(transfer),
        )
        audit.record(by, AuditEvent.Action.CREATE, transfer)
    return transfer


def confirm_receipt(transfer: Transfer, *, by: Any, at: datetime | None = None) -> None:
    """The receiving place confirms what arrived: devices are ready there, products enter its
    stock. Confirmed once."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.received_at is not None:
            raise StockError(_("La réception de ce transfert est déjà confirmée."))
        lines = list(transfer.lines.select_related("device", "product"))
        devices = _lock_devices(line.device for line in lines if line.device)
        for device in devices:
            device.record(
                DeviceState.READY,
                by=by,
                at=at,
                place=transfer.to_place,
                data={"transfer": transfer.reference},
            )
        ledger.move_all(
            transfer.to_place,
            [(line.product, line.quantity) for line in lines if line.product is not None],
            MovementKind.TRANSFER_IN,
            by=by,
            at=at,
            transfer=transfer,
            reason=str(transfer),
        )
        transfer.received_at = at
        transfer.received_by = by
        Transfer.objects.filter(pk=transfer.pk).update(
            received_at=transfer.received_at, received_by=by
        )
        audit.record(by, AuditEvent.Action.UPDATE, transfer, changes={"received_at": [None, "✓"]})


# --- Stock counts ------------------------------------------------------------------------


def record_count(
    place: Place,
    counted: dict[Product, int],
    *,
    reasons: dict[Product, str] | None = None,
    note: str = "",
    by: Any,
) -> StockCount:
    """What was found on the shelves: each difference with the balance is recorded and
    adjusts the ledger."""
    reasons = reasons or {}
    with transaction.atomic():
        balances = ledger.lock(place, counted)
        count = StockCount.objects.create(place=place, counted_by=by, note=note)
        for product, found in sorted(counted.items(), key=lambda item: item[0].pk):
            expected = balances[product.pk].quantity
            reason = reasons.get(product, "")
            StockCountLine.objects.create(
                count=count, product=product, expected=expected, counted=found, reason=reason
            )
            if found != expected:
                ledger.move(
                    place,
                    product,
                    found - expected,
                    MovementKind.ADJUSTMENT,
                    by=by,
                    count=count,
                    reason=reason or str(_("Inventaire")),
                    locked=balances[product.pk],
                )
        audit.record(by, AuditEvent.Action.CREATE, count)
    return count


# --- Sales and free distributions --------------------------------------------------------


@dataclass(frozen=True)
class ProductLine:
    product: Product
    quantity: int
    iccid: str = ""


def record_criterion(
    person: Beneficiary, criterion: str, *, by: Any, on: date | None = None
) -> EligibilityCheck:
    """A criterion checked on a document at the counter, valid for a while."""
    today = on or timezone.localdate()
    valid_until = add_months(today, settings.STOCK_CRITERION_VALIDITY_MONTHS)
    check = EligibilityCheck.objects.create(
        beneficiary=person,
        criterion=criterion,
        checked_on=today,
        valid_until=valid_until,
        checked_by=by,
    )
    audit.record(by, AuditEvent.Action.CREATE, check)
    return check


def _unit_price(
    prices: PriceList | None, device: Device | None, product: Product | None
) -> Decimal:
    amount = None
    if prices is not None:
        amount = (
            prices.price_of_device(device.kind, device.grade)
            if device is not None
            else prices.price_of_product(product)  # type: ignore[arg-type]
        )
    if amount is None:
        raise StockError(
            _("Aucun prix solidaire en vigueur pour « %(item)s ».") % {"item": device or product}
        )
    return amount


def _check_distribution(
    distribution: FreeDistribution,
    place: Place,
    devices: Sequence[Device],
    products: Sequence[ProductLine],
    day: date,
) -> None:
    if not (distribution.start <= day and (distribution.end is None or day <= distribution.end)):
        raise StockError(
            _("L'opération « %(name)s » n'est pas ouverte aujourd'hui.")
            % {"name": distribution.name}
        )
    if not distribution.places.filter(pk=place.pk).exists():
        raise StockError(
            _("Ce lieu ne participe pas à l'opération « %(name)s ».") % {"name": distribution.name}
        )
    gives = [d for d in devices if d.kind != distribution.device_kind] + [
        line for line in products if line.product.pk != distribution.product_id
    ]
    if gives:
        raise StockError(
            _("L'opération « %(name)s » ne donne que : %(what)s.")
            % {
                "name": distribution.name,
                "what": distribution.product or distribution.get_device_kind_display(),
            }
        )
    if distribution.quantity is not None:
        units = len(devices) + sum(line.quantity for line in products)
        left = distribution.quantity - distribution.given()
        if units > left:
            raise StockError(
                _("L'opération « %(name)s » a atteint son nombre prévu : %(left)s restant(s).")
                % {"name": distribution.name, "left": max(left, 0)}
            )


def sell(
    *,
    place: Place,
    person: Beneficiary,
    devices: Sequence[Device] = (),
    products: Sequence[ProductLine] = (),
    payment: str,
    by: Any,
    free_distribution: FreeDistribution | None = None,
    programme: Programme | None = None,
    at: datetime | None = None,
) -> Sale:
    """Sell at the solidarity price (or give, for a free distribution) devices and products
    of the place's stock to an eligible person within their caps, in one transaction. Two
    counters selling the last unit at the same moment cannot both succeed: the second gets
    « rupture de stock »."""
    at = at or timezone.now()
    day = timezone.localtime(at).date()
    devices = list(devices)
    products = [line for line in products if line.quantity]
    if not devices and not products:
        raise StockError(_("Choisissez au moins un article."))
    free = payment == Payment.FREE
    if free and free_distribution is None:
        raise StockError(
            _("Une remise gratuite se fait dans le cadre d'une opération de distribution gratuite.")
        )
    if not free and free_distribution is not None:
        raise StockError(_("Une opération de distribution gratuite ne se paie pas."))
    with transaction.atomic():
        if free_distribution is not None:
            free_distribution = FreeDistribution.objects.select_for_update().get(
                pk=free_distribution.pk
            )
            _check_distribution(free_distribution, place, devices, products, day)
        Beneficiary.objects.select_for_update().get(pk=person.pk)
        found = eligibility.basis(person, day)
        refused = eligibility.refusal(person, day, free_distribution, found)
        if refused:
            raise StockError(refused)
        locked = _lock_devices(devices)
        for device in locked:
            reserved_for_other = (
                device.state == DeviceState.RESERVED
                and device.reserved_for_id != person.pk
                and device.reserved_until is not None
                and device.reserved_until >= day
            )
            if (
                device.place_id != place.pk
                or device.fleet_id is not None
                or device.state not in (DeviceState.READY, DeviceState.RESERVED)
                or reserved_for_other
            ):
                raise StockError(
                    _("Rupture de stock : l'équipement %(reference)s n'est plus disponible ici.")
                    % {"reference": device.reference}
                )
        refused = eligibility.device_cap_refusal(person, [d.kind for d in locked], day)
        topups = sum(
            (
                line.product.face_value * line.quantity
                for line in products
                if line.product.kind == ProductKind.TOPUP and line.product.face_value
            ),
            Decimal("0"),
        )
        refused = refused or eligibility.topup_cap_refusal(person, topups, day)
        if refused:
            raise StockError(refused)
        prices = None if free else PriceList.objects.valid_on(day)
        device_prices = [
            (device, Decimal("0") if free else _unit_price(prices, device, None))
            for device in locked
        ]
        product_prices = [
            (line, Decimal("0") if free else _unit_price(prices, None, line.product))
            for line in products
        ]
        sale = Sale.objects.create(
            place=place,
            beneficiary=person,
            sold_at=at,
            sold_by=by,
            payment=payment,
            total=sum(price for _device, price in device_prices)
            + sum(price * line.quantity for line, price in product_prices),
            free_distribution=free_distribution,
            programme=programme or (free_distribution.programme if free_distribution else None),
            referral=found.referral,
            eligibility_check=found.check,
        )
        for device, price in device_prices:
            SaleLine.objects.create(sale=sale, device=device, unit_price=price)
            device.record(
                DeviceState.GIVEN if free else DeviceState.SOLD,
                by=by,
                at=at,
                beneficiary=person,
                data={"sale": sale.reference},
            )
        for line, price in product_prices:
            SaleLine.objects.create(
                sale=sale,
                product=line.product,
                quantity=line.quantity,
                unit_price=price,
                iccid=line.iccid,
            )
        ledger.move_all(
            place,
            [(line.product, -line.quantity) for line in products],
            MovementKind.DISTRIBUTION if free else MovementKind.SALE,
            by=by,
            at=at,
            sale=sale,
            reason=str(sale),
        )
        person.touch(day)
        audit.record(by, AuditEvent.Action.CREATE, sale)
    return sale


def cancel(sale: Sale, *, reason: str, by: Any, today: date | None = None) -> None:
    """Cancel a sale on the day it was made: its devices and products go back to stock."""
    with transaction.atomic():
        locked = Sale.objects.select_for_update().get(pk=sale.pk)
        if locked.cancelled_at is not None:
            raise StockError(_("Cette vente est déjà annulée."))
        if not locked.may_be_cancelled(today):
            raise StockError(
                _("Une vente ne peut être annulée que le jour même (le %(date)s).")
                % {"date": date_format(locked.cancellable_until(), "j F Y")}
            )
        lines = list(sale.lines.select_related("device", "product"))
        devices = _lock_devices(line.device for line in lines if line.device)
        if any(not Device.workflow.can(device.state, DeviceState.READY) for device in devices):
            raise StockError(
                _(
                    "Un équipement de cette vente a changé d'état depuis (rendu, repris ou "
                    "perdu) : la vente ne peut plus être annulée."
                )
            )
        for device in devices:
            device.record(
                DeviceState.READY,
                by=by,
                place=sale.place,
                data={"cancelled_sale": sale.reference},
            )
        ledger.move_all(
            sale.place,
            [(line.product, line.quantity) for line in lines if line.product is not None],
            MovementKind.CANCELLATION,
            by=by,
            sale=sale,
            reason=reason,
        )
        sale.cancelled_at, sale.cancelled_by, sale.cancel_reason = timezone.now(), by, reason
        sale.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        audit.record(by, AuditEvent.Action.UPDATE, sale, changes={"cancelled_at": [None, "✓"]})


# --- The laptop fleet --------------------------------------------------------------------


def available(fleet: Fleet, day: date, today: date | None = None) -> list[Device]:
    """The fleet's laptops that can go out on that day: ready, and not out on a loan."""
    out = FleetLoanItem.objects.filter(loan__in=FleetLoan.objects.covering(day, today)).values(
        "device_id"
    )
    return list(
        fleet.devices.filter(state=DeviceState.READY).exclude(pk__in=out).order_by("reference")
    )


def check_out(
    fleet: Fleet,
    devices: Sequence[Device],
    *,
    facilitator: Any,
    due_on: date,
    by: Any,
    session: Any = None,
    workshop: Any = None,
    note: str = "",
    on: date | None = None,
) -> FleetLoan:
    today = on or timezone.localdate()
    if due_on < today:
        raise StockError(_("La date de retour prévue est passée."))
    if not devices:
        raise StockError(_("Choisissez au moins un ordinateur."))
    with transaction.atomic():
        locked = _lock_devices(devices)
        free = {device.pk for device in available(fleet, today, today)}
        for device in locked:
            if device.fleet_id != fleet.pk or device.pk not in free:
                raise StockError(
                    _("L'ordinateur %(reference)s n'est pas disponible.")
                    % {"reference": device.reference}
                )
        loan = FleetLoan.objects.create(
            fleet=fleet,
            facilitator=facilitator,
            session=session,
            workshop=workshop,
            out_on=today,
            due_on=due_on,
            created_by=by,
            note=note,
        )
        FleetLoanItem.objects.bulk_create(FleetLoanItem(loan=loan, device=d) for d in locked)
        audit.record(by, AuditEvent.Action.CREATE, loan)
    return loan


def check_in(
    loan: FleetLoan,
    conditions: dict[int, tuple[str, str]],
    *,
    by: Any,
    at: datetime | None = None,
) -> None:
    """The laptops come back, each with its condition (`conditions` by device id: condition,
    note): a damaged one goes back to the workshop, a missing one is declared lost."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = FleetLoan.objects.select_for_update().get(pk=loan.pk)
        if locked.returned_at is not None:
            raise StockError(_("Ce prêt est déjà rendu."))
        items = list(loan.items.select_related("device"))
        if any(item.device_id not in conditions for item in items):
            raise StockError(_("Indiquez l'état de chaque ordinateur rendu."))
        _lock_devices(item.device for item in items)
        for item in items:
            condition, note = conditions[item.device_id]
            item.condition, item.note = condition, note
            item.save(update_fields=["condition", "note"])
            if condition == Condition.DAMAGED:
                item.device.record(DeviceState.RETURNED, by=by, note=note, at=at)
            elif condition == Condition.MISSING:
                item.device.record(DeviceState.LOST, by=by, note=note, at=at)
        loan.returned_at, loan.returned_to = at, by
        loan.save(update_fields=["returned_at", "returned_to"])
        audit.record(by, AuditEvent.Action.UPDATE, loan, changes={"returned_at": [None, "✓"]})
