"""The framework's rules, read from the JSON file kept in the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillage.diagnostics import rules
from maillage.diagnostics.loader import FRAMEWORKS_DIR
from maillage.diagnostics.models import Framework

CONTENT = json.loads((FRAMEWORKS_DIR / "competences-numeriques-v1.json").read_text())


def answers_at(level_by_area: dict[str, str], default: str = "no") -> dict[str, str]:
    """Every question of an area answered the same way."""
    return {
        q["code"]: level_by_area.get(area["code"], default)
        for area in CONTENT["areas"]
        for q in area["questions"]
    }


def facts(answers: dict[str, str], **situation: object) -> rules.Facts:
    levels = rules.area_levels(CONTENT, answers)
    return rules.Facts(levels=levels, profile=rules.profile(CONTENT, levels), **situation)  # type: ignore[arg-type]


def targets(found: list[dict[str, str]]) -> list[str]:
    return [r["target"] for r in found]


def test_the_framework_has_six_areas_of_three_to_five_questions_and_the_barriers() -> None:
    assert rules.validate(CONTENT) == []
    assert len(CONTENT["areas"]) >= 6
    assert {b["code"] for b in CONTENT["barriers"]} == {
        "equipment",
        "connection",
        "fear",
        "language",
        "literacy",
        "disability",
        "cost",
    }


def test_levels_go_from_zero_to_three_and_make_a_profile() -> None:
    assert set(rules.area_levels(CONTENT, answers_at({}, "yes")).values()) == {3}
    assert set(rules.area_levels(CONTENT, answers_at({}, "no")).values()) == {0}
    assert set(rules.area_levels(CONTENT, answers_at({}, "with_help")).values()) == {1}
    assert rules.profile(CONTENT, dict.fromkeys("abcdef", 0)) == "grand_debutant"
    assert rules.profile(CONTENT, dict.fromkeys("abcdef", 1)) == "debutant"
    assert rules.profile(CONTENT, dict.fromkeys("abcdef", 2)) == "intermediaire"
    assert rules.profile(CONTENT, dict.fromkeys("abcdef", 3)) == "autonome"


def test_a_person_with_no_device_and_no_connection_is_equipped_connected_and_initiated() -> None:
    found = rules.recommend(
        CONTENT,
        facts(answers_at({}), equipment=["none"], connection="none", learning_device="computer"),
    )
    assert targets(found) == ["solidarity-device", "solidarity-sim", "initiation-computer"]
    assert found[2]["label"] == "Parcours d'initiation ordinateur"


def test_an_autonomous_person_with_an_urgent_procedure_goes_to_a_drop_in_only() -> None:
    found = rules.recommend(
        CONTENT,
        facts(
            answers_at({}, "yes"),
            equipment=["smartphone", "computer"],
            connection="box",
            urgent_procedure=True,
        ),
    )
    assert targets(found) == ["demarche-urgente"]
    assert found[0]["kind"] == "drop_in"


def test_a_beginner_on_a_smartphone_gets_the_smartphone_initiation() -> None:
    found = rules.recommend(
        CONTENT,
        facts(
            answers_at({"device": "with_help", "smartphone": "with_help"}),
            equipment=["smartphone"],
            connection="mobile",
            learning_device="smartphone",
        ),
    )
    assert targets(found) == ["initiation-smartphone"]


def test_a_beginner_with_an_urgent_procedure_is_also_sent_to_france_services() -> None:
    found = rules.recommend(
        CONTENT,
        facts(answers_at({}), equipment=["smartphone"], connection="mobile", urgent_procedure=True),
    )
    assert "france_services" in targets(found) and "demarche-urgente" in targets(found)


def test_a_language_barrier_sends_to_a_french_language_partner() -> None:
    found = rules.recommend(
        CONTENT,
        facts(
            answers_at({}, "yes"), equipment=["computer"], connection="box", barriers=["language"]
        ),
    )
    assert targets(found) == ["french_course"]


def test_the_device_defaults_to_the_best_one_the_person_has() -> None:
    assert rules.Facts(equipment=["smartphone", "computer"]).device == "computer"
    assert rules.Facts(equipment=["basic_phone"]).has_no_device


def test_a_framework_with_an_unknown_condition_is_refused() -> None:
    broken = {**CONTENT, "rules": [{"code": "x", "when": {"moon": "full"}, "recommend": {}}]}
    assert "rule 'x': unknown condition 'moon'" in rules.validate(broken)


def test_loading_is_idempotent_and_a_changed_version_is_refused(db, tmp_path: Path) -> None:
    call_command("load_frameworks")
    call_command("load_frameworks")
    assert Framework.objects.count() == 1
    changed = {**CONTENT, "title": "Autre titre"}
    (tmp_path / "f.json").write_text(json.dumps(changed))
    with pytest.raises(CommandError, match="give the changed framework a new version"):
        call_command("load_frameworks", "--directory", str(tmp_path))
    (tmp_path / "f.json").write_text(json.dumps({**changed, "version": 2}))
    call_command("load_frameworks", "--directory", str(tmp_path))
    current = Framework.objects.current()
    assert current is not None and current.version == 2
