"""Who may do what with programmes (which ones each person reaches is in
`Programme.objects.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import has_a_role, is_national_team


@action(_("Voir les programmes où l'on intervient ou que l'on finance, leurs objectifs"))
def can_see_programmes(user: Any) -> bool:
    return has_a_role(user)


@action(_("Créer et modifier un programme, ses objectifs et son équipe"))
def can_edit_programmes(user: Any) -> bool:
    return is_national_team(user)
