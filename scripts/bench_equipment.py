"""The equipment and connection figures at national volume: EQUIPMENT_SALES sales (default
300,000) over the last two years at 2,000 relays in 100 invented départements, each a SIM card or a
top-up; each figure for the country and for one département over twelve whole months,
computed then read from the cache (decision 0016). Run by scripts/bench-equipment.sh on a
throwaway PostgreSQL cluster."""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The benchmark times pages, not the sign-in: its accounts open with the password alone.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.core.indicators import Filters  # noqa: E402
from maillage.impact.equipment import CODES  # noqa: E402
from maillage.impact.figures import live  # noqa: E402
from maillage.network.models import Structure  # noqa: E402
from maillage.people.models import Beneficiary  # noqa: E402
from maillage.programmes.models import Programme  # noqa: E402
from maillage.stock.models import Place, Product, Sale, SaleLine  # noqa: E402
from maillage.territories.models import Commune, Department, Region  # noqa: E402

SALES = int(os.environ.get("EQUIPMENT_SALES", "300000"))
RELAYS = 2000


def generate() -> None:
    rng = random.Random(1)
    regions = [Region.objects.create(code=f"R{i:02d}", name=f"Région {i}") for i in range(13)]
    departments = [
        Department.objects.create(code=f"D{i:02d}", name=f"Département {i}", region=regions[i % 13])
        for i in range(100)
    ]
    communes = [
        Commune.objects.create(code=f"C{i:04d}", name=f"Commune {i}", department=departments[i])
        for i in range(100)
    ]
    structures = Structure.objects.bulk_create(
        Structure(name=f"Relais {i}", kind="association", commune=communes[i % 100])
        for i in range(RELAYS)
    )
    places = Place.objects.bulk_create(
        Place(
            name=f"Comptoir {i}",
            kind="relay",
            structure=structure,
            department=departments[i % 100],
        )
        for i, structure in enumerate(structures)
    )
    sim = Product.objects.create(name="Carte SIM", kind="sim")
    topup = Product.objects.create(name="Recharge 10 €", kind="topup", face_value=10)
    people = Beneficiary.objects.bulk_create(
        Beneficiary(reference=f"P-{i:06d}", structure=structures[i % RELAYS], first_name="Exemple")
        for i in range(SALES // 2)
    )
    # The two years ending today: the last twelve whole months hold about half of them.
    start = timezone.now() - timedelta(days=730)
    minutes = 60 * 24 * 365 * 2
    for offset in range(0, SALES, 20000):
        sales = Sale.objects.bulk_create(
            Sale(
                reference=f"V-{offset + i:07d}",
                place=places[rng.randrange(RELAYS)],
                beneficiary=people[rng.randrange(len(people))],
                sold_at=start + timedelta(minutes=rng.randrange(minutes)),
                payment=rng.choice(["cash", "card", "free"]),
            )
            for i in range(min(20000, SALES - offset))
        )
        SaleLine.objects.bulk_create(
            SaleLine(sale=sale, product=rng.choice([sim, topup]), unit_price=0) for sale in sales
        )
    # Twenty programmes, each with a hundred of the relays as partners.
    for n in range(20):
        programme = Programme.objects.create(
            name=f"Programme {n}", slug=f"programme-{n}", start=start.date()
        )
        programme.partner_structures.set(structures[n * 100 : (n + 1) * 100])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def statistics_api() -> None:
    """The statistics API over the last twelve whole months, the eleven figures, national, alone
    and broken down by each dimension, each request on a cold cache (goal: under 2 s)."""
    from django.core.cache import cache
    from django.test import Client

    from maillage.accounts.models import ApiToken, RoleAssignment, User
    from maillage.core.roles import Role

    settings.ALLOWED_HOSTS = ["*"]
    settings.API_RATE_LIMIT = 10_000
    admin = User.objects.create(email="api.bench@exemple.test")
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(admin)}"})
    first = timezone.localdate().replace(day=1)
    period = f"from={first.replace(year=first.year - 1)}&to={first - timedelta(days=1)}"
    codes = ",".join(CODES)
    for by in ("", "region", "department", "programme", "device_kind"):
        cache.clear()
        times = []
        for _attempt in range(100):  # a 503 asks to come back: the computation resumes
            moment = time.perf_counter()
            response = client.get(f"/api/v1/statistics?{period}&indicators={codes}&by={by}")
            times.append((time.perf_counter() - moment) * 1000)
            if response.status_code != 503:
                break
        assert response.status_code == 200, response.content[:300]
        print(
            f"API, the eleven, national, by {by or 'nothing':12} {len(times)} request(s), "
            f"the slowest {max(times):6.0f} ms, {sum(times):7.0f} ms in all"
        )


def main() -> None:
    started = time.monotonic()
    generate()
    print(f"{SALES} sales generated in {time.monotonic() - started:.0f} s")
    first = timezone.localdate().replace(day=1)
    year = Filters(first.replace(year=first.year - 1), first)
    department = Department.objects.order_by("code").first()
    assert department is not None
    for label, filters in (
        ("national", year),
        ("département", year.narrowed(department_ids=frozenset({department.pk}))),
    ):
        computed = cached = 0.0
        for code in CODES:
            runs = []
            for _ in range(6):
                moment = time.perf_counter()
                live(code, filters)
                runs.append((time.perf_counter() - moment) * 1000)
            computed += runs[0]
            cached += statistics.median(runs[1:])
            print(
                f"{label:12} {code:20} computed {runs[0]:7.1f} ms, "
                f"cached {statistics.median(runs[1:]):5.1f} ms"
            )
        print(f"{label:12} {'the eleven':20} computed {computed:7.1f} ms, cached {cached:5.1f} ms")
    statistics_api()


if __name__ == "__main__":
    main()
