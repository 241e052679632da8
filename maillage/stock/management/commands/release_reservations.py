from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maillage.stock.services import release_expired_reservations


class Command(BaseCommand):
    help = "Put back in stock the devices whose reservation has expired. Run it daily (cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        released = release_expired_reservations()
        self.stdout.write(f"{released} réservation(s) expirée(s) : équipement(s) remis en stock.")
