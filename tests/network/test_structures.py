from __future__ import annotations

import re

import pytest

from maillage.core.models import AuditEvent, Transition
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.network.validators import validate_siret
from tests.conftest import PERSONAS, World, text
from tests.factories import StructureFactory

VISIBLE = {
    "admin": {"CCAS de Reims", "Médiathèque de Charleville", "Centre social de Lille"},
    "regional_manager": {"CCAS de Reims", "Médiathèque de Charleville"},
    "territory_manager": {"CCAS de Reims"},
    "mediator": {"CCAS de Reims"},
    "relay_referent": {"CCAS de Reims"},
    "funder": {"CCAS de Reims"},
    "stranger": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_only_the_structures_of_its_scope(world: World, persona: str) -> None:
    names = set(
        Structure.objects.visible_to(world.personas[persona]).values_list("name", flat=True)
    )
    assert names == VISIBLE[persona]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "stranger"])
def test_the_list_shows_the_scope_of_each_persona(client_as, world: World, persona: str) -> None:
    content = text(client_as(persona).get("/reseau/structures/"))
    for name in VISIBLE["admin"]:
        assert (f">{name}</a>" in content) == (name in VISIBLE[persona]), name


def test_a_stranger_gets_no_structure_list(client_as, world: World) -> None:
    assert client_as("stranger").get("/reseau/structures/").status_code == 404


def test_the_list_filters_by_department_kind_status_and_text(client_as, world: World) -> None:
    client = client_as("admin")
    by_department = text(client.get("/reseau/structures/", {"department": world.nord.pk}))
    assert "Centre social de Lille" in by_department and "CCAS de Reims" not in by_department
    by_region = text(client.get("/reseau/structures/", {"region": world.grand_est.pk}))
    assert "Médiathèque de Charleville" in by_region and "Centre social de Lille" not in by_region
    by_kind = text(client.get("/reseau/structures/", {"kind": "library"}))
    assert "Médiathèque de Charleville" in by_kind and "CCAS de Reims" not in by_kind
    by_text = text(client.get("/reseau/structures/", {"q": "lille"}))
    assert "Centre social de Lille" in by_text and ">CCAS de Reims<" not in by_text
    none = text(client.get("/reseau/structures/", {"relay_status": "relay"}))
    assert "Aucune structure ne correspond à ces filtres" in none


def test_the_list_is_paginated(client_as, world: World) -> None:
    StructureFactory.create_batch(30, commune=world.reims)
    client = client_as("mediator")
    first = text(client.get("/reseau/structures/"))
    assert "Page 1 sur 2" in first and "31 structures trouvées" in first
    second = text(client.get("/reseau/structures/", {"page": 2}))
    assert "Page 2 sur 2" in second
    assert client.get("/reseau/structures/", {"page": "abc"}).status_code == 200


def test_a_structure_outside_the_scope_answers_404(client_as, world: World) -> None:
    client = client_as("territory_manager")
    assert client.get(f"/reseau/structures/{world.centre_social_lille.pk}/").status_code == 404
    assert client.get(f"/reseau/structures/{world.ccas_reims.pk}/").status_code == 200


VALID = {
    "name": "Espace de vie sociale",
    "kind": "social_centre",
    "commune": "Reims",
    "phone": "03 26 00 00 00",
    "siret": "732 829 320 00074",
    "services": ["Aide aux démarches administratives"],
}


def test_a_mediator_adds_a_structure_of_their_departement(client_as, world: World) -> None:
    response = client_as("mediator").post("/reseau/structures/nouvelle/", VALID)
    structure = Structure.objects.get(name="Espace de vie sociale")
    assert response["Location"] == f"/reseau/structures/{structure.pk}/"
    assert structure.phone == "+33326000000"
    assert structure.siret == "73282932000074"
    assert structure.relay_status == RelayStatus.PROSPECT
    event = AuditEvent.objects.for_object(structure).get()
    assert event.action == "create" and event.actor == world.personas["mediator"]
    assert event.changes["name"] == [None, "Espace de vie sociale"]


