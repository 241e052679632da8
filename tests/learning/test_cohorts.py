from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.utils import timezone

from maillage.core.statemachine import TransitionNotAllowed
from maillage.learning import services
from maillage.learning.enums import CohortStatus, EnrolmentStatus
from maillage.learning.models import Attendance, Cohort, Course, Enrolment, Unavailability, WalkIns
from maillage.people.enums import Gender
from maillage.people.models import Beneficiary
from tests.conftest import World, seed_catalogue, text
from tests.factories import UserFactory, grant


def plan(
    world: World, code: str = "initiation-computer", structure: Any = None, **fields: Any
) -> Cohort:
    return services.plan_cohort(
        Cohort(
            course=Course.objects.get(code=code), structure=structure or world.ccas_reims, **fields
        ),
        first=date(2023, 4, 3),
        at=time(14, 0),
        facilitators=[world.personas["mediator"]],
        by=world.personas["mediator"],
    )


def learners(world: World, count: int) -> list[Beneficiary]:
    return [
        Beneficiary.objects.create(
            first_name=f"Apprenant{n}",
            birth_year=1950 + n,
            gender=Gender.WOMAN,
            structure=world.ccas_reims,
        )
        for n in range(count)
    ]


def test_the_catalogue_is_seeded_with_the_network_courses(db: None) -> None:
    seed_catalogue()  # what the data migration runs (browser tests flush the database)
    courses = {c.code: c for c in Course.objects.all()}
    assert (
        courses["initiation-computer"].session_count,
        courses["initiation-computer"].minutes_per_session,
    ) == (6, 120)
    assert courses["initiation-tablet"].session_count == 7
    assert courses["initiation-smartphone"].session_count == 5
    assert courses["decouverte-ordinateur-internet"].total_duration == "10 h"
    for code in (
        "mobilite",
        "emploi",
        "sante",
        "e-parentalite",
        "seniors",
        "acces-aux-droits",
        "jeunes",
    ):
        assert code in courses, code
    assert all(len(c.syllabus) == c.session_count for c in courses.values())


@pytest.mark.parametrize(
    ("sessions", "attended", "completed"),
    [
        (6, 3, False),
        (6, 4, True),
        (5, 3, False),
        (5, 4, True),
        (7, 4, False),
        (7, 5, True),
        (3, 2, True),
    ],
)
def test_the_completion_rule_is_two_thirds_rounded_up(
    db: None, sessions: int, attended: int, completed: bool
) -> None:
    course = Course(session_count=sessions, minutes_per_session=120)
    assert course.is_completed_with(attended) is completed


