from __future__ import annotations

from typing import Any

import pytest

from maillage.core.models import Transition
from maillage.diagnostics.models import Diagnostic, Orientation
from tests.conftest import World, text


def start(client: Any, world: World) -> Diagnostic:
    response = client.post(f"/diagnostics/personne/{world.alice.reference}/commencer/")
    diagnostic = Diagnostic.objects.get(beneficiary=world.alice, completed_at__isnull=True)
    assert response["Location"] == f"/diagnostics/{diagnostic.pk}/etape/0/"
    return diagnostic


def area_answers(diagnostic: Diagnostic, area: str, answer: str) -> dict[str, str]:
    return {q["code"]: answer for q in diagnostic.framework.area(area)["questions"]}


def run_whole(client: Any, diagnostic: Diagnostic, answer: str, **last: Any) -> Any:
    base = f"/diagnostics/{diagnostic.pk}/etape"
    client.post(
        f"{base}/0/",
        {"equipment": ["smartphone"], "connection": "mobile", "learning_device": "smartphone"},
    )
    for n, area in enumerate(a["code"] for a in diagnostic.framework.areas):
        client.post(f"{base}/{n + 1}/", area_answers(diagnostic, area, answer))
    return client.post(
        f"{base}/7/",
        {"barriers": [], "urgent_procedure": "no", "urgent_procedure_note": "", **last},
    )


def test_a_facilitator_runs_the_whole_interview_and_gets_recommendations(
    client_as, world: World
) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    first = text(client.get(f"/diagnostics/{diagnostic.pk}/etape/0/"))
    assert "Étape 1 sur 8" in first and 'max="8"' in first
    area = text(client.get(f"/diagnostics/{diagnostic.pk}/etape/1/"))
    assert area.count('type="radio"') == 0  # not reached yet: sent back to the situation
    response = run_whole(client, diagnostic, "with_help")
    diagnostic.refresh_from_db()
    assert response["Location"] == f"/diagnostics/{diagnostic.pk}/"
    assert diagnostic.is_completed and diagnostic.profile == "debutant"
    assert set(diagnostic.levels.values()) == {1}
    assert [r.target for r in diagnostic.recommendations.all()] == ["initiation-smartphone"]
    world.alice.refresh_from_db()
    assert world.alice.equipment == ["smartphone"] and world.alice.connection == "mobile"
    page = text(client.get(f"/diagnostics/{diagnostic.pk}/"))
    assert "Parcours d'initiation smartphone" in page and "Débutant" in page


