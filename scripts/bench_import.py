"""Importing a file of IMPORT_BENCH_ROWS people (default 5,000, the largest file accepted) on a
scratch SQLite database, as the tasks worker does it: read, staged, checked in batches, then
created in one write; then the same file again, whose people are all reported as already
followed. Meanwhile another connection writes every 20 ms (as a person signing in would), and
the longest it waited is reported. Run by `make bench-import`; the figures are in
docs/performance.md."""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The benchmark runs the import itself, in this process.
os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
django.setup()

from django.db import connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.accounts.models import User  # noqa: E402
from maillage.network.models import Structure  # noqa: E402
from maillage.people import importer  # noqa: E402
from maillage.people.models import Beneficiary, PeopleImport  # noqa: E402
from maillage.territories.models import Commune, Department, Region  # noqa: E402

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "5000"))
FIRST_NAMES = ["Josiane", "Marcel", "Nadia", "Sylvie", "Ahmed", "Olena", "Jean", "Fatou"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Haddad", "Kovalenko", "Diallo", "Petit"]


def the_file() -> bytes:
    rng = random.Random(1)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(importer.HEADERS)
    for n in range(ROWS):
        writer.writerow(
            [
                rng.choice(FIRST_NAMES),
                f"{rng.choice(LAST_NAMES)}-{n}",
                str(rng.randrange(1930, 2006)),
                rng.choice(["femme", "homme", "non communiqué"]),
                f"Commune {rng.randrange(30)}",
                "",
                f"06 {n // 10000:02d} {n // 100 % 100:02d} {n % 100:02d} 00",
                "",
                rng.choice(["français", "arabe", "ukrainien", ""]),
                rng.choice(["retraité·e", "demandeur·se d'emploi", ""]),
                rng.choice(["smartphone", "téléphone simple", "ordinateur, smartphone", ""]),
                rng.choice(["aucune", "mobile seulement", "box", ""]),
                rng.choice(["oui", "non"]),
                rng.choice(["oui", "non"]),
            ]
        )
    return out.getvalue().encode("utf-8")


class Neighbour(threading.Thread):
    """Another person's work: a short write every 20 ms, timed."""

    def __init__(self, user: User) -> None:
        super().__init__(daemon=True)
        self.user = user
        self.longest = 0.0
        self.writes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                start = time.perf_counter()
                with transaction.atomic():
                    User.objects.filter(pk=self.user.pk).update(last_login=timezone.now())
                self.longest = max(self.longest, time.perf_counter() - start)
                self.writes += 1
                time.sleep(0.02)
        finally:
            connections.close_all()


def run(structure: Structure, user: User, content: bytes) -> tuple[PeopleImport, float]:
    neighbour = Neighbour(user)
    neighbour.start()
    start = time.perf_counter()
    rows = importer.read_rows("personnes.csv", io.BytesIO(content))
    started = importer.start_import(structure, "personnes.csv", rows, by=user)
    finished = importer.run_import(started.pk)
    elapsed = time.perf_counter() - start
    neighbour.stop.set()
    neighbour.join()
    print(
        f"  {finished.get_status_display()}: {finished.imported} imported, "
        f"{len(finished.known)} already followed, {len(finished.errors)} refused, "
        f"in {elapsed:.2f} s; the neighbour's {neighbour.writes} writes waited "
        f"{1000 * neighbour.longest:.0f} ms at most"
    )
    return finished, elapsed


def main() -> None:
    region = Region.objects.create(code="RB", name="Région")
    department = Department.objects.create(code="DB", name="Département", region=region)
    for n in range(30):
        Commune.objects.create(code=f"B{n:04d}", name=f"Commune {n}", department=department)
    structure = Structure.objects.create(
        name="CCAS", kind="ccas_cias", commune=Commune.objects.get(code="B0000")
    )
    user = User.objects.create(email="import@exemple.test")
    content = the_file()
    print(f"A file of {ROWS} people ({len(content) / 1e6:.1f} MB):")
    first, elapsed = run(structure, user, content)
    assert first.imported == ROWS, first.errors[:3]
    assert Beneficiary.objects.count() == ROWS
    print("The same file again:")
    second, _again = run(structure, user, content)
    assert second.imported == 0 and len(second.known) == ROWS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of the process: {peak:.0f} MB")
    if ROWS == 5000 and (elapsed > 10 or peak > 150):
        sys.exit("Over the goal: 10 s and 150 MB for 5,000 rows.")


if __name__ == "__main__":
    main()
