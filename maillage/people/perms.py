"""Who may do what with people's records and referrals (scopes are in the QuerySets)."""

from __future__ import annotations

from typing import Any

from maillage.core.perms import STAFF_ROLES, Role, scope_of


def can_see_people(user: Any) -> bool:
    """Everyone but funders (aggregates only) and people without a role."""
    return scope_of(user).has_role(*STAFF_ROLES, Role.RELAY_REFERENT)


def can_see_referrals(user: Any) -> bool:
    return can_see_people(user)


def can_manage_people(user: Any) -> bool:
    """Managers see who is due for anonymisation and answer erasure requests."""
    return scope_of(user).has_role(Role.ADMIN, Role.REGIONAL_MANAGER, Role.TERRITORY_MANAGER)
