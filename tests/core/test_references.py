"""References drawn in bulk for an import: distinct, and never one a row already holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from maillage.core import references
from maillage.people.models import Beneficiary
from tests.conftest import World


def test_references_drawn_in_bulk_skip_those_already_taken(world: World, monkeypatch) -> None:
    taken = world.alice.reference
    drawn: Iterator[str] = iter([taken, "P-AAAAAA", "P-AAAAAA", "P-CCCCCC", "P-DDDDDD"])
    monkeypatch.setattr(references, "new_reference", lambda prefix: next(drawn))

    chosen = references.unique_references(Beneficiary, "P", 3)

    assert sorted(chosen) == ["P-AAAAAA", "P-CCCCCC", "P-DDDDDD"]


@pytest.mark.parametrize("count", [0, 1, 50])
def test_as_many_references_as_asked(world: World, count: int) -> None:
    chosen = references.unique_references(Beneficiary, "P", count)
    assert len(set(chosen)) == count
    assert all(reference.startswith("P-") and len(reference) == 8 for reference in chosen)
