"""Vocabularies of the accompaniment: the national mediation themes, devices, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseDevice(models.TextChoices):
    COMPUTER = "computer", _("Ordinateur")
    TABLET = "tablet", _("Tablette")
    SMARTPHONE = "smartphone", _("Smartphone")
    NONE = "none", _("Aucun")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Grand débutant")
    NOVICE = "novice", _("Débutant")
    INTERMEDIATE = "intermediate", _("Intermédiaire")
    ALL = "all", _("Tous niveaux")


class Theme(models.TextChoices):
    """The themes of the national standard for digital mediation activities."""

    DEVICE = "device", _("Prise en main du matériel")
    BROWSING = "browsing", _("Navigation sur internet")
    EMAIL = "email", _("E-mail")
    OFFICE = "office", _("Bureautique")
    SOCIAL_NETWORKS = "social_networks", _("Réseaux sociaux")
    HEALTH = "health", _("Santé")
    BANKING = "banking", _("Banque et achats en ligne")
    EMPLOYMENT = "employment", _("Insertion professionnelle")
    SAFETY = "safety", _("Prévention en sécurité numérique")
    PARENTING = "parenting", _("Parentalité")
    SCHOOLING = "schooling", _("Scolarité et numérique")
    PROCEDURES = "procedures", _("Démarches administratives")
    FILES = "files", _("Gestion des fichiers")
    MOBILITY = "mobility", _("Mobilité")
    CULTURE = "culture", _("Culture numérique")
    OTHER = "other", _("Autre")


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    RUNNING = "running", _("En cours")
    COMPLETED = "completed", _("Terminé")
    CANCELLED = "cancelled", _("Annulé")


COHORT_TRANSITIONS: dict[str, list[str]] = {
    CohortStatus.PLANNED: [CohortStatus.RUNNING, CohortStatus.CANCELLED],
    CohortStatus.RUNNING: [CohortStatus.COMPLETED, CohortStatus.CANCELLED],
}


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("Liste d'attente")
    ENROLLED = "enrolled", _("Inscrit·e")
    COMPLETED = "completed", _("Parcours terminé")
    DROPPED = "dropped", _("Abandon")


ENROLMENT_TRANSITIONS: dict[str, list[str]] = {
    EnrolmentStatus.WAITING: [EnrolmentStatus.ENROLLED, EnrolmentStatus.DROPPED],
    EnrolmentStatus.ENROLLED: [EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED],
}


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")
    EXCUSED = "excused", _("Excusé·e")
