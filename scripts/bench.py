"""National-scale benchmark of the figures, on the PostgreSQL database of DATABASE_URL (already
migrated, territories loaded): `make bench` runs it on a throwaway cluster.

It generates the dataset with COPY (BENCH_SCALE=1: 2,000,000 people, 20,000 structures,
250,000 cohorts of 10 sessions, 20,000,000 attendance rows, 3,000,000 drop-ins over 24 months),
builds the facts, then prints the national and département dashboards' server times, the ratio
between computing the same figures live and from the facts, the extra time a roll call of 8
learners costs to keep the facts current, and the peak memory of the process.
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The benchmark times pages, not the sign-in: its accounts open with the password alone.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from maillage.accounts.models import ApiToken, RoleAssignment, User  # noqa: E402
from maillage.core.indicators import Filters, all_indicators  # noqa: E402
from maillage.core.models import Transition  # noqa: E402
from maillage.core.roles import Role  # noqa: E402
from maillage.impact import facts  # noqa: E402
from maillage.impact import signals as fact_signals  # noqa: E402
from maillage.impact.figures import Figures  # noqa: E402
from maillage.learning import services  # noqa: E402
from maillage.learning.models import (  # noqa: E402
    Attendance,
    Cohort,
    Course,
    DropIn,
    Enrolment,
    Session,
)
from maillage.network.models import Structure  # noqa: E402
from maillage.people.models import Beneficiary  # noqa: E402
from maillage.programmes.models import Programme  # noqa: E402
from maillage.territories.models import Commune, Department  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
PEOPLE = int(2_000_000 * SCALE)
STRUCTURES = max(int(20_000 * SCALE), 20)
COHORTS = int(250_000 * SCALE)
SESSIONS_PER_COHORT = 10
LEARNERS = 8  # per cohort: 250,000 × 10 × 8 = 20,000,000 attendance rows
DROP_INS = int(3_000_000 * SCALE)
PROGRAMMES = 20
# 24 whole months of activity, ending with the last whole month.
THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = (THIS_MONTH - timedelta(days=1)).replace(day=1)
FIRST_MONTH = THIS_MONTH.replace(year=THIS_MONTH.year - 2)
YEAR_AGO = THIS_MONTH.replace(year=THIS_MONTH.year - 1)
SPAN = (
    datetime.combine(THIS_MONTH, datetime.min.time(), UTC)
    - datetime.combine(FIRST_MONTH, datetime.min.time(), UTC)
).total_seconds()

rng = random.Random(2026)


def peak_mb() -> float:
    """The process's own peak resident memory: on Linux its high-water mark (getrusage keeps
    the parent's peak across exec, which would credit the dashboards' process with the
    generation's)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def say(message: str) -> None:
    print(message, flush=True)


# --- Generation --------------------------------------------------------------------------


def moment_in_span(offset: float) -> datetime:
    """A moment at working hours, `offset` (0 to 1) of the way through the 24 months."""
    day = datetime.combine(FIRST_MONTH, datetime.min.time(), UTC) + timedelta(
        seconds=int(offset * SPAN)
    )
    return day.replace(hour=rng.choice((8, 9, 13, 14)), minute=0)


def _text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        value = json.dumps(value)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Table:
    """COPY rows into a model's table: every column of the model, those `given` from each row
    and the others at their default, so that a column added later is filled in (or named, when
    it has no default and must be given)."""

    def __init__(self, model: type[Model], given: Sequence[str]) -> None:
        self.table = model._meta.db_table
        fields = model._meta.concrete_fields
        unknown = set(given) - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        now = timezone.now()
        self.columns = [f.column for f in fields]
        # Per column: the position of its value in a row, or its constant text.
        self.slots: list[int | str] = []
        missing = []
        for field in fields:
            if field.attname in given:
                self.slots.append(list(given).index(field.attname))
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.slots.append(_text(now))
            else:
                default = field.get_default()
                if default is None and not field.null:
                    missing.append(field.attname)
                self.slots.append(_text(default))
        if missing:
            raise ValueError(f"{model.__name__}: give a value for {missing} (no default)")

    def line(self, row: Sequence[Any]) -> str:
        return (
            "\t".join(_text(row[slot]) if isinstance(slot, int) else slot for slot in self.slots)
            + "\n"
        )


