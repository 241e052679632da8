"""Demo dataset: the accompaniment the articles report, built in bulk.

Figures reproduced (see docs/demo.md):
- Ruralité Connectée, first twelve months (2022): 626 parcours realised in the six départements,
  245 of them Initiation ordinateur, reaching 3,775 distinct people (parcours, workshops and
  drop-ins together).
- Hautes-Alpes (March 2022 – September 2023): 147 parcours, 130 people.
- Lille metropolis, after the coaching (2023): 56 activities by the five structures — 24
  initiation parcours (computer about 12 h, tablet 14 h) and 32 workshops or drop-ins — reaching
  the 144 people of the demo, 136 of whom followed a parcours.
Attendance is realistic: about one absence in seven, some learners drop out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.references import new_reference
from maillage.core.roles import Role
from maillage.demo.people import LAST_NAMES, MEN, WOMEN
from maillage.learning.enums import CohortStatus, EnrolmentStatus, Presence
from maillage.learning.models import (
    Attendance,
    Cohort,
    Course,
    DropIn,
    Enrolment,
    Session,
    Workshop,
)
from maillage.network.models import Structure
from maillage.people.enums import Gender
from maillage.people.models import Beneficiary
from maillage.programmes.models import Programme
from maillage.territories.holidays import is_public_holiday
from maillage.territories.models import normalise

RURAL_PARCOURS_BY_DEPARTMENT = {"51": 110, "08": 104, "36": 100, "45": 108, "62": 104, "02": 100}
RURAL_COURSES = [
    ("initiation-computer", 245),
    ("initiation-tablet", 120),
    ("initiation-smartphone", 110),
    ("decouverte-ordinateur-internet", 60),
    *(
        (code, 13)
        for code in (
            "mobilite",
            "emploi",
            "sante",
            "e-parentalite",
            "seniors",
            "acces-aux-droits",
            "jeunes",
        )
    ),
]
RURAL_PEOPLE = 3775
# Of whom 340 came to workshops and drop-ins only; 180 parcours seats go to people already in
# another parcours.
RURAL_WORKSHOP_ONLY, RURAL_SECOND_PARCOURS = 340, 180
ALPS_PARCOURS, ALPS_PEOPLE = 147, 130
MEL_PARCOURS = [("initiation-computer", 14), ("initiation-tablet", 10)]
MEL_IN_PARCOURS, MEL_WORKSHOPS, MEL_DROP_INS = 136, 20, 12
# A learner misses about one session in seven; a few give up.
PRESENCE_RATE, DROP_OUT_RATE = 0.86, 0.07
SLOTS = [time(9, 30), time(14, 0)]


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@dataclass
class Lane:
    """A facilitator's weekly slot (a weekday and a time) that runs one cohort after another."""

    facilitator: User
    weekday: int
    at: time
    next_day: date

    def dates(self, count: int) -> list[date]:
        days: list[date] = []
        day = self.next_day
        while len(days) < count:
            if not is_public_holiday(day):
                days.append(day)
            day += timedelta(weeks=1)
        # Three weeks between two groups: finding the next learners, other work.
        self.next_day = day + timedelta(weeks=3)
        return days


@dataclass
class Bulk:
    """Rows gathered, then written in a few queries."""

    people: list[Beneficiary] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    attendance: list[tuple[Session, Beneficiary, str]] = field(default_factory=list)


