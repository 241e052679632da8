"""The database itself refuses to change a journal or ledger row, whatever code runs.

UPDATE is refused on every engine; DELETE is refused on PostgreSQL (on SQLite the test
framework empties tables with DELETE between tests, so there the refusal stays in the ORM).
A migration creates the triggers with `triggers(tables)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import migrations


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

    return drop


def triggers(tables: Iterable[str]) -> migrations.RunPython:
    """The migration operation that makes these tables append-only."""
    names = tuple(tables)
    return migrations.RunPython(_create(names), _drop(names))
