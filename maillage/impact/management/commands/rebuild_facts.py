from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from maillage.impact import facts


class Command(BaseCommand):
    help = "Recompute every pre-aggregated fact from the records (and the people index)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = facts.rebuild()
        self.stdout.write(
            f"{written['activity']} faits d'activité et {written['place']} faits de structures "
            f"recalculés pour {written['departments']} départements "
            f"en {time.perf_counter() - started:.1f} s."
        )
