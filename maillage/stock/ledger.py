"""The only way a stock balance changes: a movement written in the same transaction.

`lock` takes the balances an operation will change, in one order (by id) so that two
operations never wait for each other in a circle; `move` changes one balance by a delta and
appends its ledger row. The database refuses a negative balance (a CHECK constraint) even if
some code forgot to lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import audit
from maillage.stock.models import Place, Product, StockBalance, StockMovement


class StockError(Exception):
    """An operation on stock that cannot be done; the message says why, in French."""


class OutOfStock(StockError):
    """Not enough units at the place: a clear « rupture de stock » for the counter."""

    def __init__(self, product: Product, place: Place, available: int, wanted: int) -> None:
        self.product, self.place, self.available, self.wanted = product, place, available, wanted
        super().__init__(
            _(
                "Rupture de stock : %(product)s — %(available)s disponible(s) à %(place)s, "
                "%(wanted)s demandé(s)."
            )
            % {
                "product": product,
                "available": available,
                "place": place,
                "wanted": wanted,
            }
        )


def lock(place: Place, products: Iterable[Product]) -> dict[int, StockBalance]:
    """The balances of these products at the place, locked until the transaction ends (created
    at zero where missing)."""
    ids = sorted({product.pk for product in products})
    StockBalance.objects.bulk_create(
        [StockBalance(place=place, product_id=pk, quantity=0) for pk in ids],
        ignore_conflicts=True,
    )
    balances = (
        StockBalance.objects.select_for_update()
        .filter(place=place, product_id__in=ids)
        .order_by("pk")
    )
    return {balance.product_id: balance for balance in balances}


def move(
    place: Place,
    product: Product,
    delta: int,
    kind: str,
    *,
    by: Any,
    at: datetime | None = None,
    reason: str = "",
    locked: StockBalance | None = None,
    **refs: Any,
) -> StockMovement:
    """Add `delta` units (negative: take them out) and write the ledger row, under the
    balance's lock (`locked`: the balance the caller already locked with `lock`, kept up to
    date here). Taking more than there is raises `OutOfStock`."""
    if delta == 0:
        raise ValueError("A movement moves something.")
    with transaction.atomic():
        balance = locked or lock(place, [product])[product.pk]
        if balance.quantity + delta < 0:
            raise OutOfStock(product, place, balance.quantity, -delta)
        StockBalance.objects.filter(pk=balance.pk).update(quantity=F("quantity") + delta)
        balance.quantity += delta
        return StockMovement.objects.create(
            place=place,
            product=product,
            delta=delta,
            kind=kind,
            at=at or timezone.now(),
            by=audit.author(by),
            balance_after=balance.quantity,
            reason=reason[:255],
            **refs,
        )


def move_all(
    place: Place,
    deltas: Sequence[tuple[Product, int]],
    kind: str,
    *,
    by: Any,
    at: datetime | None = None,
    reason: str = "",
    **refs: Any,
) -> None:
    """Several movements at one place, their balances locked together, in id order."""
    deltas = sorted(deltas, key=lambda item: item[0].pk)
    if not deltas:
        return
    with transaction.atomic():
        balances = lock(place, [product for product, _delta in deltas])
        for product, delta in deltas:
            move(
                place,
                product,
                delta,
                kind,
                by=by,
                at=at,
                reason=reason,
                locked=balances[product.pk],
                **refs,
            )
