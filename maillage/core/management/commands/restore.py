"""Restore a backup into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.core import backups


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `manage.py backup` dans une base vide (SQLite ou PostgreSQL), "
        "puis vérifie le journal d'audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Le fichier de sauvegarde")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            backups.restore(file, passphrase=settings.BACKUP_PASSPHRASE)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde restaurée depuis {file}.")
        call_command("verify_journal", stdout=self.stdout)
