from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.models import AuditEvent
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
        despite_clashes=True,  # tests plan several cohorts at the same hour
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


def test_co_facilitators_come_from_the_host_structure_only(client_as, world: World) -> None:
    from maillage.core.roles import Role
    from tests.factories import StructureFactory

    sezanne = StructureFactory.create(name="Centre social de Sézanne", commune=world.reims)
    grant(UserFactory.create(full_name="Sophie Sézanne"), Role.RELAY_REFERENT, structure=sezanne)
    client = client_as("territory_manager")
    # Before the host is known, each referent is named with their structure.
    page = text(client.get("/accompagner/parcours/nouveau/"))
    assert "Sophie Sézanne (Centre social de Sézanne)" in page
    assert 'hx-get="/accompagner/parcours/nouveau/"' in page
    # The host chosen, its referents only.
    page = text(client.get(f"/accompagner/parcours/nouveau/?structure={world.ccas_reims.pk}"))
    referent = world.personas["relay_referent"]
    co = page.split('id="id_co_facilitators"')[1].split("</ul>")[0]
    assert f'value="{referent.pk}"' in co and "Sophie Sézanne" not in co
    refused = client.post(
        "/accompagner/parcours/nouveau/",
        {
            "course": Course.objects.get(code="initiation-computer").pk,
            "structure": world.ccas_reims.pk,
            "capacity": "8",
            "first_day": "2027-01-05",
            "start_time": "14:00",
            "facilitators": [world.personas["mediator"].pk],
            "co_facilitators": [User.objects.get(full_name="Sophie Sézanne").pk],
        },
    )
    assert refused.status_code == 200 and not Cohort.objects.exists()


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


def test_moving_a_session_onto_another_of_the_facilitators_is_refused(
    client_as, world: World
) -> None:
    cohort = plan(world)
    other = plan(world, code="initiation-tablet")
    other.sessions.update(starts_at=F("starts_at") + timedelta(days=1))  # Tuesdays at 14:00
    first = cohort.sessions.get(number=1)
    url = f"/accompagner/seances/{first.pk}/deplacer/"
    client = client_as("mediator")
    refused = client.post(url, {"day": "2023-04-04", "start_time": "15:00", "place": ""})
    assert "anime déjà « Initiation tablette, séance 1 »" in text(refused)
    first.refresh_from_db()
    assert timezone.localtime(first.starts_at).date() == date(2023, 4, 3)
    moved = client.post(
        url, {"day": "2023-04-04", "start_time": "15:00", "place": "", "despite_clashes": "on"}
    )
    assert moved.status_code == 302


def test_the_cohort_counts_its_seats_in_french(client_as, world: World) -> None:
    cohort = plan(world, capacity=8)
    client = client_as("mediator")
    services.enrol(cohort, world.alice, by=None)
    assert "1 personne inscrite sur 8 places" in text(client.get(cohort.get_absolute_url()))
    services.enrol(cohort, world.bruno, by=None)
    assert "2 personnes inscrites sur 8 places" in text(client.get(cohort.get_absolute_url()))


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


def _plan_form(world: World, structure: Any, first_day: str, at: str, **extra: Any) -> dict:
    return {
        "course": Course.objects.get(code="initiation-computer").pk,
        "structure": structure.pk,
        "capacity": "8",
        "first_day": first_day,
        "start_time": at,
        "facilitators": [world.personas["mediator"].pk],
        **extra,
    }


def test_a_facilitator_cannot_be_planned_twice_at_the_same_hour(client_as, world: World) -> None:
    """Planned in Reims on Tuesdays at 14:00, the facilitator cannot be planned in Sézanne at
    the same hour: the plan is refused with the session it clashes with, and only an explicit
    « Planifier quand même » (co-facilitation) goes through."""
    from tests.factories import StructureFactory

    sezanne = StructureFactory.create(name="Centre social de Sézanne", commune=world.reims)
    client = client_as("territory_manager")
    url = "/accompagner/parcours/nouveau/"
    assert (
        client.post(url, _plan_form(world, world.ccas_reims, "2027-01-05", "14:00")).status_code
        == 302
    )
    refused = client.post(url, _plan_form(world, sezanne, "2027-01-05", "14:30"))
    page = text(refused)
    assert refused.status_code == 200 and Cohort.objects.count() == 1
    assert (
        "Persona mediator anime déjà « Initiation ordinateur, séance 1 » le mardi 5 janvier "
        "de 14:00 à 16:00 (CCAS de Reims, Reims)." in page
    )
    assert "et 3 autres conflits" in page
    assert "Planifier quand même" in page
    confirmed = client.post(
        url, _plan_form(world, sezanne, "2027-01-05", "14:30", despite_clashes="on")
    )
    assert confirmed.status_code == 302 and Cohort.objects.count() == 2
    planned = Cohort.objects.get(structure=sezanne)
    assert "malgré" in AuditEvent.objects.for_object(planned).get(action="create").note


def test_too_little_time_to_drive_between_two_places_is_a_clash(world: World) -> None:
    """Charleville is about 80 km from Reims: a session there 15 minutes after one in Reims
    ends cannot be driven to."""
    reims = plan(world)
    ends = timezone.localtime(reims.sessions.get(number=1).ends_at)
    with pytest.raises(services.PlanningClash, match="Trajet trop court"):
        services.plan_cohort(
            Cohort(
                course=Course.objects.get(code="initiation-computer"),
                structure=world.mediatheque_charleville,
            ),
            first=ends.date(),
            at=(ends + timedelta(minutes=15)).time(),
            facilitators=[world.personas["mediator"]],
            by=None,
        )


def test_a_roll_call_waits_for_its_session_to_start(client_as, world: World) -> None:
    """On 3 December, the session of 10 December cannot be called yet."""
    from datetime import UTC, datetime

    import time_machine

    from maillage.core.statemachine import TransitionNotAllowed

    cohort = services.plan_cohort(
        Cohort(course=Course.objects.get(code="initiation-computer"), structure=world.ccas_reims),
        first=date(2026, 12, 10),
        at=time(14, 0),
        facilitators=[world.personas["mediator"]],
        by=None,
    )
    services.enrol(cohort, world.alice, by=None)
    session = cohort.sessions.get(number=1)
    url = f"/accompagner/seances/{session.pk}/"
    client = client_as("mediator")
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)):
        page = text(client.get(url))
        assert "La séance n'a pas encore commencé" in page
        refused = client.post(url, {f"p{world.alice.pk}": "present"})
        assert refused.status_code == 200
        assert "à partir du jeudi 10 décembre à 14:00" in text(refused)
        with pytest.raises(TransitionNotAllowed):
            services.take_roll_call(session, {world.alice.pk: "present"}, {}, by=None)
    assert not Attendance.objects.exists()
    with time_machine.travel(datetime(2026, 12, 10, 13, 5, tzinfo=UTC)):  # 14:05 in Paris
        response = client_as("mediator").post(url, {f"p{world.alice.pk}": "present"})
        assert response["Location"] == url
    assert Attendance.objects.get().presence == "present"


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
