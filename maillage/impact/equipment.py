"""Indicators of equipment and connection, computed live from the stock records (their volume
is small next to the accompaniment's: a sale is one row where a parcours is hundreds of
attendance rows — see decision 0015).

Figures are cached per process, stamped by the last `EquipmentChange` of each month they
cover: a dashboard of the last twelve whole months is computed again only after a write dated
in one of them (decision 0016).

Where: the place of the event (the workshop that received or refurbished a device, the counter
that sold or gave it), by its département and its structure. For a programme: the sales made in
its name (a free distribution it funds) and the other sales of its partner structures; the
devices received or refurbished at its partners' places or at the network's own places
(warehouses, workshops, kits) in its départements; the laptops lent for its sessions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import DecimalField, ExpressionWrapper, F, Model, Q, QuerySet, Sum
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.impact.facts import month_starts
from maillage.impact.models import EquipmentChange
from maillage.impact.registry import Filters, Indicator, register
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from maillage.stock.enums import DeviceState, Payment, ProductKind
from maillage.stock.models import (
    DeviceEvent,
    FleetLoan,
    FleetLoanItem,
    Place,
    Product,
    Sale,
    SaleLine,
)

# The place breakdowns, the period, and the kind of device where the figure is about devices.
PLACES = frozenset({"region", "department", "structure", "programme"})
DEVICES = PLACES | {"device_kind"}


def _where(filters: Filters, place: str) -> Q:
    """The place (through `place`, a path to a stock place) lies in the filters' territory."""
    q = Q()
    if filters.region_ids:
        q &= Q(**{f"{place}department__region_id__in": filters.region_ids})
    if filters.department_ids:
        q &= Q(**{f"{place}department_id__in": filters.department_ids})
    if filters.structure_ids:
        q &= Q(**{f"{place}structure_id__in": filters.structure_ids})
    return q


def _nothing(filters: Filters) -> bool:
    """A figure about a course, a gender or an age band has no equipment in it."""
    return bool(filters.course_codes or filters.genders or filters.age_bands)


def device_events(filters: Filters, to_state: str, from_state: str | None = None) -> QuerySet[Any]:
    """Steps of devices' lives to a state in the period, at places of the filters."""
    if _nothing(filters):
        return DeviceEvent.objects.none()
    qs = DeviceEvent.objects.filter(
        _where(filters, "place__"), to_state=to_state, at__gte=filters.since, at__lt=filters.until
    )
    if from_state is not None:
        qs = qs.filter(from_state=from_state)
    if filters.programme_ids:
        qs = qs.filter(
            Q(place__structure__programmes__in=filters.programme_ids)
            | Q(
                place__structure__isnull=True,
                place__department__programmes__in=filters.programme_ids,
            )
        )
    if filters.device_kinds:
        qs = qs.filter(device__kind__in=filters.device_kinds)
    return qs.distinct()


def sale_lines(filters: Filters, *, free: bool | None = None) -> QuerySet[SaleLine]:
    """Lines of standing sales of the period at counters of the filters (`free`: only gifts,
    or only sales)."""
    if _nothing(filters):
        return SaleLine.objects.none()
    qs = SaleLine.objects.filter(
        _where(filters, "sale__place__"),
        sale__cancelled_at__isnull=True,
        sale__sold_at__gte=filters.since,
        sale__sold_at__lt=filters.until,
    )
    if free is not None:
        qs = (
            qs.filter(sale__payment=Payment.FREE)
            if free
            else qs.exclude(sale__payment=Payment.FREE)
        )
    if filters.programme_ids:
        qs = qs.filter(
            Q(sale__programme_id__in=filters.programme_ids)
            | Q(
                sale__programme__isnull=True,
                sale__place__structure__programmes__in=filters.programme_ids,
            )
        ).distinct()
    return qs


def _device_lines(filters: Filters, free: bool) -> QuerySet[SaleLine]:
    qs = sale_lines(filters, free=free).filter(device__isnull=False)
    if filters.device_kinds:
        qs = qs.filter(device__kind__in=filters.device_kinds)
    return qs


