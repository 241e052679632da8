"""Who may do what with stock (which places, devices and sales they reach is in the QuerySets)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import (
    is_national_team,
    is_network_staff,
    manages_territory,
    works_with_people,
)


@action(
    _(
        "Voir les lieux de stock de son territoire, vendre et distribuer au comptoir, "
        "prêter et reprendre"
    )
)
def can_see_stock(user: Any) -> bool:
    """Staff and the referents of partner structures; funders see figures only."""
    return works_with_people(user)


@action(_("Recevoir, tester, effacer et classer les équipements ; transférer, inventorier"))
def can_refurbish(user: Any) -> bool:
    """Network staff receive, test, wipe and grade devices in their territory's workshops."""
    return is_network_staff(user)


@action(_("Ouvrir des lieux de stock, enregistrer des dons, gérer les flottes de prêt"))
def can_manage_places(user: Any) -> bool:
    """Managers open places, donations and fleets in their territory."""
    return manages_territory(user)


@action(_("Fixer les prix solidaires et les opérations de distribution gratuite"))
def can_set_offer(user: Any) -> bool:
    """The national team sets solidarity prices and free distribution operations."""
    return is_national_team(user)
