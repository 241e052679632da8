from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.learning import services
from maillage.learning.models import DropIn, WalkIns, Workshop
from maillage.people.models import Beneficiary
from tests.conftest import World, text


def workshop_form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Se protéger des arnaques en ligne",
        "themes": ["safety"],
        "structure": world.ccas_reims.pk,
        "place": "",
        "facilitators": [world.personas["mediator"].pk],
        "day": "2023-05-16",
        "start_time": "14:00",
        "minutes": "120",
        "level": "all",
        "capacity": "12",
    }
    data.update(overrides)
    return data


def test_a_facilitator_records_a_workshop_with_followed_and_anonymous_participants(
    client_as, world: World
) -> None:
    client = client_as("mediator")
    response = client.post("/accompagner/ateliers/nouveau/", workshop_form(world))
    workshop = Workshop.objects.get()
    assert response["Location"] == workshop.get_absolute_url()
    assert timezone.localtime(workshop.starts_at).hour == 14
    client.post(
        f"/accompagner/ateliers/{workshop.pk}/participants/", {"beneficiary": world.alice.reference}
    )
    assert list(workshop.participants.all()) == [world.alice]
    client.post(
        workshop.get_absolute_url(),
        {
            "w_woman_60-69": "3",
            "w_man_70+": "1",
            "report": "Beaucoup de questions sur les faux SMS.",
        },
    )
    assert sorted(WalkIns.objects.filter(workshop=workshop).values_list("count", flat=True)) == [
        1,
        3,
    ]
    workshop.refresh_from_db()
    assert workshop.report.startswith("Beaucoup")
    page = text(client.get(workshop.get_absolute_url()))
    assert "Alice Exemple" in page and "Participants sans inscription (anonymes) : 4" in page


def test_a_workshop_needs_a_theme_a_date_and_a_structure_in_scope(client_as, world: World) -> None:
    response = client_as("relay_referent").post(
        "/accompagner/ateliers/nouveau/",
        workshop_form(world, themes=[], day="", structure=world.centre_social_lille.pk),
    )
    content = text(response)
    assert (
        content.count("Ce champ est obligatoire") >= 2 and "Sélectionnez un choix valide" in content
    )
    assert not Workshop.objects.exists()


def test_a_participant_out_of_scope_cannot_be_added(client_as, world: World) -> None:
    client_as("mediator").post("/accompagner/ateliers/nouveau/", workshop_form(world))
    workshop = Workshop.objects.get()
    response = client_as("mediator").post(
        f"/accompagner/ateliers/{workshop.pk}/participants/", {"beneficiary": world.chloe.reference}
    )
    assert response.status_code == 404 and not workshop.participants.exists()


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_see_no_activity(client_as, world: World, persona: str) -> None:
    client = client_as(persona)
    for url in (
        "/accompagner/ateliers/",
        "/accompagner/permanences/",
        "/accompagner/permanences/nouvelle/",
    ):
        assert client.get(url).status_code == 404


def drop_in_form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "structure": world.ccas_reims.pk,
        "person": world.alice.reference,
        "day": "2023-06-01",
        "start_time": "10:00",
        "duration": "30",
        "themes": ["procedures"],
        "procedure_themes": ["money"],
        "device": "smartphone",
        "autonomy": "with_help",
        "referred_to": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_facilitator_records_a_drop_in_for_a_followed_person(client_as, world: World) -> None:
    response = client_as("mediator").post("/accompagner/permanences/nouvelle/", drop_in_form(world))
    drop_in = DropIn.objects.get()
    assert response["Location"] == drop_in.get_absolute_url()
    assert drop_in.beneficiary == world.alice and drop_in.minutes == 30
    assert drop_in.facilitator == world.personas["mediator"]
    assert drop_in.procedure_themes == ["money"]
    assert AuditEvent.objects.for_object(drop_in).filter(action="create").exists()


def test_the_drop_in_form_ticks_no_autonomy_the_facilitator_did_not_choose(
    client_as, world: World
) -> None:
    """« Autonomie atteinte » has no true default: nothing is ticked, and leaving it is
    refused; the device's default (a smartphone) stays ticked."""
    import re

    client = client_as("mediator")
    page = text(client.get("/accompagner/permanences/nouvelle/"))
    group = page.split("<legend>Autonomie atteinte")[1].split("</fieldset>")[0]
    autonomy = re.findall(r'<input type="radio" name="autonomy"[^>]*>', group)
    assert autonomy and not any("checked" in radio for radio in autonomy)
    assert 'value=""' not in "".join(autonomy) and "---------" not in page
    assert re.search(r'<input type="radio" name="device" value="smartphone"[^>]*checked', page)
    refused = client.post("/accompagner/permanences/nouvelle/", drop_in_form(world, autonomy=""))
    assert refused.status_code == 200 and not DropIn.objects.exists()


