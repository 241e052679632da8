"""The statistics API: a key per person, the same scope as the indicators page, a rate limit,
and an OpenAPI description."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from maillage.accounts.models import ApiToken, User
from maillage.core.models import AuditEvent
from maillage.learning import services
from maillage.learning.models import Cohort, Course
from tests.conftest import World, text

URL = "/api/v1/statistics"


@pytest.fixture
def parcours(world: World) -> None:
    for structure, person, programme in (
        (world.ccas_reims, world.alice, world.ruralite),
        (world.centre_social_lille, world.chloe, world.metropole),
    ):
        cohort = services.plan_cohort(
            Cohort(
                course=Course.objects.get(code="initiation-computer"),
                structure=structure,
                programme=programme,
            ),
            first=date(2023, 3, 6),
            at=time(14, 0),
            facilitators=[],
            by=None,
        )
        services.enrol(cohort, person, by=None)
        services.take_roll_call(cohort.sessions.get(number=1), {person.pk: "present"}, {}, by=None)


def call(world: World, persona: str, **params: Any) -> Any:
    key = ApiToken.issue(world.personas[persona])
    return Client().get(URL, params, HTTP_AUTHORIZATION=f"Bearer {key}")


YEAR = {"from": "2023-01-01", "to": "2023-12-31"}


def test_the_national_team_reads_every_indicator(world: World, parcours: None) -> None:
    response = call(world, "admin", **YEAR)
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2023-01-01" and body["to"] == "2023-12-31"
    assert body["indicators"]["parcours_realised"] == 2
    assert body["indicators"]["people_accompanied"] == 2


def test_a_territory_manager_reads_their_departement_only(world: World, parcours: None) -> None:
    body = call(world, "territory_manager", **YEAR).json()
    assert body["indicators"]["parcours_realised"] == 1
    assert call(world, "territory_manager", department="59", **YEAR).status_code == 404
    assert call(world, "territory_manager", department="51", **YEAR).status_code == 200


def test_a_funder_reads_the_figures_of_their_programmes(world: World, parcours: None) -> None:
    body = call(world, "funder", indicators="parcours_realised", **YEAR).json()
    assert body["indicators"] == {"parcours_realised": 1}
    assert call(world, "funder", programme="metropole", **YEAR).status_code == 404


def test_a_funder_narrows_to_the_places_of_their_programmes_partners(
    world: World, parcours: None
) -> None:
    marne = call(world, "funder", department="51", indicators="parcours_realised", **YEAR)
    assert marne.json()["indicators"] == {"parcours_realised": 1}
    grand_est = call(world, "funder", region="44", indicators="parcours_realised", **YEAR)
    assert grand_est.json()["indicators"] == {"parcours_realised": 1}
    assert call(world, "funder", department="59", **YEAR).status_code == 404
    assert call(world, "funder", region="32", **YEAR).status_code == 404


def test_the_national_team_may_ask_for_any_departement(world: World, parcours: None) -> None:
    body = call(world, "admin", department="51", indicators="parcours_realised", **YEAR).json()
    assert body["indicators"] == {"parcours_realised": 1}
    assert call(world, "admin", department="99", **YEAR).status_code == 404


def test_breakdowns_by_department_and_by_month(world: World, parcours: None) -> None:
    body = call(world, "admin", by="department", indicators="parcours_realised", **YEAR).json()
    assert body["breakdown"] == {
        "08": {"parcours_realised": 0},
        "51": {"parcours_realised": 1},
        "59": {"parcours_realised": 1},
    }
    months = call(world, "admin", by="month", indicators="sessions_held", **YEAR).json()
    assert list(months["breakdown"])[:3] == ["2023-01", "2023-02", "2023-03"]
    assert months["breakdown"]["2023-03"]["sessions_held"] >= 2


def test_a_long_computation_stops_at_its_budget_and_resumes_at_the_next_request(
    world: World, parcours: None, settings: Any
) -> None:
    """Each request computes live figures for its budget only (here: one figure), answers 503
    with Retry-After, and the next one resumes where it stopped, until the whole answer."""
    params = {"by": "department", "indicators": "sims_sold,applications,parcours_realised"}
    whole = call(world, "admin", **params, **YEAR).json()
    settings.API_COMPUTATION_MILLISECONDS = 0
    cache.clear()
    key = ApiToken.issue(world.personas["admin"])
    answers = []
    for _ in range(20):
        response = Client().get(URL, {**params, **YEAR}, HTTP_AUTHORIZATION=f"Bearer {key}")
        answers.append(response.status_code)
        if response.status_code == 200:
            break
        assert response["Retry-After"] == "2"
        assert "Réessayez dans 2 secondes" in response.json()["error"]
    # Two live figures, national then for each of the three départements: one each time.
    assert answers == [503] * 8 + [200]
    assert response.json() == whole


def test_a_breakdown_by_kind_of_device(world: World, parcours: None) -> None:
    body = call(world, "admin", by="device_kind", **YEAR).json()
    assert set(body["breakdown"]) == {"laptop", "desktop", "tablet", "smartphone", "basic_phone"}
    assert body["breakdown"]["smartphone"] == {
        "devices_received": 0,
        "devices_refurbished": 0,
        "devices_sold": 0,
        "devices_given": 0,
        "devices_lent": 0,
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "hier"}, "AAAA-MM-JJ"),
        ({"from": "2023-12-31", "to": "2023-01-01"}, "précéder"),
        ({"indicators": "parcours_realised,inconnu"}, "inconnu"),
        ({"by": "couleur"}, "Ventilation inconnue"),
        ({"course": "cuisine"}, "Parcours inconnu"),
    ],
)
def test_bad_parameters_are_refused_with_a_french_message(
    world: World, params: dict[str, str], message: str
) -> None:
    response = call(world, "admin", **params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_no_key_a_wrong_key_or_a_revoked_key_is_refused(world: World, client_as: Any) -> None:
    assert Client().get(URL).status_code == 401
    wrong = Client().get(URL, HTTP_AUTHORIZATION="Bearer mlg_nimportequoi")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
    key = ApiToken.issue(world.personas["admin"])
    ApiToken.issue(world.personas["admin"])  # replaced
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_key_dies_with_its_account(world: World) -> None:
    key = ApiToken.issue(world.personas["admin"])
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    User.objects.filter(pk=world.personas["admin"].pk).update(is_active=False)
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_person_without_a_role_gets_no_figures(world: World) -> None:
    assert call(world, "stranger").status_code == 403


def test_the_rate_limit_answers_429_with_the_wait(world: World, settings: Any) -> None:
    settings.API_RATE_LIMIT = 2
    key = ApiToken.issue(world.personas["admin"])
    client = Client()
    statuses = [client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert 1 <= int(refused["Retry-After"]) <= 61


def test_the_openapi_document_lists_every_indicator(world: World) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    properties = document["components"]["schemas"]["Indicators"]["properties"]
    assert "people_accompanied" in properties and "women_share" in properties
    assert "/api/v1/statistics" in document["paths"]


def test_a_person_creates_replaces_and_revokes_their_key(world: World, client_as: Any) -> None:
    client = client_as("funder")
    assert "Vous n'avez pas de jeton" in text(client.get("/espace/jeton-api/"))
    page = text(client.post("/espace/jeton-api/", {"action": "issue"}))
    assert "il ne sera plus jamais affiché" in page
    token = ApiToken.objects.get(user=world.personas["funder"])
    assert AuditEvent.objects.filter(note="api token", action="create").exists()
    client.post("/espace/jeton-api/", {"action": "revoke"})
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEvent.objects.filter(note="api token", action="delete").exists()
