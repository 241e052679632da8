from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillage.accounts.models import User
from maillage.demo.network import DEMO_PASSWORD, build_network
from maillage.territories.loader import load_territories
from maillage.territories.models import Commune


class Command(BaseCommand):
    help = "Build the demo dataset (an empty database is expected: `make demo` starts from one)."

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists():
            raise CommandError(
                "La base contient déjà des comptes : la démonstration se construit sur une base "
                "vide (`make demo` en recrée une)."
            )
        started = time.monotonic()
        if not Commune.objects.exists():
            load_territories()
        with transaction.atomic():
            network = build_network()
        self.stdout.write(
            self.style.SUCCESS(
                f"Jeu de démonstration construit en {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        width = max(len(email) for email, _, _ in network.accounts)
        for email, role, scope in network.accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role} — {scope}")
