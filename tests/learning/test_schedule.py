from __future__ import annotations

from datetime import date, time

import pytest

from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.learning.schedule import weekly_dates
from maillage.network.models import Structure
from maillage.territories.holidays import is_public_holiday, public_holidays
from tests.conftest import World
from tests.factories import CommuneFactory, DepartmentFactory, StructureFactory


def test_the_eleven_public_holidays_of_the_mainland_in_2023() -> None:
    assert sorted(public_holidays(2023, "51")) == [
        date(2023, 1, 1),
        date(2023, 4, 10),  # lundi de Pâques
        date(2023, 5, 1),
        date(2023, 5, 8),
        date(2023, 5, 18),  # Ascension
        date(2023, 5, 29),  # lundi de Pentecôte
        date(2023, 7, 14),
        date(2023, 8, 15),
        date(2023, 11, 1),
        date(2023, 11, 11),
        date(2023, 12, 25),
    ]


def test_weekly_dates_skip_a_public_holiday() -> None:
    # Mondays from 3 April 2023: Easter Monday (10 April) is skipped.
    assert weekly_dates(date(2023, 4, 3), 3) == [
        date(2023, 4, 3),
        date(2023, 4, 17),
        date(2023, 4, 24),
    ]


def test_weekly_dates_skip_the_days_a_facilitator_is_away() -> None:
    dates = weekly_dates(date(2023, 3, 7), 3, unavailable={date(2023, 3, 14)})
    assert dates == [date(2023, 3, 7), date(2023, 3, 21), date(2023, 3, 28)]


def test_a_first_day_on_a_holiday_moves_to_the_next_week() -> None:
    assert weekly_dates(date(2023, 5, 1), 1) == [date(2023, 5, 15)]  # 1 and 8 May are holidays
    assert is_public_holiday(date(2023, 5, 8))


@pytest.mark.parametrize(
    ("department", "holiday"),
    [
        ("67", date(2025, 12, 26)),  # Bas-Rhin: Saint-Étienne
        ("57", date(2025, 4, 18)),  # Moselle: Vendredi saint
        ("971", date(2025, 5, 27)),  # Guadeloupe: abolition de l'esclavage
        ("973", date(2025, 6, 10)),  # Guyane: abolition de l'esclavage
        ("974", date(2024, 12, 20)),  # La Réunion: abolition de l'esclavage
    ],
)
def test_a_departements_own_holiday_is_skipped_there_and_not_in_the_marne(
    department: str, holiday: date
) -> None:
    week_before = date.fromordinal(holiday.toordinal() - 7)
    week_after = date.fromordinal(holiday.toordinal() + 7)
    assert weekly_dates(week_before, 2, department_code=department) == [week_before, week_after]
    assert weekly_dates(week_before, 2, department_code="51") == [week_before, holiday]
    assert is_public_holiday(holiday, department) and not is_public_holiday(holiday, "51")


def test_a_cohort_in_the_bas_rhin_is_planned_around_26_december(world: World) -> None:
    bas_rhin = DepartmentFactory.create(code="67", name="Bas-Rhin", region=world.grand_est)
    strasbourg = CommuneFactory.create(code="67482", name="Strasbourg", department=bas_rhin)
    centre = StructureFactory.create(name="Centre social de Strasbourg", commune=strasbourg)

    def plan(structure: Structure) -> list[date]:
        cohort = services.plan_cohort(
            Cohort(course=Course.objects.get(code="initiation-computer"), structure=structure),
            first=date(2025, 12, 19),
            at=time(14, 0),
            facilitators=[],
            by=None,
        )
        return [s.starts_at.date() for s in cohort.sessions.order_by("number")][:2]

    assert plan(centre) == [date(2025, 12, 19), date(2026, 1, 2)]
    assert plan(world.ccas_reims) == [date(2025, 12, 19), date(2025, 12, 26)]
