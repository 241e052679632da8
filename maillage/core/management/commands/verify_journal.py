"""Walk the audit journal's chain of seals and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import AuditEvent
from maillage.core.seal import seal_of


class Command(BaseCommand):
    help = (
        "Vérifie que le journal d'audit n'a été ni modifié, ni amputé, ni complété après coup : "
        "chaque événement est scellé au précédent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        previous = ""
        checked = 0
        for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=5000):
            if seal_of(event, previous) != event.digest:
                raise CommandError(
                    f"Journal rompu à l'événement n° {event.pk} du {event.at:%d/%m/%Y %H:%M:%S} "
                    f"({event.action}) : son sceau ne correspond pas à son contenu et à "
                    f"l'événement qui le précède. {checked} événement(s) vérifié(s) avant lui."
                )
            previous = event.digest
            checked += 1
        self.stdout.write(f"Journal intact : {checked} événement(s) vérifié(s).")
