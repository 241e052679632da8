from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from maillage.territories.loader import load_territories


class Command(BaseCommand):
    help = "Load régions, départements, communes and postal codes from the shipped data files."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = load_territories()
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.regions} régions, {report.departments} départements, "
                f"{report.communes} communes, {report.postal_codes} codes postaux "
                f"chargés en {time.monotonic() - started:.1f} s."
            )
        )