def test_activity_counts_for_a_programme_only_within_its_dates(client_as, world: World) -> None:
    """« Ruralité Connectée » ended on 30 June 2023: a drop-in of 2026 cannot count for it."""
    from datetime import date

    from tests.factories import ProgrammeFactory

    ended = ProgrammeFactory.create(
        name="Ruralité Connectée", start=date(2022, 1, 1), end=date(2023, 6, 30)
    )
    ended.departments.add(world.marne)
    client = client_as("mediator")
    form = text(client.get("/accompagner/permanences/nouvelle/"))
    assert "Ruralité Connectée (du 1 janvier 2022 au 30 juin 2023)" in form
    refused = client.post(
        "/accompagner/permanences/nouvelle/",
        drop_in_form(world, day="2026-12-03", programme=ended.pk),
    )
    assert "« Ruralité Connectée » couvre l'activité du 1 janvier 2022 au 30 juin 2023" in text(
        refused
    )
    assert not DropIn.objects.exists()
    client.post(
        "/accompagner/permanences/nouvelle/",
        drop_in_form(world, day="2023-06-30", programme=ended.pk),
    )
    assert DropIn.objects.get().programme == ended


def test_a_drop_in_for_an_anonymous_person_needs_a_gender(client_as, world: World) -> None:
    client = client_as("mediator")
    refused = client.post("/accompagner/permanences/nouvelle/", drop_in_form(world, person=""))
    assert "Sans fiche, indiquez au moins le genre" in text(refused)
    client.post(
        "/accompagner/permanences/nouvelle/",
        drop_in_form(
            world, person="", gender="man", age_band="70+", duration="15", other_minutes="50"
        ),
    )
    drop_in = DropIn.objects.get()
    assert drop_in.beneficiary is None and drop_in.gender == "man" and drop_in.minutes == 50


def test_a_drop_in_refuses_a_person_out_of_scope(client_as, world: World) -> None:
    response = client_as("mediator").post(
        "/accompagner/permanences/nouvelle/", drop_in_form(world, person=world.chloe.reference)
    )
    assert "Aucune personne suivie n'a cette référence" in text(response)
    assert not DropIn.objects.exists()


def test_drop_ins_are_scoped(client_as, world: World) -> None:
    drop_in = services.record_drop_in(
        DropIn(
            structure=world.centre_social_lille,
            beneficiary=world.chloe,
            themes=["email"],
            autonomy="guided",
        ),
        by=world.personas["admin"],
    )
    assert client_as("mediator").get(drop_in.get_absolute_url()).status_code == 404
    assert client_as("relay_referent").get(drop_in.get_absolute_url()).status_code == 404
    assert client_as("admin").get(drop_in.get_absolute_url()).status_code == 200


def test_activities_restart_the_retention_clock_and_appear_on_the_person_page(
    client_as, world: World
) -> None:
    Beneficiary.objects.filter(pk=world.alice.pk).update(last_contact_on="2020-01-01")
    client_as("mediator").post(
        "/accompagner/permanences/nouvelle/",
        drop_in_form(world, day=timezone.localdate().isoformat()),
    )
    assert Beneficiary.objects.get(pk=world.alice.pk).last_contact_on == timezone.localdate()
    page = text(client_as("mediator").get(world.alice.get_absolute_url()))
    assert "Permanences" in page and "Démarches administratives" in page


def test_the_export_and_erasure_cover_drop_in_notes(client_as, world: World) -> None:
    from maillage.people import services as people

    client_as("mediator").post(
        "/accompagner/permanences/nouvelle/",
        drop_in_form(world, notes="Dossier de retraite en cours"),
    )
    data = people.export_person(world.alice, by=None)
    assert data["learning"]["drop_ins"][0]["notes"] == "Dossier de retraite en cours"
    people.erase(world.alice, by=None)
    assert DropIn.objects.get().notes == ""
    assert DropIn.objects.count() == 1
