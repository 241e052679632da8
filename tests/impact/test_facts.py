"""The pre-aggregated facts give the same figures as the live computation, for every indicator
and every breakdown, on a random dataset written through the application's own services (so
the facts are kept current write by write), and again after a rebuild."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

import pytest

from maillage.core.indicators import Filters, all_indicators
from maillage.diagnostics.models import Diagnostic
from maillage.impact import facts
from maillage.impact.figures import Figures, Reading, _activity_rows
from maillage.impact.models import ActivityFact, Grain, PlaceFact, StaleCell
from maillage.learning import services
from maillage.learning.models import Cohort, Course, DropIn, Session, Workshop
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people import services as people_services
from maillage.people.enums import AgeBand, Gender, ReferralStatus
from maillage.people.models import Beneficiary, Referral
from tests.conftest import World
from tests.impact.conftest import at

START = date(2023, 1, 1)


def random_dataset(world: World, seed: int) -> None:
    rng = random.Random(seed)
    structures = [world.ccas_reims, world.mediatheque_charleville, world.centre_social_lille]
    programmes = [None, world.ruralite, world.metropole]
    courses = list(Course.objects.filter(code__in=["initiation-computer", "mobilite", "sante"]))
    crowd = [world.alice, world.bruno, world.chloe]
    for n in range(24):
        named = rng.random() < 0.8
        crowd.append(
            Beneficiary.objects.create(
                first_name=f"Personne {n}",
                structure=rng.choice(structures),
                gender=rng.choice(Gender.values),
                birth_year=rng.choice([None, *range(1935, 2008)]) if named else None,
                age_band=rng.choice(AgeBand.values),
            )
        )

    def day() -> date:
        return START + timedelta(days=rng.randrange(0, 540))

    bands = [(g, b) for g in Gender.values for b in AgeBand.values]
    for _ in range(14):
        cohort = services.plan_cohort(
            Cohort(
                course=rng.choice(courses),
                structure=rng.choice(structures),
                programme=rng.choice(programmes),
            ),
            first=day(),
            at=time(rng.choice([9, 14, 23]), rng.choice([0, 30])),
            facilitators=[],
            by=None,
        )
        learners = rng.sample(crowd, rng.randint(0, 6))
        for person in learners:
            services.enrol(cohort, person, by=None)
        for session in cohort.sessions.all():
            if rng.random() < 0.6:
                services.take_roll_call(
                    session,
                    {p.pk: rng.choice(["present", "present", "absent"]) for p in learners},
                    {rng.choice(bands): rng.randint(0, 3)},
                    by=None,
                )
        fate = rng.random()
        if fate < 0.15:
            Cohort.workflow.apply(cohort, "cancelled", by=None)
        elif fate < 0.4:
            if cohort.status == "planned":
                Cohort.workflow.apply(cohort, "running", by=None)
            Cohort.workflow.apply(cohort, "completed", by=None)
        if rng.random() < 0.3:  # a session moved, possibly to another month
            session = rng.choice(list(cohort.sessions.all()))
            services.move_session(session, session.starts_at + timedelta(days=20), by=None)
    for _ in range(6):
        workshop = services.create_workshop(
            Workshop(
                title="Atelier",
                themes=["safety"],
                structure=rng.choice(structures),
                programme=rng.choice(programmes),
                minutes=rng.choice([60, 90]),
            ),
            starts_at=at(day(), 14),
            facilitators=[],
            by=None,
        )
        for person in rng.sample(crowd, rng.randint(0, 4)):
            services.add_participant(workshop, person, by=None)
        services.record_workshop(
            workshop, {rng.choice(bands): rng.randint(0, 4)}, report="", by=None
        )
    for _ in range(12):
        services.record_drop_in(
            DropIn(
                structure=rng.choice(structures),
                programme=rng.choice(programmes),
                beneficiary=rng.choice([None, *crowd]),
                gender=rng.choice(Gender.values),
                age_band=rng.choice(["", *AgeBand.values]),
                themes=["procedures"],
                autonomy="guided",
                minutes=rng.choice([30, 45]),
                starts_at=at(day(), 10),
            ),
            by=world.personas["mediator"],
        )
    for _ in range(6):
        Diagnostic.objects.create(
            beneficiary=rng.choice(crowd),
            framework=world.framework,
            structure=rng.choice(structures),
            completed_at=rng.choice([None, at(day(), 11)]),
        )
    for n in range(6):
        referral = Referral.objects.create(
            to_structure=rng.choice(structures),
            referrer_name="Prescripteur",
            referrer_organisation="CD",
            referrer_email="p@exemple.test",
            first_name=f"Orienté {n}",
            needs=["procedures"],
            person_agreed=True,
            created_at=at(day(), 9),
        )
        if rng.random() < 0.5:
            people_services.move_referral(referral, ReferralStatus.RECEIVED, by=None)
            people_services.move_referral(referral, ReferralStatus.CONTACTED, by=None)
            people_services.accept_referral(referral, rng.choice(crowd), by=None)
    for structure, months in ((world.ccas_reims, 2), (world.centre_social_lille, 8)):
        for step, status in enumerate(
            [
                RelayStatus.CANDIDATE,
                RelayStatus.SELECTED,
                RelayStatus.IN_COACHING,
                RelayStatus.RELAY,
            ]
        ):
            Structure.relay_workflow.apply(
                structure, status, by=None, at=at(START + timedelta(days=30 * months * step), 9)
            )
    # People's details change after they were counted.
    moved = crowd[3]
    moved.gender, moved.birth_year = Gender.MAN, 1990
    moved.save()
    rng.choice(list(Session.objects.all())).delete()


def assert_same(filters: Filters, label: str) -> None:
    figures = Figures(filters)
    assert figures.from_facts
    for indicator in all_indicators():
        live = indicator.compute(filters)
        assert figures.value(indicator.code) == live, f"{indicator.code} {label}"


def assert_same_breakdowns(world: World, filters: Filters) -> None:
    keys: dict[str, list[Any]] = {
        "month": [date(2023 + (m // 12), m % 12 + 1, 1) for m in range(18)],
        "region": [world.grand_est.pk, world.hauts_de_france.pk],
        "department": [world.marne.pk, world.ardennes.pk, world.nord.pk],
        "structure": [world.ccas_reims.pk, world.mediatheque_charleville.pk],
        "programme": [world.ruralite.pk, world.metropole.pk],
        "course": list(
            Course.objects.filter(code__in=["mobilite", "sante"]).values_list("pk", flat=True)
        ),
    }
    for dimension, values in keys.items():
        for key, figures in Figures(filters).by(dimension, values).items():
            for indicator in all_indicators():
                if dimension != "month" and dimension not in indicator.breakdowns:
                    continue
                live = indicator.compute(figures.filters)
                assert figures.value(indicator.code) == live, (
                    f"{indicator.code} by {dimension} {key}"
                )


def scopes(world: World) -> list[tuple[str, Filters]]:
    whole = Filters(START, date(2024, 7, 1))
    return [
        ("whole", whole),
        ("2023", Filters(START, date(2024, 1, 1))),
        ("one month", Filters(date(2023, 12, 1), date(2024, 1, 1))),
        ("région", whole.narrowed(region_ids=frozenset({world.grand_est.pk}))),
        ("département", whole.narrowed(department_ids=frozenset({world.nord.pk}))),
        ("structure", whole.narrowed(structure_ids=frozenset({world.ccas_reims.pk}))),
        ("programme", whole.narrowed(programme_ids=frozenset({world.ruralite.pk}))),
        ("course", whole.narrowed(course_codes=frozenset({"mobilite"}))),
        ("women", whole.narrowed(genders=frozenset({Gender.WOMAN}))),
        ("60-69", whole.narrowed(age_bands=frozenset({"60-69", "unknown"}))),
        (
            "programme and département",
            whole.narrowed(
                programme_ids=frozenset({world.ruralite.pk}),
                department_ids=frozenset({world.marne.pk}),
            ),
        ),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_kept_current_write_by_write_equal_the_live_figures(world: World, seed: int) -> None:
    random_dataset(world, seed)
    for label, filters in scopes(world):
        assert_same(filters, label)
    # Every breakdown of the whole country, and within a programme, a course and a
    # département (each reads another grain of the facts).
    for label, filters in scopes(world):
        if label in ("whole", "programme", "course", "département"):
            assert_same_breakdowns(world, filters)
    assert not StaleCell.objects.exists()


def _rows() -> list[tuple[Any, ...]]:
    activity = ActivityFact.objects.values_list(
        "grain",
        "month",
        "structure_id",
        "department_id",
        "programme_id",
        "course_id",
        *facts.ACTIVITY_MEASURES,
        "anonymous",
    )
    people = ActivityFact.objects.values_list(
        "grain", "month", "structure_id", "department_id", "programme_id", "course_id", "people"
    )
    places = PlaceFact.objects.values_list(
        "grain", "month", "structure_id", "department_id", *facts.PLACE_MEASURES
    )
    return sorted(
        [("a", *map(str, row[:-1]), sorted(row[-1].items())) for row in activity]
        + [("b", *map(str, row[:-1]), sorted(facts.deserialize(row[-1]))) for row in people]
        + [("p", *map(str, row)) for row in places],
        key=str,
    )


def test_a_rebuild_gives_the_same_facts_as_keeping_them_current(world: World) -> None:
    random_dataset(world, 4)
    facts.ensure_current()
    kept = _rows()
    facts.rebuild()
    assert _rows() == kept
    for label, filters in scopes(world):
        assert_same(filters, label)


def test_a_stale_cell_left_by_a_crash_is_recomputed_by_the_next_reader(world: World) -> None:
    cohort = services.plan_cohort(
        Cohort(course=Course.objects.get(code="mobilite"), structure=world.ccas_reims),
        first=date(2023, 3, 6),
        at=time(10),
        facilitators=[],
        by=None,
    )
    facts.ensure_current()
    # As if the refresh after the commit had never run:
    Session.objects.filter(cohort=cohort).update(minutes=10)
    StaleCell.objects.create(structure_id=world.ccas_reims.pk, month=date(2023, 3, 1))
    filters = Filters(START, date(2024, 1, 1))
    assert Figures(filters).value("sessions_held") == cohort.sessions.count()
    assert not StaleCell.objects.exists()


def test_figures_for_a_period_not_made_of_whole_months_are_computed_live(world: World) -> None:
    filters = Filters(date(2023, 3, 6), date(2023, 3, 7))
    assert not Figures(filters).from_facts
    services.plan_cohort(
        Cohort(course=Course.objects.get(code="mobilite"), structure=world.ccas_reims),
        first=date(2023, 3, 6),
        at=time(10),
        facilitators=[],
        by=None,
    )
    assert Figures(filters).value("parcours_realised") == 1


def test_rebuild_command_reports_what_it_wrote(world: World, capsys: Any) -> None:
    from django.core.management import call_command

    random_dataset(world, 5)
    call_command("rebuild_facts")
    out = capsys.readouterr().out
    assert "faits" in out and ActivityFact.objects.exists()


def test_a_write_marks_its_cells_stale_and_queues_one_refresh_for_the_worker(
    transactional_db: None, settings: Any
) -> None:
    from django.tasks import default_task_backend

    from tests.conftest import shared_world

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    world = shared_world()
    results = default_task_backend.results  # type: ignore[attr-defined]
    before = len(results)
    services.plan_cohort(  # a cohort and its sessions: many writes, one transaction
        Cohort(course=Course.objects.get(code="mobilite"), structure=world.ccas_reims),
        first=date(2023, 3, 6),
        at=time(10),
        facilitators=[],
        by=None,
    )
    assert [r.task.name for r in results[before:]].count("refresh_facts") == 1
    assert StaleCell.objects.exists()  # no worker ran: the next reader refreshes
    assert Figures(Filters(START, date(2024, 1, 1))).value("parcours_realised") == 1
    assert not StaleCell.objects.exists()


def test_a_year_of_the_country_reads_one_row_per_key_and_the_months_left_over(
    world: World,
) -> None:
    random_dataset(world, 5)
    facts.ensure_current()
    reading = Reading()
    year = Filters(START, date(2024, 1, 1))
    assert len(_activity_rows(year, Grain.NATIONAL_TOTAL, reading)) == 1
    structures = _activity_rows(year, Grain.STRUCTURE_TOTAL, reading)
    assert len(structures) == len({row[3] for row in structures}) > 1  # one row per structure
    months = {row[0] for row in _activity_rows(year, Grain.NATIONAL_TOTAL, reading, monthly=True)}
    assert months <= {date(2023, m, 1) for m in range(1, 13)} and len(months) > 1
    eighteen = _activity_rows(Filters(START, date(2024, 7, 1)), Grain.DEPARTMENT_TOTAL, reading)
    assert {row[0] for row in eighteen} <= {
        date(2024, 6, 1),
        *(date(2023, m, 1) for m in range(1, 7)),
    }
    assert_same(Filters(START, date(2024, 7, 1)), "eighteen months")


def test_months_shift_across_years() -> None:
    assert facts.shift_month(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert facts.shift_month(date(2023, 12, 1), 13) == date(2025, 1, 1)
    assert facts.shift_month(date(2024, 7, 1), -12) == date(2023, 7, 1)
