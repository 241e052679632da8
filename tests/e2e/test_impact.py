"""Mesurer, in a real browser: a funder reads the figures of their programme; a manager goes
from a figure down to the records behind it."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.conftest import Visitor
from tests.impact.conftest import attend, cohort


def open_dashboard(visitor: Visitor, email: str, place: str, first: str, last: str) -> None:
    """Sign in, open the dashboard on the person's place, and choose the months."""
    page = visitor.page
    visitor.sign_in(email)
    visitor.click(page.get_by_role("link", name="Tableau de bord"))
    expect(page.locator("h1")).to_have_text(f"Tableau de bord — {place}")
    page.get_by_label("Du mois").fill(first)
    page.get_by_label("Au mois (inclus)").fill(last)
    visitor.click(page.get_by_role("button", name="Afficher"))


def test_a_funder_reads_the_indicators_with_their_definitions(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    open_dashboard(visitor, "funder@exemple.test", "Mes programmes", "2022-01", "2022-12")
    expect(page.get_by_text("De janvier 2022 à décembre 2022 inclus")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Personnes accompagnées")).to_be_visible()
    page.get_by_role("row", name="Personnes accompagnées").get_by_text("Définition").click()
    expect(page.get_by_text("une personne n'est jamais comptée deux fois")).to_be_visible()


def test_a_territory_manager_goes_from_a_figure_down_to_the_records_behind_it(
    visitor: Visitor, e2e_world: World
) -> None:
    world = e2e_world
    planned = cohort(world, world.ccas_reims, date(2023, 3, 6))
    attend(planned, {world.alice: "present"})
    page = visitor.page
    open_dashboard(visitor, "territory.manager@exemple.test", "Marne (51)", "2023-01", "2023-12")
    visitor.click(page.get_by_role("link", name="CCAS de Reims"))
    expect(page.locator("h1")).to_have_text("Tableau de bord — CCAS de Reims")
    visitor.click(page.get_by_role("row", name="Parcours réalisés").get_by_role("link", name="1"))
    expect(page.locator("h1")).to_have_text("Parcours réalisés — CCAS de Reims")
    visitor.click(page.get_by_role("link", name="Initiation ordinateur — CCAS de Reims"))
    expect(page.locator("h1")).to_contain_text("Initiation ordinateur")


def test_a_funder_creates_a_key_and_reads_the_statistics_api(
    visitor: Visitor, e2e_world: World
) -> None:
    page = visitor.page
    visitor.sign_in("funder@exemple.test")
    visitor.click(page.get_by_role("link", name="Accès à l'API statistique"))
    expect(page.locator("h1")).to_have_text("Accès à l'API statistique")
    visitor.click(page.get_by_role("button", name="Créer un jeton"))
    key = page.get_by_label("Jeton").input_value()
    assert key.startswith("mlg_")
    answer = page.request.get(
        f"{visitor.base_url}/api/v1/statistics?from=2022-01-01&to=2022-12-31",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status == 200 and "parcours_realised" in answer.json()["indicators"]
    visitor.click(page.get_by_role("button", name="Révoquer le jeton"))
    expect(page.get_by_text("Vous n'avez pas de jeton.")).to_be_visible()
