"""Helpers around database transactions."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def on_commit_once(func: Callable[[], None]) -> None:
    """Run `func` once after the current transaction commits, however many writes of the
    transaction ask for it (right away outside a transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        registered is func for _savepoints, registered, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(func, robust=True)
