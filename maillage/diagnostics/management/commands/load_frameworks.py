from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.diagnostics.loader import FRAMEWORKS_DIR, FrameworkError, load_all


class Command(BaseCommand):
    help = "Load the skills frameworks (JSON files) into the database; loaded versions are kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=FRAMEWORKS_DIR)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            loaded = load_all(directory)
        except FrameworkError as error:
            raise CommandError(str(error)) from error
        for framework, created in loaded:
            state = "chargé" if created else "déjà présent"
            self.stdout.write(f"{framework} : {state}")
