from __future__ import annotations

from datetime import date

from maillage.core.dates import add_months


def test_adding_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2026, 1, 15), 1) == date(2026, 2, 15)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)
    assert add_months(date(2026, 1, 1), -12) == date(2025, 1, 1)
