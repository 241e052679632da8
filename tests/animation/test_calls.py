"""Calls for applications: the public form, drafts, the staff's decisions and the committee."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from maillage.animation.enums import ApplicationStatus
from maillage.animation.models import Application, Call, SelectionCommittee
from maillage.network.enums import RelayStatus
from tests.animation.conftest import application, open_call, shortlisted
from tests.conftest import World, text

pytestmark = pytest.mark.django_db


def _form(call: Call, world: World, **changes: Any) -> dict[str, Any]:
    first, second = call.questions.order_by("position")
    data = {
        "structure_name": "Association Entraide Rémoise",
        "structure_kind": "association",
        "siret": "",
        "commune": "Reims",
        "commune_id": str(world.reims.pk),
        "address": "3 rue de Vesle",
        "contact_name": "Lou Candidate",
        "contact_role": "Directrice",
        "contact_email": "lou@entraide.test",
        "contact_phone": "03 26 00 00 00",
        first.field_name: "Nos bénéficiaires n'ont pas d'ordinateur.",
        second.field_name: "oui",
        "action": "submit",
    }
    data.update(changes)
    return data


def test_a_structure_applies_without_an_account_and_becomes_a_candidate(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    url = reverse("public:call_apply", args=[call.slug])
    page = text(client.get(url))
    assert "Pourquoi voulez-vous devenir Relais Numérique ?" in page
    assert "Médiathèque" in page and "Antenne du réseau" not in page  # a partner's kinds only

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(call, world), follow=True)

    assert response.redirect_chain[0][1] == 302
    submitted = Application.objects.get()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.contact_phone == "+33326000000"
    assert submitted.answers[str(call.questions.order_by("position")[1].pk)] is True
    structure = submitted.structure
    assert structure is not None and structure.name == "Association Entraide Rémoise"
    assert structure.relay_status == RelayStatus.CANDIDATE
    assert submitted.reference in text(response)
    assert mail.outbox[-1].to == ["lou@entraide.test"]
    assert submitted.reference in mail.outbox[-1].subject


def test_a_missing_mandatory_answer_keeps_everything_typed_and_says_what_is_missing(
    world: World, client: Any
) -> None:
    call = open_call(world)
    first = call.questions.order_by("position").first()
    assert first is not None

    response = client.post(
        reverse("public:call_apply", args=[call.slug]), _form(call, world, **{first.field_name: ""})
    )

    assert response.status_code == 200
    page = text(response)
    assert "Le formulaire contient une erreur" in page
    assert "Pourquoi voulez-vous devenir Relais Numérique ? : Ce champ est obligatoire." in page
    for typed in (
        "Association Entraide Rémoise",
        "3 rue de Vesle",
        "lou@entraide.test",
        "Directrice",
    ):
        assert typed in page
    assert re.search(r'value="oui"[^>]*checked', page)
    assert not Application.objects.exists()


def test_a_draft_is_kept_behind_a_secret_link_and_submitted_later(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    first = call.questions.order_by("position").first()
    assert first is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:call_apply", args=[call.slug]),
            {
                "structure_name": "Épicerie solidaire",
                "contact_name": "Lou Candidate",
                "contact_email": "lou@epicerie.test",
                first.field_name: "Premier jet",
                "action": "draft",
            },
        )

    assert response.status_code == 302
    draft = Application.objects.get()
    assert draft.status == ApplicationStatus.DRAFT and draft.structure is None
    link = response["Location"]
    assert link in mail.outbox[-1].body
    assert "Premier jet" in text(client.get(link))

    finished = _form(call, world, structure_name="Épicerie solidaire")
    response = client.post(link, finished, follow=True)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert "Votre candidature est déposée" in text(response)
    assert "Votre candidature est déposée" in text(client.get(link))


def test_a_draft_needs_a_name_and_an_email_to_send_its_link(world: World, client: Any) -> None:
    call = open_call(world)
    response = client.post(
        reverse("public:call_apply", args=[call.slug]), {"structure_name": "X", "action": "draft"}
    )
    assert response.status_code == 200
    assert "E-mail : Ce champ est obligatoire." in text(response)


def test_an_unknown_draft_link_answers_not_found(world: World, client: Any) -> None:
    call = open_call(world)
    url = reverse("public:call_draft", args=[call.slug, "pas-le-bon-jeton"])
    assert client.get(url).status_code == 404


def test_an_application_with_a_known_siret_joins_the_existing_structure(
    world: World, client: Any
) -> None:
    world.ccas_reims.siret = "21510454500011"
    world.ccas_reims.save()
    call = open_call(world)

    client.post(
        reverse("public:call_apply", args=[call.slug]),
        _form(call, world, structure_name="C.C.A.S. Reims", siret="215 104 545 00011"),
    )

    assert Application.objects.get().structure == world.ccas_reims
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.relay_status == RelayStatus.CANDIDATE


def test_a_closed_call_takes_no_application(world: World, client: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    call = open_call(
        world, opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=1)
    )
    url = reverse("public:call_apply", args=[call.slug])

    assert "n'est pas ouvert aujourd'hui" in text(client.get(url))
    client.post(url, _form(call, world))
    assert not Application.objects.exists()


def test_staff_see_submitted_applications_but_never_drafts(world: World, client_as: Any) -> None:
    call = open_call(world)
    submitted = application(call, "Centre social Croix-Rouge", world.reims)
    draft = application(call, "Brouillon en cours", world.reims, submit=False)

    page = text(client_as("mediator").get(call.get_absolute_url()))

    assert submitted.reference in page and draft.reference not in page
    assert "1 brouillon en cours de rédaction" in page
    assert client_as("mediator").get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["relay_referent", "funder", "stranger"])
def test_people_outside_the_network_staff_cannot_open_a_call(
    world: World, client_as: Any, persona: str
) -> None:
    call = open_call(world)
    submitted = application(call, "Centre social", world.reims)
    assert client_as(persona).get(call.get_absolute_url()).status_code == 404
    assert client_as(persona).get(submitted.get_absolute_url()).status_code == 404


def test_a_manager_launches_a_call_with_its_criteria(world: World, client_as: Any) -> None:
    response = client_as("territory_manager").post(
        reverse("animation:call_create"),
        {
            "title": "Relais Numériques 2027",
            "slug": "relais-2027",
            "description": "Pour les structures de la Marne.",
            "co_carriers": "",
            "departments": [world.marne.pk],
            "opens_on": "2027-01-04",
            "closes_on": "2027-02-26",
            "eligibility": "Structure sociale",
            "places": "5",
            "coaching_months": "16",
            "criteria_text": "Motivation\nPublic accueilli\n",
        },
    )

    call = Call.objects.get(slug="relais-2027")
    assert response["Location"] == reverse("animation:call_questions", args=[call.pk])
    assert [c.label for c in call.criteria.all()] == ["Motivation", "Public accueilli"]


def test_a_call_cannot_close_before_it_opens(world: World, client_as: Any) -> None:
    response = client_as("territory_manager").post(
        reverse("animation:call_create"),
        {
            "title": "Mauvaises dates",
            "slug": "mauvaises-dates",
            "description": "x",
            "departments": [world.marne.pk],
            "opens_on": "2027-02-04",
            "closes_on": "2027-01-04",
            "eligibility": "x",
            "places": "5",
            "coaching_months": "16",
            "criteria_text": "Motivation",
        },
    )
    assert response.status_code == 200
    assert "La clôture doit suivre l'ouverture." in text(response)
    assert not Call.objects.filter(slug="mauvaises-dates").exists()


def test_a_facilitator_cannot_launch_a_call_or_hold_a_committee(
    world: World, client_as: Any
) -> None:
    call = open_call(world)
    assert client_as("mediator").get(reverse("animation:call_create")).status_code == 404
    assert (
        client_as("mediator").get(reverse("animation:committee", args=[call.pk])).status_code == 404
    )


def test_questions_stay_as_they_are_once_an_application_is_in(world: World, client_as: Any) -> None:
    call = open_call(world)
    application(call, "Centre social", world.reims)
    question = call.questions.first()
    assert question is not None
    response = client_as("territory_manager").post(
        reverse("animation:call_question_delete", args=[call.pk, question.pk])
    )
    assert response.status_code == 404
    assert call.questions.count() == 2


def test_shortlisting_tells_the_applicant(
    world: World, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    candidate = application(call, "Centre social", world.reims)

    with django_capture_on_commit_callbacks(execute=True):
        client_as("territory_manager").post(
            reverse("animation:application_shortlist", args=[candidate.reference])
        )

    candidate.refresh_from_db()
    assert candidate.status == ApplicationStatus.SHORTLISTED
    assert "présélectionnée" in mail.outbox[-1].subject


def test_turning_an_application_down_needs_a_reason_sent_to_the_applicant(
    world: World, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    candidate = application(call, "Hors territoire", world.reims)
    url = reverse("animation:application_turn_down", args=[candidate.reference])

    refused = client_as("territory_manager").post(url, {"reason": ""})
    assert refused.status_code == 200
    candidate.refresh_from_db()
    assert candidate.status == ApplicationStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        client_as("territory_manager").post(url, {"reason": "Structure hors de la Marne."})
    candidate.refresh_from_db()
    assert candidate.status == ApplicationStatus.NOT_SELECTED
    assert "Structure hors de la Marne." in mail.outbox[-1].body
    assert candidate.structure is not None
    assert candidate.structure.relay_status == RelayStatus.PROSPECT


def _committee_data(call: Call, decisions: dict[Application, dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": "2026-11-20",
        "members": "Persona territory_manager\nDépartement de la Marne",
        "minutes": "Deux candidatures examinées.",
    }
    criteria = list(call.criteria.all())
    for candidate, values in decisions.items():
        prefix = f"c{candidate.pk}"
        for criterion, score in zip(criteria, values.get("scores", []), strict=False):
            data[f"{prefix}-score_{criterion.pk}"] = str(score)
        data[f"{prefix}-comment"] = values.get("comment", "")
        data[f"{prefix}-outcome"] = values.get("outcome", "")
        data[f"{prefix}-reason"] = values.get("reason", "")
    return data


def test_the_committee_scores_and_decides_side_by_side(
    world: World, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    chosen = shortlisted(call, "Centre social Orgeval", world.reims)
    refused = shortlisted(call, "Club de quartier", world.reims)
    page = text(client_as("territory_manager").get(reverse("animation:committee", args=[call.pk])))
    assert "Centre social Orgeval" in page and "Club de quartier" in page
    assert "Capacité à mobiliser une équipe" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("territory_manager").post(
            reverse("animation:committee", args=[call.pk]),
            _committee_data(
                call,
                {
                    chosen: {"scores": [5, 4], "comment": "Équipe motivée", "outcome": "selected"},
                    refused: {
                        "scores": [2, 1],
                        "outcome": "not_selected",
                        "reason": "Pas de salle disponible.",
                    },
                },
            ),
        )

    assert response.status_code == 302
    committee = SelectionCommittee.objects.get()
    assert committee.member_list() == ["Persona territory_manager", "Département de la Marne"]
    chosen.refresh_from_db()
    refused.refresh_from_db()
    assert chosen.status == ApplicationStatus.SELECTED and chosen.committee == committee
    assert chosen.total_score() == 9 and chosen.comment == "Équipe motivée"
    assert refused.decision_reason == "Pas de salle disponible."
    assert chosen.structure is not None and refused.structure is not None
    chosen.structure.refresh_from_db()
    refused.structure.refresh_from_db()
    assert chosen.structure.relay_status == RelayStatus.SELECTED
    assert refused.structure.relay_status == RelayStatus.PROSPECT
    subjects = [m.subject for m in mail.outbox]
    assert f"Candidature {chosen.reference} retenue" in subjects
    assert f"Candidature {refused.reference} non retenue" in subjects
    assert call.figures()["selected"] == 1


def test_the_committee_cannot_select_more_structures_than_places(
    world: World, client_as: Any
) -> None:
    call = open_call(world, places=1)
    first = shortlisted(call, "Premier", world.reims)
    second = shortlisted(call, "Second", world.reims)

    response = client_as("territory_manager").post(
        reverse("animation:committee", args=[call.pk]),
        _committee_data(
            call,
            {
                first: {"scores": [5, 5], "comment": "Très bien", "outcome": "selected"},
                second: {"scores": [4, 4], "outcome": "selected"},
            },
        ),
    )

    assert response.status_code == 200
    page = text(response)
    assert "L'appel compte 1 places" in page
    assert "Très bien" in page
    assert not SelectionCommittee.objects.exists()
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SHORTLISTED


def test_a_committee_refusal_without_reason_is_pointed_out(world: World, client_as: Any) -> None:
    call = open_call(world)
    candidate = shortlisted(call, "Premier", world.reims)

    response = client_as("territory_manager").post(
        reverse("animation:committee", args=[call.pk]),
        _committee_data(call, {candidate: {"outcome": "not_selected"}}),
    )

    assert response.status_code == 200
    assert "Premier — Motif si non retenue : Indiquez le motif" in text(response)


def test_one_address_cannot_flood_the_public_form(world: World, client: Any, settings: Any) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    call = open_call(world)
    url = reverse("public:call_apply", args=[call.slug])
    draft = {
        "structure_name": "Premier",
        "contact_name": "Lou",
        "contact_email": "lou@e.test",
        "action": "draft",
    }
    assert client.post(url, draft).status_code == 302

    response = client.post(url, {**draft, "structure_name": "Second"})

    assert "Trop d'envois en une heure depuis cette connexion" in text(response)
    assert 'value="Second"' in text(response)
    assert Application.objects.count() == 1