def _product_lines(filters: Filters, kind: str, free: bool | None = None) -> QuerySet[SaleLine]:
    return sale_lines(filters, free=free).filter(product__kind=kind)


def _units(lines: QuerySet[SaleLine]) -> int:
    return lines.aggregate(n=Sum("quantity"))["n"] or 0


def devices_received(filters: Filters) -> int:
    return device_events(filters, DeviceState.RECEIVED, from_state="").count()


def devices_refurbished(filters: Filters) -> int:
    return device_events(filters, DeviceState.READY, from_state=DeviceState.GRADED).count()


def devices_sold(filters: Filters) -> int:
    return _device_lines(filters, free=False).count()


def devices_given(filters: Filters) -> int:
    return _device_lines(filters, free=True).count()


def fleet_loans(filters: Filters) -> QuerySet[FleetLoanItem]:
    """Laptops of a lending fleet taken out in the period (for a programme: for its sessions
    and workshops)."""
    if _nothing(filters):
        return FleetLoanItem.objects.none()
    qs = FleetLoanItem.objects.filter(
        _where(filters, "loan__fleet__place__"),
        loan__out_on__gte=filters.start,
        loan__out_on__lt=filters.end,
    )
    if filters.programme_ids:
        qs = qs.filter(
            Q(loan__session__cohort__programme_id__in=filters.programme_ids)
            | Q(loan__workshop__programme_id__in=filters.programme_ids)
        )
    if filters.device_kinds:
        qs = qs.filter(device__kind__in=filters.device_kinds)
    return qs.distinct()


def devices_lent(filters: Filters) -> int:
    return device_events(filters, DeviceState.LENT).count() + fleet_loans(filters).count()


def sims_sold(filters: Filters) -> int:
    return _units(_product_lines(filters, ProductKind.SIM, free=False))


def sims_given(filters: Filters) -> int:
    return _units(_product_lines(filters, ProductKind.SIM, free=True))


def sims_distributed(filters: Filters) -> int:
    return _units(_product_lines(filters, ProductKind.SIM))


