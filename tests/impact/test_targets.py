from __future__ import annotations

from datetime import date, time

from maillage.core.models import AuditEvent
from maillage.impact.publication import Disclosure
from maillage.impact.targets import progress
from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.programmes.models import Staffing, Target
from tests.conftest import World, text

EXACT = Disclosure(exact=True)


def run_parcours(world: World, firsts: list[date]) -> None:
    for first in firsts:
        services.plan_cohort(
            Cohort(
                course=Course.objects.get(code="initiation-smartphone"),
                structure=world.ccas_reims,
                programme=world.ruralite,
            ),
            first=first,
            at=time(14, 0),
            facilitators=[],
            by=None,
        )


def test_progress_and_projection_at_the_current_pace(world: World) -> None:
    # The programme starts on 1 January 2022; 10 parcours by the end of month 18.
    world.ruralite.start = date(2022, 1, 1)
    world.ruralite.save()
    target = Target.objects.create(
        programme=world.ruralite,
        indicator="parcours_realised",
        value=10,
        deadline=date(2023, 6, 30),
    )
    run_parcours(
        world,
        [
            date(2022, 1, 3),
            date(2022, 2, 7),
            date(2022, 3, 7),
            date(2022, 5, 2),
            date(2022, 6, 13),
            date(2022, 9, 5),
        ],
    )
    halfway = progress(target, EXACT, today=date(2022, 9, 30))
    assert (halfway.achieved, halfway.share) == (6, 60)
    # 6 in 273 days; 546 days in all: 12 at this pace.
    assert halfway.projected == 12 and halfway.on_track
    over = progress(target, EXACT, today=date(2024, 1, 1))
    assert over.projected is None and over.achieved == 6 and not over.on_track


def test_a_target_in_one_departement_counts_only_there(world: World) -> None:
    target = Target.objects.create(
        programme=world.ruralite,
        indicator="parcours_realised",
        value=4,
        deadline=date(2030, 1, 1),
        department=world.ardennes,
    )
    run_parcours(world, [date(2022, 1, 3)])
    assert progress(target, EXACT, today=date(2022, 6, 1)).achieved == 0


def test_the_programme_page_shows_targets_with_progress(client_as, world: World) -> None:
    Target.objects.create(
        programme=world.ruralite, indicator="parcours_realised", value=4, deadline=date(2030, 1, 1)
    )
    run_parcours(world, [date(2022, 1, 3), date(2022, 2, 7), date(2022, 3, 7)])
    page = text(client_as("funder").get(world.ruralite.get_absolute_url()))
    assert "Parcours réalisés" in page and "3 / 4 — 75 %" in page and "Au rythme actuel" in page
    assert "Ajouter un objectif" not in page


def test_an_admin_adds_and_removes_a_target(client_as, world: World) -> None:
    client = client_as("admin")
    url = f"/mesurer/programmes/{world.ruralite.slug}/objectifs/"
    refused = client.post(
        url,
        {"indicator": "parcours_realised", "value": "720", "deadline": "2010-01-01"},
        follow=True,
    )
    assert "L'échéance ne peut pas précéder le début du programme" in text(refused)
    client.post(
        url,
        {
            "indicator": "parcours_realised",
            "value": "720",
            "deadline": "2023-06-30",
            "department": world.marne.pk,
        },
    )
    target = Target.objects.get()
    assert (target.value, target.department) == (720, world.marne)
    assert AuditEvent.objects.for_object(target).filter(action="create").exists()
    client.post(f"{url}{target.pk}/supprimer/")
    assert not Target.objects.exists()


def test_only_admins_change_targets_and_staff(client_as, world: World) -> None:
    for persona in ("territory_manager", "funder"):
        client = client_as(persona)
        assert (
            client.post(f"/mesurer/programmes/{world.ruralite.slug}/objectifs/", {}).status_code
            == 404
        )
        assert (
            client.post(f"/mesurer/programmes/{world.ruralite.slug}/equipe/", {}).status_code == 404
        )


def test_an_admin_records_the_programme_staff(client_as, world: World) -> None:
    client = client_as("admin")
    client.post(
        f"/mesurer/programmes/{world.ruralite.slug}/equipe/",
        {
            "title": "facilitator",
            "person": world.personas["mediator"].pk,
            "fte": "0.8",
            "start": "2022-01-01",
            "end": "",
        },
    )
    staffing = Staffing.objects.get()
    assert str(staffing.fte) == "0.80"
    page = text(client.get(world.ruralite.get_absolute_url()))
    assert "1 × Animateur·rice numérique" in page and "Persona mediator" in page
    refused = client.post(
        f"/mesurer/programmes/{world.ruralite.slug}/equipe/",
        {
            "title": "facilitator",
            "person": world.personas["mediator"].pk,
            "fte": "3",
            "start": "2022-01-01",
        },
        follow=True,
    )
    assert "Le poste n'a pas été ajouté" in text(refused)
    client.post(f"/mesurer/programmes/{world.ruralite.slug}/equipe/{staffing.pk}/retirer/")
    assert not Staffing.objects.exists()
