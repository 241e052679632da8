from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.impact.pdf import report_pdf
from maillage.impact.publication import Disclosure, FigureEncoder
from maillage.impact.report import report_data, report_xlsx
from maillage.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Write a programme's report over a period: every indicator, by département and by course."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme", required=True, help="The programme's short identifier (slug)"
        )
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD, included")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument(
            "--output", type=Path, help="File to write; the JSON is printed without it"
        )
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Every figure, small counts of people included (for the national team); "
            "without it, the report a funder downloads",
        )

    def handle(
        self,
        *args: Any,
        programme: str,
        start: str,
        end: str,
        format: str,
        output: Path | None,
        exact: bool,
        **options: Any,
    ) -> None:
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(f"Aucun programme « {programme} ».")
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError as error:
            raise CommandError("Dates attendues au format AAAA-MM-JJ.") from error
        if last < first:
            raise CommandError("La fin de la période précède son début.")
        disclosure = Disclosure(exact=exact)
        data = report_data(found, first, last, disclosure)
        if format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2, cls=FigureEncoder)
            if output is None:
                self.stdout.write(text)
            else:
                output.write_text(text + "\n", encoding="utf-8")
        else:
            if output is None:
                raise CommandError(f"--output est nécessaire pour un fichier {format}.")
            if format == "pdf":
                output.write_bytes(report_pdf(found, data, first, last, disclosure))
            else:
                output.write_bytes(report_xlsx(found, data))
        if output is not None:
            self.stdout.write(f"Rapport écrit dans {output}.")
