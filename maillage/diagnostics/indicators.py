"""The diagnostics' figure, computed live from the records."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.core.indicators import (
    PLACE_BREAKDOWNS,
    Filters,
    Indicator,
    count_of,
    listed,
    partners_of,
    register,
    where,
)
from maillage.diagnostics.models import Diagnostic
from maillage.network.models import STRUCTURE_PLACE


def diagnostics(filters: Filters) -> QuerySet[Diagnostic]:
    """Diagnostics completed in the period, at structures of the filters."""
    return (
        Diagnostic.objects.filter(completed_at__gte=filters.since, completed_at__lt=filters.until)
        .filter(
            where(filters, department=STRUCTURE_PLACE, structure="structure"),
            partners_of(filters, "structure"),
        )
        .distinct()
    )


register(
    Indicator(
        code="diagnostics",
        label=_("Diagnostics"),
        definition=_("Diagnostics numériques terminés dans la période."),
        compute=count_of(diagnostics),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed(Diagnostic, diagnostics, F("completed_at"), "structure__name"),
        about_people=True,
        order=7,
    )
)