def copy(model: type[Model], given: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY these rows (values of the `given` fields, in that order) into the model's table,
    in blocks."""
    table = Table(model, given)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table.table} ({', '.join(table.columns)}) FROM STDIN") as stream,
    ):
        block: list[str] = []
        for row in rows:
            block.append(table.line(row))
            if len(block) == 50_000:
                stream.write("".join(block))
                count += len(block)
                block = []
        stream.write("".join(block))
        count += len(block)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table.table}))"
        )
    return count


def generate() -> dict[str, Any]:
    with connection.cursor() as cursor:  # no per-row foreign-key check while loading
        cursor.execute("SET session_replication_role = replica")
    facilitator = User.objects.create(email="animateur.bench@exemple.test", full_name="Bench")
    programmes = Programme.objects.bulk_create(
        Programme(name=f"Programme {n}", slug=f"programme-{n}", start=FIRST_MONTH)
        for n in range(1, PROGRAMMES + 1)
    )
    programme_ids = [p.pk for p in programmes]
    courses = list(Course.objects.values_list("pk", flat=True))
    communes = list(
        Commune.objects.filter(department__region__isnull=False).values_list("pk", flat=True)
    )
    say(f"  {len(communes)} communes, {len(courses)} courses, {PROGRAMMES} programmes")

    # Structures: 60 % are relays, each the partner of one programme.
    structure_programme = {s: rng.choice(programme_ids) for s in range(1, STRUCTURES + 1)}
    relays = [s for s in structure_programme if rng.random() < 0.6]
    relays_set = set(relays)
    copy(
        Structure,
        ["id", "name", "kind", "commune_id", "relay_status"],
        (
            (
                s,
                f"Structure {s}",
                "association",
                rng.choice(communes),
                "relay" if s in relays_set else "prospect",
            )
            for s in range(1, STRUCTURES + 1)
        ),
    )
    copy(
        Programme.partner_structures.through,
        ["id", "programme_id", "structure_id"],
        ((s, p, s) for s, p in structure_programme.items()),
    )
    structure_type = ContentType.objects.get_for_model(Structure).pk
    copy(
        Transition,
        ["id", "content_type_id", "object_id", "at", "field", "from_state", "to_state"],
        (
            (
                n,
                structure_type,
                str(s),
                moment_in_span(rng.random() * 1.4 - 0.4),
                "relay_status",
                "in_coaching",
                "relay",
            )
            for n, s in enumerate(relays, start=1)
        ),
    )

    people = copy(
        Beneficiary,
        [
            "id",
            "first_name",
            "last_name",
            "birth_year",
            "gender",
            "reference",
            "structure_id",
            "last_contact_on",
        ],
        (
            (
                p,
                "Personne",
                "Bench",
                rng.randint(1935, 2008),
                "woman" if rng.random() < 0.6 else "man",
                f"B{p:09d}",
                rng.randint(1, STRUCTURES),
                THIS_MONTH,
            )
            for p in range(1, PEOPLE + 1)
        ),
    )

    # Cohorts start evenly over the 24 months; sessions are weekly.
    cohort_rows: list[tuple[int, int, int, datetime]] = []
    for c in range(1, COHORTS + 1):
        structure = rng.randint(1, STRUCTURES)
        first = moment_in_span(rng.random() * 0.9)
        cohort_rows.append((c, structure, structure_programme[structure], first))
    now = timezone.now()
    copy(
        Cohort,
        ["id", "course_id", "structure_id", "programme_id", "capacity", "status"],
        (
            (
                c,
                rng.choice(courses),
                s,
                p,
                LEARNERS,
                "completed" if first + timedelta(weeks=SESSIONS_PER_COHORT) < now else "running",
            )
            for c, s, p, first in cohort_rows
        ),
    )
    copy(
        Session,
        ["id", "cohort_id", "number", "starts_at", "minutes"],
        (
            ((c - 1) * SESSIONS_PER_COHORT + n, c, n, first + timedelta(weeks=n - 1), 120)
            for c, _s, _p, first in cohort_rows
            for n in range(1, SESSIONS_PER_COHORT + 1)
        ),
    )
    learners = {c: rng.sample(range(1, PEOPLE + 1), LEARNERS) for c, *_ in cohort_rows}
    copy(
        Enrolment,
        ["id", "cohort_id", "beneficiary_id", "status"],
        (
            ((c - 1) * LEARNERS + i, c, b, "enrolled")
            for c, people_of in learners.items()
            for i, b in enumerate(people_of, start=1)
        ),
    )
    attendance = copy(
        Attendance,
        ["id", "session_id", "beneficiary_id", "presence"],
        (
            (
                ((c - 1) * SESSIONS_PER_COHORT + n - 1) * LEARNERS + i,
                (c - 1) * SESSIONS_PER_COHORT + n,
                b,
                "present" if rng.random() < 0.85 else "absent",
            )
            for c, people_of in learners.items()
            for n in range(1, SESSIONS_PER_COHORT + 1)
            for i, b in enumerate(people_of, start=1)
        ),
    )
    drop_ins = copy(
        DropIn,
        [
            "id",
            "structure_id",
            "facilitator_id",
            "beneficiary_id",
            "gender",
            "age_band",
            "starts_at",
            "minutes",
            "device",
            "autonomy",
            "programme_id",
        ],
        (
            (
                d,
                s,
                facilitator.pk,
                b,
                g,
                band,
                moment_in_span(rng.random()),
                30,
                "smartphone",
                "guided",
                structure_programme[s],
            )
            for d in range(1, DROP_INS + 1)
            for s in [rng.randint(1, STRUCTURES)]
            for named in [rng.random() < 0.8]
            for b, g, band in [
                (rng.randint(1, PEOPLE), "", "")
                if named
                else (None, rng.choice(("woman", "man")), rng.choice(("40-59", "60-69", "70+")))
            ]
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE")
    return {
        "people": people,
        "structures": STRUCTURES,
        "cohorts": COHORTS,
        "attendance": attendance,
        "drop_ins": drop_ins,
        "facilitator": facilitator,
    }


# --- Measures ----------------------------------------------------------------------------


def timed(action: Callable[[], Any], runs: int) -> list[float]:
    """Milliseconds per run, after two warm-up runs."""
    for _ in range(2):
        action()
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def page(client: Client, url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return get


def all_figures(filters: Filters, live: bool) -> dict[str, Any]:
    if live:
        return {i.code: i.compute(filters) for i in all_indicators()}
    figures = Figures(filters)
    return {i.code: figures.value(i.code) for i in all_indicators()}


def roll_call_cost(facilitator: User) -> tuple[float, float, float]:
    """Median milliseconds of a roll call of 8 learners with and without the facts' upkeep (the
    signals disconnected), alternating present and absent so every call writes; and of the
    worker's refresh of the cell that follows."""
    session = (
        Session.objects.filter(starts_at__gte=timezone.now() - timedelta(days=60))
        .order_by("pk")
        .first()
    )
    assert session is not None
    learners = list(session.cohort.enrolments.values_list("beneficiary_id", flat=True))
    assert len(learners) == LEARNERS

    def call(flip: list[int]) -> float:
        flip[0] ^= 1
        presences = {
            b: ("present" if (i + flip[0]) % 2 else "absent") for i, b in enumerate(learners)
        }
        start = time.perf_counter()
        services.take_roll_call(session, presences, {}, by=facilitator)
        return (time.perf_counter() - start) * 1000

    flip = [0]
    with_upkeep, without, refresh = [], [], []
    for _ in range(3):
        call(flip)
    facts.ensure_current()
    for _ in range(20):
        with_upkeep.append(call(flip))
        start = time.perf_counter()
        facts.refresh_stale()  # what the worker then does, off the request
        refresh.append((time.perf_counter() - start) * 1000)
        fact_signals.disconnect()
        try:
            without.append(call(flip))
        finally:
            fact_signals.connect()
    return statistics.median(with_upkeep), statistics.median(without), statistics.median(refresh)


