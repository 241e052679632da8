from __future__ import annotations

import pytest

from maillage.programmes.models import Programme
from tests.conftest import PERSONAS, World, text

VISIBLE = {
    "admin": {"ruralite", "metropole"},
    "regional_manager": {"ruralite"},
    "territory_manager": {"ruralite"},
    "mediator": {"ruralite"},
    "relay_referent": {"ruralite"},
    "funder": {"ruralite"},
    "stranger": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_the_programmes_it_works_in(world: World, persona: str) -> None:
    slugs = set(
        Programme.objects.visible_to(world.personas[persona]).values_list("slug", flat=True)
    )
    assert slugs == VISIBLE[persona]


def test_a_funder_sees_its_programme_and_only_the_partners_it_may_see(
    client_as, world: World
) -> None:
    client = client_as("funder")
    page = text(client.get("/mesurer/programmes/ruralite/"))
    assert "CCAS de Reims" in page and "DGCS" in page
    assert client.get("/mesurer/programmes/metropole/").status_code == 404


def test_an_admin_creates_a_programme(client_as, world: World) -> None:
    response = client_as("admin").post(
        "/mesurer/programmes/nouveau/",
        {
            "name": "Hautes-Alpes",
            "slug": "hautes-alpes",
            "start": "2022-03-01",
            "end": "2023-09-30",
            "departments": [world.marne.pk],
        },
    )
    assert response["Location"] == "/mesurer/programmes/hautes-alpes/"
    assert Programme.objects.get(slug="hautes-alpes").departments.get() == world.marne


def test_a_programme_cannot_end_before_it_starts(client_as, world: World) -> None:
    content = (
        client_as("admin")
        .post(
            "/mesurer/programmes/nouveau/",
            {
                "name": "Hautes-Alpes",
                "slug": "hautes-alpes",
                "start": "2023-03-01",
                "end": "2022-09-30",
            },
        )
        .content.decode()
    )
    assert "La fin du programme doit suivre son début." in content
    assert not Programme.objects.filter(slug="hautes-alpes").exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_only_admins_create_or_edit_programmes(client_as, world: World, persona: str) -> None:
    client = client_as(persona)
    assert client.get("/mesurer/programmes/nouveau/").status_code == 404
    assert client.get("/mesurer/programmes/ruralite/modifier/").status_code == 404


def test_a_programme_change_is_recorded_with_its_values(client_as, world: World) -> None:
    from maillage.core.models import AuditEvent

    response = client_as("admin").post(
        "/mesurer/programmes/ruralite/modifier/",
        {
            "name": "Ruralité Connectée",
            "slug": "ruralite",
            "start": "2022-01-01",
            "departments": [world.marne.pk],
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(world.ruralite).get()
    assert event.action == "update"
    assert event.changes["name"] == ["Ruralité", "Ruralité Connectée"]
    assert event.changes["departments"] == [
        sorted([world.marne.pk, world.ardennes.pk]),
        [world.marne.pk],
    ]
