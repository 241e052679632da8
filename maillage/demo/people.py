"""Demo dataset: invented people accompanied, their referrals and diagnostics.

Figures reproduced (see docs/demo.md):
- Lille metropolis: 144 people accompanied by the five selected structures, 88 women (61 %) and
  56 men, average age 60 at the end of 2023 (the closing committee).

Every name is drawn from common French first and last names; phone numbers are taken from the
range the regulator keeps for fiction (03 53 01 xx xx); e-mails end in `.test`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.accounts.models import RoleAssignment, User
from maillage.core.roles import Role
from maillage.diagnostics import services as diagnostics
from maillage.diagnostics.models import Framework
from maillage.network.models import Structure
from maillage.people import services
from maillage.people.enums import (
    Connection,
    ConsentPurpose,
    Eligibility,
    Equipment,
    Gender,
    Need,
    ReferralStatus,
    SocialSituation,
    Urgency,
)
from maillage.people.models import Beneficiary, Consent, Referral, ReferralLink

MEL_STRUCTURES = [
    "CCAS d'Houplines",
    "CCAS de Leers",
    "CCAS d'Haubourdin",
    "CCAS de Fâches-Thumesnil",
    "ESAT les Ateliers de la Lys (AFEJI)",
]
MEL_PEOPLE, MEL_WOMEN, MEL_AVERAGE_AGE, MEL_AGE_YEAR = 144, 88, 60, 2023

WOMEN = [
    "Monique", "Josiane", "Françoise", "Martine", "Nicole", "Christiane", "Sylvie", "Brigitte",
    "Chantal", "Danielle", "Jacqueline", "Michèle", "Annie", "Catherine", "Évelyne", "Colette",
    "Ginette", "Odile", "Yvette", "Fatima", "Malika", "Nadia", "Khadija", "Samia", "Leïla",
    "Sandrine", "Nathalie", "Valérie", "Isabelle", "Véronique",
]  # fmt: skip
MEN = [
    "Jean", "Michel", "Alain", "Bernard", "Gérard", "Daniel", "Patrick", "Claude", "Jacques",
    "Serge", "René", "Roger", "André", "Marcel", "Christian", "Philippe", "Didier", "Pascal",
    "Mohamed", "Ahmed", "Rachid", "Karim", "Mustapha", "Thierry", "Éric", "Olivier", "Franck",
    "Dominique", "Yves", "Hervé",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
    "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "Mercier", "Dupont", "Lambert", "Bonnet", "Legrand", "Garnier", "Faure", "Blanc",
    "Guerin", "Muller", "Henry", "Roussel", "Perrin", "Lemaire", "Dumont", "Caron", "Leclercq",
    "Delattre", "Vandamme", "Deschamps", "Lemoine", "Benali", "Haddad", "Mansouri", "Kaci",
]  # fmt: skip
ORGANISATIONS = [
    "Conseil départemental du Nord — UTPAS",
    "CAF du Nord",
    "France Travail Lille",
    "Mission locale de la métropole",
    "Maison départementale des solidarités",
    "Association d'aide aux locataires",
]


def ages_with_mean(
    rng: random.Random, count: int, mean: int, low: int = 24, high: int = 89
) -> list[int]:
    """`count` plausible ages whose mean is exactly `mean`."""
    ages = [min(high, max(low, round(rng.gauss(mean, 13)))) for _ in range(count)]
    gap = mean * count - sum(ages)
    while gap:
        step = 1 if gap > 0 else -1
        index = rng.randrange(count)
        if low <= ages[index] + step <= high:
            ages[index] += step
            gap -= step
    return ages


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class PeopleBuilder:
    def __init__(self, seed: int = 2023) -> None:
        self.rng = random.Random(seed)
        self.phones: set[str] = set()
        self.framework = Framework.objects.current()
        self.today = timezone.localdate()

    def phone(self) -> str:
        while True:
            number = f"+3335301{self.rng.randrange(0, 10000):04d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def person(self, structure: Structure, gender: str, age: int, by: User | None) -> Beneficiary:
        first = self.rng.choice(WOMEN if gender == Gender.WOMAN else MEN)
        equipment = self.rng.choice(
            [
                [Equipment.NONE],
                [Equipment.BASIC_PHONE],
                [Equipment.SMARTPHONE],
                [Equipment.SMARTPHONE, Equipment.COMPUTER],
                [Equipment.TABLET],
            ]
        )
        person = Beneficiary(
            structure=structure,
            first_name=first,
            last_name=self.rng.choice(LAST_NAMES),
            birth_year=MEL_AGE_YEAR - age,
            gender=gender,
            commune=structure.commune,
            phone=self.phone() if self.rng.random() < 0.8 else "",
            social_situation=self.rng.choice(
                [SocialSituation.RETIRED] * 4
                + [SocialSituation.JOB_SEEKER, SocialSituation.RSA, SocialSituation.EMPLOYED]
            )
            if age >= 62
            else self.rng.choice(
                [
                    SocialSituation.JOB_SEEKER,
                    SocialSituation.RSA,
                    SocialSituation.EMPLOYED,
                    SocialSituation.ASYLUM,
                ]
            ),
            equipment=[str(e) for e in equipment],
            connection=self.rng.choice([Connection.NONE, Connection.MOBILE, Connection.BOX]),
            created_at=_at(date(2022, 9, 15) + timedelta(days=self.rng.randrange(0, 450))),
        )
        consents = [ConsentPurpose.FOLLOW_UP] + (
            [ConsentPurpose.SMS] if person.phone and self.rng.random() < 0.7 else []
        )
        person = services.create_beneficiary(person, by=by, consents=consents)
        Consent.objects.filter(beneficiary=person).update(given_on=person.created_at.date())
        return person

    def diagnose(self, person: Beneficiary, by: User | None, level: str, on: date) -> None:
        """A completed interview; `level` is the usual answer, with some variety."""
        assert self.framework is not None
        diagnostic = diagnostics.start(person, self.framework, by=by)
        answers = {}
        for area in self.framework.areas:
            for question in area["questions"]:
                answers[question["code"]] = self.rng.choice(
                    [level, level, level, "with_help", "yes", "no"]
                )
        device = (
            "computer"
            if "computer" in person.equipment
            else self.rng.choice(["tablet", "computer", "smartphone"])
        )
        diagnostic.answers = answers
        diagnostic.learning_device = device
        diagnostic.barriers = self.rng.sample(
            ["fear", "cost", "literacy", "language"], self.rng.choice([0, 0, 1, 1, 2])
        )
        diagnostic.urgent_procedure = self.rng.random() < 0.15
        diagnostic.urgent_procedure_note = (
            "Renouvellement d'un dossier en ligne" if diagnostic.urgent_procedure else ""
        )
        diagnostic.started_at = _at(on)
        diagnostic.save()
        diagnostic = diagnostics.complete(diagnostic, by=by)
        type(diagnostic).objects.filter(pk=diagnostic.pk).update(
            completed_at=_at(on) + timedelta(minutes=45)
        )
        for recommendation in diagnostic.recommendations.all():
            if recommendation.kind in ("course", "equip", "connect") and self.rng.random() < 0.8:
                diagnostics.accept(
                    recommendation,
                    by=by,
                    structure=person.structure,
                    note="",
                    created_at=_at(on) + timedelta(hours=1),
                )

    def referral(
        self,
        structure: Structure,
        status: str,
        on: date,
        person: Beneficiary | None = None,
        by: User | None = None,
    ) -> Referral:
        gender = person.gender if person else self.rng.choice([Gender.WOMAN, Gender.MAN])
        referral = Referral(
            to_structure=structure,
            referrer_name=f"{self.rng.choice(WOMEN + MEN)} {self.rng.choice(LAST_NAMES)}",
            referrer_organisation=self.rng.choice(ORGANISATIONS),
            referrer_email=f"prescripteur{self.rng.randrange(1, 60)}@exemple.test",
            first_name=person.first_name
            if person
            else self.rng.choice(WOMEN if gender == Gender.WOMAN else MEN),
            last_name=person.last_name if person else self.rng.choice(LAST_NAMES),
            birth_year=person.birth_year if person else 2023 - self.rng.randrange(30, 85),
            gender=gender,
            commune=structure.commune,
            phone=person.phone if person and person.phone else self.phone(),
            needs=self.rng.sample([str(n) for n in Need], self.rng.randint(1, 3)),
            urgency=Urgency.HIGH if self.rng.random() < 0.2 else Urgency.NORMAL,
            eligibility=self.rng.choice([str(e) for e in Eligibility] + ["", ""]),
            person_agreed=True,
            created_at=_at(on),
            status_changed_at=_at(on),
        )
        services.send_referral(referral, by=None)
        path: dict[ReferralStatus, list[ReferralStatus]] = {
            ReferralStatus.SENT: [],
            ReferralStatus.RECEIVED: [ReferralStatus.RECEIVED],
            ReferralStatus.CONTACTED: [ReferralStatus.RECEIVED, ReferralStatus.CONTACTED],
            ReferralStatus.ACCEPTED: [ReferralStatus.RECEIVED, ReferralStatus.CONTACTED],
            ReferralStatus.DECLINED: [ReferralStatus.RECEIVED],
            ReferralStatus.EXPIRED: [],
        }
        for step in path[ReferralStatus(status)]:
            services.move_referral(referral, step, by=by)
        if status == ReferralStatus.ACCEPTED:
            assert person is not None
            services.accept_referral(referral, person, by=by)
        elif status == ReferralStatus.DECLINED:
            services.move_referral(
                referral, status, by=by, note="La personne est déjà accompagnée ailleurs."
            )
        elif status == ReferralStatus.EXPIRED:
            services.move_referral(referral, status, by=None)
        Referral.objects.filter(pk=referral.pk).update(
            status_changed_at=_at(on) + timedelta(days=3)
        )
        return referral


def _referent_of(email: str) -> tuple[User, Structure]:
    assignment = RoleAssignment.objects.select_related("user", "structure").get(
        user__email=email, role=Role.RELAY_REFERENT
    )
    assert assignment.structure is not None
    return assignment.user, assignment.structure


def build_people() -> dict[str, Any]:
    b = PeopleBuilder()
    figures: dict[str, Any] = {}

    # --- Lille metropolis: 144 people, 61 % women, average age 60 ----------
    structures = [Structure.objects.get(name=name) for name in MEL_STRUCTURES]
    referents = {
        s.pk: User.objects.filter(
            role_assignments__structure=s, role_assignments__role=Role.RELAY_REFERENT
        )
        .order_by("pk")
        .first()
        for s in structures
    }
    genders = [Gender.WOMAN] * MEL_WOMEN + [Gender.MAN] * (MEL_PEOPLE - MEL_WOMEN)
    b.rng.shuffle(genders)
    ages = ages_with_mean(b.rng, MEL_PEOPLE, MEL_AVERAGE_AGE)
    people = []
    for index, (gender, age) in enumerate(zip(genders, ages, strict=True)):
        structure = structures[index % len(structures)]
        people.append(b.person(structure, gender, age, referents[structure.pk]))
    # Most came through a social worker's referral, and most had a diagnostic.
    for index, person in enumerate(people):
        by = referents[person.structure_id]
        on = person.created_at.date() - timedelta(days=b.rng.randrange(5, 20))
        if index % 3 != 2:
            b.referral(person.structure, ReferralStatus.ACCEPTED, on, person=person, by=by)
        if index % 10 < 7:
            level = "no" if MEL_AGE_YEAR - (person.birth_year or 1960) >= 65 else "with_help"
            b.diagnose(person, by, level, person.created_at.date())
    # A few people diagnosed again after their parcours: the progress shows.
    diagnosed = [person for index, person in enumerate(people) if index % 10 < 7]
    for person in diagnosed[:12]:
        by = referents[person.structure_id]
        b.diagnose(person, by, "yes", person.created_at.date() + timedelta(days=120))
    # Work in the inboxes today.
    for structure in structures:
        for status, days_ago in (
            (ReferralStatus.SENT, 2),
            (ReferralStatus.RECEIVED, 6),
            (ReferralStatus.CONTACTED, 12),
            (ReferralStatus.DECLINED, 40),
            (ReferralStatus.EXPIRED, 70),
        ):
            b.referral(structure, status, b.today - timedelta(days=days_ago))
        ReferralLink.objects.create(
            structure=structure,
            label="Travailleurs sociaux de la métropole",
            expires_on=b.today + timedelta(days=180),
        )
    # Still followed: a recent contact, so that the retention period has not run out; three
    # people have not been seen for long, and their record is due for anonymisation soon.
    for person in people[:-3]:
        Beneficiary.objects.filter(pk=person.pk).update(
            last_contact_on=b.today - timedelta(days=b.rng.randrange(20, 600))
        )
    for person in people[-3:]:
        Beneficiary.objects.filter(pk=person.pk).update(
            last_contact_on=services.retention_limit(b.today)
            + timedelta(days=b.rng.randrange(2, 25))
        )
    figures["mel"] = Beneficiary.objects.filter(structure__in=structures).statistics(
        date(MEL_AGE_YEAR, 12, 14)
    )

    # --- The Marne demo referent: a few people and referrals to look at ------
    referent, structure = _referent_of("referent.marne@maillage.test")
    for gender, age in ((Gender.WOMAN, 71), (Gender.MAN, 58), (Gender.WOMAN, 44)):
        person = b.person(structure, gender, age, referent)
        b.referral(
            structure,
            ReferralStatus.ACCEPTED,
            b.today - timedelta(days=30),
            person=person,
            by=referent,
        )
        b.diagnose(person, referent, "with_help", b.today - timedelta(days=25))
    b.referral(structure, ReferralStatus.SENT, b.today - timedelta(days=1))
    b.referral(structure, ReferralStatus.CONTACTED, b.today - timedelta(days=11))
    ReferralLink.objects.create(
        structure=structure,
        label="Assistantes sociales du Département",
        expires_on=b.today + timedelta(days=120),
    )
    return figures
