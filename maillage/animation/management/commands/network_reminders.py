from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.animation.services import remind_meeting_registrants, remind_silent_coaches


class Command(BaseCommand):
    help = (
        "Remind coaches of the structures without contact for COACHING_SILENCE_DAYS, and the "
        "people registered to an information meeting of the next 24 hours. Run it daily (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        coaches = remind_silent_coaches()
        registrants = remind_meeting_registrants()
        self.stdout.write(
            f"{coaches} rappel(s) aux chargés d'accompagnement (sans contact depuis "
            f"{settings.COACHING_SILENCE_DAYS} jours), {registrants} rappel(s) de réunion "
            "d'information."
        )
