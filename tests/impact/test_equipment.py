"""The indicators of equipment and connection, on a small stock whose answers are known."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from maillage.core.indicators import Filters, compute, get
from maillage.impact.figures import Figures
from maillage.impact.publication import Disclosure
from maillage.impact.report import report_data
from maillage.people.enums import Eligibility
from maillage.stock import services
from maillage.stock.enums import DeviceKind
from maillage.stock.models import FreeDistribution
from maillage.stock.services import ProductLine
from tests.conftest import World
from tests.stock.conftest import Stock, eligible

EXACT = Disclosure(exact=True)


def this_year() -> Filters:
    today = timezone.localdate()
    return Filters(date(today.year, 1, 1), today + timedelta(days=1))


def build(world: World, stock: Stock) -> None:
    """At Reims (a partner of « Ruralité »): Alice buys a laptop, 2 SIM cards and a 10 € top-up,
    then is given a smartphone by a free distribution funded by « Métropole »; Bruno buys a SIM
    card whose sale is cancelled. At Lille: Chloé buys a SIM card. A laptop waits at the
    warehouse, received and not refurbished."""
    by = world.personas["admin"]
    for person in (world.alice, world.bruno, world.chloe):
        eligible(person, by, Eligibility.ASYLUM)
    stock.supply(stock.reims, stock.sim, 10)
    stock.supply(stock.reims, stock.topup, 5)
    stock.supply(stock.lille, stock.sim, 10)
    laptop = stock.ready(stock.reims, by)
    phone = stock.ready(stock.reims, by, DeviceKind.SMARTPHONE)
    stock.device(stock.warehouse, by)
    services.sell(
        place=stock.reims,
        person=world.alice,
        devices=[laptop],
        products=[ProductLine(stock.sim, 2), ProductLine(stock.topup, 1)],
        payment="card",
        by=by,
    )
    gift = FreeDistribution.objects.create(
        name="Smartphones solidaires",
        device_kind=DeviceKind.SMARTPHONE,
        start=date(2020, 1, 1),
        programme=world.metropole,
    )
    gift.places.set([stock.reims])
    services.sell(
        place=stock.reims,
        person=world.alice,
        devices=[phone],
        payment="free",
        free_distribution=gift,
        by=by,
    )
    cancelled = services.sell(
        place=stock.reims,
        person=world.bruno,
        products=[ProductLine(stock.sim, 1)],
        payment="cash",
        by=by,
    )
    services.cancel(cancelled, reason="Erreur", by=by)
    services.sell(
        place=stock.lille,
        person=world.chloe,
        products=[ProductLine(stock.sim, 1)],
        payment="cash",
        by=by,
    )


def test_every_figure_of_equipment_and_connection(world: World, stock: Stock) -> None:
    build(world, stock)
    f = this_year()
    assert compute("devices_received", f) == 3
    assert compute("devices_refurbished", f) == 2
    assert compute("devices_sold", f) == 1
    assert compute("devices_given", f) == 1
    assert compute("sims_sold", f) == 3
    assert compute("sims_given", f) == 0
    assert compute("sims_distributed", f) == 3
    assert compute("topup_value", f) == 10.0
    assert compute("people_equipped", f) == 1
    assert compute("people_connected", f) == 2


def test_the_figures_follow_the_places(world: World, stock: Stock) -> None:
    build(world, stock)
    marne = this_year().narrowed(department_ids=frozenset({world.marne.pk}))
    assert compute("sims_distributed", marne) == 2
    assert compute("people_connected", marne) == 1
    lille = this_year().narrowed(structure_ids=frozenset({world.centre_social_lille.pk}))
    assert compute("sims_sold", lille) == 1 and compute("devices_sold", lille) == 0
    # The warehouse has no structure: a structure's figures leave it out.
    reims = this_year().narrowed(structure_ids=frozenset({world.ccas_reims.pk}))
    assert compute("devices_received", reims) == 2


def test_a_programme_counts_its_funded_gifts_and_its_partners_other_sales(
    world: World, stock: Stock
) -> None:
    build(world, stock)
    ruralite = this_year().narrowed(programme_ids=frozenset({world.ruralite.pk}))
    metropole = this_year().narrowed(programme_ids=frozenset({world.metropole.pk}))
    # Reims is a partner of Ruralité: its sales count there, but the gift funded by Métropole
    # counts for Métropole.
    assert compute("devices_sold", ruralite) == 1 and compute("devices_given", ruralite) == 0
    assert compute("devices_given", metropole) == 1
    # Lille is a partner of Métropole: its SIM card counts there.
    assert compute("sims_sold", metropole) == 1


def test_the_device_kind_breakdown(world: World, stock: Stock) -> None:
    build(world, stock)
    by_kind = Figures(this_year()).by("device_kind", DeviceKind.values)
    assert by_kind[DeviceKind.SMARTPHONE].value("devices_given") == 1
    assert by_kind[DeviceKind.LAPTOP].value("devices_given") == 0
    assert by_kind[DeviceKind.LAPTOP].value("devices_received") == 2
    assert "device_kind" in get("devices_given").breakdowns
    assert "device_kind" not in get("sims_sold").breakdowns


def test_the_programme_report_breaks_devices_down_by_kind(world: World, stock: Stock) -> None:
    build(world, stock)
    today = timezone.localdate()
    data = report_data(world.metropole, date(today.year, 1, 1), today, EXACT)
    assert data["indicators"]["devices_given"] == 1
    assert data["breakdowns"]["device_kind"]["smartphone"]["devices_given"] == 1
    assert "sims_sold" not in data["breakdowns"]["device_kind"]["smartphone"]


def test_a_figure_about_a_course_or_a_gender_has_no_equipment(world: World, stock: Stock) -> None:
    build(world, stock)
    assert compute("devices_sold", this_year().narrowed(course_codes=frozenset({"x"}))) == 0


def test_the_records_behind_a_figure_are_the_sales_the_person_may_see(
    world: World, stock: Stock
) -> None:
    build(world, stock)
    records = get("sims_distributed").records
    assert records is not None
    assert records(this_year(), world.personas["admin"]).count() == 2
    assert [s.place for s in records(this_year(), world.personas["relay_referent"])] == [
        stock.reims
    ]
    assert records(this_year(), world.personas["funder"]).count() == 0


def test_the_dashboard_shows_equipment_and_connection(
    client_as, world: World, stock: Stock
) -> None:
    build(world, stock)
    page = client_as("admin").get("/mesurer/tableau-de-bord/").content.decode()
    assert "Cartes SIM distribuées" in page and "Personnes équipées" in page
    assert Decimal("10") == Decimal(str(compute("topup_value", this_year())))


def test_a_figure_is_read_from_the_cache_until_a_write_in_its_months(
    world: World, stock: Stock, django_assert_num_queries: Any
) -> None:
    build(world, stock)
    year = this_year()
    assert compute("sims_distributed", year) == 3
    with django_assert_num_queries(1):  # the months' stamps, then the cache
        assert compute("sims_distributed", year) == 3
    services.sell(
        place=stock.lille,
        person=world.chloe,
        products=[ProductLine(stock.sim, 2)],
        payment="cash",
        by=None,
    )
    assert compute("sims_distributed", year) == 5
    # A write dated in another month leaves a period without it cached.
    last_year = Filters(date(2020, 1, 1), date(2021, 1, 1))
    assert compute("sims_distributed", last_year) == 0
    services.sell(
        place=stock.lille,
        person=world.chloe,
        products=[ProductLine(stock.sim, 1)],
        payment="cash",
        by=None,
    )
    with django_assert_num_queries(1):
        assert compute("sims_distributed", last_year) == 0


def test_a_change_of_a_programmes_partners_recomputes_its_figures(
    world: World, stock: Stock
) -> None:
    build(world, stock)
    metropole = this_year().narrowed(programme_ids=frozenset({world.metropole.pk}))
    assert compute("sims_sold", metropole) == 1
    world.metropole.partner_structures.add(world.ccas_reims)
    assert compute("sims_sold", metropole) == 3


def test_pruning_the_changes_keeps_every_stamp(world: World, stock: Stock) -> None:
    from io import StringIO

    from django.core.management import call_command

    from maillage.impact.equipment import stamp
    from maillage.impact.models import EquipmentChange

    build(world, stock)
    periods = [this_year(), Filters(date(2020, 1, 1), date(2030, 1, 1))]
    before = [stamp(period) for period in periods]
    months = EquipmentChange.objects.values("month").distinct().count()
    assert EquipmentChange.objects.count() > months
    out = StringIO()
    call_command("prune_equipment_changes", stdout=out)
    assert EquipmentChange.objects.count() == months
    assert [stamp(period) for period in periods] == before
    assert f"{months} gardé(s)" in out.getvalue()