def serve_pages() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    # Pages are rendered without collected static files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def dashboards() -> None:
    """The dashboards' server times over the last 12 whole months: national, a département
    opened by the national team and by its territory manager."""
    serve_pages()
    admin = User.objects.create(email="admin.bench@exemple.test", full_name="Admin")
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    period = f"du={YEAR_AGO:%Y-%m}&au={LAST_MONTH:%Y-%m}"
    # As a server process after its start: what Django loaded is not scanned again by the
    # garbage collector.
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    page(client, f"/mesurer/tableau-de-bord/?{period}")()
    first = (time.perf_counter() - start) * 1000
    national = timed(page(client, f"/mesurer/tableau-de-bord/?{period}"), RUNS)
    busiest = (
        Structure.objects.values("commune__department_id")
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n")
        .values_list("commune__department_id", flat=True)
        .first()
    )
    department = timed(
        page(client, f"/mesurer/tableau-de-bord/?{period}&territoire=d:{busiest}"), RUNS
    )
    assert busiest is not None
    manager = User.objects.create(email="territoire.bench@exemple.test", full_name="Territoire")
    RoleAssignment.objects.create(user=manager, role=Role.TERRITORY_MANAGER).departments.set(
        [busiest]
    )
    manager_client = Client()
    manager_client.force_login(manager)
    own_department = timed(page(manager_client, f"/mesurer/tableau-de-bord/?{period}"), RUNS)
    if os.environ.get("BENCH_PROFILE"):  # where a request's time goes: SQL, then Python
        import cProfile
        import pstats

        for url in (
            f"/mesurer/tableau-de-bord/?{period}",
            f"/mesurer/tableau-de-bord/?{period}&territoire=d:{busiest}",
        ):
            queries: list[tuple[float, str]] = []

            def timed_sql(execute: Any, sql: str, *args: Any, spent: list = queries) -> Any:
                start = time.perf_counter()
                try:
                    return execute(sql, *args)
                finally:
                    spent.append(((time.perf_counter() - start) * 1000, sql[:160]))

            with connection.execute_wrapper(timed_sql):
                page(client, url)()
            say(
                f"{url}: {len(queries)} queries, {sum(t for t, _ in queries):.0f} ms in SQL "
                "(the fact rows, read in binary, are in the profile below)"
            )
            for spent, sql in sorted(queries, reverse=True)[:8]:
                say(f"  {spent:6.1f} ms  {sql}")
            profile = cProfile.Profile()
            profile.runcall(page(client, url))
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    say(
        f"National dashboard: p50 {p(national, 50):.0f} ms, p95 {p(national, 95):.0f} ms "
        f"(the first request of the process, which loads the templates and reads the people index: {first:.0f} ms)"
    )
    say(
        f"Département dashboard, opened by the national team: p50 {p(department, 50):.0f} ms, "
        f"p95 {p(department, 95):.0f} ms; by its territory manager: "
        f"p50 {p(own_department, 50):.0f} ms, p95 {p(own_department, 95):.0f} ms"
    )
    say(f"Peak memory of the process serving the dashboards: {peak_mb():.0f} MB")
    statistics_api(admin, busiest)


