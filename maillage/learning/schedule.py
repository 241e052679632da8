"""Planning a cohort's sessions: one a week on the same weekday, skipping French public holidays
and the days a facilitator is not available."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def french_public_holidays(year: int) -> frozenset[date]:
    """The eleven public holidays of metropolitan France."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),  # Jour de l'an
            easter + timedelta(days=1),  # Lundi de Pâques
            date(year, 5, 1),  # Fête du travail
            date(year, 5, 8),  # Victoire 1945
            easter + timedelta(days=39),  # Ascension
            easter + timedelta(days=50),  # Lundi de Pentecôte
            date(year, 7, 14),  # Fête nationale
            date(year, 8, 15),  # Assomption
            date(year, 11, 1),  # Toussaint
            date(year, 11, 11),  # Armistice
            date(year, 12, 25),  # Noël
        }
    )


def is_public_holiday(day: date) -> bool:
    return day in french_public_holidays(day.year)


def weekly_dates(first: date, count: int, unavailable: Collection[date] = ()) -> list[date]:
    """`count` dates on `first`'s weekday, from `first` on, skipping public holidays and the
    `unavailable` days."""
    dates: list[date] = []
    day = first
    while len(dates) < count:
        if not is_public_holiday(day) and day not in unavailable:
            dates.append(day)
        day += timedelta(weeks=1)
    return dates
