"""Figures of the network's own growth: applications to calls, structures selected and coached,
referents trained, follow-up contacts, and what relays run on their own. Computed live from the
records (they are few: a call has tens of applications, a year hundreds of trainees); what
structures achieved is shown on their coaching plans and closing committees (`achievements`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.animation.enums import ApplicationStatus
from maillage.animation.models import Application, CoachingPlan, FollowUp, TrainingRegistration
from maillage.core.indicators import (
    PLACE_BREAKDOWNS,
    Filters,
    Indicator,
    get,
    listed,
    partners_of,
    register,
    where,
)
from maillage.core.roles import EVERYTHING, referent_of
from maillage.learning.indicators import cohorts, drop_ins, reach, workshops
from maillage.learning.models import Cohort, DropIn, Workshop
from maillage.network.indicators import listed_structures
from maillage.network.models import STRUCTURE_PLACE


def _programmes(filters: Filters, structure: str, call: str) -> Q:
    """A record counts for a programme when its structure is one of the programme's partners
    (`partners_of`), or when it belongs to one of the programme's calls."""
    if not filters.programme_ids:
        return EVERYTHING
    return partners_of(filters, structure) | Q(**{f"{call}__programmes__in": filters.programme_ids})


def applications(filters: Filters) -> QuerySet[Application]:
    """Applications submitted in the period."""
    qs = Application.objects.submitted().filter(
        submitted_at__gte=filters.since, submitted_at__lt=filters.until
    )
    if filters.programme_ids:
        qs = qs.filter(call__programmes__in=filters.programme_ids)
    return qs.filter(where(filters, department=STRUCTURE_PLACE, structure="structure")).distinct()


def selections(filters: Filters) -> QuerySet[Application]:
    """Applications selected by a committee held in the period."""
    qs = Application.objects.filter(
        status=ApplicationStatus.SELECTED,
        decided_at__gte=filters.since,
        decided_at__lt=filters.until,
    )
    if filters.programme_ids:
        qs = qs.filter(call__programmes__in=filters.programme_ids)
    return qs.filter(where(filters, department=STRUCTURE_PLACE, structure="structure")).distinct()


def coaching_plans(filters: Filters) -> QuerySet[CoachingPlan]:
    """Coaching plans under way during part of the period at least."""
    return (
        CoachingPlan.objects.filter(starts_on__lt=filters.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=filters.start))
        .filter(where(filters, department=STRUCTURE_PLACE, structure="structure"))
        .filter(_programmes(filters, "structure", "application__call"))
        .distinct()
    )


def coached_ids(filters: Filters) -> set[int]:
    return set(coaching_plans(filters).values_list("structure_id", flat=True))


def referents_trained(filters: Filters) -> int:
    """Distinct people present at a training session of the period."""
    qs = TrainingRegistration.objects.filter(
        session__day__gte=filters.start, session__day__lt=filters.end
    ).filter(
        where(filters, department=STRUCTURE_PLACE, structure="structure"),
        _programmes(filters, "structure", "session__call"),
    )
    return qs.people_trained()


def followup_contacts(filters: Filters) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(on__gte=filters.start, on__lt=filters.end)
        .filter(where(filters, department="plan__" + STRUCTURE_PLACE, structure="plan__structure"))
        .filter(_programmes(filters, "plan__structure", "plan__application__call"))
        .distinct()
    )


def own_activities(filters: Filters) -> dict[str, int]:
    """Parcours, workshops and drop-ins of the period led by a referent of the structure that
    hosts them: what a structure runs on its own."""
    own_cohorts = Cohort.objects.filter(pk__in=cohorts(filters).values("pk")).filter(
        referent_of(F("structure"), path="facilitators__")
    )
    own_workshops = Workshop.objects.filter(pk__in=workshops(filters).values("pk")).filter(
        referent_of(F("structure"), path="facilitators__")
    )
    own_drop_ins = DropIn.objects.filter(pk__in=drop_ins(filters).values("pk")).filter(
        referent_of(F("structure"), path="facilitator__")
    )
    return {
        "parcours": own_cohorts.distinct().count(),
        "workshops": own_workshops.distinct().count(),
        "drop_ins": own_drop_ins.distinct().count(),
    }


def relay_own_activities(filters: Filters) -> int:
    return sum(own_activities(filters).values())


for indicator in [
    Indicator(
        code="applications",
        label=_("Candidatures aux appels"),
        definition=_("Candidatures déposées dans la période aux appels à manifestation d'intérêt."),
        compute=lambda f: applications(f).count(),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed(Application, applications, F("submitted_at"), "structure_name"),
        order=80,
    ),
    Indicator(
        code="structures_selected",
        label=_("Structures sélectionnées"),
        definition=_("Candidatures retenues par un comité de sélection réuni dans la période."),
        compute=lambda f: selections(f).count(),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed(Application, selections, F("decided_at"), "structure_name"),
        order=81,
    ),
    Indicator(
        code="structures_in_coaching",
        label=_("Structures accompagnées"),
        definition=_(
            "Structures dont l'accompagnement vers l'autonomie était en cours pendant une partie au moins de la période."
        ),
        compute=lambda f: len(coached_ids(f)),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed_structures(coached_ids),
        order=82,
    ),
    Indicator(
        code="referents_trained",
        label=_("Référents formés"),
        definition=_(
            "Personnes différentes (par e-mail) présentes à au moins une session de formation des référents de la période."
        ),
        compute=referents_trained,
        breakdowns=PLACE_BREAKDOWNS,
        order=83,
    ),
    Indicator(
        code="followup_contacts",
        label=_("Contacts de suivi"),
        definition=_(
            "Visites, appels et réunions notés dans le suivi des structures accompagnées."
        ),
        compute=lambda f: followup_contacts(f).count(),
        breakdowns=PLACE_BREAKDOWNS,
        order=84,
    ),
    Indicator(
        code="relay_own_activities",
        label=_("Activités menées en autonomie"),
        definition=_(
            "Parcours réalisés, ateliers et permanences de la période animés par un référent de la structure qui les accueille."
        ),
        compute=relay_own_activities,
        breakdowns=PLACE_BREAKDOWNS,
        order=85,
    ),
]:
    register(indicator)


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    value: int | float | None
    definition: str | Promise = ""


def achievements(structure_ids: Sequence[int], start: date, end: date) -> list[Figure]:
    """What these structures achieved in [start, end), for a coaching plan or a closing
    committee."""
    filters = Filters(start=start, end=end, structure_ids=frozenset(structure_ids))
    own = own_activities(filters)

    def figure(code: str, value: Any) -> Figure:
        indicator = get(code)
        return Figure(code, indicator.label, value, indicator.definition)

    return [
        figure("relay_own_activities", sum(own.values())),
        Figure(
            "own_parcours",
            _("dont parcours d'initiation"),
            own["parcours"],
            _("Parcours réalisés animés par un référent de la structure."),
        ),
        Figure(
            "own_single_activities",
            _("dont ateliers et permanences"),
            own["workshops"] + own["drop_ins"],
            _("Ateliers et permanences animés par un référent de la structure."),
        ),
        figure("people_accompanied", reach(filters).total),
        figure("referents_trained", referents_trained(filters)),
        figure("followup_contacts", followup_contacts(filters).count()),
    ]
