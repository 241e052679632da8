"""The network's indicators, computed live from the records. Every definition here is the one
shown to users under « Comment est-ce calculé ? »."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import DateTimeField, F, Max, Min, Q, QuerySet, Sum, Value
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Transition
from maillage.diagnostics.models import Diagnostic
from maillage.impact.registry import Filters, Indicator, register
from maillage.learning.enums import CohortStatus, Presence
from maillage.learning.models import Attendance, Cohort, DropIn, Session, WalkIns, Workshop
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.people.enums import AgeBand, Gender, ReferralStatus
from maillage.people.models import Beneficiary, Referral

if TYPE_CHECKING:
    from maillage.impact.figures import Totals

PEOPLE_BREAKDOWNS = frozenset(
    {"region", "department", "structure", "programme", "course", "gender", "age_band"}
)
ACTIVITY_BREAKDOWNS = frozenset({"region", "department", "structure", "programme", "course"})
PLACE_BREAKDOWNS = frozenset({"region", "department", "structure", "programme"})


def _territory(filters: Filters, path: str) -> Q:
    """Where: the activity's structure lies in these régions, départements, or is one of them."""
    q = Q()
    if filters.region_ids:
        q &= Q(**{f"{path}commune__department__region_id__in": filters.region_ids})
    if filters.department_ids:
        q &= Q(**{f"{path}commune__department_id__in": filters.department_ids})
    if filters.structure_ids:
        q &= Q(**{f"{path}pk__in": filters.structure_ids})
    return q


def _partners(filters: Filters, path: str) -> Q:
    """A structure's figures count for a programme when it is one of its partners."""
    if not filters.programme_ids:
        return Q()
    return Q(**{f"{path}programmes__in": filters.programme_ids})


# --- Parcours and sessions -------------------------------------------------------------


def cohorts(filters: Filters) -> QuerySet[Cohort]:
    """Cohorts not cancelled whose first session falls in the period."""
    qs = Cohort.objects.realised().filter(_territory(filters, "structure__"))
    if filters.programme_ids:
        qs = qs.filter(programme_id__in=filters.programme_ids)
    if filters.course_codes:
        qs = qs.filter(course__code__in=filters.course_codes)
    return qs.annotate(first=Min("sessions__starts_at")).filter(
        first__gte=filters.since, first__lt=filters.until
    )


def sessions(filters: Filters) -> QuerySet[Session]:
    """Sessions of cohorts not cancelled, held in the period."""
    qs = Session.objects.exclude(cohort__status=CohortStatus.CANCELLED).filter(
        _territory(filters, "cohort__structure__"),
        starts_at__gte=filters.since,
        starts_at__lt=filters.until,
    )
    if filters.programme_ids:
        qs = qs.filter(cohort__programme_id__in=filters.programme_ids)
    if filters.course_codes:
        qs = qs.filter(cohort__course__code__in=filters.course_codes)
    return qs


def _single_activities(model: Any, filters: Filters) -> QuerySet[Any]:
    """Workshops or drop-ins of the period; none when the figure is about a course."""
    if filters.course_codes:
        return model.objects.none()
    qs = model.objects.filter(
        _territory(filters, "structure__"),
        starts_at__gte=filters.since,
        starts_at__lt=filters.until,
    )
    if filters.programme_ids:
        qs = qs.filter(programme_id__in=filters.programme_ids)
    return qs


def workshops(filters: Filters) -> QuerySet[Workshop]:
    return _single_activities(Workshop, filters)


def drop_ins(filters: Filters) -> QuerySet[DropIn]:
    return _single_activities(DropIn, filters)


# --- People ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The people reached in a period: named people (each once) and anonymous groups."""

    people: dict[int, tuple[str, str, int | None]]  # id → (gender, age band, birth year)
    anonymous: Counter[tuple[str, str]]  # (gender, age band) → count

    @property
    def total(self) -> int:
        return len(self.people) + sum(self.anonymous.values())

    def of_gender(self, gender: str) -> int:
        """People of this gender, named and anonymous."""
        named = sum(1 for g, _band, _year in self.people.values() if g == gender)
        return named + sum(n for (g, _band), n in self.anonymous.items() if g == gender)


def _band(birth_year: int | None, stored: str, filters: Filters) -> str:
    """The age band on the period's last day."""
    if birth_year:
        return AgeBand.of_age((filters.end - timedelta(days=1)).year - birth_year)
    return stored or AgeBand.UNKNOWN


