"""Choices for the people accompanied and for referrals."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Femme")
    MAN = "man", _("Homme")
    UNDISCLOSED = "undisclosed", _("Non communiqué")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Moins de 18 ans")
    FROM_18 = "18-24", _("18 à 24 ans")
    FROM_25 = "25-39", _("25 à 39 ans")
    FROM_40 = "40-59", _("40 à 59 ans")
    FROM_60 = "60-69", _("60 à 69 ans")
    FROM_70 = "70+", _("70 ans et plus")
    UNKNOWN = "unknown", _("Non communiqué")

    @classmethod
    def of_age(cls, age: int | None) -> AgeBand:
        if age is None:
            return cls.UNKNOWN
        for band, upper in (
            (cls.UNDER_18, 17),
            (cls.FROM_18, 24),
            (cls.FROM_25, 39),
            (cls.FROM_40, 59),
            (cls.FROM_60, 69),
        ):
            if age <= upper:
                return band
        return cls.FROM_70


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    ARABIC = "ar", _("Arabe")
    UKRAINIAN = "uk", _("Ukrainien")
    RUSSIAN = "ru", _("Russe")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pachto")
    TURKISH = "tr", _("Turc")
    SPANISH = "es", _("Espagnol")
    PORTUGUESE = "pt", _("Portugais")
    ROMANIAN = "ro", _("Roumain")
    TIGRINYA = "ti", _("Tigrigna")
    OTHER = "other", _("Autre langue")

    @classmethod
    def current(cls) -> str:
        """The language the site is read in now, as a person's language (French otherwise)."""
        active = translation.get_language() or cls.FRENCH
        return active if active in cls.values else cls.FRENCH


class SocialSituation(models.TextChoices):
    PUPIL = "pupil", _("Scolarisé·e")
    STUDENT = "student", _("Étudiant·e")
    EMPLOYED = "employed", _("En emploi")
    JOB_SEEKER = "job_seeker", _("Demandeur·se d'emploi")
    RSA = "rsa", _("Bénéficiaire du RSA")
    RETIRED = "retired", _("Retraité·e")
    ASYLUM = "asylum", _("Demandeur·se d'asile ou réfugié·e")
    HOMELESS = "homeless", _("Sans domicile")
    UNDISCLOSED = "undisclosed", _("Non communiqué")


class Equipment(models.TextChoices):
    NONE = "none", _("Aucun équipement")
    BASIC_PHONE = "basic_phone", _("Téléphone simple")
    SMARTPHONE = "smartphone", _("Smartphone")
    TABLET = "tablet", _("Tablette")
    COMPUTER = "computer", _("Ordinateur")


class Connection(models.TextChoices):
    NONE = "none", _("Aucune connexion")
    MOBILE = "mobile", _("Mobile seulement")
    BOX = "box", _("Box internet")


class ConsentPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Suivi de l'accompagnement")
    SMS = "sms", _("Rappels par SMS ou e-mail")


class Need(models.TextChoices):
    BASICS = "basics", _("Apprendre les bases")
    PROCEDURES = "procedures", _("Démarches en ligne")
    EQUIPMENT = "equipment", _("Équipement")
    CONNECTION = "connection", _("Connexion")
    SMARTPHONE = "smartphone", _("Smartphone")
    EMPLOYMENT = "employment", _("Emploi")
    HEALTH = "health", _("Santé")
    SCHOOLING = "schooling", _("Scolarité des enfants")
    OTHER = "other", _("Autre")


class BestMoment(models.TextChoices):
    """When a person who asked to be called back would rather be called."""

    MORNING = "morning", _("Le matin")
    AFTERNOON = "afternoon", _("L'après-midi")
    ANY = "any", _("Peu importe")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normale")
    HIGH = "high", _("Urgente (sous 8 jours)")


class Eligibility(models.TextChoices):
    """Criteria of the solidarity offer, declared by the referrer."""

    RSA = "rsa", _("RSA")
    ASS = "ass", _("ASS (allocation de solidarité spécifique)")
    AAH = "aah", _("AAH (allocation aux adultes handicapés)")
    CSS = "css", _("CSS (complémentaire santé solidaire)")
    ASYLUM = "asylum", _("Demandeur·se d'asile")
    HOMELESS = "homeless", _("Sans domicile")
    OTHER = "other", _("Autre situation de précarité")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Envoyée")
    RECEIVED = "received", _("Reçue")
    CONTACTED = "contacted", _("Personne contactée")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Refusée")
    EXPIRED = "expired", _("Expirée")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.CONTACTED)

REFERRAL_TRANSITIONS: dict[str, list[str]] = {
    ReferralStatus.SENT: [ReferralStatus.RECEIVED, ReferralStatus.DECLINED, ReferralStatus.EXPIRED],
    ReferralStatus.RECEIVED: [
        ReferralStatus.CONTACTED,
        ReferralStatus.DECLINED,
        ReferralStatus.EXPIRED,
    ],
    ReferralStatus.CONTACTED: [
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.EXPIRED,
    ],
}
