"""Who a person is in the network: their roles, the scope these give them, and the named rules
every app's `perms.py` is built on.

`maillage.accounts` builds the `Scope` of a user from their role assignments; apps below it read
it through `scope_of(user)` without importing accounts. A rule is asked here by its name
(`works_with_people(user)`), never as a list of roles at the place that needs it; the records a
person reaches are filtered by one builder, `within_scope`, given the path to the département.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration nationale")
    REGIONAL_MANAGER = "regional_manager", _("Responsable régional·e")
    TERRITORY_MANAGER = "territory_manager", _("Responsable de territoire")
    MEDIATOR = "mediator", _("Conseiller·ère numérique")
    RELAY_REFERENT = "relay_referent", _("Référent·e de structure")
    FUNDER = "funder", _("Financeur")


# What each role's scope covers, as the permissions page says it.
ROLE_SCOPES = {
    Role.ADMIN: _("tout le réseau"),
    Role.REGIONAL_MANAGER: _("les départements de sa région"),
    Role.TERRITORY_MANAGER: _("les départements qu'il ou elle anime"),
    Role.MEDIATOR: _("les départements où il ou elle intervient"),
    Role.RELAY_REFERENT: _("sa structure"),
    Role.FUNDER: _("les chiffres des programmes qu'il ou elle finance, jamais une personne"),
}

# The groups of roles the rules below are made of.
MANAGER_ROLES = frozenset({Role.ADMIN, Role.REGIONAL_MANAGER, Role.TERRITORY_MANAGER})
STAFF_ROLES = MANAGER_ROLES | {Role.MEDIATOR}
FIELD_ROLES = STAFF_ROLES | {Role.RELAY_REFERENT}


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    # Régions held by regional managers.
    region_ids: frozenset[int] = field(default_factory=frozenset)
    # Départements held by territorial managers…
    managed_department_ids: frozenset[int] = field(default_factory=frozenset)
    # …and by facilitators (mediators).
    field_department_ids: frozenset[int] = field(default_factory=frozenset)
    # The structures of relay referents.
    structure_ids: frozenset[int] = field(default_factory=frozenset)
    # Programmes followed by funders.
    programme_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def department_ids(self) -> frozenset[int]:
        return self.managed_department_ids | self.field_department_ids

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def holds(self, roles: Collection[str]) -> bool:
        """Holds one of these roles (the national team holds them all)."""
        return self.is_admin or bool(self.roles.intersection(roles))


EMPTY_SCOPE = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    scope = getattr(user, "scope", None)
    return scope if isinstance(scope, Scope) else EMPTY_SCOPE


# --- The rules -------------------------------------------------------------------------------


def has_a_role(user: Any) -> bool:
    """Holds at least one role: an account without one sees nothing but its own page."""
    return not scope_of(user).is_empty


def is_national_team(user: Any) -> bool:
    """The national team (administration nationale): every territory, the catalogue, the
    programmes, the solidarity offer."""
    return scope_of(user).is_admin


def manages_territory(user: Any) -> bool:
    """Manages a territory: the national team, regional managers and territorial managers."""
    return scope_of(user).holds(MANAGER_ROLES)


def is_network_staff(user: Any) -> bool:
    """Works for the network: the managers and the facilitators (conseillers numériques)."""
    return scope_of(user).holds(STAFF_ROLES)


def works_with_people(user: Any) -> bool:
    """Accompanies people: network staff and the referents of partner structures (funders see
    figures only)."""
    return scope_of(user).holds(FIELD_ROLES)


def needs_second_factor(user: Any) -> bool:
    """Must sign in with a code as well as a password: the administrators and the network's
    staff, who see people and stock; the referents and the funders when the settings say so.
    Nobody when TWO_FACTOR_REQUIRED is off (the demo)."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    scope = scope_of(user)
    return (
        scope.holds(STAFF_ROLES)
        or (Role.RELAY_REFERENT in scope.roles and settings.TWO_FACTOR_FOR_REFERENTS)
        or (Role.FUNDER in scope.roles and settings.TWO_FACTOR_FOR_FUNDERS)
    )


# --- Where: one filter for every record placed in a territory --------------------------------

# Conditions that match every record and none (`Q()` would vanish when combined with `|`).
EVERYTHING = ~Q(pk__in=[])
NOTHING = Q(pk__in=[])


def places_q(
    *,
    department: str,
    structure: str | None = None,
    region_ids: Collection[int] = (),
    department_ids: Collection[int] = (),
    structure_ids: Collection[int] = (),
    every: bool = False,
) -> Q:
    """Records placed in these régions, départements or structures.

    `department` is the path from the record to its département ("commune__department" for a
    structure, "structure__commune__department" for a cohort, "" for a département itself);
    `structure` the path to its structure ("" for a structure itself, None where records have
    none). With `every`, a record must match each set given (a figure's filters); otherwise any
    of them (a person's scope). No set given: every record when `every`, none otherwise."""
    to = f"{department}__" if department else ""
    conditions = []
    if region_ids:
        conditions.append(Q(**{f"{to}region__in": region_ids}))
    if department_ids:
        conditions.append(Q(**{f"{department}__in" if department else "pk__in": department_ids}))
    if structure_ids and structure is not None:
        conditions.append(Q(**{f"{structure}__in" if structure else "pk__in": structure_ids}))
    combined = EVERYTHING if every else NOTHING
    for condition in conditions:
        combined = combined & condition if every else combined | condition
    return combined


def within_scope(
    user_or_scope: Any,
    *,
    department: str,
    structure: str | None = None,
    managed_only: bool = False,
) -> Q:
    """The records a person reaches by their territory: everything for the national team; for
    others, those of their régions, their départements and their own structures (paths as in
    `places_q`). `managed_only` keeps the régions and the départements they manage, without
    those where they only work in the field, nor their structures."""
    scope = user_or_scope if isinstance(user_or_scope, Scope) else scope_of(user_or_scope)
    if scope.is_admin:
        return EVERYTHING
    return places_q(
        department=department,
        structure=None if managed_only else structure,
        region_ids=scope.region_ids,
        department_ids=scope.managed_department_ids if managed_only else scope.department_ids,
        structure_ids=scope.structure_ids,
    )


# --- Who holds a role: conditions on accounts --------------------------------------------------


def staff_accounts() -> Q:
    """Accounts of the network's staff: the managers and the facilitators."""
    return Q(role_assignments__role__in=STAFF_ROLES)


def facilitator_accounts() -> Q:
    """Accounts of the facilitators (conseillers numériques)."""
    return Q(role_assignments__role=Role.MEDIATOR)


def referent_accounts(structures: Any) -> Q:
    """Accounts of the referents of these structures (a queryset or ids)."""
    return Q(role_assignments__role=Role.RELAY_REFERENT, role_assignments__structure__in=structures)


def referent_of(structure: Any, *, path: str = "") -> Q:
    """Accounts (reached through `path`, e.g. "facilitators__") of a referent of this structure
    (an id, or an expression such as `F("structure")`)."""
    return Q(
        **{
            f"{path}role_assignments__role": Role.RELAY_REFERENT,
            f"{path}role_assignments__structure": structure,
        }
    )


def field_team_accounts(department: Any) -> Q:
    """Accounts of the facilitators and territorial managers of a département."""
    return Q(
        role_assignments__role__in=[Role.MEDIATOR, Role.TERRITORY_MANAGER],
        role_assignments__departments=department,
    )
