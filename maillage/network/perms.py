from __future__ import annotations

from typing import Any

from maillage.core.perms import STAFF_ROLES, scope_of
from maillage.territories.models import Department


def can_create_structure(user: Any) -> bool:
    return scope_of(user).has_role(*STAFF_ROLES)


def placeable_department_ids(user: Any) -> frozenset[int] | None:
    """Départements where this person may place a structure; None means anywhere."""
    scope = scope_of(user)
    if scope.is_admin:
        return None
    in_regions = Department.objects.filter(region_id__in=scope.region_ids).values_list(
        "pk", flat=True
    )
    return frozenset(in_regions) | scope.department_ids


def visible_departments(user: Any) -> Any:
    ids = placeable_department_ids(user)
    departments = Department.objects.select_related("region")
    if ids is None:
        return departments
    scope = scope_of(user)
    from_structures = Department.objects.filter(
        communes__structures__pk__in=list(scope.structure_ids)
    ).values("pk")
    return departments.filter(pk__in=ids) | departments.filter(pk__in=from_structures)
