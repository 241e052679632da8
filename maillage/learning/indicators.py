"""The accompaniment's figures, computed live from its records: parcours, sessions, workshops,
drop-ins, the people reached and the hours they spent learning. Every definition here is the
one shown to users under « Comment est-ce calculé ? »."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import DateTimeField, F, Max, Min, Q, QuerySet, Sum, Value
from django.utils.translation import gettext_lazy as _

from maillage.core.indicators import (
    ACTIVITY_BREAKDOWNS,
    PEOPLE_BREAKDOWNS,
    PLACE_BREAKDOWNS,
    Filters,
    Indicator,
    count_of,
    listed,
    register,
    where,
)
from maillage.learning.enums import CohortStatus, Presence
from maillage.learning.models import Attendance, Cohort, DropIn, Session, WalkIns, Workshop
from maillage.network.models import STRUCTURE_PLACE as HOST
from maillage.people.enums import AgeBand, Gender
from maillage.people.models import Beneficiary

# --- Parcours and sessions -------------------------------------------------------------


def cohorts(filters: Filters) -> QuerySet[Cohort]:
    """Cohorts not cancelled whose first session falls in the period."""
    qs = Cohort.objects.realised().filter(where(filters, department=HOST, structure="structure"))
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
        where(filters, department="cohort__" + HOST, structure="cohort__structure"),
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
        where(filters, department=HOST, structure="structure"),
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


def completed_cohorts(filters: Filters) -> QuerySet[Cohort]:
    """Cohorts marked completed whose last session falls in the period."""
    qs = Cohort.objects.filter(status=CohortStatus.COMPLETED).filter(
        where(filters, department=HOST, structure="structure")
    )
    if filters.programme_ids:
        qs = qs.filter(programme_id__in=filters.programme_ids)
    if filters.course_codes:
        qs = qs.filter(course__code__in=filters.course_codes)
    return qs.annotate(last=Max("sessions__starts_at")).filter(
        last__gte=filters.since, last__lt=filters.until
    )


# --- The records behind a figure ---------------------------------------------------------


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


def _listed_activities(model: Any, records: Any, when: Any) -> Any:
    return listed(model, records, when, "structure__name")


for indicator in [
    Indicator(
        code="parcours_realised",
        label=_("Parcours réalisés"),
        definition=_(
            "Parcours (groupes d'apprenants d'un parcours du catalogue) non annulés dont la première séance a lieu dans la période."
        ),
        compute=count_of(cohorts),
        breakdowns=ACTIVITY_BREAKDOWNS,
        records=_listed_activities(Cohort, cohorts, Min("sessions__starts_at")),
        order=0,
    ),
    Indicator(
        code="parcours_completed",
        label=_("Parcours terminés"),
        definition=_("Parcours marqués terminés dont la dernière séance a lieu dans la période."),
        compute=count_of(completed_cohorts),
        breakdowns=ACTIVITY_BREAKDOWNS,
        records=_listed_activities(Cohort, completed_cohorts, Max("sessions__starts_at")),
        order=1,
    ),
    Indicator(
        code="people_accompanied",
        label=_("Personnes accompagnées"),
        definition=_(
            "Personnes différentes présentes à au moins une séance, un atelier ou une permanence de la période, plus les participants anonymes ; une personne n'est jamais comptée deux fois."
        ),
        compute=lambda f: reach(f).total,
        breakdowns=PEOPLE_BREAKDOWNS,
        records=_listed_people,
        about_people=True,
        order=2,
    ),
    Indicator(
        code="sessions_held",
        label=_("Séances réalisées"),
        definition=_("Séances des parcours non annulés qui ont eu lieu dans la période."),
        compute=count_of(sessions),
        breakdowns=ACTIVITY_BREAKDOWNS,
        records=_listed_sessions,
        order=3,
    ),
    Indicator(
        code="workshops",
        label=_("Ateliers"),
        definition=_("Ateliers thématiques de la période."),
        compute=count_of(workshops),
        breakdowns=PLACE_BREAKDOWNS,
        records=_listed_activities(Workshop, workshops, F("starts_at")),
        order=4,
    ),
    Indicator(
        code="drop_ins",
        label=_("Permanences"),
        definition=_("Permanences individuelles de la période."),
        compute=count_of(drop_ins),
        breakdowns=PLACE_BREAKDOWNS,
        records=_listed_activities(DropIn, drop_ins, F("starts_at")),
        order=5,
    ),
    Indicator(
        code="learner_hours",
        label=_("Heures d'apprentissage"),
        definition=_(
            "Pour chaque séance, le nombre de présents multiplié par sa durée ; pour chaque atelier, ses participants multipliés par sa durée ; plus la durée des permanences."
        ),
        compute=learner_hours,
        unit="hours",
        breakdowns=ACTIVITY_BREAKDOWNS,
        order=6,
    ),
    Indicator(
        code="women_share",
        label=_("Part des femmes"),
        definition=_(
            "Parmi les personnes accompagnées dont le genre est connu, la part des femmes."
        ),
        compute=women_share,
        unit="share",
        breakdowns=PEOPLE_BREAKDOWNS - {"gender"},
        about_people=True,
        order=12,
    ),
    Indicator(
        code="average_age",
        label=_("Âge moyen"),
        definition=_(
            "Âge moyen, au dernier jour de la période, des personnes accompagnées dont l'année de naissance est connue."
        ),
        compute=average_age,
        unit="years",
        breakdowns=PEOPLE_BREAKDOWNS - {"age_band"},
        about_people=True,
        order=13,
    ),
    Indicator(
        code="age_bands",
        label=_("Tranches d'âge"),
        definition=_(
            "Personnes accompagnées par tranche d'âge au dernier jour de la période (participants anonymes compris)."
        ),
        compute=age_bands,
        unit="distribution",
        breakdowns=PEOPLE_BREAKDOWNS - {"age_band"},
        about_people=True,
        order=14,
    ),
]:
    register(indicator)
