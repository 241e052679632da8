"""Finding a place among PLACES_BENCH_PLACES public places (default 20,000) spread over mainland
France, on a scratch SQLite database: the search around a commune (20 and 50 km, with and
without filters) and a place's page, each requested through Django's test client (server
time: the view, its queries and its template), with their median and 95th percentile. Run by
`make bench-places`; the figures are in docs/performance.md."""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.accounts.models import User  # noqa: E402
from maillage.learning.models import DropInSlot, Workshop  # noqa: E402
from maillage.network.enums import (  # noqa: E402
    AccessFeature,
    Public,
    RelayOffer,
    Service,
    StructureKind,
)
from maillage.network.models import Structure  # noqa: E402
from maillage.territories.models import Commune, Department, PostalCode, Region  # noqa: E402

PLACES = int(os.environ.get("PLACES_BENCH_PLACES", "20000"))
ROUNDS = int(os.environ.get("PLACES_BENCH_ROUNDS", "200"))
WEEK = {day: [["09:00", "12:00"], ["14:00", "17:00"]] for day in ("mo", "tu", "we", "th", "fr")}
OFFERS = [RelayOffer.DROP_INS, RelayOffer.WORKSHOPS, RelayOffer.SIM_CARDS, RelayOffer.PARCOURS]


def build(rng: random.Random) -> list[Commune]:
    """300 communes over mainland France, and the places around them (denser in a few)."""
    region = Region.objects.create(code="99", name="Région de test")
    department = Department.objects.create(code="99", name="Département de test", region=region)
    communes = []
    for n in range(300):
        commune = Commune.objects.create(
            code=f"99{n:03d}",
            name=f"Commune {n}",
            search_name=f"commune {n}",
            department=department,
            latitude=rng.uniform(43.0, 50.5),
            longitude=rng.uniform(-1.5, 7.5),
        )
        PostalCode.objects.create(code=f"9{n:04d}", commune=commune)
        communes.append(commune)
    today = timezone.localdate()
    places = []
    for n in range(PLACES):
        # A third of the places crowd around ten cities, as in the real network.
        commune = communes[n % 10] if n % 3 == 0 else rng.choice(communes)
        places.append(
            Structure(
                name=f"Lieu {n}",
                kind=StructureKind.ASSOCIATION,
                address=f"{n % 90 + 1} rue de la République",
                commune=commune,
                latitude=round(commune.latitude + rng.uniform(-0.15, 0.15), 6),
                longitude=round(commune.longitude + rng.uniform(-0.2, 0.2), 6),
                phone="+33492000000",
                services=[Service.EVERYDAY_TOOLS, Service.ADMIN_PROCEDURES],
                publics=rng.sample([Public.SENIORS, Public.YOUTH, Public.FAMILIES], 1),
                relay_offer=rng.sample(OFFERS, 2),
                accessibility=[AccessFeature.WHEELCHAIR] if n % 2 else [],
                hours=WEEK if n % 4 else {},
                is_public=True,
                public_since=today,
            )
        )
    Structure.objects.bulk_create(places, batch_size=1000)
    facilitator = User.objects.create_user(email="bench@exemple.test", password=None)
    soon = timezone.now() + timedelta(days=2)
    for place in Structure.objects.filter(commune__in=communes[:10])[:200]:
        Workshop.objects.create(
            title="Premiers pas", structure=place, starts_at=soon, is_public=True, capacity=8
        )
        DropInSlot.objects.create(facilitator=facilitator, structure=place, starts_at=soon)
    return communes


def _found(query: dict[str, str]) -> int:
    from django.http import QueryDict

    from maillage.public import places

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data[key] = value
    form = places.PlaceSearchForm(data)
    assert form.is_valid(), form.errors
    return places.search(form.cleaned_data, timezone.now()).count


def timed(request: Callable[[], int]) -> tuple[float, float]:
    request()  # the first request warms the caches of the process
    durations = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        status = request()
        durations.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def main() -> None:
    import time_machine
    from django.conf import settings

    # A Tuesday at 10:30 in Paris, whenever the benchmark runs: « ouvert maintenant » finds the
    # places open then, as a search in the day would.
    tuesday = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    traveller = time_machine.travel(
        timezone.make_aware(datetime.combine(tuesday, dtime(10, 30))), tick=True
    )
    traveller.start()

    # Static files as in development: the benchmark measures the view, not a build step.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(2026)
    started = time.perf_counter()
    communes = build(rng)
    print(f"{PLACES:,} public places built in {time.perf_counter() - started:.0f} s.")
    client = Client()
    dense, sparse = communes[0], communes[200]
    cases = {
        "search, 20 km around a dense commune": {"ou": dense.name, "rayon": "20"},
        "search, 50 km around a dense commune": {"ou": dense.name, "rayon": "50"},
        "search, 20 km, SIM cards, open now": {
            "ou": dense.name,
            "rayon": "20",
            "offre": "sim",
            "ouvert": "on",
        },
        "search, 20 km around a sparse commune": {"ou": sparse.name, "rayon": "20"},
    }
    for label, query in cases.items():
        found = _found(query)
        median, p95 = timed(lambda q=query: client.get("/lieux/", q).status_code)
        print(f"  {label:<40} {found:5} places: median {median:5.1f} ms, p95 {p95:5.1f} ms")
    place = Structure.objects.filter(commune=dense, workshops__isnull=False).first()
    assert place is not None
    median, p95 = timed(lambda: client.get(f"/lieux/{place.pk}/").status_code)
    print(
        f"  {'a place page (workshops, slots, map)':<40} {'':11} median {median:5.1f} ms, p95 {p95:5.1f} ms"
    )


if __name__ == "__main__":
    main()
