"""Charts drawn on the server as SVG, always with the same figures in a table beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import formats

from maillage.impact.facts import month_starts, next_month
from maillage.impact.figures import Figures

MAX_MONTHS = 36
WIDTH, HEIGHT, GAP = 640, 200, 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as read, once for the bar's title and the table
    x: float
    y: float
    width: float
    height: float


def months(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months covering [start, end), each cut to the period."""
    return [(max(first, start), min(next_month(first), end)) for first in month_starts(start, end)]


def monthly(code: str, figures: Figures) -> list[tuple[str, float]] | None:
    """The indicator month by month, or None when the period is too long for a chart."""
    filters = figures.filters
    spans = months(filters.start, filters.end)
    if not spans or len(spans) > MAX_MONTHS:
        return None
    by_month = figures.by("month", [first for first, _until in spans])
    return [
        (formats.date_format(first, "M Y"), float(each.value(code) or 0))
        for first, each in by_month.items()
    ]


def bars(series: list[tuple[str, float]]) -> dict[str, Any]:
    top = max((value for _label, value in series), default=0) or 1
    width = WIDTH / len(series)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "top": top,
        "bars": [
            Bar(
                label,
                value,
                floatformat(value, "-1"),
                x=round(i * width + GAP / 2, 1),
                y=round(HEIGHT - HEIGHT * value / top, 1),
                width=round(width - GAP, 1),
                height=round(HEIGHT * value / top, 1),
            )
            for i, (label, value) in enumerate(series)
        ],
    }
