from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from maillage.bookings import services as booking_services
from maillage.bookings import tasks as booking_tasks
from maillage.learning import reminders, tasks
from maillage.learning.models import ReminderSent


class Command(BaseCommand):
    help = (
        "Queue the reminders of the sessions of a day (tomorrow by default): an SMS, and an "
        "e-mail where there is one, to each enrolled learner who agreed, and to each person of "
        "the public who booked. Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="YYYY-MM-DD: the day of the sessions (tomorrow by default)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing."
        )

    def handle(
        self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any
    ) -> None:
        day = self._day(date)
        sessions = list(reminders.sessions_on(day))
        if dry_run:
            count = 0
            for session in sessions:
                for planned in reminders.planned_for(session):
                    done = ReminderSent.objects.filter(
                        session=session, beneficiary=planned.beneficiary, channel=planned.channel
                    ).exists()
                    state = "déjà envoyé" if done else "à envoyer"
                    self.stdout.write(
                        f"{planned.channel:5}  {planned.beneficiary.reference}  {state}  {planned.text}"
                    )
                    count += not done
            self.stdout.write(
                f"{count} rappel(s) à envoyer pour {len(sessions)} séance(s) du {day:%d/%m/%Y}."
            )
            return
        for session in sessions:
            tasks.send_session_reminders.enqueue(session.pk)
        self.stdout.write(
            f"Rappels de {len(sessions)} séance(s) du {day:%d/%m/%Y} mis en file d'envoi."
        )
        # The public's bookings of the same day, each reminded once; old ones forgotten.
        booked = len(booking_tasks.bookings_on(day))
        booking_tasks.send_booking_reminders.enqueue(day.isoformat())
        forgotten = booking_services.forget_old_bookings(timezone.now())
        self.stdout.write(
            f"Rappels de {booked} réservation(s) du public mis en file d'envoi ; "
            f"{forgotten} réservation(s) ancienne(s) anonymisée(s)."
        )

    @staticmethod
    def _day(raw: str | None) -> date:
        if not raw:
            return timezone.localdate() + timedelta(days=1)
        try:
            return date.fromisoformat(raw)
        except ValueError as error:
            raise CommandError("Date attendue au format AAAA-MM-JJ.") from error
