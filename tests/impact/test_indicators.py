"""Every indicator against a small hand-built dataset whose answers are known."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.utils import timezone

from maillage.core.indicators import Filters, all_indicators, compute
from maillage.diagnostics import services as diagnostics
from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people import services as people
from maillage.people.enums import ReferralStatus
from tests.conftest import World
from tests.impact.conftest import at

YEAR_2023 = Filters(date(2023, 1, 1), date(2024, 1, 1))


def test_a_person_in_two_parcours_is_counted_once(dataset: dict[str, Any]) -> None:
    # Alice, Bertrand, Chloé; 2 anonymous at a session, 1 at the workshop, 1 at a drop-in.
    assert compute("people_accompanied", YEAR_2023) == 3 + 2 + 1 + 1


def test_a_cancelled_cohort_realises_no_parcours(dataset: dict[str, Any]) -> None:
    assert compute("parcours_realised", YEAR_2023) == 3  # computer, tablet, Lille
    assert compute("parcours_realised", Filters(date(2022, 1, 1), date(2023, 1, 1))) == 1


def test_figures_by_place_programme_and_course(world: World, dataset: dict[str, Any]) -> None:
    marne = YEAR_2023.narrowed(department_ids=frozenset({world.marne.pk}))
    assert compute("parcours_realised", marne) == 2
    assert compute("people_accompanied", marne) == 2 + 2 + 1 + 1
    assert (
        compute(
            "people_accompanied",
            YEAR_2023.narrowed(region_ids=frozenset({world.hauts_de_france.pk})),
        )
        == 1
    )
    assert (
        compute(
            "parcours_realised", YEAR_2023.narrowed(programme_ids=frozenset({world.metropole.pk}))
        )
        == 1
    )
    tablet = YEAR_2023.narrowed(course_codes=frozenset({"initiation-tablet"}))
    assert compute("parcours_realised", tablet) == 1 and compute("people_accompanied", tablet) == 1
    assert compute("workshops", tablet) == 0  # a workshop is not a course


def test_gender_age_and_average(dataset: dict[str, Any]) -> None:
    # Women: Alice, Chloé, 2 + 1 anonymous = 5; men: Bertrand + 1 anonymous = 2.
    assert compute("women_share", YEAR_2023) == round(5 / 7, 2)
    assert compute("average_age", YEAR_2023) == round((63 + 73 + 63) / 3, 1)
    bands = compute("age_bands", YEAR_2023)
    assert bands["60-69"] == 2 + 2 and bands["70+"] == 1 + 1 and bands["40-59"] == 1
    women = YEAR_2023.narrowed(genders=frozenset({"woman"}))
    assert compute("people_accompanied", women) == 5


def test_sessions_workshops_drop_ins_and_hours(dataset: dict[str, Any]) -> None:
    assert compute("sessions_held", YEAR_2023) == 6 + 7 + 6  # the cancelled cohort's do not count
    assert compute("workshops", YEAR_2023) == 1 and compute("drop_ins", YEAR_2023) == 1
    # Present learners × 2 h: session 1 (2 + 2 anonymous), session 2 (1), tablet (1), Lille (1);
    # workshop 1.5 h × 2; drop-in 0.5 h.
    assert compute("learner_hours", YEAR_2023) == (4 + 1 + 1 + 1) * 2 + 2 * 1.5 + 0.5


def test_a_session_at_half_past_eleven_on_new_year_s_eve_belongs_to_that_year(world: World) -> None:
    late = services.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-smartphone"), structure=world.ccas_reims),
        first=date(2023, 12, 31),
        at=time(23, 30),
        facilitators=[],
        by=None,
    )
    services.enrol(late, world.alice, by=None)
    services.take_roll_call(late.sessions.get(number=1), {world.alice.pk: "present"}, {}, by=None)
    assert timezone.localtime(late.sessions.get(number=1).starts_at).date() == date(2023, 12, 31)
    assert compute("parcours_realised", YEAR_2023) == 1
    assert compute("people_accompanied", YEAR_2023) == 1
    assert compute("parcours_realised", Filters(date(2024, 1, 1), date(2025, 1, 1))) == 0


def test_the_network_indicators(world: World, dataset: dict[str, Any]) -> None:
    Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.CANDIDATE, by=None, at=at(date(2022, 11, 2), 10)
    )
    Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.SELECTED, by=None, at=at(date(2022, 12, 2), 10)
    )
    Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.IN_COACHING, by=None, at=at(date(2023, 1, 2), 10)
    )
    Structure.relay_workflow.apply(
        world.ccas_reims, RelayStatus.RELAY, by=None, at=at(date(2023, 6, 1), 10)
    )
    assert compute("structures_joined", YEAR_2023) == 1
    assert (
        compute(
            "structures_joined", YEAR_2023.narrowed(programme_ids=frozenset({world.ruralite.pk}))
        )
        == 1
    )
    assert (
        compute(
            "structures_joined", YEAR_2023.narrowed(programme_ids=frozenset({world.metropole.pk}))
        )
        == 0
    )
    assert compute("relays_active", YEAR_2023) == 1
    assert compute("relays_active", Filters(date(2023, 1, 1), date(2023, 6, 1))) == 0


def test_the_orientation_and_diagnostic_indicators(world: World) -> None:
    people.move_referral(world.referral, ReferralStatus.RECEIVED, by=None)
    people.move_referral(world.referral, ReferralStatus.CONTACTED, by=None)
    people.accept_referral(world.referral, world.alice, by=None)
    diagnostic = diagnostics.start(world.alice, world.framework, by=None)
    diagnostics.complete(diagnostic, by=None)
    this_year = Filters(
        timezone.localdate().replace(month=1, day=1), timezone.localdate().replace(month=12, day=31)
    )
    assert compute("referrals_received", this_year) == 1
    assert compute("referrals_accepted", this_year) == 1
    assert compute("diagnostics", this_year) == 1
    elsewhere = this_year.narrowed(department_ids=frozenset({world.nord.pk}))
    assert compute("referrals_received", elsewhere) == 0 and compute("diagnostics", elsewhere) == 0


def test_parcours_completed(dataset: dict[str, Any]) -> None:
    Cohort.workflow.apply(dataset["computer"], "completed", by=None)
    assert compute("parcours_completed", YEAR_2023) == 1


def test_every_indicator_has_a_french_label_and_definition(db: None) -> None:
    codes = {i.code for i in all_indicators()}
    assert {
        "parcours_realised",
        "parcours_completed",
        "people_accompanied",
        "sessions_held",
        "workshops",
        "drop_ins",
        "learner_hours",
        "diagnostics",
        "referrals_received",
        "referrals_accepted",
        "structures_joined",
        "relays_active",
        "women_share",
        "average_age",
        "age_bands",
    } <= codes
    assert all(str(i.label) and len(str(i.definition)) > 20 for i in all_indicators())


def test_months_cover_the_period_cut_to_its_ends() -> None:
    from maillage.impact.charts import months

    assert months(date(2023, 1, 15), date(2023, 3, 10)) == [
        (date(2023, 1, 15), date(2023, 2, 1)),
        (date(2023, 2, 1), date(2023, 3, 1)),
        (date(2023, 3, 1), date(2023, 3, 10)),
    ]
    assert len(months(date(2023, 1, 1), date(2024, 1, 1))) == 12
