from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from maillage.people import retention
from maillage.people.models import Beneficiary
from maillage.people.services import due_for_anonymisation, purge_inactive


class Command(BaseCommand):
    help = (
        "Anonymise the people whose last contact is older than PEOPLE_RETENTION_MONTHS, and list "
        "those due within PEOPLE_RETENTION_WARNING_DAYS; the other apps forget what is past its "
        "own retention (old drafts of applications, applicants' contacts, meeting registrants). "
        "Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        due = due_for_anonymisation(Beneficiary.objects.select_related("structure"))
        if not dry_run:
            people, referrals = purge_inactive()
            self.stdout.write(
                f"{people} personne(s) et {referrals} orientation(s) clôturée(s) anonymisée(s) "
                f"(dernier contact il y a plus de {settings.PEOPLE_RETENTION_MONTHS} mois)."
            )
            for line in retention.forget_everything_due():
                self.stdout.write(line)
        self.stdout.write(
            f"À anonymiser dans les {settings.PEOPLE_RETENTION_WARNING_DAYS} jours : {due.count()}."
        )
        for beneficiary in due:
            self.stdout.write(
                f"  {beneficiary.reference}  {beneficiary.structure}  "
                f"dernier contact le {beneficiary.last_contact_on:%d/%m/%Y}"
            )
