"""Who may see and handle the public's bookings: those who record the activity of a place."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from maillage.core.perms import action
from maillage.core.roles import works_with_people
from maillage.network.models import Structure


@action(_("Voir les réservations du public et les changer en présence ou en permanence"))
def can_handle_bookings(user: Any) -> bool:
    """In the places they may edit (`Structure.objects.editable_by`)."""
    return works_with_people(user)


def places_handled_by(user: Any) -> Any:
    if not can_handle_bookings(user):
        return Structure.objects.none()
    return Structure.objects.editable_by(user)
