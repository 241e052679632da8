"""Finding a place near me: the public search by commune, postal code or position, within a
distance, with filters, the list sorted by distance and paginated; the place's page with its
hours, what it offers, its coming workshops, how to get there; « Signaler une erreur »."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from maillage.learning.models import DropInSlot, Workshop
from maillage.network.enums import AccessFeature, Public, RelayOffer
from maillage.network.models import Structure
from tests.conftest import World, text
from tests.factories import CommuneFactory, StructureFactory

WEEKDAYS = {day: [["09:00", "12:00"], ["14:00", "17:00"]] for day in ["mo", "tu", "we", "th", "fr"]}


def _place(name: str, commune: Any, **fields: Any) -> Structure:
    return StructureFactory.create(
        name=name, commune=commune, address="1 rue de la Paix", is_public=True, **fields
    )


@pytest.fixture
def around_reims(world: World) -> dict[str, Structure]:
    """Four published places around Reims, one too far, two the public never sees."""
    marne = world.reims.department
    tinqueux = CommuneFactory.create(
        name="Tinqueux", department=marne, latitude=49.25, longitude=3.99, postal_codes=["51430"]
    )
    epernay = CommuneFactory.create(
        name="Épernay", department=marne, latitude=49.04, longitude=3.96, postal_codes=["51200"]
    )
    places = {
        "reims": _place(
            "Espace numérique de Reims",
            world.reims,
            relay_offer=[RelayOffer.SIM_CARDS, RelayOffer.WORKSHOPS],
            publics=[Public.SENIORS],
            accessibility=[AccessFeature.WHEELCHAIR],
            hours=WEEKDAYS,
        ),
        "tinqueux": _place("Médiathèque de Tinqueux", tinqueux, relay_offer=[RelayOffer.DROP_INS]),
        "epernay": _place(
            "Centre social d'Épernay",
            epernay,
            relay_offer=[RelayOffer.SIM_CARDS],
            hours={"sa": [["09:00", "12:00"]]},
        ),
        "charleville": _place("Relais de Charleville", world.charleville),
    }
    StructureFactory.create(name="Lieu non publié", commune=world.reims, address="2 rue")
    StructureFactory.create(name="Lieu sans adresse", commune=world.reims, is_public=True)
    return places


def _names(response: Any) -> list[str]:
    content = text(response)
    start = content.index('<ol class="place-list">') if "place-list" in content else len(content)
    names = []
    for chunk in content[start:].split('<h3><a href="/lieux/')[1:]:
        names.append(chunk.split(">", 1)[1].split("</a>", 1)[0])
    return names


def test_a_search_by_commune_lists_the_places_within_the_distance_nearest_first(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    response = client.get("/lieux/", {"ou": "Reims", "rayon": "50"})
    assert response.status_code == 200
    assert _names(response) == [
        "Espace numérique de Reims",
        "Médiathèque de Tinqueux",
        "Centre social d'Épernay",
    ]
    assert "3 lieux à moins de 50 km de Reims (51100)" in text(response)
    assert "à 2,9 km" in text(response)


def test_the_distance_narrows_the_search(client: Any, around_reims: dict[str, Structure]) -> None:
    response = client.get("/lieux/", {"ou": "51100", "rayon": "5"})
    assert _names(response) == ["Espace numérique de Reims", "Médiathèque de Tinqueux"]


def test_around_me_searches_from_the_browsers_position(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    response = client.get("/lieux/", {"lat": "49.05", "lon": "3.95", "rayon": "10"})
    assert _names(response) == ["Centre social d'Épernay"]
    assert "1 lieu à moins de 10 km de votre position" in text(response)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"offre": "sim"}, ["Espace numérique de Reims", "Centre social d'Épernay"]),
        ({"offre": ["sim", "ateliers"]}, ["Espace numérique de Reims"]),
        ({"offre": "permanences"}, ["Médiathèque de Tinqueux"]),
        ({"public": "seniors"}, ["Espace numérique de Reims"]),
        ({"accessibilite": "wheelchair"}, ["Espace numérique de Reims"]),
    ],
)
def test_filters_keep_the_places_that_offer_everything_asked(
    client: Any, around_reims: dict[str, Structure], filters: dict[str, Any], expected: list[str]
) -> None:
    response = client.get("/lieux/", {"ou": "Reims", "rayon": "50", **filters})
    assert _names(response) == expected


def test_open_now_is_computed_in_paris_time(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    # Saturday 5 December 2026, 10:00 in Paris: Épernay is open, Reims is closed.
    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=UTC), tick=False):
        response = client.get("/lieux/", {"ou": "Reims", "rayon": "50", "ouvert": "on"})
        assert _names(response) == ["Centre social d'Épernay"]
        everything = text(client.get("/lieux/", {"ou": "Reims", "rayon": "50"}))
    assert "Fermé, ouvre lundi à 9 h" in everything
    assert "Ouvert maintenant, jusqu'à 12 h" in everything


def test_a_commune_not_found_or_not_placed_is_said_plainly(client: Any, world: World) -> None:
    assert "Nous ne trouvons pas de commune « Atlantide »" in text(
        client.get("/lieux/", {"ou": "Atlantide"})
    )
    CommuneFactory.create(name="Névache", department=world.reims.department)
    assert "Nous ne savons pas encore situer Névache" in text(
        client.get("/lieux/", {"ou": "Névache"})
    )


def test_without_a_search_the_page_asks_where(client: Any, world: World) -> None:
    content = text(client.get("/lieux/"))
    assert "Indiquez votre commune ou votre code postal" in content
    assert 'id="map-points"' not in content


def test_nothing_found_suggests_a_wider_search(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    content = text(client.get("/lieux/", {"ou": "Reims", "offre": "refugies"}))
    assert "Aucun lieu ne correspond à votre recherche" in content


def test_bad_input_is_refused_without_an_error(client: Any, world: World) -> None:
    response = client.get("/lieux/", {"ou": "Reims", "rayon": "1000", "lat": "abc"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert 'id="map-points"' not in text(response)


def test_results_are_paginated_and_the_map_shows_them_all(client: Any, world: World) -> None:
    for n in range(23):
        _place(f"Lieu {n:02d}", world.reims)
    first = client.get("/lieux/", {"ou": "Reims"})
    assert len(_names(first)) == 20
    assert "Page 1 sur 2" in text(first)
    assert len(_names(client.get("/lieux/", {"ou": "Reims", "page": "2"}))) == 3
    assert text(first).count('"url": "/lieux/') == 23


def test_the_search_reads_the_database_a_bounded_number_of_times(
    client: Any, around_reims: dict[str, Structure], django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        _place(f"Lieu {n:02d}", around_reims["reims"].commune)
    with django_assert_max_num_queries(6):
        client.get("/lieux/", {"ou": "Reims", "rayon": "50", "offre": "sim"})


def test_a_places_page_says_how_to_come_and_what_it_offers(
    client: Any, world: World, around_reims: dict[str, Structure]
) -> None:
    place = around_reims["reims"]
    place.phone = "+33326000000"
    place.save()
    soon = timezone.now() + timedelta(days=3)
    Workshop.objects.create(
        title="Premiers pas sur la tablette",
        structure=place,
        starts_at=soon,
        is_public=True,
        capacity=8,
    )
    Workshop.objects.create(title="Atelier interne", structure=place, starts_at=soon)
    DropInSlot.objects.create(
        facilitator=world.personas["mediator"], structure=place, starts_at=soon + timedelta(days=1)
    )
    DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=place,
        starts_at=soon + timedelta(days=2),
        bookable_seats=0,
    )
    content = text(client.get(f"/lieux/{place.pk}/"))
    assert "1 rue de la Paix" in content and "51100 Reims" in content
    assert "https://www.openstreetmap.org/directions?to=49.250000%2C4.030000" in content
    assert 'href="geo:49.250000,4.030000' in content
    assert "Position approximative : le centre de la commune." in content
    assert "03 26 00 00 00" in content
    assert "9 h – 12 h, 14 h – 17 h" in content
    assert "Cartes SIM et recharges à prix solidaire" in content
    assert "Accessible en fauteuil roulant" in content
    assert "Premiers pas sur la tablette" in content and "8 places libres" in content
    assert "Atelier interne" not in content
    assert "4 rendez-vous libres" in content
    assert "Permanence : aide individuelle, sans inscription" in content


def test_a_place_not_published_has_no_public_page(client: Any, world: World) -> None:
    hidden = StructureFactory.create(commune=world.reims, address="2 rue")
    assert client.get(f"/lieux/{hidden.pk}/").status_code == 404
    assert client.get(f"/lieux/{hidden.pk}/signaler-une-erreur/").status_code == 404


def test_an_error_reported_by_the_public_reaches_the_places_referents(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    place = world.ccas_reims
    place.is_public, place.address = True, "9 rue Eugène Desteuque"
    place.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/lieux/{place.pk}/signaler-une-erreur/",
            {"message": "Le lieu est fermé le mercredi maintenant.", "contact": "06 12 34 56 78"},
        )
    assert response.status_code == 302
    assert "transmis à l'équipe de ce lieu" in text(client.get(response["Location"]))
    sent = mail.outbox[-1]
    assert sent.to == [world.personas["relay_referent"].email]
    assert "fermé le mercredi" in sent.body and "06 12 34 56 78" in sent.body
    assert f"/reseau/structures/{place.pk}/modifier/" in sent.body


def test_an_empty_report_is_refused_and_reports_are_limited(
    client: Any, world: World, settings: Any
) -> None:
    place = world.ccas_reims
    place.is_public, place.address = True, "9 rue Eugène Desteuque"
    place.save()
    url = f"/lieux/{place.pk}/signaler-une-erreur/"
    assert "Ce champ est obligatoire." in text(client.post(url, {"message": ""}))
    settings.PUBLIC_FORM_SENDINGS_PER_HOUR = 1
    client.post(url, {"message": "Faux numéro"})
    assert "Trop d'envois" in text(client.post(url, {"message": "Faux numéro"}))


def test_the_home_page_opens_on_finding_a_place_near_me(client: Any, world: World) -> None:
    content = text(client.get("/"))
    assert 'action="/lieux/"' in content and 'name="ou"' in content
    assert "Trouver un lieu près de chez moi" in content
    for offer in ("Où apprendre près de chez moi", "Où s'équiper près de chez moi"):
        assert offer in content
    assert 'href="/lieux/?offre=sim&offre=refugies&offre=acces"' in content


def test_a_search_shows_the_coming_public_workshops_near_the_commune(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    soon = timezone.now() + timedelta(days=2)
    Workshop.objects.create(
        title="Faire ses démarches en ligne",
        structure=around_reims["tinqueux"],
        starts_at=soon,
        is_public=True,
        capacity=6,
    )
    Workshop.objects.create(
        title="Trop loin", structure=around_reims["charleville"], starts_at=soon, is_public=True
    )
    Workshop.objects.create(
        title="Déjà passé",
        structure=around_reims["reims"],
        starts_at=soon - timedelta(days=5),
        is_public=True,
    )
    content = text(client.get("/lieux/", {"ou": "Reims", "rayon": "20"}))
    assert "Prochains ateliers ouverts à tous près de Reims" in content
    assert "Faire ses démarches en ligne" in content and "6 places libres" in content
    assert "Médiathèque de Tinqueux</a>, Tinqueux" in content
    assert "Trop loin" not in content and "Déjà passé" not in content


def test_a_search_without_a_distance_shows_the_distance_it_used(
    client: Any, around_reims: dict[str, Structure]
) -> None:
    content = text(client.get("/lieux/", {"ou": "Reims"}))
    assert '<option value="20" selected>' in content and "à moins de 20 km de Reims" in content


def test_online_booking_keeps_the_places_where_something_can_be_booked(
    client: Any, world: World, around_reims: dict[str, Structure]
) -> None:
    soon = timezone.now() + timedelta(days=3)
    Workshop.objects.create(
        title="Atelier", structure=around_reims["reims"], starts_at=soon, is_public=True
    )
    DropInSlot.objects.create(
        facilitator=world.personas["mediator"], structure=around_reims["tinqueux"], starts_at=soon
    )
    DropInSlot.objects.create(
        facilitator=world.personas["mediator"],
        structure=around_reims["epernay"],
        starts_at=soon,
        bookable_seats=0,
    )
    found = _names(client.get("/lieux/", {"ou": "Reims", "rayon": "50", "rdv": "on"}))
    assert found == ["Espace numérique de Reims", "Médiathèque de Tinqueux"]


def test_the_networks_own_site_is_a_place_from_the_start_never_a_relay(
    client: Any, world: World, client_as: Any
) -> None:
    from maillage.network.enums import RelayStatus, StructureKind
    from maillage.public.opendata import records

    site = StructureFactory.create(
        name="Antenne du réseau à Reims",
        commune=world.reims,
        address="12 rue de Vesle",
        kind=StructureKind.NETWORK_SITE,
    )
    assert site.is_public and site.public_since == timezone.localdate()
    found = text(client.get("/lieux/", {"ou": "Reims"}))
    assert "Antenne du réseau à Reims" in found
    assert "Antenne du réseau</p>" in text(client.get(f"/lieux/{site.pk}/"))
    assert [r["typologie"] for r in records() if r["nom"] == site.name] == ["ASSO"]
    # Not a partner on the relays' journey: no status to move, not in the pipeline's counts.
    counts = dict(Structure.objects.filter(commune=world.reims).count_by_relay_status())
    before = Structure.objects.filter(commune=world.reims).exclude(pk=site.pk).count()
    assert sum(counts.values()) == before
    manager = client_as("territory_manager")
    response = manager.post(
        f"/reseau/structures/{site.pk}/statut/", {"target": RelayStatus.CANDIDATE}
    )
    assert response.status_code == 404
    site.refresh_from_db()
    assert site.relay_status == RelayStatus.PROSPECT
