"""Moving a test database back to a previous version's migrations, and forward again: how a
migration that moves data is tested on a database built by the previous version."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to these targets (the other apps at their latest); the models of the state
    reached."""
    MigrationExecutor(connection).migrate(targets)
    # The state of exactly what is applied now: moving an app back also unapplies the
    # migrations of other apps that depend on it.
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def hautes_alpes(old: Any) -> Any:
    """The Hautes-Alpes (PACA) in the models of an older version."""
    region = old.get_model("territories", "Region").objects.create(code="93", name="PACA")
    return old.get_model("territories", "Department").objects.create(
        code="05", name="Hautes-Alpes", region=region
    )


def gap(old: Any) -> Any:
    """Gap, in the Hautes-Alpes, in the models of an older version: where the migration tests
    place the structures they write."""
    return old.get_model("territories", "Commune").objects.create(
        code="05061", name="Gap", search_name="gap", department=hautes_alpes(old), population=40000
    )
