"""The network's figures about its structures, computed live from the journal of their relay
status."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import DateTimeField, F, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from maillage.core.indicators import (
    PLACE_BREAKDOWNS,
    Filters,
    Indicator,
    partners_of,
    register,
    where,
)
from maillage.core.models import Transition
from maillage.network.enums import RelayStatus
from maillage.network.models import PLACE, Structure


def _structures(filters: Filters) -> QuerySet[Structure]:
    return Structure.objects.filter(
        where(filters, department=PLACE, structure=""), partners_of(filters, "")
    ).distinct()


def relay_passages(filters: Filters) -> QuerySet[Transition]:
    """Structures becoming Relais Numérique in the period (each time they did)."""
    ids = [str(pk) for pk in _structures(filters).values_list("pk", flat=True)]
    return Transition.objects.filter(
        field="relay_status",
        to_state=RelayStatus.RELAY,
        at__gte=filters.since,
        at__lt=filters.until,
        object_id__in=ids,
        content_type__app_label="network",
        content_type__model="structure",
    )


def structures_joined(filters: Filters) -> int:
    return relay_passages(filters).count()


def joined_ids(filters: Filters) -> set[int]:
    return {int(pk) for pk in relay_passages(filters).values_list("object_id", flat=True)}


def relays_active(filters: Filters) -> int:
    return len(relay_ids(filters))


def relay_ids(filters: Filters) -> set[int]:
    """Structures that were Relais Numérique at the end of the period."""
    structures = {str(pk) for pk in _structures(filters).values_list("pk", flat=True)}
    last_states = (
        Transition.objects.filter(
            field="relay_status",
            at__lt=filters.until,
            object_id__in=structures,
            content_type__app_label="network",
            content_type__model="structure",
        )
        .order_by("object_id", "at", "pk")
        .values_list("object_id", "to_state")
    )
    state: dict[str, str] = {}
    for object_id, to_state in last_states:
        state[object_id] = to_state
    return {int(pk) for pk, s in state.items() if s == RelayStatus.RELAY}


def listed_structures(ids_of: Callable[[Filters], Iterable[int]]) -> Any:
    def records(filters: Filters, user: Any) -> QuerySet[Structure]:
        return (
            Structure.objects.visible_to(user)
            .filter(pk__in=list(ids_of(filters)))
            .annotate(
                record_date=Value(None, output_field=DateTimeField()),
                record_place=F("commune__name"),
            )
            .order_by("name", "pk")
        )

    return records


for indicator in [
    Indicator(
        code="structures_joined",
        label=_("Structures devenues Relais Numériques"),
        definition=_(
            "Structures passées au statut de Relais Numérique dans la période (une structure qui quitte le réseau puis le rejoint compte à chaque passage)."
        ),
        compute=structures_joined,
        breakdowns=PLACE_BREAKDOWNS,
        records=listed_structures(joined_ids),
        order=10,
    ),
    Indicator(
        code="relays_active",
        label=_("Relais Numériques actifs"),
        definition=_("Structures ayant le statut de Relais Numérique à la fin de la période."),
        compute=relays_active,
        breakdowns=PLACE_BREAKDOWNS,
        records=listed_structures(relay_ids),
        order=11,
    ),
]:
    register(indicator)
