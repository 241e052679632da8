from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.network.models import Structure
from maillage.people.importer import FileError, check, import_people, read_rows


class Command(BaseCommand):
    help = (
        "Import people from a CSV or XLSX file made from the template, for one structure. "
        "All or nothing: any bad line is reported and nothing is imported; the people the "
        "structure already follows are reported, not created again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--structure", type=int, required=True, help="Structure id")

    def handle(self, *args: Any, file: Path, structure: int, **options: Any) -> None:
        found = Structure.objects.filter(pk=structure).first()
        if found is None:
            raise CommandError(f"Aucune structure n'a l'identifiant {structure}.")
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            with file.open("rb") as content:
                rows = read_rows(file.name, content)
        except FileError as error:
            raise CommandError(str(error)) from error
        report = check(rows, found)
        if not report.ok:
            for line, reason in report.errors:
                self.stderr.write(f"Ligne {line} : {reason}")
            raise CommandError(f"{len(report.errors)} ligne(s) en erreur : rien n'a été importé.")
        count = import_people(report, by=None)
        self.stdout.write(self.style.SUCCESS(f"{count} personne(s) importée(s) pour {found}."))
        for line, reference in report.known:
            self.stdout.write(f"Ligne {line} : déjà suivie sous la référence {reference}.")