def reach(filters: Filters) -> Reach:
    """Distinct people who attended at least one session, workshop or drop-in in the period,
    plus anonymous participants."""
    ids: set[int] = set()
    ids.update(
        Attendance.objects.filter(
            session__in=sessions(filters), presence=Presence.PRESENT
        ).values_list("beneficiary_id", flat=True)
    )
    ids.update(
        Beneficiary.objects.filter(workshops__in=workshops(filters)).values_list("pk", flat=True)
    )
    ids.update(
        drop_ins(filters).filter(beneficiary__isnull=False).values_list("beneficiary_id", flat=True)
    )
    people = {}
    for pk, gender, birth_year, band in Beneficiary.objects.filter(pk__in=ids).values_list(
        "pk", "gender", "birth_year", "age_band"
    ):
        people[pk] = (gender, _band(birth_year, band, filters), birth_year)
    anonymous: Counter[tuple[str, str]] = Counter()
    groups = WalkIns.objects.filter(
        Q(session__in=sessions(filters)) | Q(workshop__in=workshops(filters))
    )
    for gender, band, count in groups.values_list("gender", "age_band", "count"):
        anonymous[(gender, band)] += count
    for gender, band in (
        drop_ins(filters).filter(beneficiary__isnull=True).values_list("gender", "age_band")
    ):
        anonymous[(gender, band or AgeBand.UNKNOWN)] += 1
    if filters.genders or filters.age_bands:
        people = {
            pk: v
            for pk, v in people.items()
            if (not filters.genders or v[0] in filters.genders)
            and (not filters.age_bands or v[1] in filters.age_bands)
        }
        anonymous = Counter(
            {
                k: n
                for k, n in anonymous.items()
                if (not filters.genders or k[0] in filters.genders)
                and (not filters.age_bands or k[1] in filters.age_bands)
            }
        )
    return Reach(people, anonymous)


def women_share(filters: Filters) -> float | None:
    r = reach(filters)
    women, men = r.of_gender(Gender.WOMAN), r.of_gender(Gender.MAN)
    return round(women / (women + men), 2) if women + men else None


def average_age(filters: Filters) -> float | None:
    """On the period's last day, of the people whose birth year is known."""
    year = (filters.end - timedelta(days=1)).year
    ages = [year - birth for _g, _b, birth in reach(filters).people.values() if birth]
    return round(sum(ages) / len(ages), 1) if ages else None


def age_bands(filters: Filters) -> dict[str, int]:
    r = reach(filters)
    bands: Counter[str] = Counter(band for _g, band, _y in r.people.values())
    for (_gender, band), count in r.anonymous.items():
        bands[band] += count
    return {band: bands.get(band, 0) for band in AgeBand.values}


def learner_hours(filters: Filters) -> float:
    """Hours spent learning: each present learner × the session's length, workshops × their
    participants (followed and anonymous), drop-ins × their length."""
    minutes = 0
    present = Attendance.objects.filter(session__in=sessions(filters), presence=Presence.PRESENT)
    minutes += present.aggregate(m=Sum("session__minutes"))["m"] or 0
    session_walk_ins = WalkIns.objects.filter(session__in=sessions(filters))
    minutes += session_walk_ins.aggregate(m=Sum(F("count") * F("session__minutes")))["m"] or 0
    for workshop in workshops(filters).prefetch_related("walk_ins"):
        heads = workshop.participants.count() + sum(g.count for g in workshop.walk_ins.all())
        minutes += heads * workshop.minutes
    minutes += drop_ins(filters).aggregate(m=Sum("minutes"))["m"] or 0
    return round(minutes / 60, 1)


# --- Network ---------------------------------------------------------------------------


def _structures(filters: Filters) -> QuerySet[Structure]:
    return Structure.objects.filter(_territory(filters, ""), _partners(filters, "")).distinct()


def relay_passages(filters: Filters) -> QuerySet[Transition]:
    """Structures becoming Relais Numérique in the period (each time they did)."""
    ids = [str(pk) for pk in _structures(filters).values_list("pk", flat=True)]
    return Transition.objects.filter(
        field="relay_status",
        to_state=RelayStatus.RELAY,
        at__gte=filters.since,
        at__lt=filters.until,
        object_id__in=ids,
        content_type__app_label="network",
        content_type__model="structure",
    )


def structures_joined(filters: Filters) -> int:
    return relay_passages(filters).count()


def joined_ids(filters: Filters) -> set[int]:
    return {int(pk) for pk in relay_passages(filters).values_list("object_id", flat=True)}


def relays_active(filters: Filters) -> int:
    return len(relay_ids(filters))


