"""Planning a cohort's sessions: one a week on the same weekday, skipping the public holidays of
the cohort's département and the days a facilitator is not available."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from maillage.territories.holidays import is_public_holiday


def weekly_dates(
    first: date, count: int, unavailable: Collection[date] = (), *, department_code: str = ""
) -> list[date]:
    """`count` dates on `first`'s weekday, from `first` on, skipping the public holidays of the
    département and the `unavailable` days."""
    dates: list[date] = []
    day = first
    while len(dates) < count:
        if not is_public_holiday(day, department_code) and day not in unavailable:
            dates.append(day)
        day += timedelta(weeks=1)
    return dates
