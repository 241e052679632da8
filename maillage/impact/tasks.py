"""Background work of the impact app, run by the tasks worker (`db_worker`)."""

from __future__ import annotations

from django.tasks import task

from maillage.impact import facts


@task()
def refresh_facts() -> int:
    """Recompute the facts of the cells marked stale by the writes just committed."""
    return facts.refresh_stale()
