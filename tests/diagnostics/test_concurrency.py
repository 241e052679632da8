"""Two facilitators completing diagnostics at the same moment, on PostgreSQL: completing one
locks that diagnostic only, never the skills framework every diagnostic of the country shares."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from maillage.diagnostics import services
from maillage.diagnostics.models import Diagnostic
from maillage.network.models import Structure
from maillage.people.models import Beneficiary
from tests.conftest import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no row locks to wait on"
    ),
]


def _started(world: World, structure: Structure, first_name: str) -> Diagnostic:
    person = Beneficiary.objects.create(first_name=first_name, structure=structure)
    diagnostic = services.start(person, world.framework, by=None)
    diagnostic.answers = {}
    diagnostic.save()
    return diagnostic


def test_two_diagnostics_of_the_same_framework_are_completed_without_waiting(
    world: World,
) -> None:
    # Two structures: the figures' cells each completion marks are not the same either.
    first = _started(world, world.ccas_reims, "Agathe")
    second = _started(world, world.mediatheque_charleville, "Basile")
    first_holds_its_locks = threading.Event()
    let_first_commit = threading.Event()
    failures: list[BaseException] = []

    def complete_first_and_wait() -> None:
        try:
            with transaction.atomic():
                services.complete(first, by=None)
                first_holds_its_locks.set()
                let_first_commit.wait(timeout=30)
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=complete_first_and_wait)
    thread.start()
    try:
        assert first_holds_its_locks.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Were the framework's row locked by the first completion, this would fail.
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            services.complete(second, by=None)
    finally:
        let_first_commit.set()
        thread.join(timeout=60)
    assert not failures
    completed = Diagnostic.objects.filter(pk__in=[first.pk, second.pk], completed_at__isnull=False)
    assert completed.count() == 2
