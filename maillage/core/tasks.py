"""The journal's seals, extended by the tasks worker (see `maillage.core.seal`)."""

from __future__ import annotations

from django.tasks import task

from maillage.core.seal import seal_pending


@task
def seal_journal() -> int:
    """Seal every committed event not sealed yet; the number sealed."""
    sealed = 0
    while count := seal_pending():
        sealed += count
    return sealed
