"""A record's status and its history read the same on every page, on a phone and on a large
screen: a badge whose colour follows what the status means, and one table of its changes."""

from __future__ import annotations

from datetime import date, time

import pytest
from playwright.sync_api import expect

from maillage.learning import services
from maillage.learning.models import Cohort, Course
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people.enums import ReferralStatus
from maillage.people.models import Referral
from tests.conftest import World
from tests.e2e.conftest import Visitor


@pytest.mark.parametrize("width", [390, 1280])
def test_statuses_and_their_history_on_a_phone_and_a_large_screen(
    visitor: Visitor, e2e_world: World, width: int
) -> None:
    admin = e2e_world.personas["admin"]
    structure = Structure.objects.get(pk=e2e_world.ccas_reims.pk)
    Structure.relay_workflow.apply(structure, RelayStatus.CANDIDATE, by=admin, note="Dossier reçu")
    referral = Referral.objects.get(pk=e2e_world.referral.pk)
    Referral.workflow.apply(referral, ReferralStatus.RECEIVED, by=admin)
    Referral.workflow.apply(referral, ReferralStatus.DECLINED, by=admin, note="Hors secteur")
    cohort = services.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-computer"), structure=structure),
        first=date(2026, 1, 5),
        at=time(14, 0),
        facilitators=[],
        by=admin,
    )
    services.move_cohort(cohort, "cancelled", reason="Salle fermée", by=admin)

    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})
    visitor.sign_in(admin.email)

    visitor.goto(f"/reseau/structures/{structure.pk}/")
    expect(page.locator(".badge--waiting", has_text="Candidate").first).to_be_visible()
    history = page.get_by_role("table", name="Historique des statuts")
    expect(history.get_by_role("cell", name="Dossier reçu")).to_be_visible()

    visitor.goto(referral.get_absolute_url())
    expect(page.locator(".badge--refused", has_text="Refusée").first).to_be_visible()
    expect(page.get_by_role("cell", name="Hors secteur")).to_be_visible()

    visitor.goto(cohort.get_absolute_url())
    expect(page.locator(".badge--cancelled", has_text="Annulé").first).to_be_visible()
    history = page.get_by_role("table", name="Historique du parcours")
    expect(history.get_by_role("cell", name="Salle fermée")).to_be_visible()

    visitor.goto("/reseau/structures/")
    expect(page.locator(".badge--waiting", has_text="Candidate").first).to_be_visible()