def test_a_manager_plans_a_cohort_and_its_sessions_skip_the_holidays(
    client_as, world: World
) -> None:
    response = client_as("territory_manager").post(
        "/accompagner/parcours/nouveau/",
        {
            "course": Course.objects.get(code="initiation-computer").pk,
            "structure": world.ccas_reims.pk,
            "place": "Salle des fêtes",
            "capacity": "8",
            "facilitators": [world.personas["mediator"].pk],
            "first_day": "2023-04-03",
            "start_time": "14:00",
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == cohort.get_absolute_url()
    days = [timezone.localtime(s.starts_at).date() for s in cohort.sessions.all()]
    assert days == [
        date(2023, 4, 3),
        date(2023, 4, 17),
        date(2023, 4, 24),
        date(2023, 5, 15),
        date(2023, 5, 22),
        date(2023, 6, 5),
    ]
    assert [s.number for s in cohort.sessions.all()] == [1, 2, 3, 4, 5, 6]
    assert {timezone.localtime(s.starts_at).time() for s in cohort.sessions.all()} == {time(14, 0)}
    assert list(cohort.facilitators.all()) == [world.personas["mediator"]]


def test_planning_skips_the_facilitators_unavailable_days(world: World) -> None:
    Unavailability.objects.create(
        user=world.personas["mediator"], start=date(2023, 4, 17), end=date(2023, 4, 21)
    )
    cohort = plan(world)
    days = [timezone.localtime(s.starts_at).date() for s in cohort.sessions.all()]
    assert date(2023, 4, 17) not in days and days[1] == date(2023, 4, 24)


def test_a_bad_cohort_form_is_refused(client_as, world: World) -> None:
    response = client_as("territory_manager").post(
        "/accompagner/parcours/nouveau/",
        {
            "course": "",
            "structure": world.centre_social_lille.pk,
            "capacity": "0",
            "first_day": "demain",
        },
    )
    content = text(response)
    assert response.status_code == 200 and "Sélectionnez un choix valide" in content
    assert "Saisissez une date valide" in content and not Cohort.objects.exists()


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_cannot_plan(client_as, world: World, persona: str) -> None:
    assert client_as(persona).get("/accompagner/parcours/nouveau/").status_code == 404


def test_a_referent_plans_at_their_own_structure_only(client_as, world: World) -> None:
    page = text(client_as("relay_referent").get("/accompagner/parcours/nouveau/"))
    assert "CCAS de Reims" in page and "Centre social de Lille" not in page


def test_cohorts_are_scoped(client_as, world: World) -> None:
    reims, lille = plan(world), plan(world, structure=world.centre_social_lille)
    assert client_as("relay_referent").get(lille.get_absolute_url()).status_code == 404
    assert client_as("funder").get(reims.get_absolute_url()).status_code == 404
    assert client_as("territory_manager").get(reims.get_absolute_url()).status_code == 200
    # A facilitator sees the cohorts they run, even outside their départements.
    assert client_as("mediator").get(lille.get_absolute_url()).status_code == 200


def test_moving_a_session_renumbers_them_by_date(client_as, world: World) -> None:
    cohort = plan(world)
    first = cohort.sessions.get(number=1)
    response = client_as("mediator").post(
        f"/accompagner/seances/{first.pk}/deplacer/",
        {"day": "2023-04-20", "start_time": "09:30", "place": "Mairie"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.number == 2 and first.place == "Mairie"
    assert timezone.localtime(first.starts_at).time() == time(9, 30)


def test_the_waiting_list_takes_the_seat_of_who_drops(world: World) -> None:
    cohort = plan(world, capacity=2)
    people = learners(world, 3)
    statuses = [services.enrol(cohort, p, by=None).status for p in people]
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
    promoted = services.drop(
        Enrolment.objects.get(beneficiary=people[0]), by=None, reason="Déménagement"
    )
    assert promoted is not None and promoted.beneficiary == people[2]
    assert Enrolment.objects.get(beneficiary=people[2]).status == EnrolmentStatus.ENROLLED
    assert Enrolment.objects.get(beneficiary=people[0]).drop_reason == "Déménagement"


def test_a_person_is_enrolled_once_per_cohort(world: World) -> None:
    cohort = plan(world)
    services.enrol(cohort, world.alice, by=None)
    with pytest.raises(TransitionNotAllowed):
        services.enrol(cohort, world.alice, by=None)


def test_a_person_enrolled_in_two_parcours_is_one_person(world: World) -> None:
    first, second = plan(world), plan(world, code="initiation-tablet")
    for cohort in (first, second):
        services.enrol(cohort, world.alice, by=None)
        services.take_roll_call(
            cohort.sessions.get(number=1), {world.alice.pk: "present"}, {}, by=None
        )
    attending = Beneficiary.objects.filter(attendances__presence="present").distinct()
    assert attending.count() == 1
    assert Attendance.objects.filter(beneficiary=world.alice).count() == 2


def test_the_roll_call_of_eight_learners_is_one_post(
    client_as, world: World, django_assert_max_num_queries
) -> None:
    cohort = plan(world)
    people = learners(world, 8)
    for person in people:
        services.enrol(cohort, person, by=None)
    session = cohort.sessions.get(number=1)
    data = {f"p{p.pk}": ("absent" if n == 7 else "present") for n, p in enumerate(people)}
    data["w_woman_60-69"] = "2"
    client = client_as("mediator")
    page = client.get(f"/accompagner/seances/{session.pk}/")
    assert text(page).count('type="radio"') == 8 * 3
    response = client.post(f"/accompagner/seances/{session.pk}/", data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, presence="present").count() == 7
    assert WalkIns.objects.get(session=session).count == 2
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.RUNNING
    session.refresh_from_db()
    assert session.roll_called_by == world.personas["mediator"]


def test_a_roll_call_must_say_each_learners_presence(client_as, world: World) -> None:
    cohort = plan(world)
    services.enrol(cohort, world.alice, by=None)
    session = cohort.sessions.get(number=1)
    response = client_as("mediator").post(f"/accompagner/seances/{session.pk}/", {})
    assert response.status_code == 200 and "Indiquez si la personne est présente" in text(response)
    assert not Attendance.objects.exists()


def test_the_completion_rule_marks_learners_at_its_boundary(world: World) -> None:
    cohort = plan(world)  # 6 sessions: 4 needed
    services.enrol(cohort, world.alice, by=None)
    sessions = list(cohort.sessions.all())
    for session in sessions[:3]:
        services.take_roll_call(session, {world.alice.pk: "present"}, {}, by=None)
    assert Enrolment.objects.get().status == EnrolmentStatus.ENROLLED
    services.take_roll_call(sessions[3], {world.alice.pk: "excused"}, {}, by=None)
    assert Enrolment.objects.get().status == EnrolmentStatus.ENROLLED
    completed = services.take_roll_call(sessions[4], {world.alice.pk: "present"}, {}, by=None)
    assert [e.beneficiary for e in completed] == [world.alice]
    assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED


def test_a_cancelled_cohort_realises_no_parcours(client_as, world: World) -> None:
    kept, cancelled = plan(world), plan(world)
    response = client_as("territory_manager").post(
        f"/accompagner/parcours/{cancelled.pk}/statut/",
        {"target": "cancelled", "reason": "Salle indisponible"},
    )
    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert (
        cancelled.status == CohortStatus.CANCELLED
        and cancelled.cancel_reason == "Salle indisponible"
    )
    assert list(Cohort.objects.realised()) == [kept]


def test_cancelling_needs_a_reason(client_as, world: World) -> None:
    cohort = plan(world)
    client_as("territory_manager").post(
        f"/accompagner/parcours/{cohort.pk}/statut/", {"target": "cancelled"}
    )
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.PLANNED


def test_a_learner_is_enrolled_from_an_accepted_recommendation(client_as, world: World) -> None:
    from maillage.diagnostics import services as diagnostics

    diagnostic = diagnostics.start(world.alice, world.framework, by=None)
    diagnostic.equipment, diagnostic.learning_device = ["computer"], "computer"
    diagnostic.save()
    diagnostics.complete(diagnostic, by=None)
    orientation = diagnostics.accept(
        diagnostic.recommendations.get(target="initiation-computer"), by=None
    )
    cohort = plan(world)
    client = client_as("mediator")
    assert "Choisir un parcours" in text(client.get(world.alice.get_absolute_url()))
    page = text(client.get(f"/accompagner/orientations/{orientation.pk}/inscrire/"))
    assert "Initiation ordinateur" in page
    client.post(
        f"/accompagner/parcours/{cohort.pk}/inscrire/",
        {"beneficiary": world.alice.reference, "orientation": orientation.pk},
    )
    enrolment = Enrolment.objects.get(beneficiary=world.alice)
    assert enrolment.orientation == orientation
    orientation.refresh_from_db()
    assert orientation.outcome == "done"


def test_a_referent_of_another_structure_cannot_take_the_roll_call(client_as, world: World) -> None:
    cohort = plan(world)
    other = UserFactory.create()
    grant(other, "relay_referent", structure=world.centre_social_lille)
    client = client_as("admin")
    client.force_login(other)
    assert (
        client.get(f"/accompagner/seances/{cohort.sessions.get(number=1).pk}/").status_code == 404
    )


def test_only_admins_edit_the_catalogue(client_as, world: World) -> None:
    assert client_as("territory_manager").get("/accompagner/catalogue/nouveau/").status_code == 404
    response = client_as("admin").post(
        "/accompagner/catalogue/initiation-computer/modifier/",
        {
            "title": "Initiation ordinateur",
            "device": "computer",
            "level": "beginner",
            "session_count": "6",
            "minutes_per_session": "120",
            "completion_numerator": "3",
            "completion_denominator": "4",
            "syllabus_text": "a\nb",
            "is_active": "on",
        },
    )
    assert "une ligne par séance" in text(response)


def test_needs_expressed_at_a_session_show_when_preparing_the_next(client_as, world: World) -> None:
    cohort = plan(world)
    first, second = cohort.sessions.get(number=1), cohort.sessions.get(number=2)
    client = client_as("mediator")
    client.post(
        f"/accompagner/seances/{first.pk}/compte-rendu/",
        {"report": "Bien passé", "new_needs": ["email", "health"]},
    )
    first.refresh_from_db()
    assert first.new_needs == ["email", "health"] and first.report == "Bien passé"
    page = text(client.get(f"/accompagner/seances/{second.pk}/"))
    assert "Besoins exprimés aux séances précédentes : E-mail, Santé" in page


def test_the_people_to_enrol_are_searched_within_the_scope(client_as, world: World) -> None:
    cohort = plan(world)
    client = client_as("mediator")
    page = text(client.get(cohort.get_absolute_url(), {"q": "exemple"}))
    assert "Inscrire Alice Exemple" in page and "Chloé" not in page
    services.enrol(cohort, world.alice, by=None)
    page = text(client.get(cohort.get_absolute_url(), {"q": "alice"}))
    assert "Inscrire Alice Exemple" not in page and "Aucune personne trouvée" in page