class LearningBuilder:
    def __init__(self, seed: int = 2024) -> None:
        self.rng = random.Random(seed)
        self.references = set(Beneficiary.objects.values_list("reference", flat=True))
        self.courses = {c.code: c for c in Course.objects.all()}

    # --- people ----------------------------------------------------------------

    def reference(self) -> str:
        while True:
            ref = new_reference("P", self.rng.choice)
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def people(self, structures: list[Structure], count: int, since: date) -> list[Beneficiary]:
        """Invented people followed by these structures, written at once."""
        rows = []
        for n in range(count):
            gender = Gender.WOMAN if self.rng.random() < 0.6 else Gender.MAN
            first = self.rng.choice(WOMEN if gender == Gender.WOMAN else MEN)
            last = self.rng.choice(LAST_NAMES)
            structure = structures[n % len(structures)]
            created = since + timedelta(days=self.rng.randrange(0, 300))
            rows.append(
                Beneficiary(
                    reference=self.reference(),
                    structure=structure,
                    first_name=first,
                    last_name=last,
                    search_name=normalise(f"{first} {last}"),
                    birth_year=2022 - min(90, max(18, round(self.rng.gauss(58, 16)))),
                    gender=gender,
                    commune=structure.commune,
                    created_at=_at(created, time(10)),
                    last_contact_on=timezone.localdate()
                    - timedelta(days=self.rng.randrange(15, 650)),
                )
            )
        return Beneficiary.objects.bulk_create(rows)

    # --- cohorts -----------------------------------------------------------------

    def cohort(
        self,
        bulk: Bulk,
        *,
        course: Course,
        structure: Structure,
        programme: Programme | None,
        lane: Lane,
        learners: list[Beneficiary],
        co_facilitators: Sequence[User] = (),
    ) -> Cohort:
        cohort = Cohort.objects.create(
            course=course,
            structure=structure,
            programme=programme,
            capacity=8,
            status=CohortStatus.COMPLETED,
        )
        cohort.facilitators.add(lane.facilitator)
        if co_facilitators:
            cohort.co_facilitators.add(*co_facilitators)
        sessions = [
            Session(
                cohort=cohort,
                number=n,
                starts_at=_at(day, lane.at),
                minutes=course.minutes_per_session,
                roll_called_at=_at(day, lane.at),
            )
            for n, day in enumerate(lane.dates(course.session_count), start=1)
        ]
        bulk.sessions.extend(sessions)
        for person in learners:
            dropped_after = (
                self.rng.randrange(1, max(2, course.session_count - 1))
                if self.rng.random() < DROP_OUT_RATE
                else None
            )
            attended = 0
            for session in sessions:
                if dropped_after is not None and session.number > dropped_after:
                    break
                present = session.number == 1 or self.rng.random() < PRESENCE_RATE
                presence = (
                    Presence.PRESENT
                    if present
                    else self.rng.choice([Presence.ABSENT, Presence.EXCUSED])
                )
                attended += present
                bulk.attendance.append((session, person, presence))
            if dropped_after is not None:
                status, reason = (
                    EnrolmentStatus.DROPPED,
                    self.rng.choice(
                        [
                            "Reprise d'un emploi",
                            "Problème de santé",
                            "Déménagement",
                            "Plus disponible le jour de la séance",
                        ]
                    ),
                )
            elif course.is_completed_with(attended):
                status, reason = EnrolmentStatus.COMPLETED, ""
            else:
                status, reason = EnrolmentStatus.ENROLLED, ""
            bulk.enrolments.append(
                Enrolment(
                    cohort=cohort,
                    beneficiary=person,
                    status=status,
                    drop_reason=reason,
                    enrolled_at=sessions[0].starts_at - timedelta(days=7),
                )
            )
        return cohort

    @staticmethod
    def flush(bulk: Bulk) -> None:
        Session.objects.bulk_create(bulk.sessions, batch_size=1000)
        Enrolment.objects.bulk_create(bulk.enrolments, batch_size=1000)
        Attendance.objects.bulk_create(
            (
                Attendance(session=s, beneficiary=p, presence=presence)
                for s, p, presence in bulk.attendance
            ),
            batch_size=2000,
        )

    # --- workshops and drop-ins -----------------------------------------------------

    def workshop(
        self,
        *,
        title: str,
        themes: list[str],
        structure: Structure,
        facilitator: User,
        day: date,
        programme: Programme | None,
        participants: list[Beneficiary],
    ) -> Workshop:
        workshop = Workshop.objects.create(
            title=title,
            themes=themes,
            structure=structure,
            programme=programme,
            starts_at=_at(day, time(14, 0)),
            minutes=120,
            capacity=12,
        )
        workshop.facilitators.add(facilitator)
        workshop.participants.add(*participants)
        return workshop

    def drop_in(
        self,
        *,
        structure: Structure,
        facilitator: User,
        person: Beneficiary,
        day: date,
        programme: Programme | None,
    ) -> DropIn:
        return DropIn(
            structure=structure,
            facilitator=facilitator,
            beneficiary=person,
            starts_at=_at(
                day, time(self.rng.choice([9, 10, 11, 14, 15, 16]), self.rng.choice([0, 30]))
            ),
            minutes=self.rng.choice([15, 30, 30, 45, 60]),
            themes=self.rng.choice(
                [["procedures"], ["procedures"], ["device"], ["email"], ["safety"]]
            ),
            procedure_themes=self.rng.sample(
                ["papers", "family", "social", "work", "housing", "money"], 1
            ),
            device=self.rng.choice(["smartphone", "smartphone", "computer", "tablet"]),
            autonomy=self.rng.choice(["guided", "with_help", "with_help", "autonomous"]),
            referred_to=self.rng.choice(["", "", "", "france_services", "social_help"]),
            programme=programme,
        )


