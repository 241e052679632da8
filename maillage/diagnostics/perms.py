"""Who may do what with digital-skills diagnostics (which ones each person reaches is in
`Diagnostic.objects.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import works_with_people


@action(_("Faire passer un diagnostic numérique, suivre ses recommandations et orientations"))
def can_diagnose(user: Any) -> bool:
    return works_with_people(user)
