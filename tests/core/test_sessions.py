from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from maillage.core.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tests.conftest import World, text
from tests.factories import PASSWORD

EDIT_URL = "/reseau/structures/{pk}/modifier/"


def _age_session(client: Client, *, idle: timedelta, since_login: timedelta) -> None:
    session = client.session
    now = timezone.now()
    session[SESSION_LAST_SEEN] = (now - idle).isoformat()
    session[SESSION_STARTED] = (now - since_login).isoformat()
    session.save()


def test_a_staff_session_ends_after_thirty_minutes_idle(client_as, world: World) -> None:
    client = client_as("territory_manager")
    _age_session(client, idle=timedelta(minutes=31), since_login=timedelta(hours=1))
    response = client.get("/espace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace/connexion/")


def test_a_session_active_within_thirty_minutes_goes_on(client_as, world: World) -> None:
    client = client_as("territory_manager")
    _age_session(client, idle=timedelta(minutes=29), since_login=timedelta(hours=2))
    assert client.get("/espace/").status_code == 200


def test_a_staff_session_ends_after_twelve_hours_whatever_happens(client_as, world: World) -> None:
    client = client_as("territory_manager")
    _age_session(client, idle=timedelta(minutes=1), since_login=timedelta(hours=12, minutes=1))
    assert client.get("/espace/").status_code == 302


def test_a_form_posted_after_expiry_is_given_back_filled_in_after_signing_in_again(
    client_as, world: World
) -> None:
    client = client_as("territory_manager")
    _age_session(client, idle=timedelta(minutes=45), since_login=timedelta(hours=1))
    url = EDIT_URL.format(pk=world.ccas_reims.pk)
    response = client.post(
        url,
        {
            "name": "CCAS de Reims — antenne Croix-Rouge",
            "kind": "ccas_cias",
            "commune": "Reims (51100)",
            "password": "never-kept",
        },
    )
    assert response.status_code == 302
    assert "/espace/connexion/" in response["Location"]

    response = client.post(
        "/espace/connexion/",
        {"username": "territory.manager@exemple.test", "password": PASSWORD, "next": url},
    )
    assert response["Location"] == url
    page = client.get(url)
    content = text(page)
    assert "Votre session avait expiré pendant la saisie" in content
    assert 'value="CCAS de Reims — antenne Croix-Rouge"' in content
    assert "never-kept" not in content
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.name == "CCAS de Reims"  # given back to confirm, not saved
    # Given once only.
    assert "CCAS de Reims — antenne Croix-Rouge" not in text(client.get(url))


def test_a_form_kept_after_expiry_is_not_given_to_someone_else(client_as, world: World) -> None:
    client = client_as("territory_manager")
    _age_session(client, idle=timedelta(minutes=45), since_login=timedelta(hours=1))
    url = EDIT_URL.format(pk=world.ccas_reims.pk)
    client.post(url, {"name": "Saisie confidentielle", "kind": "ccas_cias"})
    client.post(
        "/espace/connexion/",
        {"username": "admin@exemple.test", "password": PASSWORD, "next": url},
    )
    assert "Saisie confidentielle" not in text(client.get(url))


def test_pages_need_a_signed_in_person_but_public_pages_do_not(db: None) -> None:
    client = Client()
    assert client.get("/reseau/structures/").status_code == 302
    for url in [
        "/",
        "/mentions-legales/",
        "/confidentialite/",
        "/accessibilite/",
        "/espace/connexion/",
    ]:
        assert client.get(url).status_code == 200, url


def test_htmx_requests_without_a_session_are_sent_to_the_sign_in_page(db: None) -> None:
    response = Client().get("/reseau/structures/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/espace/connexion/")
