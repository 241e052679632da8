"""What the accompaniment holds about a person, for their page, their export and erasure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.diagnostics.enums import OrientationOutcome, RecommendationKind
from maillage.diagnostics.models import Orientation
from maillage.people.models import Beneficiary


def section(request: HttpRequest, beneficiary: Beneficiary) -> tuple[str, dict[str, Any]] | None:
    if beneficiary.is_anonymous:
        return None
    enrolments = list(beneficiary.enrolments.select_related("cohort__course", "cohort__structure"))
    to_enrol = list(
        Orientation.objects.filter(
            beneficiary=beneficiary,
            kind=RecommendationKind.COURSE,
            outcome=OrientationOutcome.PENDING,
        )
    )
    if not enrolments and not to_enrol:
        return None
    return ("learning/person_section.html", {"enrolments": enrolments, "to_enrol": to_enrol})


def export(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "enrolments": [
            {
                "course": e.cohort.course.title,
                "structure": e.cohort.structure.name,
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "drop_reason": e.drop_reason,
            }
            for e in beneficiary.enrolments.select_related("cohort__course", "cohort__structure")
        ],
        "attendance": [
            {
                "session": a.session.starts_at.isoformat(),
                "course": a.session.cohort.course.title,
                "presence": a.presence,
            }
            for a in beneficiary.attendances.select_related("session__cohort__course")
        ],
    }


def erase(beneficiary: Beneficiary) -> None:
    """A drop reason is free text about the person; attendance stays, anonymous."""
    beneficiary.enrolments.exclude(drop_reason="").update(drop_reason="")
