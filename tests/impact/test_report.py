from __future__ import annotations

import io
import json
import re
import zlib
from datetime import date, time

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from maillage.impact.pdf import narrative
from maillage.impact.publication import Disclosure
from maillage.impact.report import report_data, safe_cell
from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.programmes.models import Programme
from tests.conftest import World

EXACT = Disclosure(exact=True)


@pytest.fixture
def parcours(world: World) -> None:
    for code, structure in (
        ("initiation-computer", world.ccas_reims),
        ("initiation-tablet", world.mediatheque_charleville),
    ):
        cohort = services.plan_cohort(
            Cohort(
                course=Course.objects.get(code=code), structure=structure, programme=world.ruralite
            ),
            first=date(2023, 3, 6),
            at=time(14, 0),
            facilitators=[],
            by=None,
        )
        person = world.alice if structure == world.ccas_reims else world.bruno
        services.enrol(cohort, person, by=None)
        services.take_roll_call(cohort.sessions.get(number=1), {person.pk: "present"}, {}, by=None)


def test_the_report_holds_the_indicators_and_the_breakdowns(world: World, parcours: None) -> None:
    data = report_data(world.ruralite, date(2023, 1, 1), date(2023, 12, 31), EXACT)
    assert data["programme"] == "ruralite" and (data["from"], data["to"]) == (
        "2023-01-01",
        "2023-12-31",
    )
    assert (
        data["indicators"]["parcours_realised"] == 2
        and data["indicators"]["people_accompanied"] == 2
    )
    assert data["breakdowns"]["department"]["51"]["parcours_realised"] == 1
    assert data["breakdowns"]["department"]["08"]["people_accompanied"] == 1
    assert data["breakdowns"]["course"]["initiation-tablet"] == {
        **data["breakdowns"]["course"]["initiation-tablet"],
        "parcours_realised": 1,
    }
    assert "workshops" not in data["breakdowns"]["course"]["initiation-tablet"]  # not by course


def test_the_command_writes_json_and_xlsx(world: World, parcours: None, tmp_path, capsys) -> None:
    call_command(
        "impact_report", "--programme", "ruralite", "--from", "2023-01-01", "--to", "2023-12-31"
    )
    assert json.loads(capsys.readouterr().out)["indicators"]["parcours_realised"] == 2
    output = tmp_path / "rapport.xlsx"
    call_command(
        "impact_report",
        "--programme",
        "ruralite",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--format",
        "xlsx",
        "--output",
        str(output),
    )
    workbook = load_workbook(output)
    assert workbook.sheetnames == [
        "Indicateurs",
        "Par département",
        "Par parcours",
        "Par type d'équipement",
    ]
    rows = {
        row[1]: row[2] for row in workbook["Indicateurs"].iter_rows(min_row=5, values_only=True)
    }
    assert rows["parcours_realised"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--programme", "inconnu", "--from", "2023-01-01", "--to", "2023-12-31"],
            "Aucun programme",
        ),
        (["--programme", "ruralite", "--from", "hier", "--to", "2023-12-31"], "AAAA-MM-JJ"),
        (["--programme", "ruralite", "--from", "2023-12-31", "--to", "2023-01-01"], "précède"),
        (
            [
                "--programme",
                "ruralite",
                "--from",
                "2023-01-01",
                "--to",
                "2023-12-31",
                "--format",
                "xlsx",
            ],
            "--output",
        ),
    ],
)
def test_the_command_refuses_bad_arguments(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("impact_report", *args)


def test_spreadsheet_cells_cannot_run_formulas(world: World) -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+33 6") == "'+33 6" and safe_cell("Reims") == "Reims" and safe_cell(3) == 3
    Programme.objects.filter(pk=world.ruralite.pk).update(name="=1+1")
    world.ruralite.refresh_from_db()
    from maillage.impact.report import report_xlsx

    workbook = load_workbook(
        io.BytesIO(
            report_xlsx(
                world.ruralite,
                report_data(world.ruralite, date(2023, 1, 1), date(2023, 1, 31), EXACT),
            )
        )
    )
    assert workbook["Indicateurs"]["A1"].value == "'=1+1"


def test_a_funder_downloads_the_report_of_their_programme_only(
    client_as, world: World, parcours: None
) -> None:
    client = client_as("funder")
    response = client.get(
        "/mesurer/programmes/ruralite/rapport.json", {"du": "2023-01-01", "au": "2023-12-31"}
    )
    assert (
        response.status_code == 200
        and json.loads(response.content)["indicators"]["parcours_realised"] == 2
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get("/mesurer/programmes/ruralite/rapport.xlsx").status_code == 200
    assert client.get("/mesurer/programmes/metropole/rapport.json").status_code == 404
    assert client.get("/mesurer/programmes/ruralite/rapport.csv").status_code == 404
    bad = client.get(
        "/mesurer/programmes/ruralite/rapport.json", {"du": "2023-12-31", "au": "2023-01-01"}
    )
    assert bad.status_code == 400


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: enough to find its structure and metadata."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_pdf_report_tells_the_figures_in_french_and_is_tagged(
    world: World, parcours: None, tmp_path
) -> None:
    output = tmp_path / "rapport.pdf"
    call_command(
        "impact_report",
        *("--programme", "ruralite", "--from", "2023-01-01", "--to", "2023-12-31"),
        *("--format", "pdf", "--output", str(output)),
    )
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    inside = pdf_text(pdf)
    assert b"/StructTreeRoot" in inside and b"/Lang" in inside and b"pdfuaid" in inside


def test_the_narrative_is_written_from_the_figures(world: World, parcours: None) -> None:
    data = report_data(world.ruralite, date(2023, 1, 1), date(2023, 12, 31), EXACT)
    sentences = narrative(data, date(2023, 1, 1), date(2023, 12, 31))
    assert sentences[0] == (
        "En douze mois, 2 parcours ont été réalisés dans 2 départements, "
        "permettant d'accompagner 2 personnes."
    )
    assert "Parmi les personnes accompagnées, 50 % sont des femmes" in " ".join(sentences)
    one = narrative(
        {**data, "indicators": {**data["indicators"], "parcours_realised": 1}},
        date(2022, 1, 1),
        date(2023, 6, 30),
    )
    assert one[0].startswith("En dix-huit mois, 1 parcours a été réalisé")


def test_the_pdf_report_is_downloaded_from_the_programme_page(
    client_as, world: World, parcours: None
) -> None:
    page = client_as("funder").get("/mesurer/programmes/ruralite/")
    assert "/mesurer/programmes/ruralite/rapport.pdf" in page.content.decode()
    response = client_as("funder").get(
        "/mesurer/programmes/ruralite/rapport.pdf", {"du": "2023-01-01", "au": "2023-12-31"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_as("funder").get("/mesurer/programmes/metropole/rapport.pdf").status_code == 404
    assert client_as("stranger").get("/mesurer/programmes/ruralite/rapport.pdf").status_code == 404
