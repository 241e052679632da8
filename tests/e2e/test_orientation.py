"""Orienter et diagnostiquer, in a real browser: a referral from a partner structure, its
acceptance, a whole diagnostic run with the keyboard on a tablet, the printed summary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from maillage.network.enums import RelayStatus, StructureKind
from maillage.people.models import Beneficiary, Referral
from tests.conftest import World
from tests.e2e.conftest import Visitor, check_accessibility
from tests.factories import StructureFactory, UserFactory, grant


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Move the focus with the Tab key only, until it reaches `target`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def submit_with_keyboard(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def sign_out(visitor: Visitor) -> None:
    visitor.click(visitor.page.get_by_role("button", name="Se déconnecter"))


@pytest.fixture
def secours_populaire(e2e_world: World):
    """A relay in Reims with its own referent, to which the Reims CCAS refers people."""
    structure = StructureFactory.create(
        name="Secours populaire de Reims",
        kind=StructureKind.ASSOCIATION,
        commune=e2e_world.reims,
        relay_status=RelayStatus.RELAY,
    )
    referent = UserFactory.create(email="referent.secours@exemple.test", full_name="Rémi Exemple")
    grant(referent, "relay_referent", structure=structure)
    return structure


def test_a_referral_is_accepted_diagnosed_with_the_keyboard_and_summarised(
    visitor: Visitor, e2e_world: World, secours_populaire
) -> None:
    page = visitor.page

    # A referent of the Reims CCAS refers a person to the Secours populaire.
    visitor.sign_in("relay.referent@exemple.test")
    visitor.click(page.get_by_role("link", name="Orientations reçues"))
    visitor.click(page.get_by_role("link", name="Orienter une personne"))
    page.get_by_label("Structure vers laquelle orienter").select_option(
        label="Secours populaire de Reims (Reims)"
    )
    page.get_by_role("textbox", name=re.compile("^Prénom")).fill("Gisèle")
    page.get_by_role("textbox", name=re.compile("^Nom$")).fill("Exemple")
    page.get_by_label("Année de naissance").fill("1952")
    page.get_by_role("textbox", name="Téléphone de la personne").fill("06 22 33 44 55")
    page.get_by_label("Démarches en ligne").check()
    page.get_by_label("Équipement", exact=True).check()
    page.get_by_label("Urgente (sous 8 jours)").check()
    page.get_by_label("Éligibilité à l'offre solidaire").select_option(label="RSA")
    page.get_by_label(re.compile("J'atteste que la personne est d'accord")).check()
    visitor.click(page.get_by_role("button", name="Envoyer l'orientation"))
    expect(page.locator(".messages")).to_contain_text("envoyée à Secours populaire de Reims")
    referral = Referral.objects.get(first_name="Gisèle")
    sign_out(visitor)

    # The facilitator of the Marne accepts it and creates the person's record.
    visitor.sign_in("mediator@exemple.test")
    visitor.click(page.get_by_role("link", name="Orientations reçues"))
    visitor.click(page.get_by_role("link", name=referral.reference))
    expect(page.locator(".badge").first).to_have_text("Reçue")
    page.get_by_label("Personne contactée").check()
    visitor.click(page.get_by_role("button", name="Enregistrer le statut"))
    visitor.click(page.get_by_role("link", name="Accepter et rattacher à une fiche"))
    visitor.click(page.get_by_role("button", name="Créer la fiche à partir de l'orientation"))
    expect(page.locator("h1")).to_have_text("Gisèle Exemple")
    person = Beneficiary.objects.get(first_name="Gisèle")

    # The whole diagnostic, on a tablet, with the keyboard only.
    page.set_viewport_size({"width": 768, "height": 1024})
    tab_to(page, page.get_by_role("button", name="Commencer le diagnostic"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)
    expect(page.get_by_text("Étape 1 sur 8")).to_be_visible()
    tab_to(page, page.get_by_label("Téléphone simple"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Aucune connexion"))
    page.keyboard.press("Space")
    device = page.get_by_role("group", name=re.compile("Sur quel appareil"))
    tab_to(page, device.get_by_label("Ordinateur"))  # a radio group is entered on its first
    page.keyboard.press("ArrowDown")  # « Tablette »
    page.keyboard.press("ArrowDown")  # « Smartphone »
    expect(device.get_by_label("Smartphone")).to_be_checked()
    submit_with_keyboard(page, "Suivant")
    for number in range(2, 8):
        expect(page.get_by_text(f"Étape {number} sur 8")).to_be_visible()
        for question in page.locator("fieldset.question").all():
            tab_to(page, question.get_by_label("Oui"))
            page.keyboard.press("ArrowRight")  # « Avec de l'aide »
            page.keyboard.press("ArrowRight")  # « Non »
            expect(question.get_by_label("Non")).to_be_checked()
        submit_with_keyboard(page, "Suivant")
    expect(page.get_by_text("Étape 8 sur 8")).to_be_visible()
    tab_to(page, page.get_by_label("Peur du numérique ou manque de motivation"))
    page.keyboard.press("Space")
    urgent = page.get_by_role("group", name=re.compile("démarche en ligne urgente"))
    tab_to(page, urgent.get_by_label("Oui"))
    page.keyboard.press("ArrowDown")
    expect(urgent.get_by_label("Non")).to_be_checked()
    submit_with_keyboard(page, "Terminer et voir le résultat")

    # The result: a profile and the recommendations the rules give.
    expect(page.locator(".profile")).to_contain_text("Grand débutant")
    recommendations = page.locator(".recommendation h3")
    expect(recommendations).to_have_text(
        [
            "Équiper : un appareil reconditionné à prix solidaire",
            "Connecter : carte SIM ou recharge à prix solidaire",
            "Parcours d'initiation smartphone",
            "Atelier découverte en petit groupe, sans prérequis",
        ]
    )
    visitor.click(page.get_by_role("button", name="Orienter : Parcours d'initiation smartphone"))
    expect(page.locator(".messages")).to_contain_text("Orientation enregistrée")

    # The summary for the person, printed on one page.
    visitor.click(page.get_by_role("link", name="Synthèse à imprimer pour la personne"))
    expect(page.locator("h1")).to_have_text("Gisèle, voici votre bilan numérique")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")
    sign_out(visitor)

    # The referent who sent the person does not see the record of another structure.
    visitor.sign_in("relay.referent@exemple.test")
    visitor.expect_not_found(person.get_absolute_url())
    sign_out(visitor)
    visitor.sign_in("referent.secours@exemple.test")
    visitor.goto(person.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Gisèle Exemple")


def test_a_social_worker_refers_through_a_shared_link_on_a_phone(
    visitor: Visitor, e2e_world: World
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from maillage.people.models import ReferralLink

    link = ReferralLink.objects.create(
        structure=e2e_world.ccas_reims,
        label="Département",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 740})
    visitor.goto(link.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Orienter une personne vers CCAS de Reims")
    visitor.click(page.get_by_role("button", name="Envoyer l'orientation"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("L'accord de la personne est nécessaire")
    page.get_by_label("Nom du prescripteur").fill("Sam Travailleur")
    page.get_by_label("Organisme du prescripteur").fill("Conseil départemental de la Marne")
    page.get_by_label("E-mail du prescripteur").fill("sam@exemple.test")
    page.get_by_role("textbox", name=re.compile("^Prénom")).fill("Jeanne")
    page.get_by_role("textbox", name="Téléphone de la personne").fill("06 22 33 44 55")
    page.get_by_label("Apprendre les bases").check()
    page.get_by_label(re.compile("J'atteste que la personne est d'accord")).check()
    visitor.click(page.get_by_role("button", name="Envoyer l'orientation"))
    expect(page.locator("h1")).to_have_text("Merci, l'orientation est envoyée")
    assert Referral.objects.get(first_name="Jeanne").link == link
