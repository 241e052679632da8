"""The equipment and connection figures (`maillage.stock.indicators`) read through a cache of
this process, stamped by the last `EquipmentChange` of each month they cover: a dashboard of the
last twelve whole months is computed again only after a write dated in one of them (decision
0016). Stock writes log their months through the signals connected here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

from maillage.core.indicators import Filters, get
from maillage.impact.facts import month_starts
from maillage.impact.models import EquipmentChange
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from maillage.stock.indicators import CODES
from maillage.stock.models import DeviceEvent, FleetLoan, Place, Product, Sale

__all__ = ["CODES", "cached", "changed", "connect", "remembered", "stamp"]


# --- Cached, stamped by the changes of the months a period covers -----------------------


def _month(moment: date | datetime) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return day.replace(day=1)


def changed(*moments: date | datetime | None, every_month: bool = False) -> None:
    """Log a write that can change the figures of the months of these moments (or of every
    month). An insert, not an update: writes never wait for one another."""
    months = {_month(moment) for moment in moments if moment is not None}
    if every_month:
        months = {EquipmentChange.EVERY_MONTH}
    EquipmentChange.objects.bulk_create(EquipmentChange(month=month) for month in months)


def stamp(filters: Filters) -> tuple[int, ...]:
    """The last change of each month of the period, and of every month, in one query of
    index lookups (written in SQL: the ORM takes longer to build it than the database to
    answer it)."""
    months = [EquipmentChange.EVERY_MONTH, *month_starts(filters.start, filters.end)]
    table = EquipmentChange._meta.db_table
    last = f"(SELECT MAX(id) FROM {table} WHERE month = %s)"  # noqa: S608 (no user input)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([last] * len(months)), months)
        row = cursor.fetchone()
    return tuple(value or 0 for value in row)


def cached(code: str, filters: Filters, computed: Callable[[], None] | None = None) -> Any:
    """The figure, computed once for these filters until a write changes one of their months;
    `computed` is called after a computation."""
    return remembered(
        ("equipment", code, filters, stamp(filters)), code, filters, None, computed=computed
    )


def remembered(
    key: Any,
    code: str,
    filters: Filters,
    timeout: int | None,
    *,
    computed: Callable[[], None] | None = None,
) -> Any:
    """A figure kept in this process's cache under `key` for `timeout` seconds (None: until
    the key changes); `computed` is called when it had to be computed."""
    name = "figure:" + hashlib.sha256(repr(key).encode()).hexdigest()
    found = cache.get(name, _MISSING)
    if found is _MISSING:
        found = get(code).compute(filters)
        cache.set(name, found, timeout=timeout)
        if computed:
            computed()
    return found


_MISSING = object()


def _on_sale(instance: Sale, **kwargs: Any) -> None:
    changed(instance.sold_at)


def _on_event(instance: DeviceEvent, **kwargs: Any) -> None:
    changed(instance.at)


def _on_loan(instance: FleetLoan, **kwargs: Any) -> None:
    changed(instance.out_on)


def _on_everything(**kwargs: Any) -> None:
    """A place, a product, a structure or a programme's partners: any month may change."""
    if kwargs.get("action", "post_").startswith("post_"):
        changed(every_month=True)


def connect() -> None:
    post_save.connect(_on_sale, sender=Sale, dispatch_uid="equipment.sale")
    post_save.connect(_on_event, sender=DeviceEvent, dispatch_uid="equipment.event")
    post_save.connect(_on_loan, sender=FleetLoan, dispatch_uid="equipment.loan")
    senders: Iterable[type[Model]] = (Place, Product, Structure)
    for sender in senders:
        post_save.connect(
            _on_everything, sender=sender, dispatch_uid=f"equipment.{sender.__name__}"
        )
    for through in (Programme.partner_structures.through, Programme.departments.through):
        m2m_changed.connect(
            _on_everything, sender=through, dispatch_uid=f"equipment.{through.__name__}"
        )
