"""The diagnostic's arithmetic, from a framework's content (data, not code): a level per area,
an overall profile, and the recommendations the framework's rules produce."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

NO_DEVICE_KINDS = {"none", "basic_phone"}
DEVICE_PREFERENCE = ["computer", "tablet", "smartphone"]


@dataclass(frozen=True)
class Facts:
    """What the interview established about the person."""

    equipment: list[str] = field(default_factory=list)
    connection: str = ""
    learning_device: str = ""
    barriers: list[str] = field(default_factory=list)
    urgent_procedure: bool = False
    levels: Mapping[str, int] = field(default_factory=dict)
    profile: str = ""

    @property
    def has_no_device(self) -> bool:
        return not any(kind in DEVICE_PREFERENCE for kind in self.equipment)

    @property
    def device(self) -> str:
        """The device the person learns on: the one chosen, else the best they have."""
        if self.learning_device:
            return self.learning_device
        for kind in DEVICE_PREFERENCE:
            if kind in self.equipment:
                return kind
        return "smartphone"


def area_level(
    content: Mapping[str, Any], area: Mapping[str, Any], answers: Mapping[str, str]
) -> int:
    points = {a["code"]: a["points"] for a in content["answers"]}
    best = max(points.values())
    questions = area["questions"]
    share = sum(points.get(answers.get(q["code"], ""), 0) for q in questions) / (
        best * len(questions)
    )
    for level in content["levels"]:  # from the highest level down
        if share >= level["min_share"] - 1e-9:
            return int(level["level"])
    return 0


def area_levels(content: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, int]:
    return {area["code"]: area_level(content, area, answers) for area in content["areas"]}


def profile(content: Mapping[str, Any], levels: Mapping[str, int]) -> str:
    average = sum(levels.values()) / len(levels) if levels else 0
    for candidate in content["profiles"]:  # from the weakest profile up
        if average <= candidate["max_average"] + 1e-9:
            return str(candidate["code"])
    return str(content["profiles"][-1]["code"])


def _holds(condition: str, expected: Any, facts: Facts) -> bool:
    match condition:
        case "no_device":
            return facts.has_no_device == bool(expected)
        case "no_connection":
            return (facts.connection in ("", "none")) == bool(expected)
        case "has_device":
            return expected in facts.equipment
        case "barrier":
            return expected in facts.barriers
        case "urgent_procedure":
            return facts.urgent_procedure == bool(expected)
        case "profile":
            return facts.profile in expected
        case "area_at_most":
            return all(facts.levels.get(area, 0) <= level for area, level in expected.items())
        case "area_at_least":
            return all(facts.levels.get(area, 0) >= level for area, level in expected.items())
    raise ValueError(f"Unknown condition in a diagnostic rule: {condition!r}")


def recommend(content: Mapping[str, Any], facts: Facts) -> list[dict[str, str]]:
    """The recommendations of every rule whose conditions all hold, in the rules' order."""
    device_labels = {d["code"]: d["label"] for d in content["devices"]}
    found = []
    for rule in content["rules"]:
        if all(_holds(name, value, facts) for name, value in rule["when"].items()):
            values = {
                "device": facts.device,
                "device_label": device_labels.get(facts.device, facts.device),
            }
            found.append(
                {
                    "rule": rule["code"],
                    "kind": rule["recommend"]["kind"],
                    "target": rule["recommend"]["target"].format(**values),
                    "label": rule["recommend"]["label"].format(**values),
                    "reason": rule["reason"],
                }
            )
    return found


def validate(content: Mapping[str, Any]) -> list[str]:
    """Problems in a framework's content; empty when it can be loaded."""
    problems = []
    for key in (
        "code",
        "version",
        "title",
        "answers",
        "levels",
        "profiles",
        "areas",
        "barriers",
        "rules",
        "devices",
    ):
        if key not in content:
            problems.append(f"missing key {key!r}")
    if problems:
        return problems
    areas = {a["code"] for a in content["areas"]}
    if len(content["areas"]) < 6:
        problems.append("at least six areas are expected")
    for area in content["areas"]:
        if not 3 <= len(area["questions"]) <= 5:
            problems.append(f"area {area['code']!r} must have 3 to 5 questions")
    codes = [q["code"] for a in content["areas"] for q in a["questions"]]
    if len(codes) != len(set(codes)):
        problems.append("question codes must be unique")
    known = {
        "no_device",
        "no_connection",
        "has_device",
        "barrier",
        "urgent_procedure",
        "profile",
        "area_at_most",
        "area_at_least",
    }
    for rule in content["rules"]:
        for name, value in rule["when"].items():
            if name not in known:
                problems.append(f"rule {rule['code']!r}: unknown condition {name!r}")
            if name.startswith("area_") and set(value) - areas:
                problems.append(f"rule {rule['code']!r}: unknown area in {name}")
    return problems
