from __future__ import annotations

from typing import Any

import pytest

from maillage.core.models import AuditEvent
from maillage.notifications.sms import LocmemBackend
from maillage.people import services
from maillage.people.enums import AgeBand, ConsentPurpose, Gender
from maillage.people.models import Beneficiary
from tests.conftest import PERSONAS, World, text

VISIBLE = {
    "admin": {"Alice", "Bruno", "Chloé"},
    "regional_manager": {"Alice", "Bruno"},
    "territory_manager": {"Alice"},
    "mediator": {"Alice"},
    "relay_referent": {"Alice"},
    "funder": set(),
    "stranger": set(),
}


def person_form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "structure": world.ccas_reims.pk,
        "first_name": "Josiane",
        "last_name": "Exemple",
        "birth_year": "1958",
        "gender": Gender.WOMAN,
        "commune": "Reims",
        "phone": "06 12 34 56 78",
        "email": "",
        "preferred_language": "fr",
        "social_situation": "retired",
        "equipment": ["smartphone"],
        "connection": "mobile",
        "notes": "",
        "consents": ["follow_up", "sms"],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_only_the_people_of_its_scope(world: World, persona: str) -> None:
    names = set(
        Beneficiary.objects.visible_to(world.personas[persona]).values_list("first_name", flat=True)
    )
    assert names == VISIBLE[persona]


@pytest.mark.parametrize("persona", ["admin", "regional_manager", "mediator", "relay_referent"])
def test_the_list_shows_the_scope_of_each_persona(client_as, world: World, persona: str) -> None:
    content = text(client_as(persona).get("/personnes/"))
    for name in VISIBLE["admin"]:
        assert (f">{name} Exemple</a>" in content) == (name in VISIBLE[persona]), name


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_see_no_person(client_as, world: World, persona: str) -> None:
    client = client_as(persona)
    assert client.get("/personnes/").status_code == 404
    assert client.get(world.alice.get_absolute_url()).status_code == 404


def test_a_mediator_gets_404_on_a_person_of_another_departement(client_as, world: World) -> None:
    assert client_as("mediator").get(world.bruno.get_absolute_url()).status_code == 404


def test_a_referent_gets_404_on_a_person_of_another_structure(client_as, world: World) -> None:
    assert client_as("relay_referent").get(world.bruno.get_absolute_url()).status_code == 404
    assert client_as("relay_referent").get(world.chloe.get_absolute_url()).status_code == 404


def test_viewing_a_record_writes_an_audit_event_without_personal_data(
    client_as, world: World
) -> None:
    response = client_as("mediator").get(world.alice.get_absolute_url())
    assert response.status_code == 200
    event = AuditEvent.objects.for_object(world.alice).get(action=AuditEvent.Action.VIEW)
    assert event.actor == world.personas["mediator"]
    assert "Alice" not in str(event.changes) + event.note
    assert "611111111" not in str(event.changes) + event.note