def topup_value(filters: Filters) -> float:
    value = ExpressionWrapper(
        F("quantity") * F("product__face_value"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    total = _product_lines(filters, ProductKind.TOPUP).aggregate(v=Sum(value))["v"]
    return float(total or 0)


def people_equipped_ids(filters: Filters) -> set[int]:
    """People who received a device (bought, given or lent) in the period."""
    ids = set(
        sale_lines(filters)
        .filter(device__isnull=False)
        .values_list("sale__beneficiary_id", flat=True)
    )
    ids.update(
        device_events(filters, DeviceState.LENT)
        .filter(beneficiary__isnull=False)
        .values_list("beneficiary_id", flat=True)
    )
    return ids


def people_connected_ids(filters: Filters) -> set[int]:
    """People who received a SIM card or a top-up in the period."""
    lines = sale_lines(filters).filter(product__kind__in=(ProductKind.SIM, ProductKind.TOPUP))
    return set(lines.values_list("sale__beneficiary_id", flat=True))


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


def _cached(code: str, compute: Callable[[Filters], Any]) -> Callable[[Filters], Any]:
    def cached(filters: Filters) -> Any:
        key = hashlib.sha256(repr((code, filters, stamp(filters))).encode()).hexdigest()
        found = cache.get(f"equipment:{key}", _MISSING)
        if found is _MISSING:
            found = compute(filters)
            cache.set(f"equipment:{key}", found, timeout=None)
        return found

    return cached


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


# --- The records behind a figure ---------------------------------------------------------


def _sales_of(lines_of: Any) -> Any:
    def records(filters: Filters, user: Any) -> QuerySet[Sale]:
        return (
            Sale.objects.visible_to(user)
            .filter(pk__in=lines_of(filters).values("sale_id"))
            .annotate(record_date=F("sold_at"), record_place=F("place__name"))
            .order_by("-record_date", "-pk")
        )

    return records


def _devices_of(events_of: Any) -> Any:
    from maillage.stock.models import Device

    def records(filters: Filters, user: Any) -> QuerySet[Any]:
        events = events_of(filters)
        return (
            Device.objects.visible_to(user)
            .filter(pk__in=events.values("device_id"))
            .annotate(record_date=F("created_at"), record_place=F("place__name"))
            .order_by("-record_date", "-pk")
        )

    return records


INDICATORS = [
    (
        "devices_received",
        _("Équipements reçus"),
        _("Équipements enregistrés à leur arrivée (don ou collecte) dans la période."),
        devices_received,
        "count",
        DEVICES,
        _devices_of(lambda f: device_events(f, DeviceState.RECEIVED, from_state="")),
    ),
    (
        "devices_refurbished",
        _("Équipements reconditionnés"),
        _(
            "Équipements devenus prêts à la vente dans la période, après les tests, l'effacement des données et le classement."
        ),
        devices_refurbished,
        "count",
        DEVICES,
        _devices_of(lambda f: device_events(f, DeviceState.READY, DeviceState.GRADED)),
    ),
    (
        "devices_sold",
        _("Équipements vendus"),
        _("Équipements vendus à prix solidaire dans la période (ventes annulées exclues)."),
        devices_sold,
        "count",
        DEVICES,
        _sales_of(lambda f: _device_lines(f, free=False)),
    ),
    (
        "devices_given",
        _("Équipements donnés"),
        _(
            "Équipements remis gratuitement dans la période, dans le cadre d'une opération de distribution gratuite."
        ),
        devices_given,
        "count",
        DEVICES,
        _sales_of(lambda f: _device_lines(f, free=True)),
    ),
    (
        "devices_lent",
        _("Équipements prêtés"),
        _(
            "Équipements prêtés à une personne dans la période, plus les ordinateurs des flottes de prêt sortis pour un atelier."
        ),
        devices_lent,
        "count",
        DEVICES,
        None,
    ),
    (
        "sims_sold",
        _("Cartes SIM vendues"),
        _("Cartes SIM vendues à prix solidaire dans la période."),
        sims_sold,
        "count",
        PLACES,
        _sales_of(lambda f: _product_lines(f, ProductKind.SIM, free=False)),
    ),
    (
        "sims_given",
        _("Cartes SIM données"),
        _(
            "Cartes SIM remises gratuitement dans la période (par exemple avec deux mois de connexion)."
        ),
        sims_given,
        "count",
        PLACES,
        _sales_of(lambda f: _product_lines(f, ProductKind.SIM, free=True)),
    ),
    (
        "sims_distributed",
        _("Cartes SIM distribuées"),
        _("Cartes SIM vendues ou données dans la période."),
        sims_distributed,
        "count",
        PLACES,
        _sales_of(lambda f: _product_lines(f, ProductKind.SIM)),
    ),
    (
        "topup_value",
        _("Recharges (valeur)"),
        _("Valeur faciale, en euros, des recharges vendues ou données dans la période."),
        topup_value,
        "euros",
        PLACES,
        _sales_of(lambda f: _product_lines(f, ProductKind.TOPUP)),
    ),
    (
        "people_equipped",
        _("Personnes équipées"),
        _(
            "Personnes différentes ayant reçu un équipement (acheté, donné ou prêté) dans la période."
        ),
        lambda f: len(people_equipped_ids(f)),
        "count",
        PLACES,
        _sales_of(lambda f: sale_lines(f).filter(device__isnull=False)),
    ),
    (
        "people_connected",
        _("Personnes connectées"),
        _("Personnes différentes ayant reçu une carte SIM ou une recharge dans la période."),
        lambda f: len(people_connected_ids(f)),
        "count",
        PLACES,
        _sales_of(
            lambda f: sale_lines(f).filter(product__kind__in=(ProductKind.SIM, ProductKind.TOPUP))
        ),
    ),
]
# The codes of this pillar, for reports that show them apart.
CODES = tuple(row[0] for row in INDICATORS)

for order, (code, label, definition, compute, unit, breakdowns, records) in enumerate(INDICATORS):
    register(
        Indicator(
            code=code,
            label=label,
            definition=definition,
            compute=_cached(code, compute),
            unit=unit,
            breakdowns=breakdowns,
            order=100 + order,
            records=records,
        )
    )
