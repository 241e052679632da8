from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import text


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "Un réseau pour que personne ne reste à l'écart du numérique"),
        ("/mentions-legales/", "Mentions légales"),
        ("/confidentialite/", "Données personnelles"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
    ],
)
def test_public_pages_are_open_to_everyone(db: None, url: str, title: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in text(response)


def test_every_page_has_a_skip_link_and_landmarks(db: None) -> None:
    content = text(Client().get("/"))
    assert '<a class="skip-link" href="#contenu">' in content
    for landmark in ("<header", '<main id="contenu"', "<footer"):
        assert landmark in content


def test_an_unknown_page_answers_a_french_404(db: None) -> None:
    response = Client().get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in text(response)


def test_the_home_page_leads_a_structure_to_join_and_everyone_to_the_figures(db: None) -> None:
    content = text(Client().get("/"))
    assert '<a class="button" href="/rejoindre/">Rejoindre le réseau</a>' in content
    assert '<a href="/statistiques/">Voir ce que le réseau a fait, en chiffres</a>' in content