def test_a_referent_records_a_person_with_consents(client_as, world: World) -> None:
    response = client_as("relay_referent").post("/personnes/nouvelle/", person_form(world))
    person = Beneficiary.objects.get(first_name="Josiane")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.phone == "+33612345678"
    assert person.commune == world.reims
    assert person.reference.startswith("P-") and len(person.reference) == 8
    consent = person.active_consent(ConsentPurpose.FOLLOW_UP)
    assert consent is not None and consent.recorded_by == world.personas["relay_referent"]
    assert person.may_receive_sms()
    event = AuditEvent.objects.for_object(person).get(action=AuditEvent.Action.CREATE)
    assert "first_name" in event.changes["fields"]
    assert "Josiane" not in str(event.changes)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", "1850", "entre 1900 et"),
        ("birth_year", "3000", "entre 1900 et"),
        ("phone", "06 12", "numéro de téléphone"),
        ("first_name", "", "Ce champ est obligatoire"),
        ("commune", "Atlantide", "commune"),
        ("equipment", ["none", "smartphone"], "« Aucun équipement » ne peut pas"),
    ],
)
def test_a_bad_person_form_is_refused_with_a_french_message(
    client_as, world: World, field: str, value: Any, message: str
) -> None:
    response = client_as("relay_referent").post(
        "/personnes/nouvelle/", person_form(world, **{field: value})
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Beneficiary.objects.filter(first_name="Josiane").exists()


def test_a_referent_cannot_place_a_person_in_another_structure(client_as, world: World) -> None:
    response = client_as("relay_referent").post(
        "/personnes/nouvelle/", person_form(world, structure=world.centre_social_lille.pk)
    )
    assert "Sélectionnez un choix valide" in text(response)
    assert not Beneficiary.objects.filter(first_name="Josiane").exists()


def test_likely_duplicates_are_shown_before_creating(client_as, world: World) -> None:
    client = client_as("mediator")
    form = person_form(world, first_name="alice", last_name="EXEMPLE", birth_year="1960", phone="")
    response = client.post("/personnes/nouvelle/", form)
    assert "Cette personne est peut-être déjà suivie" in text(response)
    assert world.alice.reference in text(response)
    assert Beneficiary.objects.filter(search_name="alice exemple").count() == 1
    client.post("/personnes/nouvelle/", {**form, "confirm_new": "1"})
    assert Beneficiary.objects.filter(search_name="alice exemple").count() == 2


def test_the_same_phone_is_a_likely_duplicate(client_as, world: World) -> None:
    response = client_as("mediator").post(
        "/personnes/nouvelle/", person_form(world, phone="06 11 11 11 11")
    )
    assert world.alice.reference in text(response)
    assert not Beneficiary.objects.filter(first_name="Josiane").exists()


def test_the_merge_action_completes_the_existing_record(client_as, world: World) -> None:
    form = person_form(
        world, first_name="Alice", birth_year="1960", email="alice@exemple.test", phone=""
    )
    response = client_as("mediator").post(
        "/personnes/nouvelle/", {**form, "merge_into": world.alice.reference}
    )
    assert response["Location"] == world.alice.get_absolute_url()
    world.alice.refresh_from_db()
    assert world.alice.email == "alice@exemple.test"
    assert world.alice.phone == "+33611111111"  # kept: nothing typed
    assert Beneficiary.objects.filter(search_name="alice exemple").count() == 1
    assert (
        AuditEvent.objects.for_object(world.alice).filter(action=AuditEvent.Action.MERGE).exists()
    )


def test_duplicates_outside_the_scope_are_not_revealed(client_as, world: World) -> None:
    form = person_form(world, first_name="Bruno", birth_year="1960", phone="")
    content = text(client_as("mediator").post("/personnes/nouvelle/", form))
    assert world.bruno.reference not in content
    response = client_as("mediator").post(
        "/personnes/nouvelle/", {**form, "merge_into": world.bruno.reference}
    )
    assert response.status_code == 404


def test_an_anonymous_person_is_counted_by_gender_and_age_band(client_as, world: World) -> None:
    response = client_as("mediator").post(
        "/personnes/anonyme/",
        {"structure": world.ccas_reims.pk, "gender": Gender.MAN, "age_band": AgeBand.FROM_60},
    )
    person = Beneficiary.objects.get(is_anonymous=True)
    assert response["Location"] == person.get_absolute_url()
    assert person.first_name == "" and person.phone == "" and person.birth_year is None
    page = text(client_as("mediator").get(person.get_absolute_url()))
    assert "60 à 69 ans" in page and "Modifier la fiche" not in page


def test_editing_journals_the_changed_field_names_only(client_as, world: World) -> None:
    form = person_form(world, first_name="Alice", birth_year="1960", phone="06 99 99 99 99")
    del form["consents"]
    response = client_as("mediator").post(f"{world.alice.get_absolute_url()}modifier/", form)
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(world.alice).get(action=AuditEvent.Action.UPDATE)
    assert "phone" in event.changes["fields"]
    assert "699999999" not in str(event.changes)


def test_consent_is_given_and_withdrawn_with_who_and_when(client_as, world: World) -> None:
    client = client_as("mediator")
    url = f"{world.alice.get_absolute_url()}accords/"
    client.post(url, {"purpose": "sms", "action": "give"})
    consent = world.alice.active_consent(ConsentPurpose.SMS)
    assert consent is not None and consent.recorded_by == world.personas["mediator"]
    client.post(url, {"purpose": "sms", "action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.personas["mediator"]
    assert world.alice.active_consent(ConsentPurpose.SMS) is None


def test_withdrawing_sms_consent_stops_every_sms(world: World) -> None:
    LocmemBackend.outbox.clear()
    services.give_consent(world.alice, ConsentPurpose.SMS, by=None)
    assert services.send_sms_to(world.alice, "Rappel : atelier demain à 14 h") is not None
    services.withdraw_consent(world.alice, ConsentPurpose.SMS, by=None)
    assert services.send_sms_to(world.alice, "Rappel : atelier demain à 14 h") is None
    assert len(LocmemBackend.outbox) == 1


def test_a_person_without_sms_consent_gets_no_sms(world: World) -> None:
    LocmemBackend.outbox.clear()
    assert services.send_sms_to(world.alice, "Bonjour") is None
    assert LocmemBackend.outbox == []


def test_a_whole_reference_finds_that_person_only(world: World) -> None:
    """« P-… » shares its letters with many names: typed whole, it is a reference."""
    from tests.factories import StructureFactory

    for n in range(5):
        Beneficiary.objects.create(
            first_name="Pauline", last_name=f"Pierre{n}", structure=StructureFactory.create()
        )
    reference = world.bruno.reference
    for typed in (reference, reference.lower(), f"  {reference} "):
        assert list(Beneficiary.objects.search(typed)) == [world.bruno]


def test_the_list_searches_filters_and_paginates(client_as, world: World) -> None:
    for n in range(30):
        Beneficiary.objects.create(
            first_name=f"Personne{n}",
            birth_year=1970,
            gender=Gender.MAN,
            structure=world.ccas_reims,
        )
    client = client_as("admin")
    assert "Chloé Exemple" in text(client.get("/personnes/", {"q": "chloe"}))
    assert "Alice Exemple" not in text(client.get("/personnes/", {"q": "chloe"}))
    assert world.bruno.reference in text(client.get("/personnes/", {"q": world.bruno.reference}))
    assert "Alice Exemple" in text(client.get("/personnes/", {"q": "06 11 11 11 11"}))
    by_structure = text(client.get("/personnes/", {"structure": world.centre_social_lille.pk}))
    assert "Chloé Exemple" in by_structure and "Alice Exemple" not in by_structure
    by_gender = text(client.get("/personnes/", {"gender": "man", "q": "exemple"}))
    assert "Bruno Exemple" in by_gender and "Alice Exemple" not in by_gender
    first = text(client.get("/personnes/"))
    assert "33 personnes trouvées" in first and "Page suivante" in first
    assert "Aucune personne ne correspond" in text(client.get("/personnes/", {"q": "zzz"}))
