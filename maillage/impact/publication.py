"""Public figures about people hide small counts: a count between 1 and 10 is not shown, and
when a single cell of a column would be hidden, the next smallest is hidden too, so that the
total cannot reveal it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

THRESHOLD = 11  # the smallest count about people that is published


@dataclass(frozen=True)
class Cell:
    value: Any
    hidden: bool = False


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
