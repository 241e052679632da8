"""The second factor: staff enrol an authenticator at their first sign-in and give its code at
each one after; recovery codes are shown once and kept as digests; a locked account opens only
after a password reset; sensitive actions ask for the password again after ten minutes; the
technical administration signs in through the site."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.accounts.models import RecoveryCodes, User
from maillage.core.models import AuditEvent
from tests.conftest import World, text
from tests.factories import PASSWORD

LOGIN = "/espace/connexion/"
HOME = "/espace/"


@pytest.fixture
def required(settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = True


def code_of(device: TOTPDevice, later: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - later, digits=6):06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> str:
    response = client.post(LOGIN, {"username": email, "password": password})
    return response["Location"] if response.status_code == 302 else text(response)


def enrolled(world: World, persona: str) -> tuple[TOTPDevice, list[str]]:
    user = world.personas[persona]
    device = TOTPDevice.objects.create(user=user, name="Maillage", confirmed=True)
    return device, RecoveryCodes.issue(user)


def test_a_mediator_enrols_at_the_first_sign_in(world: World, required: None) -> None:
    client = Client()
    sign_in(client, "mediator@exemple.test")

    page = client.get(HOME, follow=True)

    assert page.redirect_chain[-1][0].startswith("/espace/double-authentification/")
    assert "<svg" in text(page) and "Activer la double authentification" in text(page)
    device = TOTPDevice.objects.get(user=world.personas["mediator"], confirmed=False)
    done = text(client.post("/espace/double-authentification/", {"code": code_of(device)}))
    codes = re.findall(r"<code>([2-9A-Z]{4}-[2-9A-Z]{4})</code>", done)
    assert len(codes) == 10 and "ne seront plus jamais affichés" in done
    stored = RecoveryCodes.objects.get(user=world.personas["mediator"])
    assert not any(code in str(stored.digests) for code in codes)
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="second_factor_enrolled").exists()


def test_a_wrong_first_code_does_not_enrol(world: World, required: None) -> None:
    client = Client()
    sign_in(client, "mediator@exemple.test")
    client.get("/espace/double-authentification/")
    page = text(client.post("/espace/double-authentification/", {"code": "000000"}))
    assert "Ce code ne convient pas" in page
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(HOME).status_code == 302


def test_the_code_is_asked_after_the_password(world: World, required: None) -> None:
    device, _codes = enrolled(world, "mediator")
    client = Client()
    sign_in(client, "mediator@exemple.test")
    assert client.get(world.alice.get_absolute_url())["Location"].startswith(
        "/espace/connexion/code/?next=%2Fpersonnes%2F"
    )
    wrong = text(client.post("/espace/connexion/code/", {"code": "123456"}))
    assert "Ce code ne convient pas" in wrong
    assert AuditEvent.objects.filter(action="second_factor_failed").count() == 1

    right = client.post(
        "/espace/connexion/code/",
        {"code": code_of(device), "next": world.alice.get_absolute_url()},
    )

    assert right["Location"] == world.alice.get_absolute_url()
    assert client.get(world.alice.get_absolute_url()).status_code == 200
    assert AuditEvent.objects.filter(action="second_factor").count() == 1


def test_an_htmx_request_before_the_code_is_sent_to_the_code(world: World) -> None:
    enrolled(world, "mediator")
    client = Client()
    sign_in(client, "mediator@exemple.test")
    response = client.get("/personnes/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/espace/connexion/code/")


def test_a_recovery_code_opens_once(world: World) -> None:
    _device, codes = enrolled(world, "mediator")
    first = Client()
    sign_in(first, "mediator@exemple.test")
    assert first.post("/espace/connexion/code/", {"code": codes[0].lower()}).status_code == 302
    again = Client()
    sign_in(again, "mediator@exemple.test")
    assert "Ce code ne convient pas" in text(
        again.post("/espace/connexion/code/", {"code": codes[0]})
    )


def test_funders_and_referents_enrol_only_when_the_settings_say_so(
    world: World, required: None, settings: Any
) -> None:
    funder = Client()
    sign_in(funder, "funder@exemple.test")
    assert funder.get(HOME).status_code == 200
    settings.TWO_FACTOR_FOR_FUNDERS = True
    assert funder.get(HOME)["Location"].startswith("/espace/double-authentification/")


def test_the_demo_setting_lets_the_password_alone_in_unless_one_enrolled(world: World) -> None:
    client = Client()
    sign_in(client, "territory.manager@exemple.test")
    assert client.get(HOME).status_code == 200
    enrolled(world, "mediator")
    other = Client()
    sign_in(other, "mediator@exemple.test")
    assert other.get(HOME)["Location"].startswith("/espace/connexion/code/")


def test_thirty_wrong_passwords_lock_the_account_until_a_reset(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 100
    settings.LOGIN_THROTTLE_PER_ADDRESS = 100
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(30):
            sign_in(client, "mediator@exemple.test", "pas le bon")

    page = sign_in(client, "mediator@exemple.test")

    assert "Ce compte est verrouillé" in page
    assert User.objects.get(email="mediator@exemple.test").locked_at is not None
    assert AuditEvent.objects.filter(action="account_locked").count() == 1
    assert [m.subject for m in mail.outbox] == ["Maillage : votre compte est verrouillé"]
    client.post("/espace/mot-de-passe/oublie/", {"email": "mediator@exemple.test"})
    link = re.search(r"/espace/mot-de-passe/nouveau/\S+/", str(mail.outbox[-1].body))
    assert link
    form = client.get(link.group(0), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "Un nouveau mot de passe 2026",
            "new_password2": "Un nouveau mot de passe 2026",
        },
    )
    assert sign_in(Client(), "mediator@exemple.test", "Un nouveau mot de passe 2026") == HOME
    assert AuditEvent.objects.filter(action="account_unlocked").count() == 1


def test_wrong_codes_count_towards_the_lock(world: World, settings: Any) -> None:
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 100
    settings.LOGIN_LOCK_AFTER = 3
    enrolled(world, "mediator")
    client = Client()
    sign_in(client, "mediator@exemple.test")
    for _ in range(3):
        client.post("/espace/connexion/code/", {"code": "000000"})
    page = client.post("/espace/connexion/code/", {"code": "000000"}, follow=True)
    assert "Ce compte est verrouillé" in text(page)
    assert client.get(HOME).status_code == 302


def test_an_export_asks_for_the_password_again_after_ten_minutes(
    client_as: Any, world: World
) -> None:
    client = client_as("mediator")
    export = f"{world.alice.get_absolute_url()}export.json"
    assert client.get(export).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        asked = client.get(export)
        assert asked["Location"].startswith("/espace/confirmer/?next=")
        wrong = client.post("/espace/confirmer/", {"secret": "non", "next": export})
        assert "Ce mot de passe ou ce code ne convient pas" in text(wrong)
        back = client.post("/espace/confirmer/", {"secret": PASSWORD, "next": export})
        assert back["Location"] == export
        assert client.get(export).status_code == 200
    assert AuditEvent.objects.filter(action="reauthenticated").count() == 1


@pytest.mark.parametrize(
    "url",
    ["{person}anonymiser/", "/espace/jeton-api/", "/mesurer/programmes/ruralite/rapport.json"],
)
def test_sensitive_actions_ask_again(client_as: Any, world: World, url: str) -> None:
    client = client_as("admin")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.get(url.format(person=world.alice.get_absolute_url()))
    assert response["Location"].startswith("/espace/confirmer/")


def test_the_administration_signs_in_through_the_site(world: World, client_as: Any) -> None:
    anonymous = Client().get("/administration/login/?next=/administration/")
    assert anonymous["Location"].startswith("/espace/connexion/?next=/administration/")
    posted = Client().post(
        "/administration/login/", {"username": "admin@exemple.test", "password": PASSWORD}
    )
    assert posted.status_code == 302 and "_auth_user_id" not in posted.client.session
    assert client_as("mediator").get("/administration/login/").status_code == 403
    world.personas["admin"].is_staff = True
    world.personas["admin"].save()
    staff = client_as("admin")
    assert staff.get("/administration/login/")["Location"] == "/administration/"
    assert staff.get("/administration/").status_code == 200
