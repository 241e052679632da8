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


class ProcedureTheme(models.TextChoices):
    """Sub-themes of online administrative procedures (national standard)."""

    PAPERS = "papers", _("Papiers et citoyenneté")
    FAMILY = "family", _("Famille et scolarité")
    SOCIAL = "social", _("Social et santé")
    WORK = "work", _("Travail et formation")
    HOUSING = "housing", _("Logement")
    TRANSPORT = "transport", _("Transports")
    MONEY = "money", _("Argent et impôts")
    JUSTICE = "justice", _("Justice")
    FOREIGNERS = "foreigners", _("Étrangers")
    LEISURE = "leisure", _("Loisirs")


class Autonomy(models.TextChoices):
    GUIDED = "guided", _("Avec guidage")
    WITH_HELP = "with_help", _("Autonome avec aide si besoin")
    AUTONOMOUS = "autonomous", _("Autonome")


class ReferredTo(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    FRANCE_SERVICES = "france_services", _("France Services")
    SOCIAL_HELP = "social_help", _("Aide sociale")
    EMPLOYMENT = "employment", _("Insertion professionnelle")
    OTHER = "other", _("Autre")


DROP_IN_MINUTES = [15, 30, 45, 60, 90, 120]
