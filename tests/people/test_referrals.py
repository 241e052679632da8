from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.core.models import Transition
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people import services
from maillage.people.enums import ReferralStatus
from maillage.people.models import Beneficiary, Referral, ReferralLink
from tests.conftest import World, text
from tests.factories import UserFactory, grant


def referral_form(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "to_structure": world.mediatheque_charleville.pk,
        "referrer_name": "Sam Travailleur",
        "referrer_organisation": "CCAS de Reims",
        "referrer_email": "sam@exemple.test",
        "referrer_phone": "",
        "first_name": "Gisèle",
        "last_name": "Exemple",
        "birth_year": "1952",
        "gender": "woman",
        "commune": "Charleville",
        "phone": "06 22 33 44 55",
        "email": "",
        "preferred_language": "fr",
        "needs": ["procedures", "equipment"],
        "urgency": "high",
        "eligibility": "rsa",
        "message": "",
        "person_agreed": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def relay(world: World) -> Structure:
    """The Charleville library is a Relais Numérique: people can be referred to it."""
    Structure.objects.filter(pk=world.mediatheque_charleville.pk).update(
        relay_status=RelayStatus.RELAY
    )
    return world.mediatheque_charleville


def receive(referral: Referral, *statuses: str) -> None:
    for status in statuses:
        services.move_referral(referral, status, by=None)


def test_a_referent_refers_a_person_to_a_relay_and_the_team_is_told(
    client_as, world: World, relay: Structure, django_capture_on_commit_callbacks
) -> None:
    team_member = UserFactory.create(email="equipe.charleville@exemple.test")
    grant(team_member, "relay_referent", structure=relay)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("relay_referent").post("/orientations/nouvelle/", referral_form(world))
    referral = Referral.objects.get(first_name="Gisèle")
    assert response["Location"] == referral.get_absolute_url()
    assert referral.status == ReferralStatus.SENT
    assert referral.from_structure == world.ccas_reims
    assert referral.referrer == world.personas["relay_referent"]
    assert referral.needs == ["procedures", "equipment"] and referral.eligibility == "rsa"
    assert referral.phone == "+33622334455"
    assert [m.to for m in mail.outbox] == [["equipe.charleville@exemple.test"]]
    assert "Gisèle" not in mail.outbox[0].body and "urgente" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person_agreed", "", "L'accord de la personne est nécessaire"),
        ("needs", [], "Ce champ est obligatoire"),
        ("phone", "", "Indiquez au moins un moyen de joindre la personne"),
        ("to_structure", "", "Ce champ est obligatoire"),
    ],
)
def test_a_bad_referral_is_refused(
    client_as, world: World, relay: Structure, field: str, value: Any, message: str
) -> None:
    data = referral_form(world, **{field: value})
    if value == "":
        data.pop(field)
    response = client_as("relay_referent").post("/orientations/nouvelle/", data)
    assert response.status_code == 200 and message in text(response)
    assert not Referral.objects.filter(first_name="Gisèle").exists()


def test_a_referent_cannot_refer_to_a_structure_that_is_not_a_relay(
    client_as, world: World
) -> None:
    response = client_as("relay_referent").get("/orientations/nouvelle/")
    assert response.status_code == 404  # no relay in the région yet


