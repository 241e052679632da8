"""Write a dated backup of the whole database, then forget the backups past their retention."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.core import backups
from maillage.core.models import AuditSeal
from maillage.core.seal import seal_pending


class Command(BaseCommand):
    help = (
        "Sauvegarde toute la base (SQLite : API de sauvegarde en ligne ; PostgreSQL : pg_dump -Fc), "
        "chiffrée si BACKUP_PASSPHRASE est définie, puis supprime les sauvegardes plus anciennes "
        "que BACKUP_RETENTION_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="Dossier des sauvegardes (BACKUP_DIR)")
        parser.add_argument(
            "--plain", action="store_true", help="Sans chiffrement, même si une phrase est définie"
        )

    def handle(self, *args: Any, dir: Path | None, plain: bool, **options: Any) -> None:
        directory = dir or settings.BACKUP_DIR
        passphrase = "" if plain else settings.BACKUP_PASSPHRASE
        while seal_pending():  # the backup carries every committed event's seal
            pass
        try:
            path = backups.backup(directory, passphrase=passphrase)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        last = AuditSeal.objects.order_by("-pk").values_list("event_id", "digest").first()
        self.stdout.write(f"Sauvegarde écrite : {path} ({path.stat().st_size} octets).")
        if last:
            self.stdout.write(f"Dernier événement du journal : n° {last[0]}, sceau {last[1]}.")
        for old in backups.keep_only(directory, settings.BACKUP_RETENTION_DAYS):
            self.stdout.write(f"Sauvegarde expirée supprimée : {old}.")
