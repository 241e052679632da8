"""Demo dataset: the network's own journey, through the same services as the screens.

- Lille metropolis: the call « Devenez Relais Numérique » co-carried with the Métropole
  Européenne de Lille drew 22 applications (May–June 2022); 9 were shortlisted and the committee
  of 12 July 2022 selected the four CCAS and the ESAT; each was coached for 16 months from
  29 August 2022 (diagnosis, action plan, a contact every month or so, then a year of
  follow-up); their 13 referents followed the two one-day trainings in autumn 2022; the
  closing committee of 14 December 2023 made them Relais Numériques.
- Every other structure that went through coaching (the rural programme's, the Hautes-Alpes')
  has its coaching plan; the Loiret's deployment accompanied 20 structures, 4 of them towards
  the digital transformation of their own organisation (with Solidatech).
- Information meetings, teaching kits, and a call open today so that the public form can be
  tried.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.accounts.models import RoleAssignment, User
from maillage.animation import services
from maillage.animation.enums import (
    ActionStatus,
    ApplicationStatus,
    CoachingStatus,
    ContactKind,
    Modality,
    Priority,
    QuestionKind,
)
from maillage.animation.models import (
    ActionItem,
    Application,
    Call,
    CoachingPlan,
    FollowUp,
    InfoMeeting,
    InfoMeetingRegistration,
    Resource,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from maillage.core.dates import add_months
from maillage.core.models import Transition
from maillage.core.roles import Role
from maillage.demo.network import Builder
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure
from maillage.programmes.models import Programme
from maillage.territories.models import Department

LILLE_SELECTED = [
    "CCAS d'Houplines",
    "CCAS de Leers",
    "CCAS d'Haubourdin",
    "CCAS de Fâches-Thumesnil",
    "ESAT les Ateliers de la Lys (AFEJI)",
]
# The four other shortlisted applicants, and the reasons the committee gave.
COMMITTEE_REFUSALS = [
    "Projet solide, mais l'équipe ne pourra pas se libérer avant 2023 : à représenter.",
    "Pas de salle disponible pour les ateliers pendant la durée de l'accompagnement.",
    "Public déjà accompagné par un conseiller numérique de la commune.",
    "Candidature moins avancée que les cinq retenues sur le portage par la direction.",
]
EARLY_REFUSALS = [
    "Structure hors du territoire de la Métropole Européenne de Lille.",
    "Le projet ne concerne pas l'accompagnement des publics au numérique.",
    "Dossier incomplet : aucune personne de l'équipe ne peut porter le projet.",
]
QUESTIONS = [
    ("Quels publics accueillez-vous, et combien par an ?", QuestionKind.LONG_TEXT, True, ""),
    (
        "Pourquoi voulez-vous devenir Relais Numérique ?",
        QuestionKind.LONG_TEXT,
        True,
        "",
    ),
    (
        "Combien de personnes de votre équipe pourraient animer des ateliers ?",
        QuestionKind.NUMBER,
        True,
        "",
    ),
    ("Disposez-vous d'une salle équipée d'ordinateurs ?", QuestionKind.YES_NO, False, ""),
]
CRITERIA = [
    "Motivation et portage par la direction",
    "Publics en situation de précarité numérique",
    "Capacité à mobiliser une équipe",
    "Locaux et équipement",
]
ACTIONS = [
    ("Former les référents aux deux journées du réseau", Modality.TRAINING, Priority.HIGH),
    ("Ouvrir une permanence connectée chaque semaine", Modality.DROP_INS, Priority.HIGH),
    ("Lancer un premier parcours Initiation ordinateur", Modality.PARCOURS, Priority.HIGH),
    ("Programmer des ateliers accès aux droits et arnaques", Modality.WORKSHOPS, Priority.MEDIUM),
    ("Mettre en place la vente de matériel reconditionné", Modality.EQUIPMENT, Priority.MEDIUM),
    ("Accueillir un volontaire en service civique", Modality.STAFFING, Priority.LOW),
]
KITS = [
    ("Kit « Premiers pas sur ordinateur »", ["first_steps"], "beginner", "adults"),
    ("Kit « Découvrir la tablette »", ["first_steps"], "beginner", "seniors"),
    ("Kit « Créer et utiliser une boîte mail »", ["internet"], "beginner", "adults"),
    ("Kit « Se protéger des arnaques en ligne »", ["safety"], "intermediate", "adults"),
    ("Kit « Mes démarches : CAF, Ameli, impôts »", ["procedures"], "intermediate", "adults"),
    ("Kit « Chercher un emploi en ligne »", ["employment"], "intermediate", "youth"),
    ("Kit « Se déplacer avec son smartphone »", ["mobility"], "beginner", "youth"),
    ("Guide d'entretien « Diagnostic numérique »", ["diagnostic"], "beginner", "referents"),
    ("Guide « Animer un atelier collectif »", ["facilitation"], "beginner", "referents"),
]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build_journey(b: Builder) -> dict[str, Any]:
    """The journeys; returns the Lille call's figures."""
    lille = _lille_call(b)
    _other_coaching(b)
    _meetings_and_kits(b)
    return lille


