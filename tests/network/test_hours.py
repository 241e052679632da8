"""Opening hours typed a day at a time, written for the open data, and « open now » in Paris
with the département's public holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError

from maillage.network.hours import format_day, osm, parse_day, status, to_week

WEEK = to_week(
    {
        "mo": [(time(9), time(12)), (time(14), time(17))],
        "tu": [(time(9), time(12)), (time(14), time(17))],
        "we": [(time(9), time(12))],
        "th": [(time(9), time(12)), (time(14), time(17))],
        "fr": [(time(9), time(12)), (time(14), time(17))],
        "sa": [(time(9, 30), time(12))],
    }
)


@pytest.mark.parametrize(
    "typed",
    [
        "9 h – 12 h, 14 h – 17 h",
        "9h-12h et 14h-17h",
        "09:00-12:00 / 14:00-17:00",
        "9h à 12h; 14h à 17h",
    ],
)
def test_the_ways_people_write_hours_are_understood(typed: str) -> None:
    assert parse_day(typed) == [(time(9), time(12)), (time(14), time(17))]


@pytest.mark.parametrize("typed", ["", "  ", "fermé", "Fermé"])
def test_nothing_or_ferme_is_a_closed_day(typed: str) -> None:
    assert parse_day(typed) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("le matin", "« le matin » n'est pas une plage horaire"),
        ("25h-26h", "n'est pas une plage horaire"),
        ("14 h – 9 h", "se termine avant de commencer"),
        ("9h-12h, 11h-14h", "se chevauchent"),
    ],
)
def test_hours_that_cannot_be_read_are_refused_in_french(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_day(typed)


def test_hours_read_back_as_people_write_them() -> None:
    assert (
        format_day([(time(9), time(12)), (time(14, 30), time(17))]) == "9 h – 12 h, 14 h 30 – 17 h"
    )


def test_the_open_data_gets_openstreetmaps_syntax_with_equal_days_joined() -> None:
    assert osm(WEEK, closed_on_public_holidays=True) == (
        "Mo,Tu 09:00-12:00,14:00-17:00; We 09:00-12:00; Th,Fr 09:00-12:00,14:00-17:00; "
        "Sa 09:30-12:00; PH off"
    )
    every_weekday = to_week({d: [(time(10), time(18))] for d in ["mo", "tu", "we", "th", "fr"]})
    assert osm(every_weekday, closed_on_public_holidays=False) == "Mo-Fr 10:00-18:00"
    assert osm({}, closed_on_public_holidays=True) == ""


def _paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment given in Paris summer or winter time, through UTC."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


def test_open_now_is_computed_in_paris_time() -> None:
    # Thursday 3 December 2026, 10:15 in Paris (09:15 UTC).
    now = status(WEEK, _paris(2026, 12, 3, 10, 15))
    assert now is not None and now.open
    assert now.label() == "Ouvert maintenant, jusqu'à 12 h"
    lunch = status(WEEK, _paris(2026, 12, 3, 12, 30))
    assert lunch is not None and not lunch.open
    assert lunch.label() == "Fermé, ouvre jeudi à 14 h"


def test_closed_on_sunday_opens_on_monday() -> None:
    sunday = status(WEEK, _paris(2026, 12, 6, 11, 0))
    assert sunday is not None and sunday.label() == "Fermé, ouvre lundi à 9 h"


def test_a_public_holiday_closes_the_place_unless_it_says_otherwise() -> None:
    # Friday 25 December 2026, Christmas; Saturday 26 December is a holiday in Moselle only.
    christmas = _paris(2026, 12, 25, 10, 0)
    closed = status(WEEK, christmas)
    assert closed is not None and closed.label() == "Fermé, ouvre samedi à 9 h 30"
    open_anyway = status(WEEK, christmas, closed_on_public_holidays=False)
    assert open_anyway is not None and open_anyway.open
    moselle = status(WEEK, christmas, department_code="57")
    assert moselle is not None and moselle.label() == "Fermé, ouvre lundi à 9 h"


def test_unknown_hours_say_nothing() -> None:
    assert status({}, _paris(2026, 12, 3, 10, 0)) is None