def test_the_team_opening_a_referral_acknowledges_it(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_as("relay_referent").get(world.referral.get_absolute_url())
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.RECEIVED
    assert mail.outbox[0].to == ["prescripteur@exemple.test"]
    assert world.referral.reference in mail.outbox[0].subject and "Reçue" in mail.outbox[0].subject


def test_the_sender_opening_its_referral_does_not_acknowledge_it(
    client_as, world: World, relay: Structure
) -> None:
    client_as("relay_referent").post("/orientations/nouvelle/", referral_form(world))
    referral = Referral.objects.get(first_name="Gisèle")
    assert client_as("relay_referent").get(referral.get_absolute_url()).status_code == 200
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    step = client_as("relay_referent").post(
        f"{referral.get_absolute_url()}statut/", {"target": "contacted"}
    )
    assert step.status_code == 404


def test_the_referrer_is_told_of_each_status_change(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    client = client_as("mediator")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(world.referral.get_absolute_url())
        client.post(f"{world.referral.get_absolute_url()}statut/", {"target": "contacted"})
        client.post(f"{world.referral.get_absolute_url()}accepter/")
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.ACCEPTED
    subjects = [m.subject for m in mail.outbox if m.to == ["prescripteur@exemple.test"]]
    assert len(subjects) == 3
    assert "Acceptée" in subjects[-1]
    assert [t.to_state for t in Transition.objects.for_object(world.referral)] == [
        "received",
        "contacted",
        "accepted",
    ]


def test_accepting_creates_the_persons_record_from_the_referral(client_as, world: World) -> None:
    receive(world.referral, ReferralStatus.RECEIVED, ReferralStatus.CONTACTED)
    response = client_as("relay_referent").post(f"{world.referral.get_absolute_url()}accepter/")
    world.referral.refresh_from_db()
    person = world.referral.beneficiary
    assert person is not None and response["Location"] == person.get_absolute_url()
    assert person.first_name == "Denise" and person.phone == "+33612345678"
    assert person.structure == world.ccas_reims


def test_accepting_can_link_a_person_already_followed(client_as, world: World) -> None:
    receive(world.referral, ReferralStatus.RECEIVED, ReferralStatus.CONTACTED)
    Referral.objects.filter(pk=world.referral.pk).update(phone=world.alice.phone)
    page = text(client_as("relay_referent").get(f"{world.referral.get_absolute_url()}accepter/"))
    assert world.alice.reference in page  # same phone: likely the same person
    client_as("relay_referent").post(
        f"{world.referral.get_absolute_url()}accepter/", {"beneficiary": world.alice.reference}
    )
    world.referral.refresh_from_db()
    assert world.referral.beneficiary == world.alice
    assert Beneficiary.objects.count() == 3


def test_a_referral_cannot_be_linked_to_a_person_out_of_scope(client_as, world: World) -> None:
    receive(world.referral, ReferralStatus.RECEIVED, ReferralStatus.CONTACTED)
    response = client_as("relay_referent").post(
        f"{world.referral.get_absolute_url()}accepter/", {"beneficiary": world.chloe.reference}
    )
    assert response.status_code == 404


def test_a_referral_is_accepted_only_once_contacted(client_as, world: World) -> None:
    receive(world.referral, ReferralStatus.RECEIVED)
    response = client_as("relay_referent").post(f"{world.referral.get_absolute_url()}accepter/")
    assert response.status_code == 404
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.RECEIVED


def test_declining_needs_a_reason_that_the_referrer_receives(
    client_as, world: World, django_capture_on_commit_callbacks
) -> None:
    receive(world.referral, ReferralStatus.RECEIVED)
    url = f"{world.referral.get_absolute_url()}statut/"
    client = client_as("relay_referent")
    refused = client.post(url, {"target": "declined", "note": ""})
    assert refused.status_code == 400 and "Indiquez le motif du refus" in text(refused)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"target": "declined", "note": "Hors de notre secteur"})
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.DECLINED
    assert world.referral.decline_reason == "Hors de notre secteur"
    assert "Hors de notre secteur" in mail.outbox[-1].body


def test_an_illegal_transition_is_refused(world: World) -> None:
    from maillage.core.statemachine import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        services.move_referral(world.referral, ReferralStatus.ACCEPTED, by=None)


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_see_no_referral(client_as, world: World, persona: str) -> None:
    assert client_as(persona).get("/orientations/").status_code == 404
    assert client_as(persona).get(world.referral.get_absolute_url()).status_code == 404


def test_a_referent_of_another_structure_gets_404(client_as, world: World) -> None:
    other = UserFactory.create()
    grant(other, "relay_referent", structure=world.centre_social_lille)
    client = client_as("admin")
    client.force_login(other)
    assert client.get(world.referral.get_absolute_url()).status_code == 404
    assert world.referral.reference not in text(client.get("/orientations/"))


def test_the_inbox_counts_referrals_by_status(client_as, world: World) -> None:
    for n in range(3):
        Referral.objects.create(
            to_structure=world.ccas_reims,
            referrer_name="X",
            referrer_organisation="Y",
            referrer_email="x@exemple.test",
            first_name=f"P{n}",
            needs=["basics"],
            person_agreed=True,
            status=ReferralStatus.CONTACTED,
        )
    content = text(client_as("mediator").get("/orientations/"))
    assert "<strong>1</strong> Envoyée" in content
    assert "<strong>3</strong> Personne contactée" in content
    filtered = text(client_as("mediator").get("/orientations/", {"statut": "sent"}))
    assert world.referral.reference in filtered and ">P0<" not in filtered


