from __future__ import annotations

import pytest
from django import forms
from django.test import Client

from maillage.territories.forms import CommuneField
from maillage.territories.loader import commune_centres, load_territories
from maillage.territories.models import Commune, Department, PostalCode, Region, normalise
from tests.conftest import World
from tests.factories import CommuneFactory, DepartmentFactory


def test_names_are_normalised_for_search() -> None:
    assert normalise("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert normalise("L'Haÿ-les-Roses") == "l hay les roses"


@pytest.mark.django_db
def test_the_shipped_files_load_every_territory_of_france() -> None:
    report = load_territories()
    assert report.regions == Region.objects.count() >= 18
    assert Department.objects.count() == report.departments >= 101
    assert report.communes == Commune.objects.count() > 34_000
    # Corsica and overseas départements are there, with their région.
    assert Department.objects.filter(code="2A", region__name="Corse").exists()
    assert Department.objects.filter(code="974", region__name="La Réunion").exists()
    assert Department.objects.get(code="976").name == "Mayotte"
    # Postal codes of municipal districts go to their commune.
    assert Commune.objects.get(code="75056").postal_codes.filter(code="75011").exists()
    assert Commune.objects.get(code="05093").name == "Névache"
    # Nearly every commune has a centre: Gap its own, Névache (362 inhabitants, too small for
    # GeoNames) the mean of the communes sharing its postal code, marked approximate.
    assert Commune.objects.filter(latitude__isnull=False).count() > 33_000
    gap = Commune.objects.get(code="05061")
    assert gap.centre == (44.55858, 6.07868) and not gap.centre_is_approximate
    nevache = Commune.objects.get(code="05093")
    assert nevache.centre_is_approximate
    assert nevache.centre is not None and 44.7 < nevache.centre[0] < 45.1
    # Loading again changes nothing.
    counts = (Commune.objects.count(), PostalCode.objects.count())
    load_territories()
    assert (Commune.objects.count(), PostalCode.objects.count()) == counts


def test_a_commune_too_small_for_geonames_is_centred_on_its_postal_code_neighbours(
    tmp_path: pytest.TempPathFactory,
) -> None:
    import gzip
    import json
    from pathlib import Path

    data_dir = Path(str(tmp_path))
    with gzip.open(data_dir / "commune-centres.json.gz", "wt") as handle:
        json.dump({"05023": [44.9, 6.64], "05161": [44.94, 6.56]}, handle)
    current = [
        {"code": "05023", "codesPostaux": ["05100"]},
        {"code": "05161", "codesPostaux": ["05240"]},
        {"code": "05093", "codesPostaux": ["05100", "05240"]},
        {"code": "05999", "codesPostaux": ["05999"]},
    ]
    centres = commune_centres(current, data_dir)
    assert centres["05023"] == (44.9, 6.64, False)
    assert centres["05093"] == (44.92, 6.6, True)
    assert "05999" not in centres


@pytest.fixture
def communes(world: World) -> dict[str, Commune]:
    """Reims (the world's), two other communes of the Marne and one of the Aube."""
    aube = DepartmentFactory.create(code="10", name="Aube")
    return {
        "reims": world.reims,
        "saint_brice": CommuneFactory.create(
            code="51486",
            name="Saint-Brice-Courcelles",
            department=world.marne,
            population=3000,
            postal_codes=["51370"],
        ),
        "saint_germain_marne": CommuneFactory.create(
            code="51480",
            name="Saint-Germain-la-Ville",
            department=world.marne,
            postal_codes=["51240"],
        ),
        "sainte_maure": CommuneFactory.create(
            code="10333", name="Sainte-Maure", department=aube, postal_codes=["10150"]
        ),
    }


def test_communes_are_found_by_name_without_accents_or_by_postal_code(communes: dict) -> None:
    assert list(Commune.objects.search("reims")) == [communes["reims"]]
    assert list(Commune.objects.search("brice")) == [communes["saint_brice"]]
    assert list(Commune.objects.search("513")) == [communes["saint_brice"]]
    assert not Commune.objects.search("").exists()


def test_the_commune_search_answers_htmx_with_suggestions(communes: dict) -> None:
    response = Client().get("/territoires/communes/", {"field": "commune", "commune": "sain"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saint-Brice-Courcelles (51370)" in content
    assert f'data-commune-id="{communes["sainte_maure"].pk}"' in content


def test_the_commune_search_says_when_nothing_matches(communes: dict) -> None:
    content = Client().get("/territoires/communes/", {"q": "zzzz"}).content.decode()
    assert "Aucune commune ne correspond à « zzzz »" in content


class _Form(forms.Form):
    commune = CommuneField()


def test_a_typed_name_matching_one_commune_is_accepted(communes: dict) -> None:
    form = _Form({"commune": "reims"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == communes["reims"]


def test_a_picked_suggestion_is_accepted(communes: dict) -> None:
    commune = communes["saint_brice"]
    form = _Form({"commune": commune.label, "commune_id": str(commune.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == commune


def test_a_name_with_its_postal_code_is_accepted_without_javascript(communes: dict) -> None:
    form = _Form({"commune": "Sainte-Maure (10150)"})
    assert form.is_valid(), form.errors


def test_an_ambiguous_name_offers_a_choice(communes: dict) -> None:
    form = _Form({"commune": "saint"})
    assert not form.is_valid()
    assert "Plusieurs communes correspondent" in form.errors["commune"][0]
    html = str(form["commune"])
    assert 'type="radio"' in html and "Saint-Germain-la-Ville" in html


def test_an_unknown_commune_is_refused_clearly(communes: dict) -> None:
    form = _Form({"commune": "Atlantide"})
    assert not form.is_valid()
    assert "Aucune commune ne correspond à « Atlantide »" in form.errors["commune"][0]


def test_an_empty_commune_is_required(communes: dict) -> None:
    form = _Form({"commune": ""})
    assert form.errors["commune"] == ["Indiquez une commune."]


def test_a_choice_among_the_offered_communes_is_accepted_without_javascript(communes: dict) -> None:
    chosen = communes["saint_germain_marne"]
    form = _Form({"commune": "saint", "commune_id": str(chosen.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == chosen


def test_a_stale_choice_does_not_override_a_new_text(communes: dict) -> None:
    form = _Form({"commune": "Sainte-Maure", "commune_id": str(communes["reims"].pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == communes["sainte_maure"]