def _lille_call(b: Builder) -> dict[str, Any]:
    manager = User.objects.get(email="responsable.nord@maillage.test")
    nord = Department.objects.get(code="59")
    call = Call.objects.create(
        title="Devenez Relais Numérique — Métropole Européenne de Lille",
        slug="relais-numeriques-mel-2022",
        description=(
            "La Métropole Européenne de Lille et le réseau cherchent des structures sociales "
            "qui veulent accompagner leurs publics au numérique en autonomie : formation des "
            "équipes, plan d'action, appui opérationnel pendant 16 mois puis un an de suivi."
        ),
        co_carriers="Métropole Européenne de Lille",
        opens_on=date(2022, 5, 16),
        closes_on=date(2022, 6, 24),
        eligibility="\n".join(
            [
                "Structure sociale de la Métropole Européenne de Lille (CCAS, association, ESAT…)",
                "Accueil de publics en situation de précarité",
                "Une personne de l'équipe pour porter le projet",
            ]
        ),
        places=5,
        coaching_months=16,
        is_published=True,
        created_by=manager,
    )
    call.departments.set([nord])
    Programme.objects.get(slug="relais-numeriques-mel").calls.add(call)
    for position, label in enumerate(CRITERIA):
        call.criteria.create(label=label, position=position)
    questions = [
        call.questions.create(
            label=label, kind=kind, required=required, choices=choices, position=n
        )
        for n, (label, kind, required, choices) in enumerate(QUESTIONS)
    ]

    meeting = InfoMeeting.objects.create(
        title="Devenir Relais Numérique dans la Métropole lilloise",
        starts_at=_at(date(2022, 5, 31), 14),
        minutes=90,
        place="Hôtel de la Métropole, Lille",
        department=nord,
        capacity=40,
        call=call,
        description="Le programme, l'accompagnement de 16 mois et le calendrier de l'appel.",
    )

    # 22 applications: the five selected structures and seventeen others of the Nord.
    selected = [Structure.objects.get(name=name) for name in LILLE_SELECTED]
    others = list(
        Structure.objects.filter(commune__department=nord, relay_status=RelayStatus.PROSPECT)
        .exclude(name__in=LILLE_SELECTED)
        .order_by("pk")[:17]
    )
    applicants = selected + others
    b.rng.shuffle(applicants)
    applications: dict[int, Application] = {}
    for n, structure in enumerate(applicants):
        contact = b.person_name()
        slug = contact.lower().replace(" ", ".")
        answers: dict[str, Any] = {
            str(questions[0].pk): "Des personnes âgées isolées, des familles monoparentales "
            "et des allocataires du RSA : environ 400 personnes par an.",
            str(questions[1].pk): "Nos publics sont de plus en plus souvent bloqués par les "
            "démarches en ligne ; nous voulons les accompagner nous-mêmes.",
            str(questions[2].pk): b.rng.randint(1, 4),
            str(questions[3].pk): b.rng.random() < 0.6,
        }
        draft = Application.objects.create(
            call=call,
            structure_name=structure.name,
            structure_kind=structure.kind,
            commune=structure.commune,
            contact_name=contact,
            contact_role=b.rng.choice(["Directrice", "Directeur", "Travailleuse sociale"]),
            contact_email=f"{slug}@candidat.maillage.test",
            contact_phone=f"+3335301{3000 + n:04d}",
            answers=answers,
            token_digest=services.new_draft_token()[1],
        )
        submitted = services.submit(draft, at=_at(date(2022, 5, 18) + timedelta(days=n * 8 // 5)))
        applications[structure.pk] = submitted
        if n < 12:
            InfoMeetingRegistration.objects.create(
                meeting=meeting,
                full_name=contact,
                structure_name=structure.name,
                email=submitted.contact_email,
                attended=n != 3,
            )

    # Shortlisting on 28 June: the five and four others; the rest turned down with a reason.
    shortlist = selected + others[:4]
    for structure in others[4:]:
        services.turn_down(
            applications[structure.pk],
            reason=b.rng.choice(EARLY_REFUSALS),
            by=manager,
            at=_at(date(2022, 6, 28)),
        )
    for structure in shortlist:
        services.shortlist(applications[structure.pk], by=manager, at=_at(date(2022, 6, 28)))
    decisions = []
    for structure in shortlist:
        chosen = structure in selected
        application = Application.objects.get(pk=applications[structure.pk].pk)
        scores = {
            c.pk: b.rng.randint(4, 5) if chosen else b.rng.randint(1, 3)
            for c in call.criteria.all()
        }
        decisions.append(
            services.Decision(
                application=application,
                scores=scores,
                comment="Équipe motivée, publics très concernés."
                if chosen
                else "Intérêt réel, projet à mûrir.",
                outcome=ApplicationStatus.SELECTED if chosen else ApplicationStatus.NOT_SELECTED,
                reason="" if chosen else COMMITTEE_REFUSALS[others.index(structure)],
            )
        )
    services.record_committee(
        call,
        held_on=date(2022, 7, 12),
        members="\n".join(
            [
                f"{manager.full_name} — responsable de territoire Nord",
                "Chargée de mission inclusion numérique — Métropole Européenne de Lille",
                "Direction régionale Hauts-de-France du réseau",
            ]
        ),
        minutes="Neuf candidatures présélectionnées examinées ; cinq structures retenues pour "
        "les cinq places de l'appel.",
        decisions=decisions,
        by=manager,
    )

    # Sixteen months of coaching, then a year of follow-up.
    referents = {
        s.pk: list(
            User.objects.filter(
                role_assignments__role=Role.RELAY_REFERENT, role_assignments__structure=s
            ).order_by("email")
        )
        for s in selected
    }
    plans = []
    for structure in selected:
        plan = services.start_coaching(
            structure,
            coach=manager,
            starts_on=date(2022, 8, 29),
            months=16,
            application=applications[structure.pk],
            by=manager,
        )
        _diagnose(b, plan, len(referents[structure.pk]))
        _follow(b, plan, manager, date(2022, 9, 6), date(2024, 12, 10))
        plans.append(plan)

    # The two one-day trainings of the 13 referents (one was absent the second day).
    trainer = User.objects.get(email="responsable.region-32@maillage.test")
    people = [(s, person) for s in selected for person in referents[s.pk]]
    for code, day in (
        ("decouvrir-inclusion-numerique", date(2022, 10, 13)),
        ("former-competences-de-base", date(2022, 11, 17)),
    ):
        session = TrainingSession.objects.create(
            training=Training.objects.get(code=code),
            day=day,
            start_time=time(9, 0),
            end_time=time(17, 0),
            place="Maison de l'inclusion numérique, Roubaix",
            department=nord,
            trainer=trainer,
            capacity=15,
            call=call,
        )
        TrainingRegistration.objects.bulk_create(
            TrainingRegistration(
                session=session,
                structure=structure,
                user=person,
                full_name=person.full_name,
                email=person.email,
                attended=not (code == "former-competences-de-base" and n == 4),
                registered_at=_at(day - timedelta(days=20)),
            )
            for n, (structure, person) in enumerate(people)
        )

    closing = services.close_coaching(
        plans,
        held_on=date(2023, 12, 14),
        attendees="\n".join(
            [
                "Métropole Européenne de Lille",
                *LILLE_SELECTED,
                f"{manager.full_name} — chargé d'accompagnement",
                "Partenaires du réseau",
            ]
        ),
        minutes=(
            "Bilan de seize mois d'accompagnement : les cinq structures ont formé leurs "
            "référents, mis en place des ateliers ponctuels, des permanences et des parcours "
            "d'initiation sur ordinateur et sur tablette, et les animent désormais en "
            "autonomie. Elles deviennent Relais Numériques ; le réseau les suit encore un an."
        ),
        call=call,
        by=manager,
    )
    return {"call": call.pk, "closing": closing.pk, **call.figures()}


def _diagnose(b: Builder, plan: CoachingPlan, referents: int) -> None:
    plan.public_description = (
        "Personnes âgées isolées, familles monoparentales, allocataires des minima sociaux ; "
        "beaucoup n'ont ni ordinateur ni adresse e-mail."
    )
    plan.needs = (
        "Démarches en ligne (CAF, Ameli, impôts), usage du smartphone, premiers pas sur "
        "ordinateur ; repérer les personnes en difficulté dès l'accueil."
    )
    plan.resources = "Une salle de réunion, quatre ordinateurs portables, une connexion fibre."
    plan.civic_service_volunteers = b.rng.randint(0, 1)
    plan.digital_advisers = b.rng.randint(0, 1)
    plan.volunteers = b.rng.randint(1, 4)
    plan.staff_notes = f"{referents} référents désignés par la direction."
    plan.funding = "Budget de fonctionnement de la structure ; subvention de la Métropole."
    plan.save()
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            title=title,
            modality=modality,
            priority=priority,
            owner="Référents de la structure" if n else "Chargé d'accompagnement",
            due_on=add_months(plan.starts_on, 2 + 2 * n),
            status=ActionStatus.DONE if n < 5 else ActionStatus.DROPPED,
        )
        for n, (title, modality, priority) in enumerate(ACTIONS)
    )


def _follow(b: Builder, plan: CoachingPlan, coach: User, first: date, last: date) -> None:
    """A contact about every month during the coaching, every two months after it."""
    contacts = []
    day = first
    while day <= last:
        in_coaching = day <= plan.ends_on
        kind = b.rng.choice(
            [ContactKind.VISIT, ContactKind.VISIT, ContactKind.CALL, ContactKind.MEETING]
            if in_coaching
            else [ContactKind.CALL, ContactKind.CALL, ContactKind.VISIT]
        )
        contacts.append(
            FollowUp(
                plan=plan,
                on=day,
                kind=kind,
                notes="Point d'étape sur le plan d'action avec les référents."
                if in_coaching
                else "Suivi après la clôture : les ateliers continuent.",
                next_steps="Préparer le prochain parcours." if in_coaching else "",
                by=coach,
                created_at=_at(day, 17),
            )
        )
        day += timedelta(days=b.rng.randint(24, 38) if in_coaching else b.rng.randint(50, 58))
    FollowUp.objects.bulk_create(contacts)


def _other_coaching(b: Builder) -> None:
    """A plan for every other structure that went through coaching, closed when it became a
    relay (or left); four of the Loiret's plans also work on the organisation's own digital
    practices, with Solidatech."""
    steps = (
        Transition.objects.filter(
            field="relay_status",
            content_type__app_label="network",
            content_type__model="structure",
        )
        .exclude(
            object_id__in=[
                str(pk) for pk in CoachingPlan.objects.values_list("structure_id", flat=True)
            ]
        )
        .order_by("object_id", "at", "pk")
    )
    journeys: dict[int, list[Transition]] = {}
    for step in steps:
        journeys.setdefault(int(step.object_id), []).append(step)
    structures = Structure.objects.in_bulk(list(journeys)).values()
    coaches = {
        department.pk: assignment.user
        for assignment in RoleAssignment.objects.filter(role=Role.TERRITORY_MANAGER)
        .prefetch_related("departments")
        .select_related("user")
        for department in assignment.departments.all()
    }
    plans = []
    for structure in sorted(structures, key=lambda s: s.pk):
        started = ended = None
        for step in journeys[structure.pk]:
            if step.to_state == RelayStatus.IN_COACHING:
                started = timezone.localtime(step.at).date()
            elif step.to_state in (RelayStatus.RELAY, RelayStatus.LEFT) and started and not ended:
                ended = timezone.localtime(step.at).date()
        if started is None:
            continue
        plans.append(
            CoachingPlan(
                structure=structure,
                coach=coaches[structure.commune.department_id],
                starts_on=started,
                ends_on=ended if ended and ended > started else add_months(started, 4),
                status=CoachingStatus.CLOSED if ended else CoachingStatus.IN_PROGRESS,
                closed_on=ended,
                needs="Mettre en place des ateliers et des permanences pour ses publics.",
            )
        )
    CoachingPlan.objects.bulk_create(plans)
    loiret = list(
        CoachingPlan.objects.filter(structure__commune__department__code="45").order_by("pk")
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            title="Numériser les pratiques de l'association avec Solidatech",
            modality=Modality.ORGANISATION,
            priority=Priority.MEDIUM,
            owner="Direction de la structure",
            due_on=plan.ends_on,
            status=ActionStatus.DONE if plan.closed_on else ActionStatus.IN_PROGRESS,
        )
        for plan in loiret[:4]
    )


