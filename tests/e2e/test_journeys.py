from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from maillage.core.models import Transition
from maillage.network.models import Structure
from tests.conftest import World
from tests.e2e.conftest import Visitor, check_accessibility

PERSONA_EMAILS = {
    "admin": "admin@exemple.test",
    "regional_manager": "regional.manager@exemple.test",
    "territory_manager": "territory.manager@exemple.test",
    "mediator": "mediator@exemple.test",
    "relay_referent": "relay.referent@exemple.test",
    "funder": "funder@exemple.test",
}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_public_pages_are_accessible(visitor: Visitor, width: int) -> None:
    visitor.page.set_viewport_size({"width": width, "height": 900})
    for path in [
        "/",
        "/mentions-legales/",
        "/confidentialite/",
        "/accessibilite/",
        "/statistiques/",
    ]:
        visitor.goto(path)
        expect(visitor.page.locator("h1")).to_be_visible()
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_wrong_password_shows_the_error_summary_first(visitor: Visitor) -> None:
    visitor.sign_in("mediator@exemple.test", "pas le bon")
    summary = visitor.page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Adresse e-mail ou mot de passe incorrect")


@pytest.mark.parametrize("persona", list(PERSONA_EMAILS))
def test_each_role_signs_in_and_browses_the_structures_of_its_scope(
    visitor: Visitor, e2e_world: World, persona: str
) -> None:
    visitor.sign_in(PERSONA_EMAILS[persona])
    expect(visitor.page.locator("h1")).to_contain_text("Bonjour")
    visitor.click(
        visitor.page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Structures"
        )
    )
    expect(visitor.page.locator("h1")).to_have_text("Structures partenaires")
    visitor.click(visitor.page.get_by_role("link", name="CCAS de Reims"))
    expect(visitor.page.locator("h1")).to_have_text("CCAS de Reims")
    if persona != "admin":
        visitor.expect_not_found(f"/reseau/structures/{e2e_world.centre_social_lille.pk}/")
    visitor.click(visitor.page.get_by_role("link", name="Programmes"))
    visitor.click(visitor.page.get_by_role("button", name="Se déconnecter"))
    expect(visitor.page.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()


def test_a_mediator_adds_a_structure_picking_the_commune_from_suggestions(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    visitor.sign_in("mediator@exemple.test")
    visitor.goto("/reseau/structures/")
    visitor.click(page.get_by_role("link", name="Ajouter une structure"))
    page.get_by_role("textbox", name="Nom").fill("Maison des solidarités")
    page.get_by_label("Type de structure").select_option(label="Centre social")
    page.get_by_label("Commune").press_sequentially("rei", delay=50)
    suggestion = page.get_by_role("button", name="Reims (51100) — Marne")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_label("Commune")).to_have_value("Reims (51100)")
    page.get_by_label("Téléphone").fill("03 26 11 22 33")
    page.get_by_label("Aide aux démarches administratives").check()
    check_accessibility(page)
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    expect(page.locator("h1")).to_have_text("Maison des solidarités")
    expect(page.get_by_role("status")).to_contain_text("a été créée")
    structure = Structure.objects.get(name="Maison des solidarités")
    assert structure.commune == e2e_world.reims
    assert structure.phone == "+33326112233"


def test_bad_input_is_explained_and_kept(visitor: Visitor, e2e_world: World) -> None:
    page = visitor.page
    visitor.sign_in("mediator@exemple.test")
    visitor.goto("/reseau/structures/nouvelle/")
    page.get_by_role("textbox", name="Nom").fill("Maison des solidarités")
    page.get_by_label("SIRET").fill("123")
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Un numéro SIRET compte 14 chiffres")
    expect(summary).to_contain_text("Indiquez une commune.")
    expect(page.get_by_role("textbox", name="Nom")).to_have_value("Maison des solidarités")
    summary.get_by_role("link", name="Commune : Indiquez une commune.").click()
    expect(page.get_by_label("Commune")).to_be_focused()


def test_the_commune_picker_works_without_javascript(
    browser: Browser, live_server: Any, e2e_world: World
) -> None:
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill("mediator@exemple.test")
    page.get_by_label("Mot de passe").fill("Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Se connecter").last.click()
    page.goto(live_server.url + "/reseau/structures/nouvelle/")
    page.get_by_role("textbox", name="Nom").fill("Point numérique")
    page.get_by_label("Type de structure").select_option(label="Mairie")
    page.get_by_label("Commune").fill("Reims")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.locator("h1").inner_text() == "Point numérique"
    context.close()
    assert Structure.objects.get(name="Point numérique").commune == e2e_world.reims


def test_a_territory_manager_records_a_structure_becoming_candidate(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    visitor.sign_in("territory.manager@exemple.test")
    visitor.goto(f"/reseau/structures/{e2e_world.ccas_reims.pk}/")
    page.get_by_label("Nouveau statut").select_option(label="Candidate")
    page.get_by_label("Date").fill("2022-03-01")
    page.get_by_label("Commentaire").fill("Candidature à l'appel")
    visitor.click(page.get_by_role("button", name="Enregistrer le statut"))
    expect(page.get_by_role("status")).to_contain_text("Statut mis à jour : Candidate")
    expect(page.get_by_role("table", name="Historique des statuts")).to_contain_text(
        "Candidature à l'appel"
    )
    assert Transition.objects.get().to_state == "candidate"


def test_a_form_posted_after_the_session_expired_comes_back_after_signing_in(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    visitor.sign_in("territory.manager@exemple.test")
    visitor.goto(f"/reseau/structures/{e2e_world.ccas_reims.pk}/modifier/")
    page.get_by_label("Mardi", exact=True).fill("14 h – 17 h")
    # The session ends while the form is open.
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from maillage.core.middleware import SESSION_LAST_SEEN

    for session in Session.objects.all():
        data = session.get_decoded()
        data[SESSION_LAST_SEEN] = (timezone.now() - timedelta(hours=1)).isoformat()
        Session.objects.filter(pk=session.pk).update(session_data=Session.objects.encode(data))
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    expect(page.locator("h1")).to_have_text("Se connecter")
    page.get_by_label("Adresse e-mail").fill("territory.manager@exemple.test")
    page.get_by_label("Mot de passe").fill("Un-mot-de-passe-solide-42")
    visitor.click(page.get_by_role("button", name="Se connecter").last)
    expect(page.get_by_role("status")).to_contain_text(
        "Votre session avait expiré pendant la saisie"
    )
    expect(page.get_by_label("Mardi", exact=True)).to_have_value("14 h – 17 h")
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    e2e_world.ccas_reims.refresh_from_db()
    assert ("mardi", "14 h – 17 h") in e2e_world.ccas_reims.week()


def test_an_admin_creates_a_programme_and_a_funder_reads_it(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    visitor.sign_in("admin@exemple.test")
    visitor.goto("/mesurer/programmes/")
    visitor.click(page.get_by_role("link", name="Créer un programme"))
    page.get_by_role("textbox", name="Nom").fill("Inclusion numérique dans les Hautes-Alpes")
    page.get_by_role("textbox", name="Identifiant court").fill("hautes-alpes")
    page.get_by_label("Début").fill("2022-03-01")
    page.get_by_label("Fin").fill("2023-09-30")
    page.get_by_label("DGCS").check()
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    expect(page.locator("h1")).to_have_text("Inclusion numérique dans les Hautes-Alpes")
    expect(page.get_by_role("status")).to_contain_text("est enregistré")
    visitor.click(page.get_by_role("link", name="Modifier le programme"))
    visitor.click(page.get_by_role("button", name="Se déconnecter"))
    visitor.sign_in("funder@exemple.test")
    visitor.goto("/mesurer/programmes/ruralite/")
    expect(page.get_by_role("link", name="CCAS de Reims")).to_be_visible()


def test_a_person_resets_a_forgotten_password_and_changes_it(
    visitor: Visitor, e2e_world: World
) -> None:
    from django.core import mail

    page = visitor.page
    visitor.goto("/espace/connexion/")
    visitor.click(page.get_by_role("link", name="Mot de passe oublié ?"))
    page.get_by_role("textbox").fill("mediator@exemple.test")
    visitor.click(page.get_by_role("button", name="Recevoir le lien"))
    expect(page.locator("h1")).to_have_text("Vérifiez vos e-mails")
    link = next(
        line for line in str(mail.outbox[0].body).splitlines() if "/mot-de-passe/nouveau/" in line
    )
    visitor.goto("/" + link.strip().split("/", 3)[3])  # the path of http://host/path
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill("Une-phrase-de-passe-tres-longue")
    page.get_by_label("Confirmation du nouveau mot de passe").fill(
        "Une-phrase-de-passe-tres-longue"
    )
    visitor.click(page.get_by_role("button", name="Enregistrer le mot de passe"))
    expect(page.locator("h1")).to_have_text("Mot de passe enregistré")
    visitor.sign_in("mediator@exemple.test", "Une-phrase-de-passe-tres-longue")
    visitor.goto("/espace/mot-de-passe/")
    page.get_by_label("Ancien mot de passe").fill("Une-phrase-de-passe-tres-longue")
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill("court")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("court")
    visitor.click(page.get_by_role("button", name="Enregistrer le nouveau mot de passe"))
    expect(page.locator("[data-error-summary]")).to_contain_text(
        "Il doit contenir au minimum 12 caractères"
    )
