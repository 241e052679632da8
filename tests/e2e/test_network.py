"""Animer le réseau, in a real browser: a structure applies on a phone, the committee selects
it, its coach writes the plan and logs a visit, a referent follows a training and downloads
the certificate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from maillage.animation.enums import ApplicationStatus
from maillage.animation.models import (
    Application,
    Call,
    ClosingCommittee,
    CoachingPlan,
    FollowUp,
    InfoMeeting,
    TrainingRegistration,
    TrainingSession,
)
from maillage.network.enums import RelayStatus
from tests.animation.conftest import (
    coaching,
    journey,
    open_call,
    shortlisted,
    training_session,
)
from tests.conftest import World
from tests.e2e.conftest import Visitor


def test_a_structure_applies_on_a_phone_and_is_told_what_is_missing(
    visitor: Visitor, e2e_world: World
) -> None:
    call = open_call(e2e_world)
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 740})
    visitor.goto("/rejoindre/")
    visitor.click(page.get_by_role("link", name=call.title))
    page.get_by_label("Nom de la structure").fill("Association Entraide Rémoise")
    page.get_by_label("Type de structure").select_option(label="Association")
    page.get_by_label("Commune de la structure").fill("Reims")
    page.get_by_label("Nom de la personne à contacter").fill("Lou Candidate")
    page.get_by_label("E-mail").fill("lou@entraide.test")
    page.get_by_label("Téléphone").fill("03 26 00 00 00")
    page.get_by_label(re.compile(r"^\s*Oui$")).check()
    visitor.click(page.get_by_role("button", name="Déposer la candidature"))

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "Pourquoi voulez-vous devenir Relais Numérique ? : Ce champ est obligatoire."
    )
    expect(page.get_by_label("Nom de la structure")).to_have_value("Association Entraide Rémoise")
    expect(page.get_by_label(re.compile(r"^\s*Oui$"))).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_label("Pourquoi voulez-vous devenir Relais Numérique ?").fill(
        "Nos publics ne savent pas faire leurs démarches en ligne."
    )
    visitor.click(page.get_by_role("button", name="Déposer la candidature"))
    expect(page.locator("h1")).to_have_text("Votre candidature est déposée")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.structure is not None
    assert application.structure.relay_status == RelayStatus.CANDIDATE


def test_the_committee_scores_the_shortlist_and_selects_a_structure(
    visitor: Visitor, e2e_world: World
) -> None:
    call = open_call(e2e_world, places=1)
    chosen = shortlisted(call, "Centre social Orgeval", e2e_world.reims)
    other = shortlisted(call, "Club de quartier", e2e_world.reims)
    page = visitor.page
    visitor.sign_in("territory.manager@exemple.test")
    visitor.goto(call.get_absolute_url())
    visitor.click(page.get_by_role("link", name="Comité de sélection"))

    row = page.get_by_role("row", name="Centre social Orgeval")
    row.get_by_label("Motivation").select_option("5")
    row.get_by_label("Capacité à mobiliser une équipe").select_option("4")
    row.get_by_label(re.compile(r"^\s*Retenue$")).check()
    other_row = page.get_by_role("row", name="Club de quartier")
    other_row.get_by_label("Motivation").select_option("2")
    other_row.get_by_label(re.compile(r"^\s*Non retenue$")).check()
    page.get_by_label("Date du comité").fill(timezone.localdate().isoformat())
    page.get_by_label("Membres présents").fill("Persona territory_manager\nDépartement")
    visitor.click(page.get_by_role("button", name="Enregistrer les notes et les décisions"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Club de quartier — Motif si non retenue")

    page.get_by_role("row", name="Club de quartier").get_by_label("Motif si non retenue").fill(
        "Pas de salle disponible."
    )
    visitor.click(page.get_by_role("button", name="Enregistrer les notes et les décisions"))
    expect(page.locator("h1")).to_have_text(call.title)
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == (
        ApplicationStatus.SELECTED,
        ApplicationStatus.NOT_SELECTED,
    )
    visitor.click(page.get_by_role("link", name=chosen.reference))
    expect(page.get_by_text("Motivation : 5 / 5")).to_be_visible()


def test_the_coach_writes_the_plan_and_logs_a_visit(visitor: Visitor, e2e_world: World) -> None:
    plan = coaching(e2e_world)
    page = visitor.page
    visitor.sign_in("mediator@exemple.test")
    visitor.goto("/reseau/accompagnements/")
    visitor.click(page.get_by_role("link", name="CCAS de Reims"))
    visitor.click(page.get_by_role("link", name="Modifier le diagnostic"))
    page.get_by_label("Public accueilli").fill("Personnes âgées isolées")
    page.get_by_label("Bénévoles").fill("3")
    visitor.click(page.get_by_role("button", name="Enregistrer le diagnostic"))

    page.get_by_role("textbox", name=re.compile(r"^Action")).fill("Ouvrir une permanence le mardi")
    page.get_by_label("Modalité").select_option(label="Permanences connectées")
    page.get_by_label("Priorité").select_option(label="Haute")
    page.get_by_label("Porteur").fill("Référente du CCAS")
    visitor.click(page.get_by_role("button", name="Ajouter l'action"))
    expect(page.get_by_role("link", name="Ouvrir une permanence le mardi")).to_be_visible()

    page.get_by_text("Noter un contact").click()
    page.get_by_label(re.compile(r"^\s*Visite$")).check()
    page.get_by_label("Notes").fill("Rencontre avec la directrice et les deux référents.")
    visitor.click(page.get_by_role("button", name="Noter le contact"))
    expect(page.get_by_role("heading", name="Visite")).to_be_visible()
    plan.refresh_from_db()
    assert plan.volunteers == 3
    assert FollowUp.objects.get().kind == "visit"
    assert CoachingPlan.objects.get().actions.count() == 1


def test_a_referent_registers_to_a_training_and_downloads_the_certificate(
    visitor: Visitor, e2e_world: World
) -> None:
    session = training_session(e2e_world, day=timezone.localdate() + timedelta(days=3))
    page = visitor.page
    visitor.sign_in("relay.referent@exemple.test")
    visitor.goto("/reseau/formations/")
    with translation.override("fr"):
        day = date_format(session.day, "l j F Y")
    visitor.click(page.get_by_role("link", name=day))
    visitor.click(page.get_by_role("button", name="M'inscrire à cette session"))
    expect(page.get_by_role("status")).to_contain_text("Inscription enregistrée")
    visitor.click(page.get_by_role("button", name="Se déconnecter"))

    # The day of the training, the trainer takes the attendance.
    type(session).objects.filter(pk=session.pk).update(day=timezone.localdate())
    visitor.sign_in("mediator@exemple.test")
    visitor.goto(session.get_absolute_url())
    page.get_by_label(re.compile(r"^\s*Présent·e$")).check()
    visitor.click(page.get_by_role("button", name="Enregistrer les présences"))
    expect(page.get_by_role("status")).to_contain_text("Les présences sont enregistrées")
    assert TrainingRegistration.objects.get().attended is True
    visitor.click(page.get_by_role("button", name="Se déconnecter"))

    visitor.sign_in("relay.referent@exemple.test")
    visitor.goto("/reseau/formations/")
    href = page.get_by_role("link", name="Télécharger l'attestation de présence").get_attribute(
        "href"
    )
    assert href is not None
    response = page.request.get(visitor.base_url + href)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_every_page_of_the_network_journey_passes_the_accessibility_checks(
    visitor: Visitor, e2e_world: World
) -> None:
    """The pages the journeys above do not cross, as a regional manager and as a referent."""
    journey(e2e_world)
    call = Call.objects.get(slug="relais-marne")
    application = Application.objects.filter(call=call).order_by("pk").first()
    assert application is not None
    plan = CoachingPlan.objects.get(structure=e2e_world.ccas_reims)
    closing = ClosingCommittee.objects.get()
    session = TrainingSession.objects.get()
    meeting = InfoMeeting.objects.get()
    visitor.sign_in("regional.manager@exemple.test")
    for path in [
        "/reseau/appels/",
        "/reseau/appels/nouveau/",
        call.get_absolute_url(),
        f"/reseau/appels/{call.pk}/questions/",
        f"/reseau/appels/{call.pk}/comite/",
        application.get_absolute_url(),
        e2e_world.ccas_reims.get_absolute_url(),
        f"/reseau/structures/{e2e_world.ccas_reims.pk}/accompagnement/",
        "/reseau/accompagnements/?etat=all",
        plan.get_absolute_url(),
        f"/reseau/accompagnements/{plan.pk}/actions/{plan.actions.get().pk}/",
        "/reseau/clotures/nouvelle/",
        closing.get_absolute_url(),
        "/reseau/formations/decouvrir-inclusion-numerique/",
        "/reseau/formations/sessions/nouvelle/",
        session.get_absolute_url(),
        "/reseau/ressources/",
        "/reseau/ressources/nouvelle/",
        "/reseau/reunions/",
        "/reseau/reunions/nouvelle/",
        meeting.get_absolute_url(),
    ]:
        visitor.goto(path)
    visitor.click(visitor.page.get_by_role("button", name="Se déconnecter"))
    visitor.goto(f"/rejoindre/reunions/{meeting.pk}/")
    visitor.sign_in("relay.referent@exemple.test")
    for path in [plan.get_absolute_url(), "/reseau/ressources/", "/reseau/formations/"]:
        visitor.goto(path)
    expect(visitor.page.get_by_role("heading", name="Mes formations")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_manager_publishes_a_place_from_its_form(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("territory.manager@exemple.test")
    visitor.goto(f"/reseau/structures/{e2e_world.ccas_reims.pk}/")
    expect(page.get_by_text("Lieu non publié")).to_be_visible()
    visitor.click(page.get_by_role("link", name="Modifier la fiche"))
    page.get_by_label("Lieu ouvert au public").check()
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("Indiquez l'adresse du lieu pour le publier").first).to_be_visible()
    page.get_by_label("Adresse", exact=True).fill("12 rue de Vesle")
    visitor.click(page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text(re.compile(r"Lieu publié depuis le \d+"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
