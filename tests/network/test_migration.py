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


@pytest.mark.django_db(transaction=True)
def test_the_structures_of_the_previous_version_are_placed_on_the_map() -> None:
    old = migrate_to([("network", "0005_structures_published"), ("territories", "0001_initial")])
    try:
        commune = gap(old)
        structures = old.get_model("network", "Structure")
        unplaced = structures.objects.create(
            name="Mairie de Gap", kind="town_hall", commune=commune
        )
        typed = structures.objects.create(
            name="Secours populaire de Gap",
            kind="association",
            commune=commune,
            latitude="44.560000",
            longitude="6.080000",
        )
    finally:
        migrate_to(latest())

    # Gap gets its centre from the shipped data, and the structure without coordinates is
    # shown there; coordinates typed before were typed by staff.
    assert Structure.objects.get(pk=unplaced.pk).position == (44.55858, 6.07868)
    assert Structure.objects.get(pk=unplaced.pk).location_source == "commune"
    assert Structure.objects.get(pk=typed.pk).position == (44.56, 6.08)
    assert Structure.objects.get(pk=typed.pk).location_source == "staff"