def statistics_api(admin: User, department: int) -> None:
    """The statistics API, every indicator, national then one département, alone and with each
    breakdown, each request on a cold cache (a key's first request, or the first after a write):
    the slowest is what one request can cost the server (goal: under 2 s)."""
    from django.core.cache import cache

    from maillage.impact.api import BREAKDOWNS

    key = ApiToken.issue(admin)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    settings.API_RATE_LIMIT = 10_000
    period = f"from={YEAR_AGO:%Y-%m-%d}&to={THIS_MONTH - timedelta(days=1):%Y-%m-%d}"
    slowest: list[tuple[float, str]] = []
    rounds: list[int] = []
    code = Department.objects.get(pk=department).code
    for place in ("", f"&department={code}"):
        for by in ("", *(f"&by={b}" for b in BREAKDOWNS)):
            url = f"/api/v1/statistics?{period}{place}{by}"
            cache.clear()
            asked = 0
            while asked < 100:  # a 503 asks to come back: the computation resumes
                asked += 1
                start = time.perf_counter()
                response = client.get(url)
                slowest.append(((time.perf_counter() - start) * 1000, url))
                if response.status_code != 503:
                    break
            assert response.status_code == 200, (url, response.content[:200])
            rounds.append(asked)
    slowest.sort(reverse=True)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cache.clear()
        profile = cProfile.Profile()
        profile.runcall(client.get, slowest[0][1])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    say(
        f"Statistics API, {len(rounds)} questions on a cold cache, {len(slowest)} requests "
        f"(at most {max(rounds)} for one question, the others answered 503 with Retry-After "
        f"while the computation went on): slowest request {slowest[0][0]:,.0f} ms "
        f"({slowest[0][1].split('?')[1]}), median {statistics.median(t for t, _ in slowest):,.0f} ms"
    )


