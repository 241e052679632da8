"""Figures about people never single anyone out: below the national team, a cell about 1 to 10
people is withheld (« secret »), with one more cell when a single one would be found by
subtraction, on the dashboard, in the charts, the reports, the targets and the API."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from maillage.accounts.models import ApiToken
from maillage.core.indicators import Filters
from maillage.impact.figures import Figures
from maillage.impact.pdf import narrative
from maillage.impact.publication import SECRET, Disclosure
from maillage.impact.report import report_data, report_xlsx
from maillage.programmes.models import Target
from tests.conftest import World, text
from tests.impact.test_dashboard import DASHBOARD, YEAR, row_of, shown

WITHHELD = Disclosure(exact=False)
EXACT = Disclosure(exact=True)


class Cell:
    """A stand-in for the figures of one cell."""

    def __init__(self, **values: Any) -> None:
        self.values = values

    def value(self, code: str) -> Any:
        return self.values[code]

    def gender_counts(self) -> tuple[int, int]:
        return self.values["women"], self.values["men"]


def test_a_small_count_of_people_is_withheld_with_its_complement() -> None:
    cells: Any = [Cell(people_accompanied=n) for n in (0, 5, 40, 30)]
    assert WITHHELD.column("people_accompanied", cells) == [0, SECRET, 40, SECRET]
    assert EXACT.column("people_accompanied", cells) == [0, 5, 40, 30]


def test_counts_that_are_not_people_are_shown_as_they_are() -> None:
    cells: Any = [Cell(parcours_realised=n) for n in (2, 40)]
    assert WITHHELD.column("parcours_realised", cells) == [2, 40]


def test_a_share_or_an_age_is_withheld_when_the_people_behind_it_are_few() -> None:
    few_men: Any = Cell(women_share=0.8, average_age=61.0, people_accompanied=45, women=40, men=5)
    many: Any = Cell(women_share=0.5, average_age=61.0, people_accompanied=40, women=20, men=20)
    few: Any = Cell(women_share=0.5, average_age=61.0, people_accompanied=8, women=4, men=4)
    assert WITHHELD.column("women_share", [few_men, many]) == [SECRET, 0.5]
    assert WITHHELD.column("average_age", [few_men, many, few]) == [61.0, 61.0, SECRET]


def test_an_age_band_of_few_people_is_withheld() -> None:
    bands = {"16-24": 0, "25-39": 3, "40-59": 25, "60-69": 14, "70+": 0}
    cell: Any = Cell(age_bands=bands)
    assert WITHHELD.value(cell, "age_bands") == {**bands, "25-39": SECRET, "60-69": SECRET}


def test_a_territory_manager_reads_secret_where_the_national_team_reads_six(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(client_as("territory_manager").get(DASHBOARD, YEAR))
    national = text(client_as("admin").get(DASHBOARD, YEAR))

    assert shown(page, "Personnes accompagnées") == "secret"
    assert shown(page, "Part des femmes") == "secret"
    assert shown(page, "Parcours réalisés") == "2"
    assert shown(national, "Personnes accompagnées") == "7"
    summary = page.split('id="table-')[0]
    assert "/mesurer/tableau-de-bord/parcours_realised/" in summary
    assert "/mesurer/tableau-de-bord/people_accompanied/" not in summary
    chart = page.split('id="chart-people_accompanied"')[1].split("</section>")[0]
    assert "secret" in chart


def test_a_breakdown_withholds_the_small_cell_and_its_complement(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    page = text(client_as("regional_manager").get(DASHBOARD, YEAR))
    assert row_of(page, "department", "Marne (51)")[:2] == ["2", "secret"]


def test_the_api_cannot_single_out_two_people_in_a_departement(
    world: World, dataset: dict[str, Any]
) -> None:
    key = ApiToken.issue(world.personas["funder"])
    month = {"from": "2023-03-01", "to": "2023-03-31", "department": "51"}
    body = Client().get("/api/v1/statistics", month, HTTP_AUTHORIZATION=f"Bearer {key}").json()

    indicators = body["indicators"]
    assert indicators["people_accompanied"] == "secret"
    assert indicators["women_share"] == "secret"
    assert indicators["average_age"] == "secret"
    assert "secret" in indicators["age_bands"].values()
    assert indicators["parcours_realised"] == 1


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2023-03-06", "to": "2023-03-06"},
        {"from": "2023-03-01", "to": "2023-03-30"},
        {"from": "2023-03-02", "to": "2023-04-30"},
    ],
)
def test_the_api_answers_whole_months_only(world: World, period: dict[str, str]) -> None:
    key = ApiToken.issue(world.personas["funder"])
    response = Client().get("/api/v1/statistics", period, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert "mois entiers" in response.json()["error"]


def test_a_funders_report_withholds_small_counts_in_every_format(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    response = client_as("funder").get(
        f"/mesurer/programmes/{world.ruralite.slug}/rapport.json",
        {"du": "2023-01-01", "au": "2023-12-31"},
    )
    data = json.loads(response.content)
    assert data["indicators"]["people_accompanied"] == "secret"
    assert data["indicators"]["parcours_realised"] == 2
    assert data["breakdowns"]["department"]["51"]["people_accompanied"] == "secret"
    pdf = client_as("funder").get(
        f"/mesurer/programmes/{world.ruralite.slug}/rapport.pdf",
        {"du": "2023-01-01", "au": "2023-12-31"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    withheld = report_data(world.ruralite, date(2023, 1, 1), date(2023, 12, 31), WITHHELD)
    sheet = load_workbook(io.BytesIO(report_xlsx(world.ruralite, withheld))).active
    assert sheet is not None
    assert ["Personnes accompagnées", "people_accompanied", "secret"] in [
        list(row[:3]) for row in sheet.iter_rows(values_only=True)
    ]
    sentences = " ".join(narrative(withheld, date(2023, 1, 1), date(2023, 12, 31)))
    assert "moins de 11 personnes (nombre non publié)" in sentences
    assert "sont des femmes" not in sentences


def test_a_target_about_few_people_shows_no_count(
    client_as, world: World, dataset: dict[str, Any]
) -> None:
    Target.objects.create(
        programme=world.ruralite,
        indicator="people_accompanied",
        value=500,
        deadline=date(2023, 12, 31),
    )
    page = text(client_as("funder").get(world.ruralite.get_absolute_url()))
    assert "secret / 500 — moins de 11 personnes, nombre non publié" in page
    national = text(client_as("admin").get(world.ruralite.get_absolute_url()))
    assert "secret / 500" not in national


def test_the_national_team_reads_every_figure(world: World, dataset: dict[str, Any]) -> None:
    figures = Figures(Filters(date(2023, 1, 1), date(2024, 1, 1)))
    assert EXACT.value(figures, "people_accompanied") == 7