def relay_ids(filters: Filters) -> set[int]:
    """Structures that were Relais Numérique at the end of the period."""
    structures = {str(pk) for pk in _structures(filters).values_list("pk", flat=True)}
    last_states = (
        Transition.objects.filter(
            field="relay_status",
            at__lt=filters.until,
            object_id__in=structures,
            content_type__app_label="network",
            content_type__model="structure",
        )
        .order_by("object_id", "at", "pk")
        .values_list("object_id", "to_state")
    )
    state: dict[str, str] = {}
    for object_id, to_state in last_states:
        state[object_id] = to_state
    return {int(pk) for pk, s in state.items() if s == RelayStatus.RELAY}


def _in_places(qs: QuerySet[Any], filters: Filters, path: str) -> QuerySet[Any]:
    return qs.filter(_territory(filters, path), _partners(filters, path)).distinct()


def diagnostics(filters: Filters) -> QuerySet[Diagnostic]:
    qs = Diagnostic.objects.filter(completed_at__gte=filters.since, completed_at__lt=filters.until)
    return _in_places(qs, filters, "structure__")


def referrals_received(filters: Filters) -> QuerySet[Referral]:
    qs = Referral.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    return _in_places(qs, filters, "to_structure__")


def referrals_accepted(filters: Filters) -> QuerySet[Referral]:
    """Referrals whose acceptance was recorded in the period."""
    qs = Referral.objects.filter(
        status=ReferralStatus.ACCEPTED,
        status_changed_at__gte=filters.since,
        status_changed_at__lt=filters.until,
    )
    return _in_places(qs, filters, "to_structure__")


def completed_cohorts(filters: Filters) -> QuerySet[Cohort]:
    """Cohorts marked completed whose last session falls in the period."""
    qs = Cohort.objects.filter(status=CohortStatus.COMPLETED).filter(
        _territory(filters, "structure__")
    )
    if filters.programme_ids:
        qs = qs.filter(programme_id__in=filters.programme_ids)
    if filters.course_codes:
        qs = qs.filter(course__code__in=filters.course_codes)
    return qs.annotate(last=Max("sessions__starts_at")).filter(
        last__gte=filters.since, last__lt=filters.until
    )


def _count(queryset_of: Any) -> Any:
    return lambda filters: queryset_of(filters).count()


# --- The records behind a figure ---------------------------------------------------------


def _listed(model: Any, queryset_of: Any, when: Any, where: str = "structure__name") -> Any:
    """The records of `queryset_of(filters)` that the person may see, with their date and
    place."""

    def records(filters: Filters, user: Any) -> QuerySet[Any]:
        return (
            model.objects.visible_to(user)
            .filter(pk__in=queryset_of(filters).values("pk"))
            .annotate(record_date=when, record_place=F(where))
            .order_by("-record_date", "-pk")
        )

    return records


def _listed_sessions(filters: Filters, user: Any) -> QuerySet[Session]:
    return (
        sessions(filters)
        .filter(cohort__in=Cohort.objects.visible_to(user))
        .select_related("cohort__course", "cohort__structure")
        .annotate(record_date=F("starts_at"), record_place=F("cohort__structure__name"))
        .order_by("-record_date", "-pk")
    )


def _listed_people(filters: Filters, user: Any) -> QuerySet[Beneficiary]:
    """Named people reached (anonymous participants have no record to list)."""
    return (
        Beneficiary.objects.visible_to(user)
        .filter(pk__in=list(reach(filters).people))
        .annotate(
            record_date=Value(None, output_field=DateTimeField()), record_place=F("structure__name")
        )
        .order_by("last_name", "first_name", "pk")
    )


def _listed_structures(ids_of: Callable[[Filters], Iterable[int]]) -> Any:
    def records(filters: Filters, user: Any) -> QuerySet[Structure]:
        return (
            Structure.objects.visible_to(user)
            .filter(pk__in=list(ids_of(filters)))
            .annotate(
                record_date=Value(None, output_field=DateTimeField()),
                record_place=F("commune__name"),
            )
            .order_by("name", "pk")
        )

    return records


def _counted(measure: str) -> Callable[[Totals], int]:
    return lambda totals: totals.counts[measure]


FROM_FACTS: dict[str, Callable[[Totals], Any]] = {
    **{
        code: _counted(code)
        for code in (
            "parcours_realised",
            "parcours_completed",
            "sessions_held",
            "workshops",
            "drop_ins",
            "diagnostics",
            "referrals_received",
            "referrals_accepted",
            "structures_joined",
        )
    },
    "people_accompanied": lambda totals: totals.reached,
    "learner_hours": lambda totals: round(totals.counts["learner_minutes"] / 60, 1),
    "relays_active": _counted("relays"),
    "women_share": lambda totals: totals.women_share(),
    "average_age": lambda totals: totals.average_age(),
    "age_bands": lambda totals: totals.age_bands(),
}

