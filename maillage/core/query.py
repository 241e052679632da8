"""Reading a query string as a careful person would: a value that is not what is expected is
ignored (the page shows its default), never a server error."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest

# The years a date typed into an address may fall in.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_BIGGEST_ID = 2**63 - 1


def int_param(request: HttpRequest, name: str) -> int | None:
    """A positive whole number (an id), or None."""
    raw = request.GET.get(name, "").strip()
    if not raw.isdigit() or not raw.isascii():
        return None
    value = int(raw)
    return value if 0 < value <= _BIGGEST_ID else None


def date_param(request: HttpRequest, name: str) -> date | None:
    """A date written YYYY-MM-DD between 1900 and 2100, or None."""
    return parse_date(request.GET.get(name, ""))


def parse_date(raw: str) -> date | None:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value if FIRST_YEAR <= value.year <= LAST_YEAR else None
