"""The referrals' figures, computed live from the records."""

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
from maillage.people.enums import ReferralStatus
from maillage.people.models import RECEIVER, Referral


def _received_in_places(referrals: QuerySet[Referral], filters: Filters) -> QuerySet[Referral]:
    """Referrals sent to structures of the filters."""
    return referrals.filter(
        where(filters, department=RECEIVER, structure="to_structure"),
        partners_of(filters, "to_structure"),
    ).distinct()


def referrals_received(filters: Filters) -> QuerySet[Referral]:
    """Referrals sent by a referrer in the period."""
    referrals = Referral.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    return _received_in_places(referrals, filters)


def referrals_accepted(filters: Filters) -> QuerySet[Referral]:
    """Referrals whose acceptance was recorded in the period."""
    referrals = Referral.objects.filter(
        status=ReferralStatus.ACCEPTED,
        status_changed_at__gte=filters.since,
        status_changed_at__lt=filters.until,
    )
    return _received_in_places(referrals, filters)


for indicator in [
    Indicator(
        code="referrals_received",
        label=_("Orientations reçues"),
        definition=_("Orientations envoyées par des prescripteurs dans la période."),
        compute=count_of(referrals_received),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed(Referral, referrals_received, F("created_at"), "to_structure__name"),
        about_people=True,
        order=8,
    ),
    Indicator(
        code="referrals_accepted",
        label=_("Orientations acceptées"),
        definition=_("Orientations dont l'acceptation a été enregistrée dans la période."),
        compute=count_of(referrals_accepted),
        breakdowns=PLACE_BREAKDOWNS,
        records=listed(Referral, referrals_accepted, F("status_changed_at"), "to_structure__name"),
        about_people=True,
        order=9,
    ),
]:
    register(indicator)
