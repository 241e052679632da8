"""What the network's own life adds to a structure's page: its applications, its coaching
plans, the trainings its referents attended, and the button that starts its coaching."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.animation.models import Application, CoachingPlan, TrainingRegistration
from maillage.animation.perms import may_start_coaching
from maillage.network.enums import RelayStatus
from maillage.network.models import Structure


def structure_section(request: HttpRequest, structure: Structure) -> tuple[str, dict[str, Any]]:
    user = request.user
    return (
        "animation/structure_section.html",
        {
            "applications": Application.objects.visible_to(user)
            .filter(structure=structure)
            .select_related("call"),
            "plans": CoachingPlan.objects.visible_to(user)
            .filter(structure=structure)
            .select_related("coach"),
            "trained": TrainingRegistration.objects.visible_to(user)
            .filter(structure=structure)
            .trained()
            .select_related("session__training"),
            "can_start_coaching": may_start_coaching(user, structure)
            and Structure.relay_workflow.can(structure.relay_status, RelayStatus.IN_COACHING),
        },
    )
