from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maillage.network.geocoding import GeocodingError, NoGeocoder, geocode, geocoder, to_geocode


class Command(BaseCommand):
    help = (
        "Send the addresses of structures never geocoded to the geocoding service, in batches. "
        "Bounded by --limit and resumable: run it again and it goes on where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="At most this many.")
        parser.add_argument("--batch", type=int, default=50, help="Structures read at once.")
        parser.add_argument(
            "--pause", type=float, default=0.05, help="Seconds between two requests."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        service = geocoder()
        if isinstance(service, NoGeocoder):
            self.stdout.write("Aucun service de géocodage n'est configuré (GEOCODER_BACKEND).")
            return
        found = missed = 0
        while found + missed < options["limit"]:
            batch = list(to_geocode()[: min(options["batch"], options["limit"] - found - missed)])
            if not batch:
                break
            for structure in batch:
                try:
                    if geocode(structure, service):
                        found += 1
                    else:
                        missed += 1
                except GeocodingError as error:
                    self.stderr.write(f"Service injoignable ({error}) : relancez plus tard.")
                    self._report(found, missed)
                    return
                time.sleep(options["pause"])
        self._report(found, missed)

    def _report(self, found: int, missed: int) -> None:
        left = to_geocode().count()
        self.stdout.write(
            f"{found} adresses trouvées, {missed} non trouvées (restent au centre de la "
            f"commune), {left} à géocoder."
        )
