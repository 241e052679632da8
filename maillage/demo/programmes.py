"""Demo dataset: the programmes' targets and staff, as the articles describe them.

- Ruralité Connectée: 720 parcours planned in 18 months (to 30 June 2023), 20 structures
  accompanied in the Loiret, and its 27 staff (18 facilitators, 6 territorial managers, 2
  regional managers, 1 national project lead).
- Hautes-Alpes: 150 parcours in 18 months; Lille metropolis: 5 Relais Numériques.
"""

from __future__ import annotations

from datetime import date

from maillage.accounts.models import User
from maillage.core.roles import Role
from maillage.programmes.models import Programme, Staffing, StaffTitle, Target
from maillage.territories.models import Department

RURAL_DEPARTMENT_CODES = ["51", "08", "36", "45", "62", "02"]


def build_programmes() -> None:
    rural = Programme.objects.get(slug="ruralite-connectee")
    Target.objects.create(
        programme=rural, indicator="parcours_realised", value=720, deadline=date(2023, 6, 30)
    )
    Target.objects.create(
        programme=rural,
        indicator="structures_in_coaching",
        value=20,
        deadline=date(2023, 6, 30),
        department=Department.objects.get(code="45"),
    )
    titles = [
        (
            Role.MEDIATOR,
            StaffTitle.FACILITATOR,
            {"role_assignments__departments__code__in": RURAL_DEPARTMENT_CODES},
        ),
        (
            Role.TERRITORY_MANAGER,
            StaffTitle.TERRITORY_MANAGER,
            {"role_assignments__departments__code__in": RURAL_DEPARTMENT_CODES},
        ),
        (
            Role.REGIONAL_MANAGER,
            StaffTitle.REGIONAL_MANAGER,
            {"role_assignments__region__code__in": ["24", "44"]},
        ),
        (Role.ADMIN, StaffTitle.PROJECT_LEAD, {}),
    ]
    for role, title, scope in titles:
        people = (
            User.objects.filter(role_assignments__role=role, **scope).distinct().order_by("email")
        )
        Staffing.objects.bulk_create(
            Staffing(
                programme=rural,
                title=title,
                person=person,
                fte=1,
                start=date(2022, 1, 1),
                end=date(2023, 6, 30),
            )
            for person in people
        )
    alps = Programme.objects.get(slug="hautes-alpes")
    Target.objects.create(
        programme=alps, indicator="parcours_realised", value=150, deadline=date(2023, 9, 30)
    )
    mel = Programme.objects.get(slug="relais-numeriques-mel")
    Target.objects.create(
        programme=mel, indicator="structures_joined", value=5, deadline=date(2023, 12, 14)
    )
