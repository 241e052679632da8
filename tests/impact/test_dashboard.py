"""The dashboard of each role's scope: the place it opens on, the breakdowns one level below,
the filters, and the records behind each figure."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from maillage.core.indicators import Filters
from maillage.impact.forms import last_twelve_months
from tests.conftest import World, text

DASHBOARD = "/mesurer/tableau-de-bord/"
YEAR = {"du": "2023-01", "au": "2023-12"}


def records(code: str) -> str:
    return f"{DASHBOARD}{code}/"


def shown(page: str, label: str) -> str:
    """The value of an indicator in the dashboard's table (linked or not to its records)."""
    cell = page.split(f"{label}</th>", 1)[1].split("</td>", 1)[0]
    return re.sub(r"<[^>]+>", "", cell).strip()


@pytest.mark.usefixtures("every_count_shown")
def test_the_indicators_page_shows_the_scope_figures_and_definitions(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(
        client_as("territory_manager").get(
            "/mesurer/tableau-de-bord/", {"du": "2023-01", "au": "2023-12"}
        )
    )
    assert "Personnes accompagnées" in page and "Comment est-ce calculé ?" in page
    assert "une personne n'est jamais comptée deux fois" in page
    national = text(
        client_as("admin").get("/mesurer/tableau-de-bord/", {"du": "2023-01", "au": "2023-12"})
    )
    assert shown(national, "Parcours réalisés") == "3"  # Reims (2) and Lille (1)
    assert shown(page, "Parcours réalisés") == "2"  # the Marne only
    assert shown(page, "Personnes accompagnées") == "6"


def test_a_funder_reads_the_figures_of_their_programmes_only(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    response = client_as("funder").get(
        "/mesurer/tableau-de-bord/",
        {"du": "2023-01", "au": "2023-12", "programme": world.metropole.slug},
    )
    assert "Sélectionnez un choix valide" in text(response)
    page = text(
        client_as("funder").get("/mesurer/tableau-de-bord/", {"du": "2023-01", "au": "2023-12"})
    )
    assert shown(page, "Parcours réalisés") == "2"  # the two Ruralité parcours, not Lille's


def test_a_bad_period_is_refused_and_a_stranger_sees_nothing(client_as, world: World) -> None:
    page = text(
        client_as("admin").get("/mesurer/tableau-de-bord/", {"du": "2023-12", "au": "2023-01"})
    )
    assert "La fin de la période ne peut pas précéder son début" in page
    assert client_as("stranger").get("/mesurer/tableau-de-bord/").status_code == 404


def test_the_page_charts_the_figures_month_by_month_with_a_table(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(
        client_as("admin").get("/mesurer/tableau-de-bord/", {"du": "2023-01", "au": "2023-12"})
    )
    assert page.count('<svg viewBox="0 0 640 200" role="img"') == 2
    chart = page.split('id="chart-parcours_realised"')[1].split("</section>")[0]
    values = re.findall(r'<th scope="row">[^<]+</th><td class="number">([^<]+)</td>', chart)
    assert len(values) == 12 and sum(float(v) for v in values) == 3  # March, June, September
    assert chart.count("<rect ") == 12
    too_long = text(
        client_as("admin").get("/mesurer/tableau-de-bord/", {"du": "2015-01", "au": "2023-12"})
    )
    assert "<svg" not in too_long


def title(page: str) -> str:
    return re.sub(r"\s+", " ", page.split("<h1>", 1)[1].split("</h1>", 1)[0]).strip()


def table(page: str, dimension: str) -> str:
    return page.split(f'id="table-{dimension}"', 1)[1].split("</section>", 1)[0]


def row_of(page: str, dimension: str, label: str) -> list[str]:
    """The figures of one row of a breakdown table, as shown."""
    row = table(page, dimension).split(f">{label}</a></th>", 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</td>")[:-1]]


def test_the_national_team_opens_on_the_country_broken_down_by_region(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(client_as("admin").get(DASHBOARD, YEAR))
    assert title(page) == "Tableau de bord — National"
    assert row_of(page, "region", "Grand Est")[:2] == ["2", "6"]  # parcours, people
    assert row_of(page, "region", "Hauts-de-France")[:2] == ["1", "1"]
    assert f"?du=2023-01&amp;au=2023-12&amp;territoire=r%3A{world.grand_est.pk}" in (
        table(page, "region").replace("&", "&amp;")
    )
    assert row_of(page, "programme", "Ruralité")[0] == "2"
    assert row_of(page, "course", "Initiation tablette")[0] == "1"


@pytest.mark.usefixtures("every_count_shown")
def test_a_region_opens_on_its_departements_and_a_departement_on_its_structures(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    region = text(client_as("regional_manager").get(DASHBOARD, YEAR))
    assert title(region) == "Tableau de bord — Grand Est"
    assert row_of(region, "department", "Marne (51)")[:2] == ["2", "6"]
    assert "Nord (59)" not in table(region, "department")
    marne = text(
        client_as("regional_manager").get(DASHBOARD, {**YEAR, "territoire": f"d:{world.marne.pk}"})
    )
    assert title(marne) == "Tableau de bord — Marne (51)"
    assert row_of(marne, "structure", "CCAS de Reims")[:2] == ["2", "6"]
    assert ">Grand Est</a>" in marne  # the level above, one click away


@pytest.mark.usefixtures("every_count_shown")
def test_a_structure_opens_on_its_courses(client_as, world: World, dataset: dict[str, Any]) -> None:
    page = text(
        client_as("territory_manager").get(
            DASHBOARD,
            {**YEAR, "territoire": f"d:{world.marne.pk}", "structure": world.ccas_reims.pk},
        )
    )
    assert title(page) == "Tableau de bord — CCAS de Reims"
    assert row_of(page, "course", "Initiation tablette")[:2] == ["1", "1"]  # Alice
    assert 'id="table-structure"' not in page
    referent = text(client_as("relay_referent").get(DASHBOARD, YEAR))
    assert title(referent) == "Tableau de bord — CCAS de Reims"
    assert shown(referent, "Parcours réalisés") == "2"


def test_places_outside_the_scope_answer_404(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    manager = client_as("regional_manager")
    assert (
        manager.get(DASHBOARD, {"territoire": f"r:{world.hauts_de_france.pk}"}).status_code == 404
    )
    assert manager.get(DASHBOARD, {"territoire": f"d:{world.nord.pk}"}).status_code == 404
    assert manager.get(DASHBOARD, {"structure": world.centre_social_lille.pk}).status_code == 404
    referent = client_as("relay_referent")
    assert referent.get(DASHBOARD, {"structure": world.centre_social_lille.pk}).status_code == 404
    # A referent reads their structure, never a whole département, even their own.
    assert referent.get(DASHBOARD, {"territoire": f"d:{world.marne.pk}"}).status_code == 404
    assert f"d:{world.marne.pk}" not in text(referent.get(DASHBOARD))
    assert referent.get(records("parcours_realised"), {"territoire": "d:0"}).status_code == 404


def test_a_structure_outside_the_chosen_territory_is_dropped(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(
        client_as("admin").get(
            DASHBOARD,
            {
                **YEAR,
                "territoire": f"d:{world.marne.pk}",
                "structure": world.centre_social_lille.pk,
            },
        )
    )
    assert title(page) == "Tableau de bord — Marne (51)"


def test_a_funder_reads_aggregates_of_their_programmes_without_lists(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    funder = client_as("funder")
    page = text(funder.get(DASHBOARD, YEAR))
    assert title(page) == "Tableau de bord — Mes programmes"
    assert row_of(page, "programme", "Ruralité")[0] == "2"
    assert "Métropole" not in table(page, "programme")
    assert row_of(page, "department", "Marne (51)")[0] == "2"
    assert records("parcours_realised") not in page
    assert funder.get(records("parcours_realised"), YEAR).status_code == 404
    assert funder.get(DASHBOARD, {"structure": world.ccas_reims.pk}).status_code == 404
    marne = text(funder.get(DASHBOARD, {**YEAR, "territoire": f"d:{world.marne.pk}"}))
    assert 'id="table-structure"' not in marne  # aggregates only


@pytest.mark.usefixtures("every_count_shown")
def test_gender_and_course_filters_leave_out_the_figures_they_do_not_apply_to(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    women = text(client_as("territory_manager").get(DASHBOARD, {**YEAR, "genre": "woman"}))
    assert shown(women, "Personnes accompagnées") == "4"  # Alice, two anonymous, one drop-in
    assert shown(women, "Diagnostics") == "—"
    assert "Filtres : Femme." in women
    tablet = text(
        client_as("territory_manager").get(DASHBOARD, {**YEAR, "parcours": "initiation-tablet"})
    )
    assert shown(tablet, "Parcours réalisés") == "1"
    assert shown(tablet, "Ateliers") == "—"
    assert 'id="table-course"' not in tablet
    assert (
        client_as("territory_manager")
        .get(records("diagnostics"), {**YEAR, "genre": "woman"})
        .status_code
        == 404
    )


def test_a_month_typed_wrong_is_explained_and_the_last_twelve_months_are_shown(
    client_as, world: World
) -> None:
    page = text(client_as("admin").get(DASHBOARD, {"du": "2023-13", "au": "2023-12"}))
    assert "Indiquez un mois au format AAAA-MM, par exemple 2024-03." in page
    assert 'value="2023-13"' in page  # what was typed stays


def test_the_last_twelve_months_end_with_this_month() -> None:
    assert last_twelve_months(date(2026, 11, 22)) == (date(2025, 12, 1), date(2026, 11, 1))
    assert last_twelve_months(date(2026, 12, 5)) == (date(2026, 1, 1), date(2026, 12, 1))
    assert last_twelve_months(date(2027, 1, 31)) == (date(2026, 2, 1), date(2027, 1, 1))


def test_a_figure_links_to_the_records_behind_it(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    client = client_as("territory_manager")
    page = text(client.get(DASHBOARD, YEAR))
    assert f'href="{records("parcours_realised")}?du=2023-01&amp;au=2023-12"' in page.replace(
        "&", "&amp;"
    ).replace("&amp;amp;", "&amp;")
    cohorts = text(client.get(records("parcours_realised"), YEAR))
    assert "Le chiffre du tableau de bord : 2." in cohorts
    assert cohorts.count("Initiation") == 2 and "6 mars 2023" in cohorts
    assert "Centre social de Lille" not in cohorts
    people = text(client.get(records("people_accompanied"), YEAR))
    assert "Alice Exemple" in people and "Bertrand" in people
    assert "les participants anonymes n'ont pas de fiche" in people  # 6 reached, 2 named


def test_records_of_an_unknown_or_unlisted_indicator_answer_404(client_as, world: World) -> None:
    client = client_as("admin")
    assert client.get(records("no_such_indicator")).status_code == 404
    assert client.get(records("learner_hours")).status_code == 404


def test_a_request_never_widens_the_scope() -> None:
    scope = Filters(date(2023, 1, 1), date(2024, 1, 1), department_ids=frozenset({1, 2}))
    assert scope.restricted(department_ids=frozenset({2, 3})).department_ids == {2}
    assert scope.restricted(structure_ids=frozenset({9})).department_ids == {1, 2}
    # Nothing in common is nothing, not everything.
    assert scope.restricted(department_ids=frozenset({3})).department_ids == {-1}
    assert scope.restricted(course_codes=frozenset()).course_codes == {""}


@pytest.mark.usefixtures("every_count_shown")
def test_a_long_table_one_level_below_is_shown_a_page_at_a_time(client_as, world: World) -> None:
    from maillage.learning import services
    from maillage.learning.models import DropIn
    from tests.factories import StructureFactory
    from tests.impact.conftest import at

    for n in range(26):  # the CCAS of Reims and 26 more structures of the Marne, each active
        structure = StructureFactory.create(name=f"Lieu {n:02d}", commune=world.reims)
        services.record_drop_in(
            DropIn(
                structure=structure,
                gender="woman",
                age_band="40-59",
                themes=["procedures"],
                autonomy="guided",
                starts_at=at(date(2023, 5, 10), 10),
            ),
            by=world.personas["mediator"],
        )
    client = client_as("territory_manager")
    first = text(client.get(DASHBOARD, YEAR))
    assert table(first, "structure").count('<tr><th scope="row">') == 25
    assert "Page 1 sur 2" in first
    assert (
        'href="?du=2023-01&amp;au=2023-12&amp;page=2"'
        in client.get(DASHBOARD, YEAR).content.decode()
    )
    assert row_of(first, "structure", "CCAS de Reims")[:2] == ["0", "0"]  # every structure
    second = text(client.get(DASHBOARD, {**YEAR, "page": 2}))
    assert table(second, "structure").count('<tr><th scope="row">') == 2
    assert row_of(second, "structure", "Lieu 25")[:5] == ["0", "1", "0", "0", "1"]


def test_a_figure_reads_as_in_french() -> None:
    from django.utils import translation

    from maillage.impact.templatetags.figures import figure

    with translation.override("fr"):
        assert figure(None, "count") == "—"
        assert figure(0.62, "share") == "62 %"
        assert figure(59.3, "years") == "59,3 ans"
        assert figure(2789.4, "hours") == "2\xa0789 h"
        assert figure(3775, "count") == "3\xa0775"
        assert figure({"18-24": 5}, "distribution") == (
            '<ul class="distribution"><li>18 à 24 ans : 5</li></ul>'
        )
