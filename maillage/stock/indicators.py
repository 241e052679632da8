"""Indicators of equipment and connection, computed live from the stock records (their volume
is small next to the accompaniment's: a sale is one row where a parcours is hundreds of
attendance rows — see decision 0015). The impact app caches them per process, stamped by the
last change of each month they cover (decision 0016).

Where: the place of the event (the workshop that received or refurbished a device, the counter
that sold or gave it), by its département and its structure. For a programme: the sales made in
its name (a free distribution it funds) and the other sales of its partner structures; the
devices received or refurbished at its partners' places or at the network's own places
(warehouses, workshops, kits) in its départements; the laptops lent for its sessions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from maillage.core.indicators import PLACE_BREAKDOWNS, Filters, Indicator, register, where
from maillage.stock.enums import DeviceState, Payment, ProductKind
from maillage.stock.models import Device, DeviceEvent, FleetLoanItem, Sale, SaleLine

# The place breakdowns, the period, and the kind of device where the figure is about devices.
PLACES = PLACE_BREAKDOWNS
DEVICES = PLACES | {"device_kind"}


def _where(filters: Filters, place: str) -> Q:
    """The place (through `place`, a path to a stock place) lies in the filters' territory."""
    return where(filters, department=f"{place}department", structure=f"{place}structure")


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
    Indicator(
        code="devices_received",
        label=_("Équipements reçus"),
        definition=_("Équipements enregistrés à leur arrivée (don ou collecte) dans la période."),
        compute=devices_received,
        breakdowns=DEVICES,
        records=_devices_of(lambda f: device_events(f, DeviceState.RECEIVED, from_state="")),
        order=100,
    ),
    Indicator(
        code="devices_refurbished",
        label=_("Équipements reconditionnés"),
        definition=_(
            "Équipements devenus prêts à la vente dans la période, après les tests, l'effacement des données et le classement."
        ),
        compute=devices_refurbished,
        breakdowns=DEVICES,
        records=_devices_of(lambda f: device_events(f, DeviceState.READY, DeviceState.GRADED)),
        order=101,
    ),
    Indicator(
        code="devices_sold",
        label=_("Équipements vendus"),
        definition=_(
            "Équipements vendus à prix solidaire dans la période (ventes annulées exclues)."
        ),
        compute=devices_sold,
        breakdowns=DEVICES,
        records=_sales_of(lambda f: _device_lines(f, free=False)),
        order=102,
    ),
    Indicator(
        code="devices_given",
        label=_("Équipements donnés"),
        definition=_(
            "Équipements remis gratuitement dans la période, dans le cadre d'une opération de distribution gratuite."
        ),
        compute=devices_given,
        breakdowns=DEVICES,
        records=_sales_of(lambda f: _device_lines(f, free=True)),
        order=103,
    ),
    Indicator(
        code="devices_lent",
        label=_("Équipements prêtés"),
        definition=_(
            "Équipements prêtés à une personne dans la période, plus les ordinateurs des flottes de prêt sortis pour un atelier."
        ),
        compute=devices_lent,
        breakdowns=DEVICES,
        order=104,
    ),
    Indicator(
        code="sims_sold",
        label=_("Cartes SIM vendues"),
        definition=_("Cartes SIM vendues à prix solidaire dans la période."),
        compute=sims_sold,
        breakdowns=PLACES,
        records=_sales_of(lambda f: _product_lines(f, ProductKind.SIM, free=False)),
        order=105,
    ),
    Indicator(
        code="sims_given",
        label=_("Cartes SIM données"),
        definition=_(
            "Cartes SIM remises gratuitement dans la période (par exemple avec deux mois de connexion)."
        ),
        compute=sims_given,
        breakdowns=PLACES,
        records=_sales_of(lambda f: _product_lines(f, ProductKind.SIM, free=True)),
        order=106,
    ),
    Indicator(
        code="sims_distributed",
        label=_("Cartes SIM distribuées"),
        definition=_("Cartes SIM vendues ou données dans la période."),
        compute=sims_distributed,
        breakdowns=PLACES,
        records=_sales_of(lambda f: _product_lines(f, ProductKind.SIM)),
        order=107,
    ),
    Indicator(
        code="topup_value",
        label=_("Recharges (valeur)"),
        definition=_("Valeur faciale, en euros, des recharges vendues ou données dans la période."),
        compute=topup_value,
        unit="euros",
        breakdowns=PLACES,
        records=_sales_of(lambda f: _product_lines(f, ProductKind.TOPUP)),
        order=108,
    ),
    Indicator(
        code="people_equipped",
        label=_("Personnes équipées"),
        definition=_(
            "Personnes différentes ayant reçu un équipement (acheté, donné ou prêté) dans la période."
        ),
        compute=lambda f: len(people_equipped_ids(f)),
        breakdowns=PLACES,
        records=_sales_of(lambda f: sale_lines(f).filter(device__isnull=False)),
        about_people=True,
        order=109,
    ),
    Indicator(
        code="people_connected",
        label=_("Personnes connectées"),
        definition=_(
            "Personnes différentes ayant reçu une carte SIM ou une recharge dans la période."
        ),
        compute=lambda f: len(people_connected_ids(f)),
        breakdowns=PLACES,
        records=_sales_of(
            lambda f: sale_lines(f).filter(product__kind__in=(ProductKind.SIM, ProductKind.TOPUP))
        ),
        about_people=True,
        order=110,
    ),
]

# The codes of this pillar, for reports that show them apart.
CODES = tuple(indicator.code for indicator in INDICATORS)

for indicator in INDICATORS:
    register(indicator)
