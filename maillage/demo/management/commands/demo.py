from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from maillage.accounts.models import User
from maillage.demo.journey import build_journey
from maillage.demo.learning import build_learning
from maillage.demo.network import DEMO_PASSWORD, Builder, build_network
from maillage.demo.people import build_people
from maillage.demo.programmes import build_programmes
from maillage.demo.public import build_public_agenda
from maillage.demo.stock import build_stock
from maillage.diagnostics.loader import load_all
from maillage.impact import facts
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
        load_all()
        # The demo's referrals would otherwise queue hundreds of e-mails to invented people.
        quiet = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
        figures: dict[str, Any] = {}
        with override_settings(TASKS=quiet), transaction.atomic():
            network = build_network()
            figures["journey"] = build_journey(Builder(seed=2023))
            figures |= build_people()
            figures["learning"] = build_learning()
            build_programmes()
            figures["stock"] = build_stock()
            figures["public"] = build_public_agenda()
            # Bulk writes bypass the per-write upkeep of the facts: compute them once.
            facts.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Jeu de démonstration construit en {time.monotonic() - started:.1f} s."
            )
        )
        mel = figures["mel"]
        women = mel["by_gender"].get("woman", 0)
        self.stdout.write(
            f"Métropole de Lille : {mel['people']} personnes accompagnées, "
            f"{round(100 * women / mel['people'])} % de femmes, âge moyen {mel['average_age']:g} ans."
        )
        reach = figures["learning"]
        self.stdout.write(
            f"Ruralité Connectée 2022 : {reach['rural']['parcours']} parcours, "
            f"{reach['rural']['people']} personnes. Hautes-Alpes : {reach['alps']['parcours']} parcours, "
            f"{reach['alps']['people']} personnes. Métropole de Lille : "
            f"{reach['mel']['parcours'] + reach['mel']['workshops'] + reach['mel']['drop_ins']} actions, "
            f"{reach['mel']['people']} personnes dont {reach['mel']['people_in_parcours']} en parcours."
        )
        journey = figures["journey"]
        self.stdout.write(
            f"Appel de la Métropole de Lille : {journey['applications']} candidatures, "
            f"{journey['selected']} structures retenues, {journey['referents_trained']} référents "
            "formés ; comité de clôture le 14 décembre 2023."
        )
        alps = figures["stock"]["alps"]
        self.stdout.write(
            f"Hautes-Alpes : {alps['smartphones_given']} smartphones donnés, {alps['sims']} cartes "
            f"SIM distribuées, flotte de {alps['fleet']} ordinateurs prêtés."
        )
        public = figures["public"]
        self.stdout.write(
            f"Agenda public des Hautes-Alpes : {public['workshops']} ateliers et {public['slots']} "
            f"permanences réservables dans les deux semaines, dans {public['places']} lieux."
        )
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        width = max(len(email) for email, _, _ in network.accounts)
        for email, role, scope in network.accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role} — {scope}")
