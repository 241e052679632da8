"""Charts drawn on the server as SVG, always with the same figures in a table beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import formats

from maillage.impact.facts import month_starts, next_month
from maillage.impact.figures import Figures
from maillage.impact.publication import Disclosure, Secret

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


def monthly(code: str, figures: Figures, disclosure: Disclosure) -> list[tuple[str, Any]] | None:
    """The indicator month by month (a month withheld as `SECRET`), or None when the period
    is too long for a chart."""
    filters = figures.filters
    spans = months(filters.start, filters.end)
    if not spans or len(spans) > MAX_MONTHS:
        return None
    by_month = figures.by("month", [first for first, _until in spans])
    values = disclosure.column(code, list(by_month.values()))
    return [
        (formats.date_format(first, "M Y"), value)
        for first, value in zip(by_month, values, strict=True)
    ]


def bars(shown: list[tuple[str, Any]]) -> dict[str, Any]:
    """A withheld month is drawn as an empty bar and reads « secret »."""
    series = [
        (label, 0.0 if isinstance(value, Secret) else float(value or 0), value)
        for label, value in shown
    ]
    top = max((value for _label, value, _shown in series), default=0) or 1
    width = WIDTH / len(series)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "top": top,
        "bars": [
            Bar(
                label,
                value,
                str(shown) if isinstance(shown, Secret) else floatformat(value, "-1"),
                x=round(i * width + GAP / 2, 1),
                y=round(HEIGHT - HEIGHT * value / top, 1),
                width=round(width - GAP, 1),
                height=round(HEIGHT * value / top, 1),
            )
            for i, (label, value, shown) in enumerate(series)
        ],
    }
