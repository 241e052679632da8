from __future__ import annotations

import csv
import io
import re
from datetime import date, time

import time_machine

from maillage.impact.publication import last_year_with_activity, share_cell, suppress_column
from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.people.enums import Gender
from maillage.people.models import Beneficiary
from tests.conftest import World, text
from tests.factories import CommuneFactory


def test_small_counts_are_hidden_with_a_complementary_cell() -> None:
    cells = suppress_column([250, 4, 0, 37])
    assert [c.hidden for c in cells] == [
        False,
        True,
        False,
        True,
    ]  # 4, then 37 so 4 cannot be found
    assert [c.hidden for c in suppress_column([250, 4, 7])] == [False, True, True]
    assert [c.hidden for c in suppress_column([250, 11, 0])] == [False, False, False]
    assert share_cell(5, 30).hidden and share_cell(25, 30).hidden and not share_cell(15, 30).hidden
    assert share_cell(15, 30).value == 0.5 and share_cell(0, 0).value is None


def people_at_a_session(world: World, structure, count: int, first: date) -> None:
    cohort = services.plan_cohort(
        Cohort(
            course=Course.objects.get(code="initiation-computer"), structure=structure, capacity=40
        ),
        first=first,
        at=time(14, 0),
        facilitators=[],
        by=None,
    )
    people = [
        Beneficiary.objects.create(
            first_name=f"P{n}",
            birth_year=1960,
            gender=Gender.WOMAN if n % 2 else Gender.MAN,
            structure=structure,
        )
        for n in range(count)
    ]
    for person in people:
        services.enrol(cohort, person, by=None)
    services.take_roll_call(
        cohort.sessions.get(number=1), {p.pk: "present" for p in people}, {}, by=None
    )


def test_the_public_page_never_shows_a_count_of_people_between_1_and_10(
    client, world: World
) -> None:
    CommuneFactory.create(name="Épernay", department=world.marne)  # a commune with no structure
    people_at_a_session(world, world.ccas_reims, 30, date(2023, 3, 6))  # Marne: 30
    people_at_a_session(world, world.mediatheque_charleville, 4, date(2023, 3, 6))  # Ardennes: 4
    people_at_a_session(world, world.centre_social_lille, 12, date(2023, 3, 6))  # Nord: 12
    page = text(client.get("/statistiques/", {"annee": "2023"}))
    assert "Le réseau en 2023" in page and "inférieur à 11 n'est jamais publié" in page
    people_column = re.findall(r'</th>\s*<td class="number">([^<]*)</td>', page)
    # Ardennes (4) is hidden, and Nord (12) with it so that the total cannot reveal it.
    assert people_column == ["secret", "30", "secret"]
    national = re.search(r"<strong>(\d+)</strong> personnes accompagnées", page)
    assert national is not None and national.group(1) == "46"
    assert all(value == "secret" or value == "0" or int(value) >= 11 for value in people_column)
    shares = re.findall(r'<td class="number">([^<]*)</td></tr>', page)
    assert shares == ["secret", "50 %", "secret"]  # 2 women of 4; 6 of 12 (6 men: a small count)


def test_the_public_page_needs_no_sign_in_and_ignores_a_bad_year(client, world: World) -> None:
    response = client.get("/statistiques/", {"annee": "n'importe"})
    assert response.status_code == 200 and "Aucune activité enregistrée cette année" in text(
        response
    )


def test_the_public_page_opens_on_the_last_whole_year_with_activity(client, world: World) -> None:
    assert last_year_with_activity(date(2026, 6, 1)) == 2025  # nothing yet: last year
    people_at_a_session(world, world.ccas_reims, 12, date(2023, 3, 6))
    assert last_year_with_activity(date(2026, 6, 1)) == 2023
    with time_machine.travel(date(2026, 6, 1)):
        page = text(client.get("/statistiques/"))
    assert "Le réseau en 2023" in page
    assert '<option value="2023" selected>' in page


def test_the_public_table_downloads_as_csv_with_the_same_cells_hidden(client, world: World) -> None:
    people_at_a_session(world, world.ccas_reims, 30, date(2023, 3, 6))
    people_at_a_session(world, world.mediatheque_charleville, 4, date(2023, 3, 6))
    people_at_a_session(world, world.centre_social_lille, 12, date(2023, 3, 6))
    page = text(client.get("/statistiques/", {"annee": "2023"}))
    assert 'href="?annee=2023&format=csv"' in page
    response = client.get("/statistiques/", {"annee": "2023", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="statistiques-2023.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Code du département", "Département", "Personnes accompagnées"]
    assert [(r[0], r[2], r[5]) for r in rows[1:]] == [
        ("08", "secret", "secret"),
        ("51", "30", "50"),
        ("59", "secret", "secret"),
    ]