@pytest.mark.parametrize("persona", ["relay_referent", "funder", "stranger"])
def test_who_may_not_add_a_structure_gets_404(client_as, world: World, persona: str) -> None:
    client = client_as(persona)
    assert client.get("/reseau/structures/nouvelle/").status_code == 404
    assert client.post("/reseau/structures/nouvelle/", VALID).status_code == 404
    assert not Structure.objects.filter(name=VALID["name"]).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "732 829 320 00075", "Ce numéro SIRET n'est pas valide"),
        ("siret", "1234", "Un numéro SIRET compte 14 chiffres"),
        ("phone", "01 23", "n'est pas valide"),
        ("commune", "Lille", "hors de votre territoire"),
        ("name", "", "Ce champ est obligatoire."),
        ("email", "pas-un-email", "Saisissez une adresse de courriel valide."),
        ("latitude", "48.5", "Indiquez la latitude et la longitude ensemble"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(
    client_as, world: World, field: str, value: str, message: str
) -> None:
    response = client_as("mediator").post("/reseau/structures/nouvelle/", {**VALID, field: value})
    content = text(response)
    assert response.status_code == 200
    assert message in content
    assert "error-summary" in content
    assert 'value="Espace de vie sociale"' in content or field == "name"
    assert not Structure.objects.filter(name="Espace de vie sociale").exists()


def test_a_siret_already_used_is_refused(client_as, world: World) -> None:
    Structure.objects.filter(pk=world.ccas_reims.pk).update(siret="73282932000074")
    content = text(client_as("admin").post("/reseau/structures/nouvelle/", VALID))
    assert "déjà celui de la structure « CCAS de Reims »" in content


def test_a_referent_edits_their_own_structure_and_the_change_is_recorded(
    client_as, world: World
) -> None:
    client = client_as("relay_referent")
    url = f"/reseau/structures/{world.ccas_reims.pk}/modifier/"
    response = client.post(
        url,
        {
            "name": "CCAS de Reims",
            "kind": "ccas_cias",
            "commune": "Reims (51100)",
            "opening_hours": "Lundi au vendredi, 9 h – 12 h",
            "closed_on_public_holidays": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(world.ccas_reims).get(action="update")
    assert event.changes == {"opening_hours": ["", "Lundi au vendredi, 9 h – 12 h"]}
    assert "Lundi au vendredi" in text(client.get(f"/reseau/structures/{world.ccas_reims.pk}/"))


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_who_may_not_edit_gets_404(client_as, world: World, persona: str) -> None:
    assert (
        client_as(persona).get(f"/reseau/structures/{world.ccas_reims.pk}/modifier/").status_code
        == 404
    )


def test_a_referent_cannot_edit_another_structure(client_as, world: World) -> None:
    other = StructureFactory.create(commune=world.reims)
    assert (
        client_as("relay_referent").get(f"/reseau/structures/{other.pk}/modifier/").status_code
        == 404
    )


def test_a_territory_manager_moves_a_structure_along_the_relay_journey(
    client_as, world: World
) -> None:
    client = client_as("territory_manager")
    url = f"/reseau/structures/{world.ccas_reims.pk}/statut/"
    response = client.post(
        url, {"target": "candidate", "on": "2022-03-01", "note": "Candidature reçue"}
    )
    assert response.status_code == 302
    step = Transition.objects.get()
    assert (step.to_state, step.by, step.at.date().isoformat()) == (
        "candidate",
        world.personas["territory_manager"],
        "2022-03-01",
    )
    page = text(client.get(f"/reseau/structures/{world.ccas_reims.pk}/"))
    assert "Candidature reçue" in page and "1 mars 2022" in page


def test_an_illegal_status_or_a_future_date_is_refused(client_as, world: World) -> None:
    client = client_as("territory_manager")
    url = f"/reseau/structures/{world.ccas_reims.pk}/statut/"
    response = client.post(url, {"target": "relay", "on": "2022-03-01"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    response = client.post(url, {"target": "candidate", "on": "2999-01-01"})
    assert "La date ne peut pas être dans le futur." in text(response)
    assert not Transition.objects.exists()


@pytest.mark.parametrize("persona", ["mediator", "relay_referent", "funder"])
def test_only_managers_change_the_relay_status(client_as, world: World, persona: str) -> None:
    url = f"/reseau/structures/{world.ccas_reims.pk}/statut/"
    assert (
        client_as(persona).post(url, {"target": "candidate", "on": "2022-03-01"}).status_code == 404
    )
    assert (
        "Changer le statut"
        not in client_as(persona).get(f"/reseau/structures/{world.ccas_reims.pk}/").content.decode()
    )


@pytest.mark.parametrize("siret", ["73282932000074", "35600000000001"])
def test_valid_sirets_pass_including_la_poste(siret: str) -> None:
    validate_siret(siret)


def test_the_status_date_is_offered_in_the_format_date_inputs_expect(
    client_as, world: World
) -> None:
    content = text(client_as("territory_manager").get(f"/reseau/structures/{world.ccas_reims.pk}/"))
    assert re.search(r'type="date" name="on" value="\d{4}-\d{2}-\d{2}"', content)
