"""A facilitator's first sign-in with the second factor, on a phone and on a computer: the
password, the QR code and its key, the first code, the recovery codes; then a manager invites
a colleague from « L'équipe »."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.conftest import Visitor
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [390, 1280])
def test_a_facilitator_enrols_the_second_factor_at_the_first_sign_in(
    visitor: Visitor, e2e_world: World, settings: Any, width: int
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("mediator@exemple.test")

    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    key = page.locator("code.secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]{32,}", key)
    device = TOTPDevice.objects.get(user=e2e_world.personas["mediator"], confirmed=False)
    page.get_by_label("Code de connexion").fill(f"{totp(device.bin_key):06d}")
    visitor.click(page.get_by_role("button", name="Activer"))

    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visitor.click(page.get_by_role("link", name="J'ai noté mes codes, continuer"))
    expect(page.locator("h1")).to_contain_text("Bonjour")
    expect(page.get_by_text("La double authentification est activée")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_manager_invites_a_colleague_from_the_team_screen(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("territory.manager@exemple.test")
    visitor.click(page.get_by_role("link", name="L'équipe : inviter, donner un rôle"))
    expect(page.get_by_role("cell", name="mediator@exemple.test")).to_be_visible()
    visitor.click(page.get_by_role("link", name="Inviter une personne"))
    page.get_by_label("Adresse e-mail").fill("lea.nouvelle@exemple.test")
    page.get_by_label("Nom complet").fill("Léa Nouvelle")
    page.get_by_label("Rôle").select_option(label="Conseiller·ère numérique")
    page.get_by_label("Départements").select_option(label="Marne (51)")
    visitor.click(page.get_by_role("button", name="Envoyer l'invitation"))

    expect(page.get_by_role("heading", name="Léa Nouvelle")).to_be_visible()
    expect(page.get_by_text("a reçu un e-mail pour choisir son mot de passe")).to_be_visible()
    expect(page.get_by_text("Conseiller·ère numérique — Marne")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_a_funder_confirms_who_they_are_before_taking_an_api_key(
    visitor: Visitor, settings: Any, width: int
) -> None:
    settings.REAUTHENTICATION_MINUTES = 0  # the sign-in no longer counts as a recent proof
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("funder@exemple.test")
    visitor.goto("/espace/jeton-api/")

    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Mot de passe ou code de connexion").fill("pas le bon")
    visitor.click(page.get_by_role("button", name="Confirmer"))
    expect(page.get_by_text("Ce mot de passe ou ce code ne convient pas.").first).to_be_visible()
    settings.REAUTHENTICATION_MINUTES = 10
    page.get_by_label("Mot de passe ou code de connexion").fill(PASSWORD)
    visitor.click(page.get_by_role("button", name="Confirmer"))
    expect(page.get_by_role("heading", name="Accès à l'API statistique")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
