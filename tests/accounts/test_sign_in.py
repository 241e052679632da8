from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from maillage.accounts.models import LoginAttempt, User
from maillage.core.models import AuditEvent
from tests.conftest import World, text
from tests.factories import PASSWORD

LOGIN = "/espace/connexion/"


def _sign_in(client: Client, email: str, password: str, address: str = "10.0.0.1") -> str:
    response = client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)
    return text(response) if response.status_code == 200 else response["Location"]


def test_a_person_signs_in_with_their_email_in_any_case(world: World) -> None:
    client = Client()
    assert _sign_in(client, "Mediator@Exemple.test", PASSWORD) == "/espace/"
    assert client.get("/espace/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=world.personas["mediator"]).exists()


def test_a_wrong_password_gets_a_clear_french_message(world: World) -> None:
    page = _sign_in(Client(), "mediator@exemple.test", "pas le bon mot de passe")
    assert "Adresse e-mail ou mot de passe incorrect" in page
    assert "error-summary" in page
    assert LoginAttempt.objects.filter(succeeded=False).count() == 1
    event = AuditEvent.objects.for_object(world.personas["mediator"]).get(action="login_failed")
    assert (event.action, event.actor) == ("login_failed", None)


def test_an_inactive_account_cannot_sign_in(world: World) -> None:
    User.objects.filter(email="mediator@exemple.test").update(is_active=False)
    assert "incorrect" in _sign_in(Client(), "mediator@exemple.test", PASSWORD)


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(
    world: World,
) -> None:
    client = Client()
    for n in range(5):
        _sign_in(client, "mediator@exemple.test", "mauvais", address=f"10.0.0.{n}")
    page = _sign_in(client, "mediator@exemple.test", PASSWORD, address="10.0.0.99")
    assert "Trop de tentatives de connexion" in page
    assert re.search(r"réessayez dans 1[45] minutes", page)
    assert AuditEvent.objects.filter(action="login_throttled").count() == 1
    # Another account is not affected.
    assert _sign_in(client, "admin@exemple.test", PASSWORD, address="10.0.0.99") == "/espace/"


@override_settings(LOGIN_THROTTLE_PER_ADDRESS=3)
def test_an_address_is_throttled_after_too_many_failures_across_accounts(world: World) -> None:
    client = Client()
    for persona in ["admin", "mediator", "funder"]:
        _sign_in(client, f"{persona}@exemple.test", "mauvais", address="192.0.2.7")
    page = _sign_in(client, "territory.manager@exemple.test", PASSWORD, address="192.0.2.7")
    assert "Trop de tentatives de connexion" in page
    assert (
        _sign_in(Client(), "territory.manager@exemple.test", PASSWORD, address="192.0.2.8")
        == "/espace/"
    )


def test_a_successful_sign_in_clears_the_account_failures(world: World) -> None:
    client = Client()
    for _ in range(3):
        _sign_in(client, "mediator@exemple.test", "mauvais")
    assert _sign_in(client, "mediator@exemple.test", PASSWORD) == "/espace/"
    assert not LoginAttempt.objects.filter(email="mediator@exemple.test", succeeded=False).exists()


def test_sign_out_is_a_post_and_ends_the_session(client_as, world: World) -> None:
    client = client_as("mediator")
    assert client.get("/espace/deconnexion/").status_code == 405
    assert client.post("/espace/deconnexion/").status_code == 302
    assert client.get("/espace/").status_code == 302


def test_the_sign_in_page_is_titled_with_the_sites_name(client: Any, db: None) -> None:
    page = text(client.get("/espace/connexion/"))
    assert "<title>Se connecter — Maillage</title>" in re.sub(r"\s+", " ", page).replace(
        "<title> ", "<title>"
    ).replace(" </title>", "</title>")
    assert "testserver" not in page.split("</head>")[0]


def test_a_forgotten_password_is_reset_through_an_emailed_link(world: World) -> None:
    client = Client()
    response = client.post("/espace/mot-de-passe/oublie/", {"email": "mediator@exemple.test"})
    assert response["Location"] == "/espace/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Maillage : ")  # the site's name, not the host's
    body = str(mail.outbox[0].body)
    link = re.search(r"http://testserver(/espace/mot-de-passe/nouveau/\S+)", body)
    assert link, body
    form_url = client.get(link.group(1))["Location"]
    new = "Une-phrase-de-passe-tres-longue"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/espace/mot-de-passe/nouveau/termine/"
    assert _sign_in(Client(), "mediator@exemple.test", new) == "/espace/"


def test_an_unknown_email_gets_the_same_answer_and_no_mail(world: World) -> None:
    response = Client().post("/espace/mot-de-passe/oublie/", {"email": "inconnu@exemple.test"})
    assert response["Location"] == "/espace/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-1", "Il doit contenir au minimum 12 caractères"),
        ("qwerty123456", "trop courant"),
        ("123456789012345", "entièrement numérique"),
    ],
)
def test_a_weak_new_password_is_refused(
    client_as, world: World, password: str, message: str
) -> None:
    client = client_as("mediator")
    response = client.post(
        "/espace/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    errors = text(response).split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert message in errors


def test_a_password_change_is_recorded(client_as, world: World) -> None:
    client = client_as("mediator")
    new = "Une-autre-phrase-de-passe-solide"
    response = client.post(
        "/espace/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/espace/mot-de-passe/modifie/"
    assert AuditEvent.objects.filter(action="password_change").count() == 1


def test_old_sign_in_attempts_are_forgotten_by_the_cron_command(world: World) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    LoginAttempt.objects.create(email="x@exemple.test", at=timezone.now() - timedelta(hours=25))
    LoginAttempt.objects.create(email="y@exemple.test")
    call_command("prune_login_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["y@exemple.test"]
