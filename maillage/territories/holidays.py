"""French public holidays by département, from the `holidays` library: the eleven national ones,
plus Good Friday and 26 December in Alsace-Moselle, and the abolition of slavery and the other
days of each overseas département."""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

# The library's subdivision for a département whose holidays differ from the mainland's.
SUBDIVISIONS = {
    "57": "57",  # Moselle
    "67": "6AE",  # Bas-Rhin
    "68": "6AE",  # Haut-Rhin
    "971": "971",  # Guadeloupe
    "972": "972",  # Martinique
    "973": "973",  # Guyane
    "974": "974",  # La Réunion
    "976": "976",  # Mayotte
}


def public_holidays(year: int, department_code: str = "") -> frozenset[date]:
    """The public holidays of a year in a département (the mainland's when it has none of its
    own, or when the département is not known)."""
    return _holidays(year, SUBDIVISIONS.get(department_code))


@cache
def _holidays(year: int, subdivision: str | None) -> frozenset[date]:
    """Computed once a year for the mainland and for each subdivision, not per département."""
    return frozenset(holidays.France(years=year, subdiv=subdivision))


def is_public_holiday(day: date, department_code: str = "") -> bool:
    return day in public_holidays(day.year, department_code)
