"""The impact section of a programme's page: its targets and their progress."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.impact.forms import TargetForm
from maillage.impact.publication import Disclosure
from maillage.impact.targets import programme_progress
from maillage.programmes.models import Programme
from maillage.programmes.perms import can_edit_programmes


def section(request: HttpRequest, programme: Programme) -> tuple[str, dict[str, Any]] | None:
    can_edit = can_edit_programmes(request.user)
    return (
        "impact/programme_targets.html",
        {
            "progress": programme_progress(programme, Disclosure.for_reader(request.user)),
            "target_form": TargetForm(programme=programme) if can_edit else None,
            "can_edit": can_edit,
        },
    )