def test_each_area_screen_asks_every_question_with_three_answers(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    client.post(
        f"/diagnostics/{diagnostic.pk}/etape/0/",
        {"equipment": ["computer"], "connection": "box", "learning_device": "computer"},
    )
    page = text(client.get(f"/diagnostics/{diagnostic.pk}/etape/1/"))
    assert "Prendre en main un équipement" in page and "Étape 2 sur 8" in page
    assert page.count('type="radio"') == 3 * 4
    assert "Avec de l'aide" in page


def test_an_unanswered_question_is_refused_and_the_answers_are_kept(
    client_as, world: World
) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    client.post(
        f"/diagnostics/{diagnostic.pk}/etape/0/",
        {"equipment": ["computer"], "connection": "box", "learning_device": "computer"},
    )
    answers = area_answers(diagnostic, "device", "yes")
    answers.pop("device.files")
    response = client.post(f"/diagnostics/{diagnostic.pk}/etape/1/", answers)
    assert response.status_code == 200 and "Choisissez une réponse" in text(response)
    assert 'value="yes" checked' in text(response) or "checked" in text(response)


def test_the_interview_resumes_where_it_stopped(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    client.post(
        f"/diagnostics/{diagnostic.pk}/etape/0/",
        {"equipment": ["computer"], "connection": "box", "learning_device": "computer"},
    )
    client.post(f"/diagnostics/{diagnostic.pk}/etape/1/", area_answers(diagnostic, "device", "yes"))
    person_page = text(client.get(world.alice.get_absolute_url()))
    assert "Reprendre le diagnostic" in person_page and "étape 3 sur 8" in person_page
    assert f"/diagnostics/{diagnostic.pk}/etape/2/" in person_page
    back = text(client.get(f"/diagnostics/{diagnostic.pk}/etape/1/"))
    assert back.count("checked") == 4  # the answers given are shown again


def test_the_urgent_procedure_needs_saying_which(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    response = run_whole(client, diagnostic, "yes", urgent_procedure="yes")
    assert response.status_code == 200 and "Précisez la démarche urgente" in text(response)
    response = client.post(
        f"/diagnostics/{diagnostic.pk}/etape/7/",
        {"urgent_procedure": "yes", "urgent_procedure_note": "Dossier CAF"},
    )
    diagnostic.refresh_from_db()
    assert [r.target for r in diagnostic.recommendations.all()] == ["demarche-urgente"]


def test_a_recommendation_becomes_an_orientation_with_its_outcome(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    run_whole(client, diagnostic, "no", barriers=["language"])
    recommendations = {r.target: r for r in diagnostic.recommendations.all()}
    course = recommendations["initiation-smartphone"]
    client.post(
        f"/diagnostics/recommandations/{course.pk}/accepter/",
        {f"r{course.pk}-structure": world.ccas_reims.pk, f"r{course.pk}-note": "Mardi 14 h"},
    )
    external = recommendations["french_course"]
    refused = client.post(
        f"/diagnostics/recommandations/{external.pk}/accepter/",
        {f"r{external.pk}-external_service": "moon"},
    )
    assert refused.status_code == 302 and not Orientation.objects.filter(recommendation=external)
    client.post(
        f"/diagnostics/recommandations/{external.pk}/accepter/",
        {f"r{external.pk}-external_service": "french_course"},
    )
    orientation = Orientation.objects.get(recommendation=course)
    assert orientation.structure == world.ccas_reims and orientation.kind == "course"
    assert Orientation.objects.get(recommendation=external).external_service == "french_course"
    client.post(
        f"/diagnostics/orientations/{orientation.pk}/suite/",
        {"outcome": "done", "note": "Inscrite"},
    )
    orientation.refresh_from_db()
    assert orientation.outcome == "done" and orientation.outcome_note == "Inscrite"
    assert Transition.objects.for_object(orientation).get().to_state == "done"
    again = client.post(
        f"/diagnostics/orientations/{orientation.pk}/suite/", {"outcome": "not_done"}
    )
    assert again.status_code == 302
    orientation.refresh_from_db()
    assert orientation.outcome == "done"


def test_a_recommendation_can_be_dismissed(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    run_whole(client, diagnostic, "no")
    recommendation = diagnostic.recommendations.get(target="initiation-smartphone")
    client.post(f"/diagnostics/recommandations/{recommendation.pk}/ecarter/")
    recommendation.refresh_from_db()
    assert recommendation.status == "dismissed"
    summary = text(client.get(f"/diagnostics/{diagnostic.pk}/synthese/"))
    assert recommendation.label not in summary


@pytest.mark.parametrize(
    ("gender", "said"),
    [
        ("woman", "vous savez le faire seule."),
        ("man", "vous savez le faire seul."),
        ("undisclosed", "vous savez le faire sans aide."),
    ],
)
def test_the_summary_agrees_with_the_persons_gender(
    client_as, world: World, gender: str, said: str
) -> None:
    world.alice.gender = gender
    world.alice.save(update_fields=["gender"])
    client = client_as("mediator")
    diagnostic = start(client, world)
    run_whole(client, diagnostic, "yes")
    summary = text(client.get(f"/diagnostics/{diagnostic.pk}/synthese/"))
    assert said in summary
    assert summary.count("vous savez le faire") == summary.count(said)


def test_the_printable_summary_speaks_plain_french(client_as, world: World) -> None:
    client = client_as("mediator")
    diagnostic = start(client, world)
    run_whole(client, diagnostic, "no")
    summary = text(client.get(f"/diagnostics/{diagnostic.pk}/synthese/"))
    assert "Alice, voici votre bilan numérique" in summary
    assert "Utiliser un ordinateur, une tablette ou un téléphone" in summary
    assert "c'est nouveau pour vous" in summary
    assert "Parcours d'initiation smartphone" in summary


def test_a_later_diagnostic_shows_progress_per_area(client_as, world: World) -> None:
    client = client_as("mediator")
    first = start(client, world)
    run_whole(client, first, "no")
    second = start(client, world)
    run_whole(client, second, "yes")
    second.refresh_from_db()
    assert second.previous == first
    results = {r["code"]: r for r in second.area_results()}
    assert results["device"]["before"] == 0 and results["device"]["progress"] == 3
    page = text(client.get(f"/diagnostics/{second.pk}/"))
    assert "Progrès" in page and "+3" in page
    assert "Vous avez progressé" in text(client.get(f"/diagnostics/{second.pk}/synthese/"))


@pytest.mark.parametrize("persona", ["funder", "stranger"])
def test_funders_and_strangers_see_no_diagnostic(client_as, world: World, persona: str) -> None:
    diagnostic = start(client_as("mediator"), world)
    run_whole(client_as("mediator"), diagnostic, "no")
    client = client_as(persona)
    assert client.get(f"/diagnostics/{diagnostic.pk}/").status_code == 404
    assert client.get(f"/diagnostics/{diagnostic.pk}/synthese/").status_code == 404
    assert client.get("/diagnostics/").status_code == 404


def test_a_referent_of_another_structure_cannot_open_a_diagnostic(client_as, world: World) -> None:
    from tests.factories import UserFactory, grant

    diagnostic = start(client_as("mediator"), world)
    other = UserFactory.create()
    grant(other, "relay_referent", structure=world.centre_social_lille)
    client = client_as("admin")
    client.force_login(other)
    assert client.get(f"/diagnostics/{diagnostic.pk}/etape/0/").status_code == 404
    assert (
        client.post(f"/diagnostics/personne/{world.alice.reference}/commencer/").status_code == 404
    )
