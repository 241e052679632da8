"""`on_commit_once`: one callback per transaction, however many writes ask for it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from maillage.core.transactions import on_commit_once


def test_a_callback_asked_for_twice_in_a_transaction_runs_once_after_the_commit(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    ran: list[str] = []

    def refresh() -> None:
        ran.append("refresh")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            on_commit_once(refresh)
            on_commit_once(refresh)
        assert ran == []
    assert len(callbacks) == 1 and ran == ["refresh"]


def test_a_different_callback_is_not_mistaken_for_one_already_asked_for(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        on_commit_once(lambda: None)
        on_commit_once(lambda: None)
    assert len(callbacks) == 2