def main() -> None:
    if sys.argv[1:] == ["dashboards"]:
        dashboards()
        return
    serve_pages()
    say(f"Maillage bench — scale {SCALE:g}, {os.cpu_count()} CPU, PostgreSQL")
    started = time.perf_counter()
    data = generate()
    generated = time.perf_counter() - started
    say(
        f"Generated with COPY in {generated:.0f} s: {data['people']:,} people, "
        f"{data['structures']:,} structures, {data['cohorts']:,} cohorts, "
        f"{data['attendance']:,} attendance rows, {data['drop_ins']:,} drop-ins "
        f"(peak memory {peak_mb():.0f} MB)"
    )
    started = time.perf_counter()
    written = facts.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    say(
        f"Facts rebuilt in {built:.0f} s: {written['activity']:,} activity rows, "
        f"{written['place']:,} place rows (peak memory {peak_mb():.0f} MB)"
    )

    # The dashboards are served by a process of their own, as by a server: not the one that
    # generated 20 million rows and rebuilt the facts.
    subprocess.run([sys.executable, __file__, "dashboards"], check=True)  # noqa: S603
    say(f"Peak memory of this process (generation, rebuild): {peak_mb():.0f} MB")

    filters = Filters(YEAR_AGO, THIS_MONTH)
    from_facts = timed(lambda: all_figures(filters, live=False), 10)
    start = time.perf_counter()
    live_values = all_figures(filters, live=True)
    live = (time.perf_counter() - start) * 1000
    assert live_values == all_figures(filters, live=False), "facts and live figures differ"
    say(
        f"All {len(live_values)} indicators, national, 12 months: live {live:,.0f} ms, "
        f"from facts {statistics.median(from_facts):.0f} ms "
        f"(ratio {live / statistics.median(from_facts):,.0f}x)"
    )
    with_upkeep, without, refresh = roll_call_cost(data["facilitator"])
    say(
        f"Roll call of {LEARNERS}: {with_upkeep:.0f} ms with the facts kept current, "
        f"{without:.0f} ms without (upkeep {with_upkeep - without:.0f} ms); the worker then "
        f"recomputes the cell in {refresh:.0f} ms"
    )
    say(f"Peak memory of the process, the live computation included: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