def test_reminders_after_ten_days_and_expiry_after_thirty(
    world: World, django_capture_on_commit_callbacks
) -> None:
    fresh = world.referral
    old = Referral.objects.create(
        to_structure=world.ccas_reims,
        referrer_name="X",
        referrer_organisation="Y",
        referrer_email="old@exemple.test",
        first_name="Ancienne",
        needs=["basics"],
        person_agreed=True,
    )
    waiting = Referral.objects.create(
        to_structure=world.ccas_reims,
        referrer_name="X",
        referrer_organisation="Y",
        referrer_email="waiting@exemple.test",
        first_name="Attente",
        needs=["basics"],
        person_agreed=True,
    )
    now = timezone.now()
    Referral.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=31), status_changed_at=now - timedelta(days=31)
    )
    Referral.objects.filter(pk=waiting.pk).update(
        created_at=now - timedelta(days=11), status_changed_at=now - timedelta(days=11)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("referral_reminders")

    old.refresh_from_db()
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ReferralStatus.EXPIRED
    assert waiting.status == ReferralStatus.SENT and waiting.reminded_at is not None
    assert fresh.reminded_at is None
    reminders = [m for m in mail.outbox if "Rappel" in m.subject]
    assert len(reminders) == 1 and waiting.reference in reminders[0].subject
    assert sorted(reminders[0].to) == [
        "mediator@exemple.test",
        "relay.referent@exemple.test",
        "territory.manager@exemple.test",
    ]
    assert any(m.to == ["old@exemple.test"] and "Expirée" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("referral_reminders")
    assert mail.outbox == []  # reminded once


# --- The link shared with social workers without an account ------------------


def test_a_referent_creates_and_revokes_a_link(client_as, world: World) -> None:
    client = client_as("relay_referent")
    response = client.post(
        "/orientations/liens/",
        {
            "structure": world.ccas_reims.pk,
            "label": "Assistantes sociales du Département",
            "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    link = ReferralLink.objects.get()
    assert link.created_by == world.personas["relay_referent"]
    # The token is signed with the time: read it from the page rather than sign it again.
    shown = re.search(r"/orienter/([^/\s\"<]+)/", text(client.get("/orientations/liens/")))
    assert shown and ReferralLink.from_token(shown.group(1)) == link
    client.post(f"/orientations/liens/{link.pk}/desactiver/")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert ReferralLink.from_token(link.token) is None


def test_a_link_must_expire_within_a_year(client_as, world: World) -> None:
    response = client_as("relay_referent").post(
        "/orientations/liens/",
        {
            "structure": world.ccas_reims.pk,
            "label": "Tous",
            "expires_on": (timezone.localdate() + timedelta(days=500)).isoformat(),
        },
    )
    assert "Un lien est valable un an au plus" in text(response)


def test_a_social_worker_without_account_refers_through_the_link(client, world: World) -> None:
    link = ReferralLink.objects.create(
        structure=world.ccas_reims,
        label="Département",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200 and "CCAS de Reims" in text(page)
    data = referral_form(world, commune="Reims")
    data.pop("to_structure")
    response = client.post(link.get_absolute_url(), data)
    assert response.status_code == 200 and "l'orientation est envoyée" in text(response)
    referral = Referral.objects.get(first_name="Gisèle")
    assert referral.to_structure == world.ccas_reims and referral.link == link
    assert referral.referrer is None and referral.referrer_email == "sam@exemple.test"


@pytest.mark.parametrize("state", ["forged", "expired", "revoked"])
def test_a_bad_link_answers_404(client, world: World, state: str) -> None:
    link = ReferralLink.objects.create(
        structure=world.ccas_reims,
        label="Département",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    url = link.get_absolute_url()
    if state == "forged":
        url = url.replace(link.token, link.token[:-2] + "xx")
    elif state == "expired":
        ReferralLink.objects.filter(pk=link.pk).update(
            expires_on=timezone.localdate() - timedelta(days=1)
        )
    else:
        ReferralLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert client.get(url).status_code == 404
    assert client.post(url, referral_form(world)).status_code == 404


def test_plain_text_e_mails_read_apostrophes_as_written(world: World) -> None:
    from django.core import mail

    from maillage.people import tasks

    Structure.objects.filter(pk=world.ccas_reims.pk).update(name="CCAS d'Houplines")
    referral = Referral.objects.select_related("to_structure").get(pk=world.referral.pk)
    referral.referrer_organisation = "Maison départementale d'Épernay"
    referral.save()

    tasks.tell_team_of_new_referral.call(referral.pk)

    body = mail.outbox[-1].body
    assert "vers CCAS d'Houplines" in body and "d'Épernay" in body
    assert "&#x27;" not in body


def test_a_referral_sent_just_after_midnight_in_paris_expires_by_the_day_in_paris(
    world: World,
) -> None:
    from datetime import UTC, date, datetime

    referral = Referral(created_at=datetime(2026, 12, 7, 23, 30, tzinfo=UTC))  # 8 Dec in Paris
    assert referral.expires_on() == date(2027, 1, 7)
