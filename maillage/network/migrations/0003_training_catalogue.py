"""The two one-day trainings every referent of a new Relais Numérique follows."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TRAININGS = [
    {
        "code": "decouvrir-inclusion-numerique",
        "title": "Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs",
        "description": (
            "Comprendre les publics touchés par la dématérialisation, identifier les freins à "
            "leur usage du numérique et les solutions pour y répondre."
        ),
        "objectives": "\n".join(
            [
                "Comprendre les publics touchés par la dématérialisation",
                "Identifier les freins à l'usage du numérique",
                "Réaliser un diagnostic numérique : entretien de qualification et évaluation des "
                "compétences",
                "Orienter vers des solutions dans ou hors de sa structure",
            ]
        ),
    },
    {
        "code": "former-competences-de-base",
        "title": "Former aux compétences numériques de base",
        "description": (
            "Développer ses compétences d'animateur·ice d'ateliers sur le numérique, avec les "
            "kits clés en main du réseau."
        ),
        "objectives": "\n".join(
            [
                "Se familiariser aux techniques favorisant l'apprentissage",
                "Intégrer les spécificités du numérique dans ses pratiques",
                "Se mettre en situation d'animation à l'aide de kits clés en main",
            ]
        ),
    },
]


def seed(apps: Any, schema_editor: Any) -> None:
    Training = apps.get_model("network", "Training")
    for training in TRAININGS:
        Training.objects.update_or_create(code=training["code"], defaults={**training, "days": 1})


class Migration(migrations.Migration):
    dependencies = [("network", "0002_calls_coaching_trainings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
