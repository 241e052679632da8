"""Choices of the network's own life: calls, applications, coaching, teaching kits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Calls for applications ---------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Réponse courte")
    LONG_TEXT = "long_text", _("Réponse longue")
    YES_NO = "yes_no", _("Oui / non")
    NUMBER = "number", _("Nombre")
    CHOICE = "choice", _("Choix dans une liste")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    SHORTLISTED = "shortlisted", _("Présélectionnée")
    SELECTED = "selected", _("Retenue")
    NOT_SELECTED = "not_selected", _("Non retenue")


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.SHORTLISTED, ApplicationStatus.NOT_SELECTED},
    ApplicationStatus.SHORTLISTED: {ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED},
    ApplicationStatus.SELECTED: set(),
    ApplicationStatus.NOT_SELECTED: set(),
}

# The decisions the committee records on a shortlisted application.
COMMITTEE_DECISIONS = (ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED)

SCORES = [(n, str(n)) for n in range(6)]


# --- Coaching ---------------------------------------------------------------------------------


class CoachingStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    CLOSED = "closed", _("Clôturé")


# A closing committee closes the coaching.
COACHING_TRANSITIONS: dict[str, set[str]] = {CoachingStatus.IN_PROGRESS: {CoachingStatus.CLOSED}}


class Modality(models.TextChoices):
    WORKSHOPS = "workshops", _("Ateliers collectifs")
    DROP_INS = "drop_ins", _("Permanences connectées")
    PARCOURS = "parcours", _("Parcours d'initiation")
    TRAINING = "training", _("Formation des équipes")
    EQUIPMENT = "equipment", _("Accès au matériel")
    CONNECTION = "connection", _("Accès à la connexion")
    STAFFING = "staffing", _("Mobilisation des ressources humaines")
    FUNDING = "funding", _("Financement")
    ORGANISATION = "organisation", _("Numérique de l'organisation")


class Priority(models.TextChoices):
    HIGH = "high", _("Haute")
    MEDIUM = "medium", _("Moyenne")
    LOW = "low", _("Basse")


class ActionStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    DROPPED = "dropped", _("Abandonné")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visite")
    CALL = "call", _("Appel")
    MEETING = "meeting", _("Réunion")


# --- Trainings and resources ------------------------------------------------------------------


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Débutant")
    INTERMEDIATE = "intermediate", _("Intermédiaire")
    ADVANCED = "advanced", _("Avancé")


class Audience(models.TextChoices):
    REFERENTS = "referents", _("Référents et animateurs")
    ADULTS = "adults", _("Adultes")
    SENIORS = "seniors", _("Seniors")
    YOUTH = "youth", _("Jeunes")
    NEWCOMERS = "newcomers", _("Personnes allophones")


class ResourceTheme(models.TextChoices):
    FIRST_STEPS = "first_steps", _("Premiers pas (ordinateur, tablette, smartphone)")
    INTERNET = "internet", _("Internet et messagerie")
    PROCEDURES = "procedures", _("Démarches en ligne et accès aux droits")
    SAFETY = "safety", _("Sécurité et arnaques")
    EMPLOYMENT = "employment", _("Emploi")
    HEALTH = "health", _("Santé")
    MOBILITY = "mobility", _("Mobilité")
    PARENTING = "parenting", _("E-parentalité")
    DIAGNOSTIC = "diagnostic", _("Diagnostic et orientation")
    FACILITATION = "facilitation", _("Animation d'ateliers")
