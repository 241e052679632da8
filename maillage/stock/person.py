"""What equipment and connection hold about a person, for their page, their export and erasure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maillage.people.models import Beneficiary
from maillage.stock.enums import PlaceKind
from maillage.stock.models import DeviceEvent, DeviceEventNote, Place, SaleLine
from maillage.stock.perms import can_see_stock


def section(request: HttpRequest, beneficiary: Beneficiary) -> tuple[str, dict[str, Any]] | None:
    if beneficiary.is_anonymous or not can_see_stock(request.user):
        return None
    return (
        "stock/person_section.html",
        {
            "purchases": beneficiary.purchases.select_related("place").prefetch_related(
                "lines__device", "lines__product"
            )[:20],
            "checks": beneficiary.eligibility_checks.all()[:10],
            "counters": Place.objects.visible_to(request.user)
            .filter(kind__in=(PlaceKind.RELAY, PlaceKind.KIT), is_active=True)
            .order_by("name")[:10],
        },
    )


def export(beneficiary: Beneficiary) -> dict[str, Any]:
    return {
        "purchases": [
            {
                "reference": sale.reference,
                "date": sale.sold_at.isoformat(),
                "place": sale.place.name,
                "payment": sale.payment,
                "total": str(sale.total),
                "cancelled": sale.cancelled_at.isoformat() if sale.cancelled_at else None,
                "items": [
                    {
                        "item": line.label,
                        "quantity": line.quantity,
                        "unit_price": str(line.unit_price),
                        "sim_number": line.iccid,
                    }
                    for line in sale.lines.select_related("device", "product")
                ],
            }
            for sale in beneficiary.purchases.select_related("place")
        ],
        "eligibility_checks": [
            {
                "criterion": check.criterion,
                "checked_on": check.checked_on.isoformat(),
                "valid_until": check.valid_until.isoformat(),
            }
            for check in beneficiary.eligibility_checks.all()
        ],
        "devices": [
            {
                "date": event.at.isoformat(),
                "device": event.device.reference,
                "step": event.to_state,
                "note": event.comment,
            }
            for event in DeviceEvent.objects.filter(beneficiary=beneficiary)
            .select_related("device", "written_note")
            .order_by("at", "pk")
        ],
    }


def erase(beneficiary: Beneficiary) -> None:
    """The criteria checked describe the person's situation: they go, and so do the notes
    written on the loans and returns of their devices. Purchases stay, counted, without the SIM
    card numbers."""
    beneficiary.eligibility_checks.all().delete()
    SaleLine.objects.filter(sale__beneficiary=beneficiary).exclude(iccid="").update(iccid="")
    DeviceEventNote.objects.filter(event__beneficiary=beneficiary).delete()
