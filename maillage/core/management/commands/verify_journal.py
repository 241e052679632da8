"""Walk the audit journal's chain of seals and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import AuditEvent
from maillage.core.seal import first_broken_link, seal_pending


class Command(BaseCommand):
    help = (
        "Vérifie que le journal d'audit n'a été ni modifié, ni amputé, ni complété après coup : "
        "chaque événement est scellé au précédent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        while seal_pending():  # the events committed since the last seal
            pass
        problem = first_broken_link()
        if problem:
            raise CommandError(f"Journal rompu : {problem}.")
        count = AuditEvent.objects.count()
        self.stdout.write(f"Journal intact : {count} événement(s) vérifié(s).")
