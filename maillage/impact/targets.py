"""A programme's targets with their progress and a projection to the deadline at the current
pace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from maillage.core.indicators import Filters, get
from maillage.impact.figures import Figures
from maillage.impact.publication import Disclosure, Secret
from maillage.programmes.models import Programme, Target


@dataclass(frozen=True)
class Progress:
    target: Target
    label: str
    achieved: float
    share: int  # per cent of the target reached
    projected: int | None  # at the deadline, at the current pace; None once it has passed
    withheld: bool = False  # a small count of people, not shown to this reader

    @property
    def on_track(self) -> bool:
        return (
            self.projected if self.projected is not None else self.achieved
        ) >= self.target.value


def progress(target: Target, disclosure: Disclosure, *, today: date | None = None) -> Progress:
    programme: Programme = target.programme
    today = today or timezone.localdate()
    last_day = min(today, target.deadline)
    filters = Filters(
        programme.start, last_day + timedelta(days=1), programme_ids=frozenset({programme.pk})
    )
    if target.department_id:
        filters = filters.narrowed(department_ids=frozenset({target.department_id}))
    indicator = get(target.indicator)
    value: Any = disclosure.value(Figures(filters), indicator.code)
    if isinstance(value, Secret):
        return Progress(target, str(indicator.label), 0, 0, None, withheld=True)
    achieved = float(value or 0)
    share = round(100 * achieved / target.value) if target.value else 0
    projected = None
    if today < target.deadline:
        elapsed = (last_day - programme.start).days + 1
        total = (target.deadline - programme.start).days + 1
        projected = round(achieved * total / elapsed) if elapsed > 0 else 0
    return Progress(target, str(indicator.label), achieved, share, projected)


def programme_progress(
    programme: Programme, disclosure: Disclosure, *, today: date | None = None
) -> list[Progress]:
    return [
        progress(t, disclosure, today=today)
        for t in programme.targets.select_related("programme", "department")
    ]