def _weekdays_from(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _lanes(facilitators: list[User], start: date) -> Iterator[Lane]:
    """Every facilitator's eight weekly slots (Monday to Thursday, morning and afternoon),
    taken in turn."""
    lanes = [
        Lane(f, weekday, at, _weekdays_from(start, weekday) + timedelta(weeks=(weekday + n) % 3))
        for n, f in enumerate(facilitators)
        for weekday in range(4)
        for at in SLOTS
    ]
    while True:
        lanes.sort(key=lambda lane: (lane.next_day, lane.at))
        yield lanes[0]


def _split(people: list[Beneficiary], sizes: list[int]) -> list[list[Beneficiary]]:
    groups, start = [], 0
    for size in sizes:
        groups.append(people[start : start + size])
        start += size
    return groups


def _sizes(rng: random.Random, total: int, count: int, low: int, high: int) -> list[int]:
    """`count` group sizes between `low` and `high` adding up to `total`."""
    sizes = [low] * count
    rest = total - low * count
    assert 0 <= rest <= (high - low) * count, (total, count, low, high)
    while rest:
        index = rng.randrange(count)
        if sizes[index] < high:
            sizes[index] += 1
            rest -= 1
    return sizes


def _rural_structures(code: str, programme: Programme) -> list[Structure]:
    return list(
        Structure.objects.filter(commune__department__code=code, programmes=programme).order_by(
            "pk"
        )
    )


def _mediators(code: str) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__role=Role.MEDIATOR, role_assignments__departments__code=code
        )
        .distinct()
        .order_by("email")
    )


