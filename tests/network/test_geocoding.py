"""Every structure is on the map: at its commune's centre at first, at its address once the
geocoding service found it, or where staff put the pin, which nothing moves afterwards."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.core.management import call_command

from maillage.network import geocoding
from maillage.network.enums import LocationSource
from maillage.network.geocoding import AddressService, Found, Geocoder, GeocodingError
from maillage.network.models import Structure
from tests.conftest import World, text
from tests.factories import StructureFactory

FAKE = "tests.network.test_geocoding.FakeGeocoder"


class FakeGeocoder(Geocoder):
    """Finds the addresses it knows, and remembers what it was asked."""

    known: ClassVar[dict[str, Found]] = {
        "9 rue Eugène Desteuque": Found(49.2561, 4.0302),
        "1 place de l'Hôtel de Ville": Found(49.2539, 4.0337),
    }
    asked: ClassVar[list[tuple[str, str, str]]] = []
    unreachable: ClassVar[bool] = False

    def find(self, address: str, postal_code: str, commune_code: str) -> Found | None:
        if self.unreachable:
            raise GeocodingError("connection refused")
        self.asked.append((address, postal_code, commune_code))
        return self.known.get(address)


@pytest.fixture
def service(settings: Any) -> Iterator[type[FakeGeocoder]]:
    settings.GEOCODER_BACKEND = FAKE
    FakeGeocoder.asked.clear()
    FakeGeocoder.unreachable = False
    yield FakeGeocoder
    FakeGeocoder.unreachable = False


FORM = {"name": "Espace de vie sociale", "kind": "social_centre", "commune": "Reims (51100)"}


def test_a_new_structure_is_shown_at_its_communes_centre(world: World) -> None:
    structure = StructureFactory.create(commune=world.reims)
    assert structure.position == (49.25, 4.03)
    assert structure.location_source == LocationSource.COMMUNE


def test_a_structure_whose_commune_has_no_centre_is_nowhere_until_placed(world: World) -> None:
    world.reims.latitude = world.reims.longitude = None
    world.reims.save()
    structure = StructureFactory.create(commune=world.reims)
    assert structure.position is None and structure.location_source == ""


def test_an_address_typed_by_staff_is_geocoded_after_the_save(
    client_as, world: World, service: type[FakeGeocoder], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_as("mediator").post(
            "/reseau/structures/nouvelle/", {**FORM, "address": "9 rue Eugène Desteuque"}
        )
    structure = Structure.objects.get(name="Espace de vie sociale")
    assert service.asked == [("9 rue Eugène Desteuque", "51100", "51454")]
    assert structure.position == (49.2561, 4.0302)
    assert structure.location_source == LocationSource.ADDRESS
    assert structure.geocoded_at is not None


def test_an_address_the_service_does_not_find_stays_at_the_communes_centre(
    client_as, world: World, service: type[FakeGeocoder], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_as("mediator").post(
            "/reseau/structures/nouvelle/", {**FORM, "address": "lieu-dit inconnu"}
        )
    structure = Structure.objects.get(name="Espace de vie sociale")
    assert structure.position == (49.25, 4.03)
    assert structure.location_source == LocationSource.COMMUNE
    assert structure.geocoded_at is not None


def test_staff_move_the_pin_and_nothing_moves_it_back_until_the_address_changes(
    client_as, world: World, service: type[FakeGeocoder], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("relay_referent")
    url = f"/reseau/structures/{world.ccas_reims.pk}/modifier/"
    base = {"name": "CCAS de Reims", "kind": "ccas_cias", "commune": "Reims (51100)"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**base, "latitude": "49.2601", "longitude": "4.0299"})
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.position == (49.2601, 4.0299)
    assert world.ccas_reims.location_source == LocationSource.STAFF
    assert service.asked == []
    # Another edit keeps the pin; the batch never sends a pinned place.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {**base, "latitude": "49.2601", "longitude": "4.0299", "phone": "03 26 00 00 00"}
        )
    call_command("geocode_structures", stdout=io.StringIO())
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.position == (49.2601, 4.0299) and service.asked == []
    # A new address: the old pin is forgotten and the new address geocoded.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                **base,
                "latitude": "49.2601",
                "longitude": "4.0299",
                "address": "1 place de l'Hôtel de Ville",
            },
        )
    world.ccas_reims.refresh_from_db()
    assert world.ccas_reims.position == (49.2539, 4.0337)
    assert world.ccas_reims.location_source == LocationSource.ADDRESS


def test_the_edit_page_shows_the_pin_to_move_beside_the_coordinates(
    client_as, world: World
) -> None:
    content = text(
        client_as("relay_referent").get(f"/reseau/structures/{world.ccas_reims.pk}/modifier/")
    )
    assert "Position sur la carte" in content and "data-pin-map" in content
    assert 'data-lat="49.250000"' in content and 'data-lon="4.030000"' in content
    assert 'name="latitude"' in content and 'name="longitude"' in content
    assert "vendor/leaflet/leaflet.js" in content


def test_the_batch_is_bounded_and_goes_on_where_it_stopped(
    world: World, service: type[FakeGeocoder]
) -> None:
    for address in ["9 rue Eugène Desteuque", "1 place de l'Hôtel de Ville", "lieu-dit inconnu"]:
        StructureFactory.create(commune=world.reims, address=address)
    out = io.StringIO()
    call_command("geocode_structures", "--limit", "2", "--pause", "0", stdout=out)
    assert len(service.asked) == 2
    assert "2 adresses trouvées, 0 non trouvées" in out.getvalue()
    assert "1 à géocoder" in out.getvalue()
    out = io.StringIO()
    call_command("geocode_structures", "--pause", "0", stdout=out)
    assert [a for a, _, _ in service.asked][2:] == ["lieu-dit inconnu"]
    assert "0 adresses trouvées, 1 non trouvées" in out.getvalue()
    assert "0 à géocoder" in out.getvalue()


def test_the_batch_stops_when_the_service_is_out_of_reach_and_retries_later(
    world: World, service: type[FakeGeocoder]
) -> None:
    StructureFactory.create(commune=world.reims, address="9 rue Eugène Desteuque")
    service.unreachable = True
    err = io.StringIO()
    call_command("geocode_structures", "--pause", "0", stdout=io.StringIO(), stderr=err)
    assert "Service injoignable" in err.getvalue()
    service.unreachable = False
    call_command("geocode_structures", "--pause", "0", stdout=io.StringIO())
    assert Structure.objects.get(address="9 rue Eugène Desteuque").position == (49.2561, 4.0302)


def test_without_a_service_the_batch_says_so(world: World) -> None:
    out = io.StringIO()
    call_command("geocode_structures", stdout=out)
    assert "Aucun service de géocodage" in out.getvalue()


class _Answer(io.BytesIO):
    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _national_service_answers(monkeypatch: Any, answer: Any) -> list[str]:
    urls: list[str] = []

    def urlopen(url: str, timeout: float) -> _Answer:
        urls.append(url)
        if isinstance(answer, Exception):
            raise answer
        return _Answer(json.dumps(answer).encode())

    monkeypatch.setattr(geocoding.urllib.request, "urlopen", urlopen)
    return urls


def test_the_national_service_gives_the_best_match_in_the_commune(
    monkeypatch: Any, settings: Any
) -> None:
    settings.GEOCODER_URL = "https://geocodage.example/search"
    feature = {"geometry": {"coordinates": [6.0787, 44.5594]}, "properties": {"score": 0.93}}
    urls = _national_service_answers(monkeypatch, {"features": [feature]})
    found = AddressService().find("12 rue de France", "05000", "05061")
    assert found == Found(latitude=44.5594, longitude=6.0787)
    assert urls == [
        "https://geocodage.example/search?q=12+rue+de+France+05000&citycode=05061&limit=1"
    ]


def test_a_doubtful_match_or_no_match_is_not_kept(monkeypatch: Any) -> None:
    feature = {"geometry": {"coordinates": [6.0, 44.0]}, "properties": {"score": 0.31}}
    _national_service_answers(monkeypatch, {"features": [feature]})
    assert AddressService().find("quelque part", "05000", "05061") is None
    _national_service_answers(monkeypatch, {"features": []})
    assert AddressService().find("nulle part", "05000", "05061") is None


def test_an_unreachable_service_is_an_error_to_retry(monkeypatch: Any) -> None:
    _national_service_answers(monkeypatch, OSError("timed out"))
    with pytest.raises(GeocodingError):
        AddressService().find("12 rue de France", "05000", "05061")
