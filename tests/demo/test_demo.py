from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from maillage.accounts.models import User
from maillage.core.indicators import Filters, all_indicators
from maillage.core.models import AuditEvent, Transition
from maillage.core.roles import Role
from maillage.impact.figures import Figures
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from tests.conftest import seed_catalogue, shared_world

RURAL = ["51", "08", "36", "45", "62", "02"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo on an empty database (the shared test world is set aside, then built again)."""
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        seed_catalogue()
        call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
        yield
        call_command("flush", interactive=False, verbosity=0)
        shared_world()


@pytest.mark.django_db
def test_ninety_two_rural_structures_joined_in_the_first_twelve_months(demo: None) -> None:
    rural = Structure.objects.filter(commune__department__code__in=RURAL)
    joined = Transition.objects.filter(
        field="relay_status",
        to_state=RelayStatus.RELAY,
        at__date__gte="2022-01-01",
        at__date__lt="2023-01-01",
        object_id__in=[str(pk) for pk in rural.values_list("pk", flat=True)],
    )
    assert joined.count() == 92
    assert 140 <= rural.count() <= 160


@pytest.mark.django_db
def test_the_hautes_alpes_have_nine_relays_among_about_twenty_structures(demo: None) -> None:
    alps = Structure.objects.filter(commune__department__code="05")
    assert alps.filter(relay_status=RelayStatus.RELAY).count() == 9
    assert 18 <= alps.count() <= 22


@pytest.mark.django_db
def test_the_lille_call_selected_the_four_ccas_and_the_esat(demo: None) -> None:
    lille = Programme.objects.get(slug="relais-numeriques-mel")
    names = set(lille.partner_structures.values_list("name", flat=True))
    assert names == {
        "CCAS d'Houplines",
        "CCAS de Leers",
        "CCAS d'Haubourdin",
        "CCAS de Fâches-Thumesnil",
        "ESAT les Ateliers de la Lys (AFEJI)",
    }
    assert (
        User.objects.filter(role_assignments__structure__in=lille.partner_structures.all()).count()
        == 13
    )


@pytest.mark.django_db
def test_the_rural_programme_recruited_twenty_seven_staff(demo: None) -> None:
    def holders(role: str, **scope: object) -> int:
        return User.objects.filter(role_assignments__role=role, **scope).distinct().count()

    assert holders(Role.MEDIATOR, role_assignments__departments__code__in=RURAL) == 18
    assert holders(Role.TERRITORY_MANAGER, role_assignments__departments__code__in=RURAL) == 6
    assert holders(Role.REGIONAL_MANAGER, role_assignments__region__code__in=["24", "44"]) == 2
    assert holders(Role.ADMIN) == 1


@pytest.mark.django_db
def test_every_role_has_a_demo_account(demo: None) -> None:
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role


@pytest.mark.django_db
def test_one_demo_account_shows_the_second_factor(demo: None, settings: Any) -> None:
    from django.conf import global_settings
    from django.test import Client
    from django_otp.oath import totp

    from maillage.demo.network import DEMO_PASSWORD, SECOND_FACTOR_KEY

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the demo's real hashes

    client = Client()
    client.post(
        "/espace/connexion/",
        {"username": "double.authentification@maillage.test", "password": DEMO_PASSWORD},
    )
    assert client.get("/espace/")["Location"].startswith("/espace/connexion/code/")
    code = f"{totp(bytes.fromhex(SECOND_FACTOR_KEY)):06d}"
    assert client.post("/espace/connexion/code/", {"code": code})["Location"] == "/espace/"
    other = Client()
    other.post("/espace/connexion/", {"username": "admin@maillage.test", "password": DEMO_PASSWORD})
    assert other.get("/espace/").status_code == 200


@pytest.mark.django_db
def test_the_demo_refuses_to_run_on_a_database_that_has_accounts(demo: None) -> None:
    with pytest.raises(CommandError, match="base vide"):
        call_command("demo")


@pytest.mark.django_db
def test_the_lille_metropolis_accompanied_144_people_61_percent_women_aged_60(
    demo: None,
) -> None:
    from datetime import date

    from maillage.people.models import Beneficiary

    lille = Programme.objects.get(slug="relais-numeriques-mel")
    people = Beneficiary.objects.filter(structure__in=lille.partner_structures.all())
    figures = people.statistics(date(2023, 12, 14))
    assert figures["people"] == 144
    assert figures["by_gender"] == {"woman": 88, "man": 56}  # 61 % and 39 %
    assert figures["average_age"] == 60


@pytest.mark.django_db
def test_the_demo_people_have_referrals_diagnostics_and_invented_phones(demo: None) -> None:
    from maillage.diagnostics.models import Diagnostic
    from maillage.people.models import Beneficiary, Referral

    assert Referral.objects.filter(status="accepted").count() >= 90
    for status in ("sent", "received", "contacted", "declined", "expired"):
        assert Referral.objects.filter(status=status).exists(), status
    assert Diagnostic.objects.completed().count() >= 100
    assert Diagnostic.objects.filter(recommendations__isnull=False).exists()
    twice = Beneficiary.objects.annotate(n=models.Count("diagnostics")).filter(n__gte=2)
    assert twice.count() >= 10
    phones = set(Beneficiary.objects.exclude(phone="").values_list("phone", flat=True))
    assert phones and all(p.startswith("+3335301") for p in phones)  # the range kept for fiction


@pytest.mark.django_db
def test_no_demo_record_is_past_retention_and_a_few_are_due(demo: None) -> None:
    from maillage.people import services
    from maillage.people.models import Beneficiary

    assert not Beneficiary.objects.inactive_since(services.retention_limit()).exists()
    assert services.due_for_anonymisation(Beneficiary.objects.all()).count() == 3


@pytest.mark.django_db
def test_the_rural_programme_realised_626_parcours_for_3775_people_in_2022(demo: None) -> None:
    from maillage.demo.learning import _reach
    from maillage.learning.models import Cohort

    rural = Programme.objects.get(slug="ruralite-connectee")
    reach = _reach(rural, date(2022, 1, 1), date(2023, 1, 1))
    assert reach["parcours"] == 626 and reach["people"] == 3775
    cohorts = Cohort.objects.realised().filter(programme=rural)
    assert cohorts.filter(course__code="initiation-computer").count() == 245
    for code in RURAL:
        assert cohorts.filter(structure__commune__department__code=code).count() >= 100


@pytest.mark.django_db
def test_the_hautes_alpes_realised_147_parcours_for_130_people(demo: None) -> None:
    from maillage.demo.learning import _reach

    alps = Programme.objects.get(slug="hautes-alpes")
    reach = _reach(alps, date(2022, 3, 1), date(2023, 10, 1))
    assert (reach["parcours"], reach["people"]) == (147, 130)


@pytest.mark.django_db
def test_the_lille_structures_ran_56_activities_for_144_people(demo: None) -> None:
    from maillage.demo.learning import _reach

    lille = Programme.objects.get(slug="relais-numeriques-mel")
    reach = _reach(lille, date(2022, 8, 1), date(2024, 1, 1))
    assert reach["parcours"] == 24 and reach["workshops"] + reach["drop_ins"] == 32
    assert (reach["people"], reach["people_in_parcours"]) == (144, 136)


@pytest.mark.django_db
def test_the_demo_attendance_is_realistic_and_the_agendas_have_no_conflict(demo: None) -> None:
    from maillage.learning import agenda
    from maillage.learning.models import Attendance, Enrolment

    absent = Attendance.objects.exclude(presence="present").count()
    assert 0.08 < absent / Attendance.objects.count() < 0.2
    assert Enrolment.objects.filter(status="dropped").exclude(drop_reason="").count() > 100
    facilitator = User.objects.get(email="conseiller.marne.1@maillage.test")
    busy = 0
    for week in range(48):
        days = agenda.week_of(facilitator, date(2022, 1, 3) + timedelta(weeks=week))
        busy += any(d.items for d in days)
        assert [p for d in days for p in d.problems] == []
    assert busy >= 40  # on the road all year


@pytest.mark.django_db
def test_the_indicator_registry_gives_the_articles_figures(demo: None) -> None:
    from maillage.core.indicators import Filters, compute

    def programme(slug: str) -> frozenset[int]:
        return frozenset({Programme.objects.get(slug=slug).pk})

    rural = Filters(
        date(2022, 1, 1), date(2023, 1, 1), programme_ids=programme("ruralite-connectee")
    )
    assert compute("parcours_realised", rural) == 626
    assert (
        compute(
            "parcours_realised", rural.narrowed(course_codes=frozenset({"initiation-computer"}))
        )
        == 245
    )
    assert compute("people_accompanied", rural) == 3775
    assert compute("structures_joined", rural) == 92
    alps = Filters(date(2022, 3, 1), date(2023, 10, 1), programme_ids=programme("hautes-alpes"))
    assert (compute("parcours_realised", alps), compute("people_accompanied", alps)) == (147, 130)
    assert compute("relays_active", alps) == 9
    lille = Filters(
        date(2022, 8, 1), date(2024, 1, 1), programme_ids=programme("relais-numeriques-mel")
    )
    assert compute("parcours_realised", lille) == 24
    assert compute("workshops", lille) + compute("drop_ins", lille) == 32
    assert compute("people_accompanied", lille) == 144
    assert (
        compute(
            "people_accompanied",
            lille.narrowed(course_codes=frozenset({"initiation-computer", "initiation-tablet"})),
        )
        == 136
    )
    assert compute("women_share", lille) == 0.61 and compute("average_age", lille) == 60


@pytest.mark.django_db
def test_the_rural_programme_is_at_626_of_720_with_27_staff(demo: None) -> None:
    from maillage.impact.publication import Disclosure
    from maillage.impact.targets import programme_progress
    from maillage.programmes.models import Staffing

    rural = Programme.objects.get(slug="ruralite-connectee")
    progress = {
        (p.target.indicator, p.target.department_id is None): p
        for p in programme_progress(rural, Disclosure(exact=True), today=date(2023, 7, 1))
    }
    parcours = progress[("parcours_realised", True)]
    assert (parcours.achieved, parcours.target.value, parcours.share) == (626, 720, 87)
    loiret = progress[("structures_in_coaching", False)]
    assert loiret.target.department is not None and loiret.target.department.code == "45"
    assert (loiret.achieved, loiret.target.value) == (20, 20)
    assert Staffing.objects.filter(programme=rural).count() == 27
    assert Staffing.objects.filter(programme=rural, title="facilitator").count() == 18


@pytest.mark.django_db
def test_impact_report_gives_the_hautes_alpes_sim_cards_and_smartphones(
    demo: None, tmp_path: Any
) -> None:
    import json

    output = tmp_path / "alps.json"
    call_command(
        "impact_report",
        "--programme=hautes-alpes",
        "--from=2022-03-01",
        "--to=2023-09-30",
        f"--output={output}",
        stdout=open("/dev/null", "w"),  # noqa: SIM115, PTH123
    )
    data = json.loads(output.read_text())
    assert data["indicators"]["sims_distributed"] == 2750
    assert data["breakdowns"]["device_kind"]["smartphone"]["devices_given"] == 215
    assert data["indicators"]["devices_given"] == 215


@pytest.mark.django_db
def test_450_refugees_were_connected_in_the_hautes_alpes_in_2022(demo: None) -> None:
    from maillage.core.indicators import Filters, compute

    alps = frozenset({Programme.objects.get(slug="hautes-alpes").pk})
    year = Filters(date(2022, 1, 1), date(2023, 1, 1), programme_ids=alps)
    assert compute("people_connected", year) == 450
    assert compute("sims_given", year) == 450 and compute("sims_sold", year) == 0


@pytest.mark.django_db
def test_six_hautes_alpes_relays_sell_sim_cards_and_eight_partners_gave_smartphones(
    demo: None,
) -> None:
    from maillage.stock.models import SaleLine

    sold = SaleLine.objects.filter(
        product__kind="sim", sale__payment="cash", sale__place__department__code="05"
    )
    assert set(sold.values_list("sale__place__structure__name", flat=True)) == {
        "Secours Populaire — antenne d'Embrun",
        "Secours Populaire — antenne de Gap",
        "CADA France Terre d'Asile de Gap",
        "CADA Fondation Edith Seltzer de Briançon",
        "APPASE — accueil de jour de Briançon",
        "Refuges Solidaires",
    }
    phones = SaleLine.objects.filter(device__kind="smartphone", sale__place__department__code="05")
    givers = set(phones.values_list("sale__place__structure__name", flat=True))
    assert len(givers) == 8 and "CIDFF 05" in givers


@pytest.mark.django_db
def test_the_departements_24_laptops_are_lent_and_one_loan_is_overdue(demo: None) -> None:
    from maillage.stock.models import Fleet, FleetLoan

    fleet = Fleet.objects.get(place__department__code="05")
    assert fleet.devices.count() == 24
    assert fleet.loans.count() > 500
    assert FleetLoan.objects.overdue().count() == 1


@pytest.mark.django_db
def test_every_demo_balance_is_its_ledger_and_every_device_its_history(demo: None) -> None:
    from django.db.models import Sum

    from maillage.stock.models import Device, DeviceEvent, StockBalance, StockMovement

    sums = {
        (row["place"], row["product"]): row["total"]
        for row in StockMovement.objects.values("place", "product").annotate(total=Sum("delta"))
    }
    balances = {(b.place_id, b.product_id): b.quantity for b in StockBalance.objects.all()}
    assert balances == sums
    last = {}
    for device_id, state, place_id in DeviceEvent.objects.order_by("at", "pk").values_list(
        "device_id", "to_state", "place_id"
    ):
        last[device_id] = (state, place_id)
    assert {d.pk: (d.state, d.place_id) for d in Device.objects.all()} == last
    states = set(Device.objects.values_list("state", flat=True))
    assert {
        "received",
        "tested",
        "wiped",
        "ready",
        "in_transit",
        "reserved",
        "sold",
        "given",
    } <= states


@pytest.mark.django_db
def test_the_lille_call_drew_22_applications_and_its_closing_committee_shows_56_activities(
    demo: None,
) -> None:
    from maillage.animation.indicators import achievements
    from maillage.animation.models import Call, ClosingCommittee
    from maillage.core.indicators import Filters, compute

    call = Call.objects.get(slug="relais-numeriques-mel-2022")
    assert call.figures() == {"applications": 22, "selected": 5, "referents_trained": 13}
    lille = Programme.objects.get(slug="relais-numeriques-mel")
    period = Filters(date(2022, 5, 1), date(2024, 1, 1), programme_ids=frozenset({lille.pk}))
    assert compute("applications", period) == 22
    assert compute("structures_selected", period) == 5
    assert compute("referents_trained", period) == 13
    closing = ClosingCommittee.objects.get(call=call)
    assert closing.held_on == date(2023, 12, 14)
    plans = list(closing.plans.all())
    assert {p.structure.relay_status for p in plans} == {RelayStatus.RELAY}
    assert {(p.starts_on, p.ends_on) for p in plans} == {(date(2022, 8, 29), date(2023, 12, 29))}
    figures = {
        f.code: f.value
        for f in achievements(
            [p.structure_id for p in plans], date(2022, 8, 29), date(2023, 12, 15)
        )
    }
    assert figures["relay_own_activities"] == 56
    assert (figures["own_parcours"], figures["own_single_activities"]) == (24, 32)
    assert figures["people_accompanied"] == 144


@pytest.mark.django_db
def test_the_loiret_accompanied_20_structures_4_towards_their_own_digital_practices(
    demo: None,
) -> None:
    from maillage.animation.models import CoachingPlan
    from maillage.core.indicators import Filters, compute
    from maillage.territories.models import Department

    rural = Programme.objects.get(slug="ruralite-connectee")
    loiret = Department.objects.get(code="45")
    period = Filters(
        date(2022, 1, 1),
        date(2023, 7, 1),
        programme_ids=frozenset({rural.pk}),
        department_ids=frozenset({loiret.pk}),
    )
    assert compute("structures_in_coaching", period) == 20
    organisation = CoachingPlan.objects.filter(
        structure__commune__department=loiret, actions__modality="organisation"
    )
    assert organisation.distinct().count() == 4
    # Every structure that went through coaching has its plan.
    coached = Transition.objects.filter(field="relay_status", to_state=RelayStatus.IN_COACHING)
    assert CoachingPlan.objects.count() == coached.values("object_id").distinct().count()


FIGURES_SCRIPT = """
import json
from datetime import date
from django.db import connection
from maillage.core.indicators import Filters, all_indicators
from maillage.impact.figures import Figures

figures = Figures(Filters(date(2022, 1, 1), date(2024, 1, 1)))
with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
print(json.dumps({
    "counts": counts,
    "figures": {i.code: figures.value(i.code) for i in all_indicators()},
}, default=str, sort_keys=True))
"""


def _fresh_database(tmp_path: Any) -> str:
    """The address of a new, empty database on the engine the tests run on."""
    from urllib.parse import quote

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    db = connection.settings_dict
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS maillage_restored")
        admin.execute("CREATE DATABASE maillage_restored")
    return f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/maillage_restored"


def _run_manage(url: str, *args: str, passphrase: str = "") -> Any:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": url, "BACKUP_PASSPHRASE": passphrase}
    return subprocess.run(  # noqa: S603 (our own interpreter and commands)
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True
    )


def _manage(url: str, *args: str, passphrase: str = "") -> str:
    done = _run_manage(url, *args, passphrase=passphrase)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


# Last in this module: a backup reads the database outside any transaction, as the command
# does (these tests then empty the database, which the module's fixture builds again after).
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_into_a_fresh_database(
    demo: None, tmp_path: Any, settings: Any
) -> None:
    import io
    import json

    from django.db import connection

    from maillage.core.backups import is_encrypted

    settings.BACKUP_PASSPHRASE = "une phrase secrète pour le test"
    out = io.StringIO()
    call_command("backup", dir=tmp_path / "sauvegardes", stdout=out)
    (saved,) = (tmp_path / "sauvegardes").glob("maillage-*")
    assert is_encrypted(saved)
    url = _fresh_database(tmp_path)

    restored = _manage(url, "restore", str(saved), passphrase=settings.BACKUP_PASSPHRASE)

    assert "Journal intact" in restored
    assert f"{AuditEvent.objects.count()} événement(s)" in restored
    there = json.loads(_manage(url, "shell", "-c", FIGURES_SCRIPT).strip().splitlines()[-1])
    figures = Figures(Filters(date(2022, 1, 1), date(2024, 1, 1)))
    here = json.loads(
        json.dumps(
            {i.code: figures.value(i.code) for i in all_indicators()}, default=str, sort_keys=True
        )
    )
    assert there["figures"] == here
    assert there["figures"]["people_accompanied"] > 3000
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names of our tables)
            assert there["counts"][table] == cursor.fetchone()[0], table


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_restored_only_into_an_empty_database_with_its_passphrase(
    demo: None, tmp_path: Any, settings: Any
) -> None:
    from maillage.core.backups import BackupError, restore

    settings.BACKUP_PASSPHRASE = "la bonne phrase"
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    (saved,) = tmp_path.glob("maillage-*")
    with pytest.raises(BackupError, match="pas vide"):
        restore(saved, passphrase="la bonne phrase")
    url = _fresh_database(tmp_path)
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": url, "BACKUP_PASSPHRASE": "une autre phrase"}
    done = subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "manage.py", "restore", str(saved)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "phrase secrète fausse" in done.stderr


@pytest.mark.django_db
def test_the_hautes_alpes_map_shows_nine_relays_and_six_sell_sim_cards(demo: None) -> None:
    from django.test import Client

    from tests.conftest import text

    page = text(Client().get("/lieux/", {"ou": "Gap", "rayon": "100"}))
    relays = Structure.objects.filter(
        commune__department__code="05", relay_status=RelayStatus.RELAY
    )
    assert all(relay.position is not None for relay in relays)
    assert all(relay.name in page for relay in relays)
    sim = text(Client().get("/lieux/", {"ou": "Gap", "rayon": "100", "offre": "sim"}))
    assert "6 lieux à moins de 100 km de Gap" in sim
    reims = text(Client().get("/lieux/", {"ou": "Reims", "offre": "sim"}))
    assert "Antenne Maillage de Reims" in reims


@pytest.mark.django_db
def test_the_demo_can_be_booked_today(demo: None) -> None:
    from django.utils import timezone

    from maillage.bookings.enums import BookingStatus
    from maillage.bookings.models import Booking
    from maillage.learning.models import DropInSlot, Workshop

    now = timezone.now()
    coming = Workshop.objects.filter(
        is_public=True, starts_at__gt=now, structure__commune__department__code="05"
    )
    assert coming.count() == 18
    assert DropInSlot.objects.filter(starts_at__gt=now, bookable_seats__gt=0).count() >= 18
    assert Booking.objects.filter(status=BookingStatus.WAITING).count() == 1
    today = Booking.objects.filter(starts_at__date=timezone.localdate(), slot__isnull=False)
    assert today.count() == 2
