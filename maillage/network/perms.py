"""Who may do what in the network: its structures, and the network's own life (calls for
applications, coaching, trainings of referents, resources, information meetings). Which
records each person reaches is in the QuerySets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import (
    has_a_role,
    is_national_team,
    is_network_staff,
    manages_territory,
    within_scope,
)
from maillage.network.models import Structure
from maillage.territories.models import Department


@action(_("Voir les structures de son territoire (ou les partenaires de ses programmes)"))
def can_see_structures(user: Any) -> bool:
    return has_a_role(user)


@action(_("Ajouter une structure dans son territoire"))
def can_create_structure(user: Any) -> bool:
    return is_network_staff(user)


@action(_("Faire avancer une structure dans le réseau (candidate, retenue, Relais Numérique…)"))
def can_move_structures(user: Any) -> bool:
    """Managers decide where a structure stands in the network."""
    return manages_territory(user)


def may_move(user: Any, structure: Structure) -> bool:
    """This person may move this structure along its journey (a manager of its territory)."""
    return (
        can_move_structures(user)
        and Structure.objects.relay_status_changeable_by(user).filter(pk=structure.pk).exists()
    )


def placeable_department_ids(user: Any) -> frozenset[int] | None:
    """Départements where this person may place a structure; None means anywhere."""
    if is_national_team(user):
        return None
    return frozenset(Department.objects.within_scope_of(user).values_list("pk", flat=True))


def visible_departments(user: Any) -> QuerySet[Department]:
    """The départements of the person's territory and of their own structures."""
    reached = within_scope(user, department="", structure="communes__structures")
    return Department.objects.select_related("region").filter(
        pk__in=Department.objects.filter(reached).values("pk")
    )
