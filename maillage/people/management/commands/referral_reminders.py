from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.people.services import remind_and_expire


class Command(BaseCommand):
    help = (
        "Expire referrals older than REFERRAL_EXPIRY_DAYS and remind the receiving team of those "
        "unchanged for REFERRAL_REMINDER_DAYS. Run it daily (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired, reminded = remind_and_expire()
        self.stdout.write(
            f"{expired} orientation(s) expirée(s) (plus de {settings.REFERRAL_EXPIRY_DAYS} jours), "
            f"{reminded} rappel(s) envoyé(s)."
        )
