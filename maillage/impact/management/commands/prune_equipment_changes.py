from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Max

from maillage.impact.models import EquipmentChange


class Command(BaseCommand):
    help = (
        "Delete the equipment changes that no longer stamp anything: only the last of each "
        "month counts (decision 0016). Run it daily (cron); no figure changes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        last = list(
            EquipmentChange.objects.values("month")
            .annotate(last=Max("id"))
            .values_list("last", flat=True)
        )
        deleted = 0
        if last:
            deleted, _ = (
                EquipmentChange.objects.filter(id__lte=max(last)).exclude(pk__in=last).delete()
            )
        self.stdout.write(
            f"{deleted} changement(s) d'équipement supprimé(s), {len(last)} gardé(s)."
        )
