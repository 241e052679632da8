"""The network's public places as open data, in the national standard « Lieux de médiation
numérique » 1.0.2: validated against its TableSchema, only the places that agreed, and a
version a nightly harvester compares."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from data_inclusion.schema.v1 import Service as DataInclusionService
from data_inclusion.schema.v1 import Structure as DataInclusionStructure
from django.conf import settings
from django.test import Client
from frictionless import Resource, Schema

from maillage.core.models import AuditEvent
from maillage.network.enums import RelayStatus, Service, SupportMode
from maillage.network.forms import StructureForm
from maillage.network.models import Structure
from maillage.public import opendata
from tests.conftest import World

CSV_URL = "/donnees/lieux-mediation-numerique.csv"
JSON_URL = "/donnees/lieux-mediation-numerique.json"
DI_STRUCTURES_URL = "/donnees/data-inclusion/structures.json"
DI_SERVICES_URL = "/donnees/data-inclusion/services.json"


def _publish(structure: Structure, **fields: Any) -> Structure:
    values = {
        "is_public": True,
        "address": "12 rue de Vesle",
        "phone": "+33326000000",
        "email": "contact@ccas-reims.example",
        "latitude": Decimal("49.253000"),
        "longitude": Decimal("4.030000"),
        "services": [Service.ADMIN_PROCEDURES, Service.EVERYDAY_TOOLS],
        "support_modes": [SupportMode.INDIVIDUAL],
        "relay_offer": ["drop_ins", "sim_cards"],
        **fields,
    }
    for name, value in values.items():
        setattr(structure, name, value)
    structure.save()
    return structure


def _schema() -> Schema:
    return Schema.from_descriptor(json.loads(opendata.SCHEMA.read_text()))


def _content(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def _rows(world: World) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_content(Client().get(CSV_URL)))))


def test_the_csv_lists_the_places_that_agreed_in_the_standard_s_columns(world: World) -> None:
    _publish(world.ccas_reims, siret="21510020700017")
    _publish(world.mediatheque_charleville, is_public=False)
    _publish(world.centre_social_lille, address="")  # no address: cannot be found
    rows = _rows(world)
    assert [row["nom"] for row in rows] == ["CCAS de Reims"]
    place = rows[0]
    assert list(place) == opendata.FIELDS
    assert place["id"] == f"structure-{world.ccas_reims.pk}"
    assert place["pivot"] == "21510020700017"
    assert (place["commune"], place["code_postal"], place["code_insee"]) == (
        "Reims",
        "51100",
        "51454",
    )
    assert place["services"] == (
        "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    )
    assert place["typologie"] == "CCAS"
    assert place["telephone"] == "+33326000000"
    assert "Cartes SIM" in place["presentation_resume"]
    # It holds drop-ins: its page is where the public books them.
    assert place["prise_rdv"] == f"{settings.SITE_URL}/lieux/{world.ccas_reims.pk}/"
    assert place["modalites_acces"].endswith("Prendre un RDV en ligne")


def test_the_csv_validates_against_the_national_schema(world: World, tmp_path: Any) -> None:
    _publish(world.ccas_reims, siret="21510020700017")
    _publish(world.mediatheque_charleville, phone="", services=[], relay_offer=[])
    path = tmp_path / "lieux.csv"
    path.write_text(_content(Client().get(CSV_URL)), encoding="utf-8")
    report = Resource(path="lieux.csv", basepath=str(tmp_path), schema=_schema()).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 2


def test_the_json_holds_the_same_places_and_validates_too(world: World) -> None:
    _publish(world.ccas_reims)
    records = json.loads(_content(Client().get(JSON_URL)))
    assert [r["id"] for r in records] == [f"structure-{world.ccas_reims.pk}"]
    assert records[0]["latitude"] == 49.253 and "horaires" not in records[0]
    rows = [opendata.FIELDS] + [[r.get(f, "") for f in opendata.FIELDS] for r in records]
    report = Resource(data=rows, schema=_schema()).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_data_inclusion_s_structures_validate_against_its_models(world: World) -> None:
    _publish(world.ccas_reims, siret="21510020700017")
    _publish(world.mediatheque_charleville, phone="", email="", relay_offer=[])
    structures = json.loads(_content(Client().get(DI_STRUCTURES_URL)))
    assert [s["id"] for s in structures] == [
        f"maillage--{world.ccas_reims.pk}",
        f"maillage--{world.mediatheque_charleville.pk}",
    ]
    for structure in structures:
        DataInclusionStructure.model_validate(structure)
    assert structures[0]["siret"] == "21510020700017"
    assert structures[0]["source"] == "maillage"


def test_data_inclusion_s_services_are_the_parts_of_each_relay_s_offer(world: World) -> None:
    _publish(world.ccas_reims, relay_offer=["drop_ins", "sim_cards", "refugee_connection"])
    services = json.loads(_content(Client().get(DI_SERVICES_URL)))
    for service in services:
        DataInclusionService.model_validate(service)
    by_id = {s["id"].rsplit("--", 1)[1]: s for s in services}
    assert set(by_id) == {"drop_ins", "sim_cards", "refugee_connection"}
    assert by_id["sim_cards"]["thematiques"] == ["numerique--acceder-a-une-connexion-internet"]
    assert by_id["sim_cards"]["frais"] == "payant"
    assert by_id["refugee_connection"]["publics"] == ["personnes-exilees"]
    assert {s["structure_id"] for s in services} == {f"maillage--{world.ccas_reims.pk}"}


def test_a_harvester_downloads_only_what_changed(
    world: World, django_assert_num_queries: Any
) -> None:
    _publish(world.ccas_reims)
    client = Client()
    first = client.get(CSV_URL)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert 'rel="license"' in first["Link"]
    assert first["Cache-Control"] == "public, max-age=3600"
    unchanged = client.get(CSV_URL, headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304
    with django_assert_num_queries(1):  # the version, read once for its ETag and its date
        client.get(CSV_URL, headers={"If-None-Match": first["ETag"]})
    _publish(world.mediatheque_charleville)
    changed = client.get(CSV_URL, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL, DI_STRUCTURES_URL, DI_SERVICES_URL])
def test_the_open_data_refuses_to_be_written_to(world: World, url: str) -> None:
    assert Client().post(url).status_code == 405


def test_becoming_a_relay_publishes_the_place_and_leaving_withdraws_it(world: World) -> None:
    structure = world.ccas_reims
    admin = world.personas["admin"]
    for step in (RelayStatus.CANDIDATE, RelayStatus.SELECTED, RelayStatus.IN_COACHING):
        Structure.relay_workflow.apply(structure, step, by=admin)
    assert not Structure.objects.get(pk=structure.pk).is_public
    Structure.relay_workflow.apply(structure, RelayStatus.RELAY, by=admin)
    published = Structure.objects.get(pk=structure.pk)
    assert published.is_public and published.public_since is not None
    assert AuditEvent.objects.filter(
        object_id=str(structure.pk), changes={"is_public": [False, True]}
    ).exists()
    Structure.relay_workflow.apply(structure, RelayStatus.LEFT, by=admin)
    left = Structure.objects.get(pk=structure.pk)
    assert not left.is_public and left.public_since is None


@pytest.mark.parametrize("address", ["", "   "])
def test_a_place_without_an_address_cannot_be_published(world: World, address: str) -> None:
    form = StructureForm(
        {
            "name": "CCAS de Reims",
            "kind": "ccas_cias",
            "commune": "Reims",
            "address": address,
            "is_public": "on",
        },
        instance=world.ccas_reims,
    )
    assert not form.is_valid()
    assert form.errors["address"] == [
        "Indiquez l'adresse du lieu pour le publier : le public doit le trouver."
    ]


def test_staff_publish_a_place_from_its_form_and_its_page_says_since_when(
    client_as: Any, world: World
) -> None:
    client = client_as("territory_manager")
    structure = world.ccas_reims
    page = client.get(f"/reseau/structures/{structure.pk}/")
    assert "Lieu non publié" in page.content.decode()
    _publish(structure)
    page = client.get(f"/reseau/structures/{structure.pk}/")
    assert "Lieu publié depuis le" in page.content.decode()