def build_learning() -> dict[str, Any]:
    b = LearningBuilder()
    figures: dict[str, Any] = {}

    # --- Ruralité Connectée: 626 parcours in 2022, 3,775 people ----------------------
    rural = Programme.objects.get(slug="ruralite-connectee")
    courses = [code for code, count in RURAL_COURSES for _ in range(count)]
    b.rng.shuffle(courses)
    in_parcours = RURAL_PEOPLE - RURAL_WORKSHOP_ONLY
    counts = list(RURAL_PARCOURS_BY_DEPARTMENT.values())
    cohort_sizes = _sizes(b.rng, in_parcours + RURAL_SECOND_PARCOURS, sum(counts), 4, 8)
    # Per département, as many new people as seats, less the seats of second parcours: a
    # person who follows two parcours is one person.
    seats_by_department = []
    index = 0
    for count in counts:
        seats_by_department.append(sum(cohort_sizes[index : index + count]))
        index += count
    total_seats = sum(seats_by_department)
    shares = [seats * in_parcours // total_seats for seats in seats_by_department]
    shares[0] += in_parcours - sum(shares)
    bulk = Bulk()
    index = 0
    staff_by_code = {code: _mediators(code) for code in RURAL_PARCOURS_BY_DEPARTMENT}
    for (code, count), seats, share in zip(
        RURAL_PARCOURS_BY_DEPARTMENT.items(), seats_by_department, shares, strict=True
    ):
        structures = _rural_structures(code, rural)
        people = b.people(structures, share, date(2022, 1, 1))
        pool = people + [b.rng.choice(people) for _ in range(seats - share)]
        b.rng.shuffle(pool)
        lanes = _lanes(staff_by_code[code], date(2022, 1, 3))
        start = 0
        for size in cohort_sizes[index : index + count]:
            learners = list(dict.fromkeys(pool[start : start + size]))
            start += size
            b.cohort(
                bulk,
                course=b.courses[courses[index]],
                structure=b.rng.choice(structures),
                programme=rural,
                lane=next(lanes),
                learners=learners,
            )
            index += 1
    LearningBuilder.flush(bulk)
    # Workshops and drop-ins: 340 people came only to those; parcours learners came too.
    drop_ins = []
    for code in RURAL_PARCOURS_BY_DEPARTMENT:
        structures = _rural_structures(code, rural)
        extra = RURAL_WORKSHOP_ONLY % len(RURAL_PARCOURS_BY_DEPARTMENT) if code == "51" else 0
        newcomers = b.people(
            structures,
            RURAL_WORKSHOP_ONLY // len(RURAL_PARCOURS_BY_DEPARTMENT) + extra,
            date(2022, 1, 1),
        )
        regulars = list(
            Beneficiary.objects.filter(
                structure__in=structures, enrolments__isnull=False
            ).distinct()[:40]
        )
        facilitators = staff_by_code[code]
        groups = [newcomers[i : i + 4] for i in range(0, len(newcomers) - 12, 4)]
        for n, group in enumerate(groups):
            b.workshop(
                title=b.rng.choice(
                    [
                        "Se protéger des arnaques en ligne",
                        "Réseaux sociaux et cyberharcèlement",
                        "Accès aux droits : mes comptes en ligne",
                        "Bien utiliser les moteurs de recherche",
                        "Organiser ses fichiers",
                    ]
                ),
                themes=[
                    b.rng.choice(["safety", "social_networks", "procedures", "browsing", "files"])
                ],
                structure=b.rng.choice(structures),
                facilitator=facilitators[n % len(facilitators)],
                # Fridays: the facilitators' parcours run Monday to Thursday.
                day=date(2022, 2, 4) + timedelta(weeks=b.rng.randrange(0, 45)),
                programme=rural,
                participants=group + b.rng.sample(regulars, min(2, len(regulars))),
            )
        for person in newcomers[len(groups) * 4 :]:
            day = date(2022, 1, 10) + timedelta(days=b.rng.randrange(0, 340))
            while day.weekday() > 4 or is_public_holiday(day):
                day += timedelta(days=1)
            drop_ins.append(
                b.drop_in(
                    structure=person.structure,
                    facilitator=facilitators[0],
                    person=person,
                    day=day,
                    programme=rural,
                )
            )
    DropIn.objects.bulk_create(drop_ins)
    figures["rural"] = _reach(rural, date(2022, 1, 1), date(2023, 1, 1))

    # --- Hautes-Alpes: 147 parcours, 130 people -------------------------------------
    alps = Programme.objects.get(slug="hautes-alpes")
    structures = list(alps.partner_structures.order_by("pk"))
    people = b.people(structures, ALPS_PEOPLE, date(2022, 3, 1))
    lanes = _lanes(_mediators("05"), date(2022, 3, 7))
    bulk = Bulk()
    sizes = _sizes(b.rng, 260, ALPS_PARCOURS, 1, 3)  # small groups; many followed two parcours
    pool = people + b.rng.sample(people, 260 - ALPS_PEOPLE)
    b.rng.shuffle(pool)
    start = 0
    alps_courses = (
        ["initiation-computer"] * 95
        + ["decouverte-ordinateur-internet"] * 30
        + ["initiation-smartphone"] * 22
    )
    for n, size in enumerate(sizes):
        learners = list(dict.fromkeys(pool[start : start + size]))
        start += size
        b.cohort(
            bulk,
            course=b.courses[alps_courses[n]],
            structure=b.rng.choice(structures),
            programme=alps,
            lane=next(lanes),
            learners=learners,
        )
    LearningBuilder.flush(bulk)
    figures["alps"] = _reach(alps, date(2022, 3, 1), date(2023, 10, 1))

    # --- Lille metropolis: 24 parcours, 32 workshops or drop-ins, 144 people ----------
    mel = Programme.objects.get(slug="relais-numeriques-mel")
    structures = list(mel.partner_structures.order_by("pk"))
    mel_people = list(Beneficiary.objects.filter(structure__in=structures).order_by("pk"))
    b.rng.shuffle(mel_people)
    learners, others = mel_people[:MEL_IN_PARCOURS], mel_people[MEL_IN_PARCOURS:]
    kinds = [code for code, count in MEL_PARCOURS for _ in range(count)]
    groups = _split(learners, _sizes(b.rng, MEL_IN_PARCOURS, len(kinds), 5, 7))
    bulk = Bulk()
    referents = {
        s.pk: list(
            User.objects.filter(
                role_assignments__structure=s, role_assignments__role=Role.RELAY_REFERENT
            ).order_by("email")
        )
        for s in structures
    }
    structure_lanes = {s.pk: _lanes(referents[s.pk][:1], date(2023, 1, 9)) for s in structures}
    for n, (code, group) in enumerate(zip(kinds, groups, strict=True)):
        structure = structures[n % len(structures)]
        b.cohort(
            bulk,
            course=b.courses[code],
            structure=structure,
            programme=mel,
            lane=next(structure_lanes[structure.pk]),
            learners=group,
            co_facilitators=referents[structure.pk][1:2],
        )
    LearningBuilder.flush(bulk)
    titles = [
        ("Accès aux droits : CAF, Ameli, impôts en ligne", ["procedures"]),
        ("Sécurité sur internet et arnaques en ligne", ["safety"]),
        ("Réseaux sociaux et cyberharcèlement", ["social_networks", "safety"]),
    ]
    drop_ins = []
    for n in range(MEL_WORKSHOPS):
        structure = structures[n % len(structures)]
        title, themes = titles[n % len(titles)]
        participants = others[n % len(others) : n % len(others) + 1] + b.rng.sample(learners, 5)
        b.workshop(
            title=title,
            themes=themes,
            structure=structure,
            facilitator=referents[structure.pk][0],
            day=date(2023, 3, 10) + timedelta(days=14 * n),
            programme=mel,
            participants=participants,
        )
    for n in range(MEL_DROP_INS):
        person = others[n % len(others)]
        drop_ins.append(
            b.drop_in(
                structure=person.structure,
                facilitator=referents[person.structure_id][0],
                person=person,
                day=date(2023, 4, 4) + timedelta(days=21 * n),
                programme=mel,
            )
        )
    DropIn.objects.bulk_create(drop_ins)
    figures["mel"] = _reach(mel, date(2022, 8, 1), date(2024, 1, 1))
    return figures


def _reach(programme: Programme, start: date, end: date) -> dict[str, int]:
    """Parcours realised (first session in the period) and distinct people reached by the
    programme's parcours, workshops and drop-ins in the period."""
    since, until = _at(start, time.min), _at(end, time.min)
    cohorts = (
        Cohort.objects.realised()
        .filter(programme=programme)
        .filter(sessions__number=1, sessions__starts_at__gte=since, sessions__starts_at__lt=until)
    )
    in_parcours = set(
        Attendance.objects.filter(
            session__cohort__in=cohorts, presence=Presence.PRESENT
        ).values_list("beneficiary", flat=True)
    )
    workshops = set(
        Beneficiary.objects.filter(
            workshops__programme=programme,
            workshops__starts_at__gte=since,
            workshops__starts_at__lt=until,
        ).values_list("pk", flat=True)
    )
    drop_ins = set(
        DropIn.objects.filter(
            programme=programme,
            starts_at__gte=since,
            starts_at__lt=until,
            beneficiary__isnull=False,
        ).values_list("beneficiary", flat=True)
    )
    return {
        "parcours": cohorts.count(),
        "people": len(in_parcours | workshops | drop_ins),
        "people_in_parcours": len(in_parcours),
        "workshops": Workshop.objects.filter(
            programme=programme, starts_at__gte=since, starts_at__lt=until
        ).count(),
        "drop_ins": DropIn.objects.filter(
            programme=programme, starts_at__gte=since, starts_at__lt=until
        ).count(),
    }
