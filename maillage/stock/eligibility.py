"""Who may buy at a solidarity price or receive a free distribution, and how much: the basis
of a person's eligibility and the per-person caps (from settings)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.core.dates import add_months
from maillage.people.enums import Eligibility, ReferralStatus
from maillage.people.models import Beneficiary, Referral
from maillage.stock.enums import DeviceKind, ProductKind
from maillage.stock.models import EligibilityCheck, FreeDistribution, SaleLine, euros


@dataclass(frozen=True)
class Basis:
    """Why a person may use the solidarity offer on a day: the most recent referral still
    valid, the criteria checked at the counter still valid, and the criteria they hold."""

    referral: Referral | None
    check: EligibilityCheck | None
    criteria: frozenset[str]

    @property
    def is_eligible(self) -> bool:
        return self.referral is not None or self.check is not None

    def describe(self) -> str:
        parts = []
        if self.referral is not None:
            parts.append(
                _("orientée par %(organisation)s (%(reference)s)")
                % {
                    "organisation": self.referral.referrer_organisation,
                    "reference": self.referral.reference,
                }
            )
        if self.criteria:
            parts.append(
                _("critères : %(criteria)s")
                % {"criteria": ", ".join(sorted(str(Eligibility(c).label) for c in self.criteria))}
            )
        return " ; ".join(parts)


def basis(person: Beneficiary, day: date) -> Basis:
    accepted = set(settings.STOCK_ACCEPTED_CRITERIA)
    since = add_months(day, -settings.STOCK_REFERRAL_VALIDITY_MONTHS)
    referrals = list(
        Referral.objects.filter(
            beneficiary=person,
            status=ReferralStatus.ACCEPTED,
            created_at__date__gte=since,
            created_at__date__lte=day,
        ).order_by("-created_at")
    )
    checks = list(
        EligibilityCheck.objects.filter(
            beneficiary=person,
            checked_on__lte=day,
            valid_until__gte=day,
            criterion__in=accepted,
        ).order_by("-checked_on", "-pk")
    )
    criteria = {r.eligibility for r in referrals if r.eligibility in accepted}
    criteria |= {c.criterion for c in checks}
    return Basis(
        referral=referrals[0] if referrals else None,
        check=checks[0] if checks else None,
        criteria=frozenset(criteria),
    )


def refusal(
    person: Beneficiary,
    day: date,
    distribution: FreeDistribution | None,
    found: Basis | None = None,
) -> str | None:
    """Why the person may not use the offer (or this free distribution) on that day; None
    when they may. `found`: their basis on that day, when already read."""
    found = found or basis(person, day)
    if distribution is not None and distribution.criteria:
        if not found.criteria & set(distribution.criteria):
            return _(
                "L'opération « %(name)s » est réservée aux publics suivants : %(criteria)s. "
                "Aucun de ces critères n'est enregistré et valide pour cette personne : "
                "vérifiez un justificatif et enregistrez le critère."
            ) % {"name": distribution.name, "criteria": ", ".join(distribution.criteria_labels())}
        return None
    if not found.is_eligible:
        return _(
            "Cette personne n'est pas éligible à l'offre solidaire : elle n'a pas été orientée "
            "par un travailleur social depuis %(months)s mois et aucun critère d'éligibilité "
            "valide n'a été vérifié."
        ) % {"months": settings.STOCK_REFERRAL_VALIDITY_MONTHS}
    return None


def _standing_lines(person: Beneficiary) -> Any:
    return SaleLine.objects.filter(sale__beneficiary=person, sale__cancelled_at__isnull=True)


def device_cap_refusal(person: Beneficiary, kinds: Iterable[str], day: date) -> str | None:
    """One device of each kind per STOCK_DEVICE_CAP_MONTHS months (sold or given)."""
    months = settings.STOCK_DEVICE_CAP_MONTHS
    kinds = list(kinds)
    if not kinds:
        return None
    for kind in sorted(set(kinds)):
        if kinds.count(kind) > 1:
            return _(
                "Une seule unité de chaque type d'équipement par personne : « %(kind)s » "
                "apparaît deux fois."
            ) % {"kind": DeviceKind(kind).label}
    last = (
        _standing_lines(person)
        .filter(device__kind__in=kinds, sale__sold_at__date__gt=add_months(day, -months))
        .select_related("sale", "device")
        .order_by("-sale__sold_at")
        .first()
    )
    if last is None:
        return None
    assert last.device is not None
    return _(
        "Cette personne a déjà reçu un équipement « %(kind)s » le %(date)s : un seul par "
        "période de %(months)s mois."
    ) % {
        "kind": last.device.get_kind_display(),
        "date": date_format(timezone.localdate(last.sale.sold_at), "j F Y"),
        "months": months,
    }


def topups_this_month(person: Beneficiary, day: date) -> Decimal:
    start = day.replace(day=1)
    lines = _standing_lines(person).filter(
        product__kind=ProductKind.TOPUP,
        sale__sold_at__date__gte=start,
        sale__sold_at__date__lt=add_months(start, 1),
    )
    return lines.aggregate(v=Sum(F("quantity") * F("product__face_value")))["v"] or Decimal("0")


def topup_cap_refusal(person: Beneficiary, adding: Decimal, day: date) -> str | None:
    """Top-ups worth at most STOCK_TOPUP_MONTHLY_CAP euros in a calendar month."""
    if not adding:
        return None
    cap = Decimal(settings.STOCK_TOPUP_MONTHLY_CAP)
    already = topups_this_month(person, day)
    if already + adding <= cap:
        return None
    return _(
        "Les recharges sont limitées à %(cap)s par personne et par mois : %(already)s déjà "
        "ce mois-ci, %(adding)s demandés."
    ) % {"cap": euros(cap), "already": euros(already), "adding": euros(adding)}
