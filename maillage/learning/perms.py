"""Who may do what with the accompaniment: the catalogue, parcours, workshops, drop-ins and the
agenda (which activities each person reaches is in `ActivityQuerySet.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import is_national_team, works_with_people


@action(_("Voir le catalogue, les parcours, les ateliers et les permanences de son territoire"))
def can_see_activities(user: Any) -> bool:
    return works_with_people(user)


@action(_("Planifier un parcours, un atelier ou une permanence, faire l'appel"))
def can_plan_activities(user: Any) -> bool:
    """In the structures they may edit (`Structure.objects.editable_by`)."""
    return works_with_people(user)


@action(_("Ajouter et modifier les parcours du catalogue"))
def can_edit_catalogue(user: Any) -> bool:
    return is_national_team(user)


@action(_("Tenir son agenda, ses indisponibilités et son calendrier ; voir celui de son équipe"))
def can_keep_an_agenda(user: Any) -> bool:
    return works_with_people(user)
