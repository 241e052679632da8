"""Who may read what of the figures (which figures each person reads is in
`maillage.impact.dashboard.scope_filters`: their territory, structures or programmes)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import has_a_role, works_with_people


@action(_("Lire le tableau de bord, les rapports et l'API statistique de son périmètre"))
def can_read_figures(user: Any) -> bool:
    return has_a_role(user)


@action(_("Ouvrir, derrière un chiffre, la liste des fiches qui le composent"))
def can_list_records(user: Any) -> bool:
    """Never funders: they read aggregates only."""
    return works_with_people(user)
