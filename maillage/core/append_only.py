"""The database itself refuses to change or delete a journal or ledger row, whatever code runs.

On SQLite the DELETE trigger asks `maillage_may_empty_journals()`, a function each connection
registers (`register_sqlite_functions`) and that answers no, except while the test framework
empties every table between two tests (`allow_emptying`). A connection that did not register it
(the sqlite3 shell) cannot delete either: the trigger fails on the unknown function.

A migration creates the triggers with `triggers(tables)`; one that must rewrite a journal
(a new column, a table SQLite rebuilds) lifts them first with `untriggered(tables)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations

_emptying = False


@contextmanager
def allow_emptying() -> Iterator[None]:
    """Let the test framework's flush empty the journals on SQLite (never used by the site)."""
    global _emptying
    _emptying = True
    try:
        yield
    finally:
        _emptying = False


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Connected to `connection_created`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "maillage_may_empty_journals", 0, lambda: int(_emptying)
        )


def _create(tables: tuple[str, ...]) -> Any:
    def create(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "postgresql":
                schema_editor.execute(
                    f"""
                    CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                    BEGIN
                        RAISE EXCEPTION '{table} is append-only';
                    END;
                    $$ LANGUAGE plpgsql;
                    CREATE TRIGGER {table}_append_only
                        BEFORE UPDATE OR DELETE ON {table}
                        FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
                    """
                )
            elif vendor == "sqlite":
                schema_editor.execute(
                    f"""
                    CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
                    """
                )
                schema_editor.execute(
                    f"""
                    CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                    WHEN NOT maillage_may_empty_journals()
                    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
                    """
                )

    return create


def _drop(tables: tuple[str, ...]) -> Any:
    def drop(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")

    return drop


def triggers(tables: Iterable[str]) -> migrations.RunPython:
    """The migration operation that makes these tables append-only."""
    names = tuple(tables)
    return migrations.RunPython(_create(names), _drop(names))


def untriggered(tables: Iterable[str]) -> migrations.RunPython:
    """The operation that lifts the refusal, for a migration that must rewrite these tables
    (follow it with `triggers(tables)` in the same migration)."""
    names = tuple(tables)
    return migrations.RunPython(_drop(names), _create(names))
