"""« Je voudrais être rappelé·e » on a place's page: the person's request lands in the place's
referral inbox as a referral from the public, with the usual statuses, reminders and expiry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from maillage.people.enums import BestMoment, Need, ReferralStatus
from maillage.people.models import Referral
from maillage.people.services import move_referral
from tests.conftest import World, text

ASK = {
    "first_name": "Josiane",
    "phone": "06 12 34 56 78",
    "needs": [Need.PROCEDURES],
    "message": "Je n'arrive pas à envoyer un document à la CAF.",
    "best_moment": BestMoment.MORNING,
    "person_agreed": "on",
}


@pytest.fixture
def place(world: World) -> Any:
    place = world.ccas_reims
    place.is_public, place.address = True, "9 rue Eugène Desteuque"
    place.save()
    return place


def test_a_person_asks_to_be_called_back_and_the_places_team_sees_it_in_its_inbox(
    client: Any, client_as: Any, place: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = text(client.get(f"/lieux/{place.pk}/"))
    assert f'href="/lieux/{place.pk}/etre-rappele/">Je voudrais être rappelé·e</a>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lieux/{place.pk}/etre-rappele/", ASK)
    assert response["Location"] == f"/lieux/{place.pk}/"
    assert "va vous rappeler" in text(client.get(response["Location"]))
    referral = Referral.objects.get(from_public=True)
    assert referral.to_structure == place and referral.status == ReferralStatus.SENT
    assert (referral.first_name, referral.phone) == ("Josiane", "+33612345678")
    assert referral.best_moment == BestMoment.MORNING and referral.person_agreed
    assert referral.referrer_email == "" and referral.preferred_language == "fr"
    # The team is told, without the person's details; nobody else is written to.
    [told] = mail.outbox
    assert "Une personne demande à être rappelée par CCAS de Reims" in told.body
    assert "Josiane" not in told.body
    staff = client_as("relay_referent")
    inbox = text(staff.get("/orientations/"))
    assert referral.reference in inbox and "Demande de rappel du public" in inbox
    detail = text(staff.get(referral.get_absolute_url()))
    assert "Meilleur moment pour appeler" in detail and "Le matin" in detail
    # The usual statuses: the team marks the person contacted; no referrer to write to.
    with django_capture_on_commit_callbacks(execute=True):
        move_referral(referral, ReferralStatus.CONTACTED, by=None)
    assert len(mail.outbox) == 1


def test_the_call_back_form_asks_for_a_number_a_subject_and_the_consent(
    client: Any, place: Any
) -> None:
    url = f"/lieux/{place.pk}/etre-rappele/"
    page = text(client.post(url, {"first_name": "Josiane"}))
    assert "Choisissez au moins une réponse." in page
    assert "Cochez cette case pour être rappelé·e." in page
    assert "Ce champ est obligatoire." in page
    assert "Ce numéro de téléphone n'est pas" in text(client.post(url, {**ASK, "phone": "12"}))
    assert not Referral.objects.filter(from_public=True).exists()


def test_call_backs_share_the_public_throttle_and_need_a_published_place(
    client: Any, world: World, place: Any, settings: Any
) -> None:
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    url = f"/lieux/{place.pk}/etre-rappele/"
    client.post(url, {"first_name": ""})
    assert "Trop d'envois" in text(client.post(url, ASK))
    assert client.get(f"/lieux/{world.mediatheque_charleville.pk}/etre-rappele/").status_code == 404
