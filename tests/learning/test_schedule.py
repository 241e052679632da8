from __future__ import annotations

from datetime import date

import pytest

from maillage.learning.schedule import (
    easter_sunday,
    french_public_holidays,
    is_public_holiday,
    weekly_dates,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2022, date(2022, 4, 17)),
        (2023, date(2023, 4, 9)),
        (2024, date(2024, 3, 31)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_falls_on_the_right_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_eleven_french_public_holidays_of_2023() -> None:
    assert sorted(french_public_holidays(2023)) == [
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
