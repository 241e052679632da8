from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningDevice(models.TextChoices):
    COMPUTER = "computer", _("Ordinateur")
    TABLET = "tablet", _("Tablette")
    SMARTPHONE = "smartphone", _("Smartphone")


class RecommendationKind(models.TextChoices):
    COURSE = "course", _("Parcours")
    WORKSHOP = "workshop", _("Atelier")
    DROP_IN = "drop_in", _("Permanence")
    EQUIP = "equip", _("Équiper")
    CONNECT = "connect", _("Connecter")
    EXTERNAL = "external", _("Service extérieur")


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    ACCEPTED = "accepted", _("Acceptée")
    DISMISSED = "dismissed", _("Écartée")


class OrientationOutcome(models.TextChoices):
    PENDING = "pending", _("En attente")
    DONE = "done", _("Réalisée")
    NOT_DONE = "not_done", _("Non réalisée")


OUTCOME_TRANSITIONS: dict[str, list[str]] = {
    OrientationOutcome.PENDING: [OrientationOutcome.DONE, OrientationOutcome.NOT_DONE],
}
