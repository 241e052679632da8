"""The open data of OPEN_DATA_BENCH_PLACES public places (default 20,000) on a scratch SQLite
database: each file streamed through its view as a harvester downloads it, with the time it
took and the most memory the stream held (tracemalloc's peak), for a tenth of the places
first, then for all of them, so that the two can be compared. Run by `make bench-open-data`;
the figures are in docs/performance.md."""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.network.enums import RelayOffer, Service, StructureKind, SupportMode  # noqa: E402
from maillage.network.models import Structure  # noqa: E402
from maillage.territories.models import Commune, Department, PostalCode, Region  # noqa: E402

PLACES = int(os.environ.get("OPEN_DATA_BENCH_PLACES", "20000"))
FILES = [
    "/donnees/lieux-mediation-numerique.csv",
    "/donnees/lieux-mediation-numerique.json",
    "/donnees/data-inclusion/structures.json",
    "/donnees/data-inclusion/services.json",
]


def add_places(count: int, start: int) -> None:
    """`count` published places, spread over 100 communes."""
    region, _ = Region.objects.get_or_create(code="93", defaults={"name": "PACA"})
    department, _ = Department.objects.get_or_create(
        code="05", defaults={"name": "Hautes-Alpes", "region": region}
    )
    communes = []
    for n in range(100):
        commune, created = Commune.objects.get_or_create(
            code=f"05{n:03d}", defaults={"name": f"Commune {n}", "department": department}
        )
        if created:
            PostalCode.objects.create(code=f"05{n:03d}", commune=commune)
        communes.append(commune)
    today = timezone.localdate()
    Structure.objects.bulk_create(
        [
            Structure(
                name=f"Lieu {n}",
                kind=StructureKind.ASSOCIATION,
                address=f"{n % 90 + 1} rue de la République",
                commune=communes[n % 100],
                latitude=44.5,
                longitude=6.0,
                phone="+33492000000",
                services=[Service.EVERYDAY_TOOLS, Service.ADMIN_PROCEDURES],
                support_modes=[SupportMode.INDIVIDUAL],
                relay_offer=[RelayOffer.DROP_INS, RelayOffer.SIM_CARDS],
                is_public=True,
                public_since=today,
            )
            for n in range(start, start + count)
        ],
        batch_size=1000,
    )


def _stream(path: str) -> Iterator[bytes]:
    response = Client().get(path)
    assert isinstance(response, StreamingHttpResponse), path
    return iter(response.streaming_content)


def download(path: str) -> tuple[float, int, int]:
    """Seconds, bytes received, and the peak of memory allocated while streaming (measured in
    a second download: tracing slows every allocation)."""
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in _stream(path))
    seconds = time.perf_counter() - started
    tracemalloc.start()
    for _chunk in _stream(path):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, size, peak


def main() -> None:
    tenth = max(PLACES // 10, 1)
    add_places(tenth, 0)
    rounds = [(tenth, "a tenth")]
    if tenth < PLACES:
        rounds.append((PLACES, "all"))
    for count, name in rounds:
        if count > Structure.objects.count():
            add_places(count - Structure.objects.count(), Structure.objects.count())
        print(f"{count:,} public places ({name}):")
        for path in FILES:
            seconds, size, peak = download(path)
            print(
                f"  {path:<42} {seconds:6.2f} s, {size / 1e6:5.1f} MB, "
                f"peak memory while streaming {peak / 1e6:5.1f} MB"
            )


if __name__ == "__main__":
    main()