RECORDS: dict[str, Callable[[Filters, Any], QuerySet[Any]]] = {
    "parcours_realised": _listed(Cohort, cohorts, Min("sessions__starts_at")),
    "parcours_completed": _listed(Cohort, completed_cohorts, Max("sessions__starts_at")),
    "sessions_held": _listed_sessions,
    "people_accompanied": _listed_people,
    "workshops": _listed(Workshop, workshops, F("starts_at")),
    "drop_ins": _listed(DropIn, drop_ins, F("starts_at")),
    "diagnostics": _listed(Diagnostic, diagnostics, F("completed_at")),
    "referrals_received": _listed(
        Referral, referrals_received, F("created_at"), "to_structure__name"
    ),
    "referrals_accepted": _listed(
        Referral, referrals_accepted, F("status_changed_at"), "to_structure__name"
    ),
    "structures_joined": _listed_structures(joined_ids),
    "relays_active": _listed_structures(relay_ids),
}


for order, (code, label, definition, compute, unit, breakdowns) in enumerate(
    [
        (
            "parcours_realised",
            _("Parcours réalisés"),
            _(
                "Parcours (groupes d'apprenants d'un parcours du catalogue) non annulés dont la première séance a lieu dans la période."
            ),
            _count(cohorts),
            "count",
            ACTIVITY_BREAKDOWNS,
        ),
        (
            "parcours_completed",
            _("Parcours terminés"),
            _("Parcours marqués terminés dont la dernière séance a lieu dans la période."),
            _count(completed_cohorts),
            "count",
            ACTIVITY_BREAKDOWNS,
        ),
        (
            "people_accompanied",
            _("Personnes accompagnées"),
            _(
                "Personnes différentes présentes à au moins une séance, un atelier ou une permanence de la période, plus les participants anonymes ; une personne n'est jamais comptée deux fois."
            ),
            lambda f: reach(f).total,
            "count",
            PEOPLE_BREAKDOWNS,
        ),
        (
            "sessions_held",
            _("Séances réalisées"),
            _("Séances des parcours non annulés qui ont eu lieu dans la période."),
            _count(sessions),
            "count",
            ACTIVITY_BREAKDOWNS,
        ),
        (
            "workshops",
            _("Ateliers"),
            _("Ateliers thématiques de la période."),
            _count(workshops),
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "drop_ins",
            _("Permanences"),
            _("Permanences individuelles de la période."),
            _count(drop_ins),
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "learner_hours",
            _("Heures d'apprentissage"),
            _(
                "Pour chaque séance, le nombre de présents multiplié par sa durée ; pour chaque atelier, ses participants multipliés par sa durée ; plus la durée des permanences."
            ),
            learner_hours,
            "hours",
            ACTIVITY_BREAKDOWNS,
        ),
        (
            "diagnostics",
            _("Diagnostics"),
            _("Diagnostics numériques terminés dans la période."),
            _count(diagnostics),
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "referrals_received",
            _("Orientations reçues"),
            _("Orientations envoyées par des prescripteurs dans la période."),
            _count(referrals_received),
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "referrals_accepted",
            _("Orientations acceptées"),
            _("Orientations dont l'acceptation a été enregistrée dans la période."),
            _count(referrals_accepted),
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "structures_joined",
            _("Structures devenues Relais Numériques"),
            _(
                "Structures passées au statut de Relais Numérique dans la période (une structure qui quitte le réseau puis le rejoint compte à chaque passage)."
            ),
            structures_joined,
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "relays_active",
            _("Relais Numériques actifs"),
            _("Structures ayant le statut de Relais Numérique à la fin de la période."),
            relays_active,
            "count",
            PLACE_BREAKDOWNS,
        ),
        (
            "women_share",
            _("Part des femmes"),
            _("Parmi les personnes accompagnées dont le genre est connu, la part des femmes."),
            women_share,
            "share",
            PEOPLE_BREAKDOWNS - {"gender"},
        ),
        (
            "average_age",
            _("Âge moyen"),
            _(
                "Âge moyen, au dernier jour de la période, des personnes accompagnées dont l'année de naissance est connue."
            ),
            average_age,
            "years",
            PEOPLE_BREAKDOWNS - {"age_band"},
        ),
        (
            "age_bands",
            _("Tranches d'âge"),
            _(
                "Personnes accompagnées par tranche d'âge au dernier jour de la période (participants anonymes compris)."
            ),
            age_bands,
            "distribution",
            PEOPLE_BREAKDOWNS - {"age_band"},
        ),
    ]
):
    register(
        Indicator(
            from_facts=FROM_FACTS[code],
            records=RECORDS.get(code),
            code=code,
            label=label,
            definition=definition,
            compute=compute,
            unit=unit,
            breakdowns=breakdowns,
            order=order,
        )
    )
