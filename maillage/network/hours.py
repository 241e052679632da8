"""A place's weekly opening hours: typed by staff a day at a time (« 9 h – 12 h, 14 h – 17 h »),
kept as `{"mo": [["09:00", "12:00"], ["14:00", "17:00"]], …}`, written for the open data in
OpenStreetMap's `opening_hours` syntax, and asked « open now? » in Europe/Paris, public holidays
of the place's département included."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.territories.holidays import is_public_holiday

PARIS = ZoneInfo("Europe/Paris")
# Monday first, as `date.weekday()` counts; the keys are OpenStreetMap's day names.
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_NAMES = {
    "mo": gettext_lazy("lundi"),
    "tu": gettext_lazy("mardi"),
    "we": gettext_lazy("mercredi"),
    "th": gettext_lazy("jeudi"),
    "fr": gettext_lazy("vendredi"),
    "sa": gettext_lazy("samedi"),
    "su": gettext_lazy("dimanche"),
}
OSM_DAYS = {"mo": "Mo", "tu": "Tu", "we": "We", "th": "Th", "fr": "Fr", "sa": "Sa", "su": "Su"}

Ranges = list[tuple[time, time]]
Week = dict[str, list[list[str]]]

_TIME = r"(\d{1,2})\s*(?:h|:|H)?\s*(\d{2})?"
_RANGE = re.compile(rf"^{_TIME}\s*(?:-|–|—|à|a)\s*{_TIME}$")
_SEPARATORS = re.compile(r"\s*(?:,|;|/|\bet\b|&)\s*")
_CLOSED = {"", "ferme", "fermé", "fermée", "-"}


def _time(hours: str, minutes: str | None) -> time:
    value = int(hours), int(minutes or 0)
    if value == (24, 0):
        return time(23, 59)
    if value[0] > 23 or value[1] > 59:
        raise ValueError
    return time(*value)


def parse_day(text: str) -> Ranges:
    """« 9 h – 12 h, 14 h 30 – 17 h » (or 9:00-12:00 et 14h30-17h) as sorted ranges; « fermé »
    or nothing: closed. Raises ValidationError with a French message."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _CLOSED:
        return []
    ranges: Ranges = []
    for part in _SEPARATORS.split(cleaned):
        match = _RANGE.match(part.strip())
        try:
            if match is None:
                raise ValueError
            start = _time(match[1], match[2])
            end = _time(match[3], match[4])
        except ValueError:
            raise ValidationError(
                _("« %(part)s » n'est pas une plage horaire : écrivez par exemple 9 h – 12 h.")
                % {"part": part.strip()}
            ) from None
        if end <= start:
            raise ValidationError(
                _("La plage « %(part)s » se termine avant de commencer.") % {"part": part.strip()}
            )
        ranges.append((start, end))
    ranges.sort()
    for (_s1, end), (start, _e2) in itertools.pairwise(ranges):
        if start < end:
            raise ValidationError(_("Deux plages horaires se chevauchent."))
    return ranges


def _clock(moment: time) -> str:
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def format_day(ranges: Ranges) -> str:
    """As people read it: « 9 h – 12 h, 14 h 30 – 17 h »; empty when closed."""
    return ", ".join(f"{_clock(s)} – {_clock(e)}" for s, e in ranges)


def to_week(days: dict[str, Ranges]) -> Week:
    return {
        day: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in days[day]]
        for day in DAYS
        if days.get(day)
    }


def ranges_of(week: Week | None, day: str) -> Ranges:
    return [(time.fromisoformat(s), time.fromisoformat(e)) for s, e in (week or {}).get(day, [])]


def osm(week: Week | None, closed_on_public_holidays: bool) -> str:
    """OpenStreetMap's syntax (`Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off`),
    consecutive days with the same hours joined; empty when no hours are known."""
    if not week:
        return ""
    rules: list[str] = []
    index = 0
    while index < len(DAYS):
        hours = week.get(DAYS[index])
        last = index
        while last + 1 < len(DAYS) and week.get(DAYS[last + 1]) == hours:
            last += 1
        if hours:
            span = OSM_DAYS[DAYS[index]]
            if last > index:
                span += ("," if last == index + 1 else "-") + OSM_DAYS[DAYS[last]]
            rules.append(f"{span} {','.join(f'{s}-{e}' for s, e in hours)}")
        index = last + 1
    if closed_on_public_holidays:
        rules.append("PH off")
    return "; ".join(rules)


@dataclass(frozen=True)
class Status:
    """Whether the place is open at a moment, and when that changes (within a week)."""

    open: bool
    change: datetime | None

    def label(self) -> str:
        if self.change is None:
            return _("Ouvert maintenant") if self.open else _("Fermé")
        when = _clock(self.change.time())
        if self.open:
            return _("Ouvert maintenant, jusqu'à %(time)s") % {"time": when}
        return _("Fermé, ouvre %(day)s à %(time)s") % {
            "day": DAY_NAMES[DAYS[self.change.weekday()]],
            "time": when,
        }


def _closed_on(day: date, closed_on_public_holidays: bool, department_code: str) -> bool:
    return closed_on_public_holidays and is_public_holiday(day, department_code)


def status(
    week: Week | None,
    moment: datetime,
    *,
    department_code: str = "",
    closed_on_public_holidays: bool = True,
) -> Status | None:
    """None when the hours are not known."""
    if not week:
        return None
    local = moment.astimezone(PARIS)
    today = local.date()
    open_range = _open_range(week, local, department_code, closed_on_public_holidays)
    if open_range is not None:
        return Status(True, datetime.combine(today, open_range[1], PARIS))
    for offset in range(8):
        day = today + timedelta(days=offset)
        if _closed_on(day, closed_on_public_holidays, department_code):
            continue
        for start, _end in ranges_of(week, DAYS[day.weekday()]):
            opens = datetime.combine(day, start, PARIS)
            if opens > local:
                return Status(False, opens)
    return Status(False, None)


def _open_range(
    week: Week, local: datetime, department_code: str, closed_on_public_holidays: bool
) -> tuple[time, time] | None:
    """The opening range `local` (Paris time) falls in, if the place is open then."""
    if _closed_on(local.date(), closed_on_public_holidays, department_code):
        return None
    now = local.time()
    for start, end in ranges_of(week, DAYS[local.weekday()]):
        if start <= now < end:
            return start, end
    return None


def is_open(week: Any, moment: datetime, department_code: str, closed_on_holidays: bool) -> bool:
    """The search's « ouvert maintenant »: the same rule as `status`, without looking for the
    next opening."""
    if not week:
        return False
    local = moment.astimezone(PARIS)
    return _open_range(week, local, department_code, closed_on_holidays) is not None
