"""Running an interview and acting on its recommendations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from maillage.core import audit
from maillage.core.models import AuditEvent
from maillage.diagnostics import rules
from maillage.diagnostics.enums import RecommendationStatus
from maillage.diagnostics.models import Diagnostic, Framework, Orientation, Recommendation
from maillage.people.models import Beneficiary


def start(beneficiary: Beneficiary, framework: Framework, *, by: Any) -> Diagnostic:
    with transaction.atomic():
        diagnostic = Diagnostic.objects.create(
            beneficiary=beneficiary,
            framework=framework,
            structure=beneficiary.structure,
            conducted_by=by,
            equipment=list(beneficiary.equipment),
            connection=beneficiary.connection,
        )
        audit.record(by, AuditEvent.Action.CREATE, diagnostic)
        beneficiary.touch()
    return diagnostic


def save_step(diagnostic: Diagnostic, step: int, data: dict[str, Any], *, by: Any) -> None:
    """Keep one screen's answers; the interview can be resumed from the next screen."""
    name = diagnostic.framework.steps[step]
    with transaction.atomic():
        if name == "situation":
            diagnostic.equipment = data["equipment"]
            diagnostic.connection = data["connection"]
            diagnostic.learning_device = data["learning_device"]
            person = diagnostic.beneficiary
            if (person.equipment, person.connection) != (data["equipment"], data["connection"]):
                before = audit.values(person, ["equipment", "connection"])
                person.equipment, person.connection = data["equipment"], data["connection"]
                person.save(update_fields=["equipment", "connection", "updated_at"])
                audit.record(
                    by,
                    AuditEvent.Action.UPDATE,
                    person,
                    changes={
                        "fields": sorted(
                            audit.diff(before, audit.values(person, ["equipment", "connection"]))
                        )
                    },
                )
        elif name == "barriers":
            diagnostic.barriers = data["barriers"]
            diagnostic.urgent_procedure = data["urgent_procedure"]
            diagnostic.urgent_procedure_note = data["urgent_procedure_note"]
        else:
            diagnostic.answers = {**diagnostic.answers, **data}
        diagnostic.step = max(diagnostic.step, min(step + 1, len(diagnostic.framework.steps) - 1))
        diagnostic.save()


def complete(diagnostic: Diagnostic, *, by: Any) -> Diagnostic:
    """Score the interview and write its recommendations (once)."""
    with transaction.atomic():
        locked = (
            Diagnostic.objects.select_for_update(of=("self",))
            .select_related("framework")
            .get(pk=diagnostic.pk)
        )
        if locked.completed_at is not None:
            return locked
        locked.score()
        locked.completed_at = timezone.now()
        locked.save()
        for found in rules.recommend(locked.framework.content, locked.facts()):
            Recommendation.objects.create(diagnostic=locked, **found)
        audit.record(by, AuditEvent.Action.UPDATE, locked, changes={"fields": ["completed_at"]})
    return locked


def accept(recommendation: Recommendation, *, by: Any, **details: Any) -> Orientation:
    """Turn a recommendation into an outbound orientation."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        locked.status = RecommendationStatus.ACCEPTED
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save()
        orientation = Orientation.objects.create(
            beneficiary=locked.diagnostic.beneficiary,
            recommendation=locked,
            kind=locked.kind,
            label=locked.label,
            created_by=by,
            **details,
        )
        audit.record(by, AuditEvent.Action.CREATE, orientation)
    return orientation


def dismiss(recommendation: Recommendation, *, by: Any) -> None:
    with transaction.atomic():
        Recommendation.objects.filter(
            pk=recommendation.pk, status=RecommendationStatus.PROPOSED
        ).update(status=RecommendationStatus.DISMISSED, decided_by=by, decided_at=timezone.now())
        audit.record(
            by,
            AuditEvent.Action.UPDATE,
            recommendation,
            changes={"status": ["proposed", "dismissed"]},
        )


def record_outcome(orientation: Orientation, outcome: str, *, by: Any, note: str = "") -> None:
    with transaction.atomic():
        Orientation.outcome_workflow.apply(orientation, outcome, by=by, note=note)
        Orientation.objects.filter(pk=orientation.pk).update(outcome_note=note)
        orientation.outcome_note = note
        orientation.beneficiary.touch()
