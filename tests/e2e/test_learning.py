"""Accompagner, in a real browser: planning a cohort from the catalogue, the roll call on a
phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from maillage.learning import services
from maillage.learning.models import Attendance, Cohort
from maillage.people.enums import Gender
from maillage.people.models import Beneficiary
from tests.conftest import World
from tests.e2e.conftest import Visitor


@pytest.mark.parametrize("width", [390, 1280])
def test_a_manager_plans_a_cohort_from_the_catalogue(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in("territory.manager@exemple.test")
    if width < 1024:  # on a phone, the menu folds behind « Menu »
        page.get_by_role("navigation", name="Menu principal").get_by_text(
            "Menu", exact=True
        ).click()
    visitor.click(page.get_by_role("link", name="Catalogue"))
    visitor.click(page.get_by_role("link", name="Initiation ordinateur"))
    visitor.click(page.get_by_role("link", name="Planifier ce parcours"))
    expect(page.get_by_role("combobox", name=re.compile("^Parcours"))).to_have_value(
        re.compile(r"\d+")
    )
    page.get_by_label("Structure d'accueil").select_option(label="CCAS de Reims (Reims)")
    page.get_by_role("textbox", name="Lieu").fill("Salle des fêtes")
    page.get_by_label("Persona mediator").check()
    page.get_by_label("Date de la première séance").fill("2023-04-03")
    page.get_by_label("Heure de début").fill("14:00")
    visitor.click(page.get_by_role("button", name="Planifier et générer les séances"))
    expect(page.locator(".messages")).to_contain_text("6 séances générées")
    rows = page.locator(
        "#seances ~ .table-wrapper tbody tr, section[aria-labelledby=seances] tbody tr"
    )
    expect(rows).to_have_count(6)
    expect(rows.nth(1)).to_contain_text("17 avril 2023")  # Easter Monday skipped
    assert Cohort.objects.get().sessions.count() == 6
    # The same facilitator, the same Monday, half an hour later elsewhere: refused, named.
    from tests.factories import StructureFactory

    StructureFactory.create(name="Centre social de Sézanne", commune=e2e_world.reims)
    visitor.goto("/accompagner/parcours/nouveau/")
    page.get_by_role("combobox", name=re.compile("^Parcours")).select_option(
        label="Initiation ordinateur"
    )
    page.get_by_label("Structure d'accueil").select_option(label="Centre social de Sézanne (Reims)")
    page.get_by_label("Persona mediator").check()
    page.get_by_label("Date de la première séance").fill("2023-04-03")
    page.get_by_label("Heure de début").fill("14:30")
    visitor.click(page.get_by_role("button", name="Planifier et générer les séances"))
    expect(
        page.get_by_text(
            re.compile("Persona mediator anime déjà « Initiation ordinateur, séance 1 »")
        )
    ).to_be_visible()
    assert Cohort.objects.count() == 1
    page.get_by_label("Planifier quand même (co-animation ou conflit voulu)").check()
    visitor.click(page.get_by_role("button", name="Planifier et générer les séances"))
    expect(page.locator(".messages")).to_contain_text("séances générées")
    assert Cohort.objects.count() == 2


def test_a_facilitator_takes_the_roll_call_on_a_phone(visitor: Visitor, e2e_world: World) -> None:
    from datetime import date, time

    from maillage.learning.models import Course

    cohort = services.plan_cohort(
        Cohort(
            course=Course.objects.get(code="initiation-computer"), structure=e2e_world.ccas_reims
        ),
        first=date(2023, 4, 3),
        at=time(14, 0),
        facilitators=[e2e_world.personas["mediator"]],
        by=None,
    )
    names = ["Josiane", "Marcel", "Nadia", "Gérard", "Fatima", "Yvette", "André", "Leïla"]
    people = [
        Beneficiary.objects.create(
            first_name=name,
            last_name="Exemple",
            birth_year=1950,
            gender=Gender.WOMAN,
            structure=e2e_world.ccas_reims,
        )
        for name in names
    ]
    for person in people:
        services.enrol(cohort, person, by=None)
    session = cohort.sessions.get(number=1)

    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    visitor.sign_in("mediator@exemple.test")
    visitor.goto(f"/accompagner/seances/{session.pk}/")
    expect(page.locator("fieldset.question")).to_have_count(8)
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in names[:-1]:
        page.get_by_role("group", name=f"{name} Exemple").get_by_text("Présent·e").click()
    page.get_by_role("group", name="Leïla Exemple").get_by_text("Excusé·e").click()
    page.get_by_text("Participants sans inscription").click()
    page.get_by_label("Femme, 60 à 69 ans").fill("2")
    visitor.click(page.get_by_role("button", name="Enregistrer l'appel"))
    expect(page.locator(".messages")).to_contain_text("Appel enregistré")
    assert Attendance.objects.filter(session=session, presence="present").count() == 7
    expect(page.get_by_role("group", name="Leïla Exemple").get_by_label("Excusé·e")).to_be_checked()


def test_a_facilitator_records_a_drop_in_on_a_phone(visitor: Visitor, e2e_world: World) -> None:
    from maillage.learning.models import DropIn

    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    visitor.sign_in("mediator@exemple.test")
    visitor.goto(e2e_world.alice.get_absolute_url())
    visitor.click(page.get_by_role("link", name="Enregistrer une permanence"))
    expect(page.get_by_label("Personne suivie (référence)")).to_have_value(
        e2e_world.alice.reference
    )
    page.get_by_label("Démarches administratives", exact=True).check()
    page.get_by_label("Argent et impôts").check()
    page.get_by_label("Autonome avec aide si besoin").check()
    visitor.click(page.get_by_role("button", name="Enregistrer", exact=True))
    expect(page.locator(".messages")).to_contain_text("Permanence enregistrée")
    drop_in = DropIn.objects.get()
    assert drop_in.beneficiary == e2e_world.alice and drop_in.minutes == 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_facilitator_opens_their_week_and_sees_a_conflict(
    visitor: Visitor, e2e_world: World
) -> None:
    from datetime import date, datetime, time
    from decimal import Decimal

    from django.utils import timezone

    from maillage.learning.models import Course, Workshop
    from maillage.network.models import Structure
    from tests.factories import StructureFactory

    Structure.objects.filter(pk=e2e_world.ccas_reims.pk).update(
        latitude=Decimal("49.2583"), longitude=Decimal("4.0317")
    )
    epernay = StructureFactory.create(
        name="Centre social d'Épernay",
        commune=e2e_world.reims,
        latitude=Decimal("49.0437"),
        longitude=Decimal("3.9563"),
    )
    mediator = e2e_world.personas["mediator"]
    monday = date(2023, 4, 3)  # week 14 of 2023
    services.plan_cohort(
        Cohort(
            course=Course.objects.get(code="initiation-tablet"),
            structure=Structure.objects.get(pk=e2e_world.ccas_reims.pk),
        ),
        first=monday,
        at=time(9, 0),
        facilitators=[mediator],
        by=None,
    )
    services.create_workshop(
        Workshop(title="Se protéger des arnaques", themes=["safety"], structure=epernay),
        starts_at=timezone.make_aware(datetime.combine(monday, time(11, 15))),
        facilitators=[mediator],
        by=None,
        despite_clashes=True,  # planned all the same: the week shows the clash
    )
    page = visitor.page
    visitor.sign_in("mediator@exemple.test")
    visitor.click(page.get_by_role("link", name="Mon agenda"))
    expect(page.locator("h1")).to_have_text("Mon agenda")
    visitor.goto("/accompagner/agenda/?semaine=2023-W14")
    expect(page.get_by_role("alert")).to_contain_text("Un conflit cette semaine")
    expect(page.locator(".agenda__leg--problem")).to_contain_text("Trajet trop court")
    visitor.click(page.get_by_role("link", name="Semaine suivante"))
    expect(page.get_by_role("alert")).to_have_count(0)
