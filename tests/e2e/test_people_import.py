"""Importing people in a real browser, on a phone and a desktop: the file is sent, its page
follows the import until it ends, and the same file sent again reports the people already
followed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maillage.people.models import PeopleImport
from tests.conftest import World
from tests.e2e.conftest import Visitor

FILE = (
    b"prenom;nom;annee_naissance;genre;commune;code_postal;telephone;accord_sms\n"
    b"Josiane;Exemple;1958;femme;Reims;51100;06 12 34 56 78;oui\n"
    b"Marcel;Exemple;1949;homme;51454;;;non\n"
)


def send_the_file(visitor: Visitor) -> None:
    page = visitor.goto("/personnes/importer/")
    page.get_by_label("Fichier").set_input_files(
        {"name": "personnes.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    visitor.click(page.get_by_role("button", name="Envoyer le fichier"))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_referent_imports_a_file_then_sends_it_again(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("relay.referent@exemple.test")

    send_the_file(visitor)
    expect(page.get_by_role("heading", name="2 personnes importées")).to_be_visible()

    send_the_file(visitor)
    expect(page.get_by_role("heading", name="Aucune nouvelle personne importée")).to_be_visible()
    expect(page.get_by_text("Ligne 2 : déjà suivie sous la référence")).to_be_visible()
    visitor.click(page.get_by_role("link", name="Importer", exact=True))
    expect(page.get_by_role("region", name="Imports récents")).to_contain_text("personnes.csv")


def test_the_progress_page_follows_the_import_until_it_ends(
    visitor: Visitor, e2e_world: World
) -> None:
    started = PeopleImport.objects.create(
        structure=e2e_world.ccas_reims, file_name="gros.csv", lines=5000, checked=1250
    )
    visitor.sign_in("relay.referent@exemple.test")
    page = visitor.goto(started.get_absolute_url())
    expect(page.get_by_text("1250 lignes vérifiées sur 5000")).to_be_visible()

    PeopleImport.objects.filter(pk=started.pk).update(
        status=PeopleImport.Status.REFUSED, checked=5000, errors=[[7, "commune inconnue « X »"]]
    )

    summary = page.get_by_role("alert").filter(has_text="rien n'a été importé")
    expect(summary).to_be_visible(timeout=8000)
    expect(summary).to_be_focused()
    expect(page.get_by_text("Ligne 7 : commune inconnue « X »")).to_be_visible()
