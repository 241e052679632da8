from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maillage.accounts import throttle
from maillage.core import throttle as doors


class Command(BaseCommand):
    help = (
        "Forget sign-in attempts older than the throttle window, and sendings through the "
        "public forms older than a day (run by cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = throttle.prune()
        self.stdout.write(f"{deleted} tentative(s) de connexion oubliée(s).")
        deleted = doors.prune()
        self.stdout.write(f"{deleted} envoi(s) de formulaire public oublié(s).")
