"""The places published by default: on a database of the previous version, migrated forward,
the Relais Numériques are published from the day of the migration, and no other structure."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maillage.network.models import Structure
from tests.migrations import gap, latest, migrate_to

PREVIOUS: list[tuple[str, str | None]] = [("network", "0004_network_life_moves_to_animation")]


@pytest.mark.django_db(transaction=True)
def test_the_relays_of_the_previous_version_are_published_and_the_others_are_not() -> None:
    old = migrate_to(PREVIOUS)
    try:
        commune = gap(old)
        structures = old.get_model("network", "Structure")
        relay = structures.objects.create(
            name="Secours populaire de Gap",
            kind="association",
            commune=commune,
            relay_status="relay",
        )
        candidate = structures.objects.create(
            name="Mairie de Gap", kind="town_hall", commune=commune, relay_status="candidate"
        )
    finally:
        migrate_to(latest())

    published = Structure.objects.get(pk=relay.pk)
    assert published.is_public and published.public_since == timezone.localdate()
    assert not Structure.objects.get(pk=candidate.pk).is_public
