"""Who may manage the team's accounts, and which accounts and roles each manager reaches."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import RoleAssignment, User
from maillage.core.perms import action
from maillage.core.roles import Role, is_national_team, manages_territory, scope_of
from maillage.network.models import Structure
from maillage.territories.models import Department

# The roles each manager may grant: the national team every role; a regional manager the
# territory's roles in their région; a territory manager facilitators and referents in their
# départements.
GRANTABLE: dict[str, tuple[str, ...]] = {
    Role.REGIONAL_MANAGER: (Role.TERRITORY_MANAGER, Role.MEDIATOR, Role.RELAY_REFERENT),
    Role.TERRITORY_MANAGER: (Role.MEDIATOR, Role.RELAY_REFERENT),
}


@action(
    _(
        "Gérer les comptes de son territoire : inviter, donner et retirer un rôle, désactiver, "
        "déverrouiller"
    )
)
def can_manage_team(user: Any) -> bool:
    return manages_territory(user)


def grantable_roles(manager: Any) -> list[str]:
    if is_national_team(manager):
        return list(Role.values)
    roles = scope_of(manager).roles
    return [role for held in roles for role in GRANTABLE.get(held, ())]


def departments_reached(manager: Any) -> QuerySet[Department]:
    return Department.objects.within_scope_of(manager, managed_only=True)


def structures_reached(manager: Any) -> QuerySet[Structure]:
    return Structure.objects.filter(commune__department__in=departments_reached(manager))


def assignments_reached(manager: Any) -> QuerySet[RoleAssignment]:
    """The roles this manager may see, change and remove."""
    if is_national_team(manager):
        return RoleAssignment.objects.all()
    departments = departments_reached(manager)
    return RoleAssignment.objects.filter(
        Q(role__in=grantable_roles(manager))
        & (Q(departments__in=departments) | Q(structure__commune__department__in=departments))
    ).distinct()


def accounts_reached(manager: Any) -> QuerySet[User]:
    """Accounts holding at least one role this manager reaches (every account for the national
    team)."""
    if is_national_team(manager):
        return User.objects.all()
    return User.objects.filter(role_assignments__in=assignments_reached(manager)).distinct()


def may_change_account(manager: Any, account: User) -> bool:
    """Deactivate, unlock, remove the second factor: only when every role of the account is
    within the manager's reach (a person working elsewhere too is the national team's)."""
    if is_national_team(manager):
        return True
    if account.is_staff or account.is_superuser:
        return False
    roles = list(account.role_assignments.all())
    return bool(roles) and all(may_change_role(manager, role) for role in roles)


def may_change_role(manager: Any, assignment: RoleAssignment) -> bool:
    """Change or remove this role: every place it covers is within the manager's reach."""
    if is_national_team(manager):
        return True
    if assignment.role not in grantable_roles(manager):
        return False
    reached = set(departments_reached(manager).values_list("pk", flat=True))
    if assignment.structure_id is not None:
        return structures_reached(manager).filter(pk=assignment.structure_id).exists()
    covered = set(assignment.departments.values_list("pk", flat=True))
    return bool(covered) and covered <= reached