def _meetings_and_kits(b: Builder) -> None:
    """The kits shared with referents, a call open today and its coming information meeting."""
    today = timezone.localdate()
    admin = User.objects.get(email="admin@maillage.test")
    Resource.objects.bulk_create(
        Resource(
            title=title,
            description="Déroulé pas à pas, supports à imprimer et exercices pour une séance "
            "d'une heure et demie.",
            url=f"https://ressources.maillage.test/kits/{n + 1}",
            themes=themes,
            level=level,
            audience=audience,
            downloads=b.rng.randint(12, 180),
            created_by=admin,
        )
        for n, (title, themes, level, audience) in enumerate(KITS)
    )
    nord = Department.objects.get(code="59")
    call = Call.objects.create(
        title="Devenez Relais Numérique — Métropole Européenne de Lille, 2ᵉ promotion",
        slug="relais-numeriques-mel-2",
        description="Une nouvelle promotion de structures sociales accompagnées vers l'autonomie.",
        co_carriers="Métropole Européenne de Lille",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=40),
        eligibility="Structure sociale de la Métropole Européenne de Lille\n"
        "Accueil de publics en situation de précarité",
        places=6,
        is_published=True,
        created_by=admin,
    )
    call.departments.set([nord])
    for position, label in enumerate(CRITERIA):
        call.criteria.create(label=label, position=position)
    for n, (label, kind, required, choices) in enumerate(QUESTIONS):
        call.questions.create(
            label=label, kind=kind, required=required, choices=choices, position=n
        )
    InfoMeeting.objects.create(
        title="Devenir Relais Numérique : réunion d'information",
        starts_at=_at(today + timedelta(days=9), 14),
        minutes=60,
        place="En visioconférence",
        online_url="https://visio.maillage.test/relais-numeriques",
        department=nord,
        capacity=30,
        call=call,
        description="Le programme, l'accompagnement et le calendrier de la 2ᵉ promotion.",
    )
