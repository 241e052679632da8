"""What the diagnostics hold about a person: their section of the person's page, their part of
the subject-access export, and what erasure empties."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.core.statemachine import forget_notes_about, notes_about
from maillage.diagnostics.models import DEFAULT_FRAMEWORK, Diagnostic, Framework, Orientation
from maillage.people.models import Beneficiary


def section(request: HttpRequest, beneficiary: Beneficiary) -> tuple[str, dict[str, Any]] | None:
    if beneficiary.is_anonymous:
        return None
    return (
        "diagnostics/person_section.html",
        {
            "diagnostics": beneficiary.diagnostics.select_related("conducted_by", "framework"),
            "orientations": beneficiary.orientations.select_related("structure"),
            "can_start": Framework.objects.filter(code=DEFAULT_FRAMEWORK).exists(),
        },
    )


def export(beneficiary: Beneficiary) -> dict[str, Any]:
    notes = notes_about(Orientation.objects.filter(beneficiary=beneficiary))
    return {
        "diagnostics": [
            {
                "started_at": d.started_at.isoformat(),
                "completed_at": d.completed_at.isoformat() if d.completed_at else None,
                "framework": f"{d.framework.code} v{d.framework.version}",
                "structure": d.structure.name,
                "conducted_by": str(d.conducted_by or ""),
                "equipment": d.equipment,
                "connection": d.connection,
                "learning_device": d.learning_device,
                "answers": d.answers,
                "barriers": d.barriers,
                "urgent_procedure": d.urgent_procedure,
                "urgent_procedure_note": d.urgent_procedure_note,
                "levels": d.levels,
                "profile": d.profile,
                "recommendations": [
                    {"label": r.label, "reason": r.reason, "status": r.status}
                    for r in d.recommendations.all()
                ],
            }
            for d in Diagnostic.objects.filter(beneficiary=beneficiary).select_related(
                "framework", "structure", "conducted_by"
            )
        ],
        "orientations": [
            {
                "created_at": o.created_at.isoformat(),
                "kind": o.kind,
                "label": o.label,
                "external_service": o.external_service,
                "structure": o.structure.name if o.structure else None,
                "note": o.note,
                "outcome": o.outcome,
                "outcome_note": o.outcome_note,
                "status_notes": notes.get(str(o.pk), []),
            }
            for o in Orientation.objects.filter(beneficiary=beneficiary).select_related("structure")
        ],
    }


def erase(beneficiary: Beneficiary) -> None:
    """Free text may name or describe the person: it goes. Levels and answers stay, attached to
    an anonymous record, so that the counts do not change."""
    Diagnostic.objects.filter(beneficiary=beneficiary).update(urgent_procedure_note="")
    orientations = Orientation.objects.filter(beneficiary=beneficiary)
    orientations.update(note="", outcome_note="")
    forget_notes_about(orientations)
