"""What a signed-in person may see, as a plain value every app can filter with.

`maillage.accounts` builds the `Scope` of a user from their roles; apps below it read it through
`scope_of(user)` without importing accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administration nationale")
    REGIONAL_MANAGER = "regional_manager", _("Responsable régional·e")
    TERRITORY_MANAGER = "territory_manager", _("Responsable de territoire")
    MEDIATOR = "mediator", _("Conseiller·ère numérique")
    RELAY_REFERENT = "relay_referent", _("Référent·e de structure")
    FUNDER = "funder", _("Financeur")


STAFF_ROLES = (Role.ADMIN, Role.REGIONAL_MANAGER, Role.TERRITORY_MANAGER, Role.MEDIATOR)


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

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or bool(self.roles.intersection(roles))


EMPTY_SCOPE = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    scope = getattr(user, "scope", None)
    return scope if isinstance(scope, Scope) else EMPTY_SCOPE


def require(condition: bool) -> None:
    """Answer 404, as for an object outside the person's scope."""
    if not condition:
        raise Http404
