from __future__ import annotations

from tests.conftest import World, text


def test_the_main_menu_shows_the_pillars_a_person_can_use(client_as, world: World) -> None:
    content = text(client_as("mediator").get("/espace/"))
    assert 'aria-label="Menu principal"' in content
    assert "Animer le réseau" in content
    assert 'href="/reseau/structures/"' in content


def test_the_menu_marks_the_current_page_and_names_each_pillar_s_links(
    client_as, world: World
) -> None:
    content = text(client_as("mediator").get("/reseau/structures/"))
    assert '<a href="/reseau/structures/" aria-current="page">' in content
    menu = content.split('class="main-nav"')[1].split("</nav>")[0]
    assert menu.count('aria-current="page"') == 1
    assert 'id="pilier-reseau"' in content
    assert 'aria-labelledby="pilier-reseau"' in content


def test_a_person_without_role_sees_no_menu(client_as, world: World) -> None:
    content = text(client_as("stranger").get("/espace/"))
    assert 'aria-label="Menu principal"' not in content
    assert "Aucun rôle ne vous a encore été attribué" in content


def test_the_language_switch_offers_french_and_english(client_as, world: World) -> None:
    client = client_as("mediator")
    content = text(client.get("/espace/"))
    assert 'lang="en"' in content
    response = client.post("/langue/", {"language": "en", "next": "/espace/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_the_interface_stays_french_whatever_the_browser_asks(db: None) -> None:
    from django.test import Client

    response = Client().get("/espace/connexion/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "fr"
    assert "Mot de passe" in text(response)


def test_a_person_who_chose_english_gets_the_interface_in_english(client_as, world: World) -> None:
    client = client_as("mediator")
    client.post("/langue/", {"language": "en", "next": "/espace/"})
    content = text(client.get("/reseau/structures/"))
    assert "Sign out" in content and "Partner structures" in content
    assert "Se déconnecter" not in content
