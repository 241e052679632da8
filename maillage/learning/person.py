"""What the accompaniment holds about a person, for their page, their export and erasure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.core.statemachine import forget_notes_about, notes_about
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
    workshops = list(beneficiary.workshops.order_by("-starts_at")[:20])
    drop_ins = list(beneficiary.drop_ins.order_by("-starts_at")[:20])
    return (
        "learning/person_section.html",
        {
            "enrolments": enrolments,
            "to_enrol": to_enrol,
            "workshops": workshops,
            "drop_ins": drop_ins,
        },
    )


def export(beneficiary: Beneficiary) -> dict[str, Any]:
    notes = notes_about(beneficiary.enrolments.all())
    return {
        "enrolments": [
            {
                "course": e.cohort.course.title,
                "structure": e.cohort.structure.name,
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "drop_reason": e.drop_reason,
                "status_notes": notes.get(str(e.pk), []),
            }
            for e in beneficiary.enrolments.select_related("cohort__course", "cohort__structure")
        ],
        "workshops": [
            {"date": w.starts_at.isoformat(), "title": w.title, "structure": w.structure.name}
            for w in beneficiary.workshops.select_related("structure")
        ],
        "drop_ins": [
            {
                "date": d.starts_at.isoformat(),
                "structure": d.structure.name,
                "minutes": d.minutes,
                "themes": d.themes,
                "procedure_themes": d.procedure_themes,
                "autonomy": d.autonomy,
                "referred_to": d.referred_to,
                "notes": d.notes,
            }
            for d in beneficiary.drop_ins.select_related("structure")
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
    """Drop reasons (on the enrolment and its status changes) and drop-in notes are free text
    about the person; attendance, workshops and
    drop-ins stay, anonymous."""
    beneficiary.enrolments.exclude(drop_reason="").update(drop_reason="")
    forget_notes_about(beneficiary.enrolments.all())
    beneficiary.drop_ins.exclude(notes="").update(notes="")
