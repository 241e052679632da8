"""Who may do what with stock (which places, devices and sales they reach is in the QuerySets)."""

from __future__ import annotations

from typing import Any

from maillage.core.perms import STAFF_ROLES, Role, scope_of

MANAGERS = (Role.ADMIN, Role.REGIONAL_MANAGER, Role.TERRITORY_MANAGER)


def can_see_stock(user: Any) -> bool:
    """Staff and the referents of partner structures; funders see figures only."""
    return scope_of(user).has_role(*STAFF_ROLES, Role.RELAY_REFERENT)


def can_refurbish(user: Any) -> bool:
    """Network staff receive, test, wipe and grade devices in their territory's workshops."""
    return scope_of(user).has_role(*STAFF_ROLES)


def can_manage_places(user: Any) -> bool:
    """Managers open places, donations and fleets in their territory."""
    return scope_of(user).has_role(*MANAGERS)


def can_set_offer(user: Any) -> bool:
    """The national team sets solidarity prices and free distribution operations."""
    return scope_of(user).is_admin
