"""Figures about people never single anyone out: outside the national team, and on the public
page, a count of people between 1 and 10 is not shown (« secret »), and when a single cell of a
column would be hidden, the next smallest is hidden too, so that the total cannot reveal it.
A share or an average age of people is hidden when the people behind it are too few.

The dashboard, the programme reports, the statistics API and the targets all read their figures
through a `Disclosure`: one rule, wherever a figure is shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.indicators import get
from maillage.core.roles import is_national_team
from maillage.impact.figures import Figures
from maillage.learning.models import DropIn, Session, Workshop

THRESHOLD = 11  # the smallest count about people that is published


class Secret:
    """A figure withheld: reads « secret », is `null` in JSON and 0 in a chart."""

    def __str__(self) -> str:
        return str(_("secret"))

    def __repr__(self) -> str:
        return "SECRET"

    def __bool__(self) -> bool:
        return True  # a withheld figure is not an empty one


SECRET = Secret()


class FigureEncoder(DjangoJSONEncoder):
    """JSON of figures: a withheld one is the string "secret" (the same in every language)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Secret):
            return "secret"
        return super().default(o)


@dataclass(frozen=True)
class Cell:
    value: Any
    hidden: bool = False


def last_year_with_activity(today: date) -> int:
    """The last whole year (before this one) in which the network recorded any activity (a
    roll call, a workshop, a drop-in): the year the public statistics open on. Last year when
    there is none."""
    before = datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
    latest = [
        records.filter(starts_at__lt=before).aggregate(latest=Max("starts_at"))["latest"]
        for records in (
            Session.objects.filter(roll_called_at__isnull=False),
            Workshop.objects.all(),
            DropIn.objects.all(),
        )
    ]
    found = [timezone.localtime(moment).year for moment in latest if moment is not None]
    return max(found, default=today.year - 1)


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress_column(counts: list[int]) -> list[Cell]:
    """Primary suppression of small counts, then complementary suppression: one hidden cell in a
    column whose total is published would be revealed by subtraction, so a second one is hidden
    (the smallest other non-zero count)."""
    hidden = [is_small(c) for c in counts]
    if sum(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if others:
            hidden[min(others)[1]] = True
    return [Cell(c, h) for c, h in zip(counts, hidden, strict=True)]


def share_cell(part: int, total: int) -> Cell:
    """A share is published only when neither its part nor the rest is a small count."""
    if total == 0:
        return Cell(None)
    if is_small(part) or is_small(total - part) or is_small(total):
        return Cell(None, hidden=True)
    return Cell(round(part / total, 2))


def _shown(cells: Sequence[Cell]) -> list[Any]:
    return [SECRET if cell.hidden else cell.value for cell in cells]


@dataclass(frozen=True)
class Disclosure:
    """What a reader may see of the figures: all of them for the national team (`exact`),
    small counts of people withheld for everyone else."""

    exact: bool

    @classmethod
    def for_reader(cls, user: Any) -> Disclosure:
        return cls(exact=is_national_team(user))

    def value(self, figures: Figures, code: str) -> Any:
        """One figure of one cell."""
        return self.column(code, [figures])[0]

    def values(self, figures: Figures, codes: Sequence[str]) -> dict[str, Any]:
        return {code: self.value(figures, code) for code in codes}

    def table(self, by: dict[Any, Figures], codes: Sequence[str]) -> dict[Any, dict[str, Any]]:
        """The figures of a breakdown, {key: {code: value}}, each column disclosed as one."""
        keys, cells = list(by), list(by.values())
        columns = {code: self.column(code, cells) for code in codes}
        return {key: {code: columns[code][i] for code in codes} for i, key in enumerate(keys)}

    def column(self, code: str, cells: Sequence[Figures]) -> list[Any]:
        """One figure over the cells of a breakdown (whose total is published elsewhere):
        small counts withheld, and one more when a single one would be."""
        values = [each.value(code) for each in cells]
        indicator = get(code)
        if self.exact or not indicator.about_people:
            return values
        if indicator.unit == "count":
            return _shown(suppress_column([int(v or 0) for v in values]))
        if indicator.unit == "distribution":
            return [
                dict(zip(v, _shown(suppress_column(list(v.values()))), strict=True)) if v else v
                for v in values
            ]
        # A share or an average of people: hidden when the people behind it are few (for the
        # share of women, when the women or the men are few).
        shown = []
        for each, v in zip(cells, values, strict=True):
            women, men = each.gender_counts()
            people = each.value("people_accompanied")
            few = is_small(people) or (
                indicator.unit == "share" and (is_small(women) or is_small(men))
            )
            shown.append(SECRET if few and v is not None else v)
        return shown
