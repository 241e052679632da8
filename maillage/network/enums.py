"""Choices of the network app. Services, publics and support modes use the vocabulary of the
national standard of digital-mediation places (schema « lieux de médiation numérique » 1.0.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureKind(models.TextChoices):
    CCAS_CIAS = "ccas_cias", _("CCAS / CIAS")
    ASSOCIATION = "association", _("Association")
    CADA_HUDA = "cada_huda", _("CADA / HUDA")
    SOCIAL_CENTRE = "social_centre", _("Centre social")
    LIBRARY = "library", _("Médiathèque")
    FRANCE_SERVICES = "france_services", _("France Services")
    TOWN_HALL = "town_hall", _("Mairie")
    ESAT = "esat", _("ESAT")
    INTEGRATION_WORKSITE = "integration_worksite", _("Chantier d'insertion")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    CARE_HOME = "care_home", _("Résidence autonomie / EHPAD")
    OTHER = "other", _("Autre")
    # The network's own premises, where its team receives the public: a place, never a relay.
    NETWORK_SITE = "network_site", _("Antenne du réseau")


# What a partner may be (an application to join the network chooses among these).
PARTNER_KINDS = [
    (value, label) for value, label in StructureKind.choices if value != StructureKind.NETWORK_SITE
]


class RelayStatus(models.TextChoices):
    PROSPECT = "prospect", _("Contact")
    CANDIDATE = "candidate", _("Candidate")
    SELECTED = "selected", _("Sélectionnée")
    IN_COACHING = "in_coaching", _("En accompagnement")
    RELAY = "relay", _("Relais Numérique")
    LEFT = "left", _("Sortie du réseau")


RELAY_TRANSITIONS: dict[str, set[str]] = {
    RelayStatus.PROSPECT: {RelayStatus.CANDIDATE},
    RelayStatus.CANDIDATE: {RelayStatus.SELECTED, RelayStatus.PROSPECT},
    RelayStatus.SELECTED: {RelayStatus.IN_COACHING, RelayStatus.LEFT},
    RelayStatus.IN_COACHING: {RelayStatus.RELAY, RelayStatus.LEFT},
    RelayStatus.RELAY: {RelayStatus.LEFT},
    RelayStatus.LEFT: {RelayStatus.PROSPECT},
}


class Service(models.TextChoices):
    ADMIN_PROCEDURES = "Aide aux démarches administratives", _("Aide aux démarches administratives")
    EVERYDAY_TOOLS = (
        "Maîtrise des outils numériques du quotidien",
        _("Maîtrise des outils numériques du quotidien"),
    )
    EMPLOYMENT = (
        "Insertion professionnelle via le numérique",
        _("Insertion professionnelle via le numérique"),
    )
    SAFETY = "Utilisation sécurisée du numérique", _("Utilisation sécurisée du numérique")
    PARENTING = (
        "Parentalité et éducation avec le numérique",
        _("Parentalité et éducation avec le numérique"),
    )
    LEISURE = "Loisirs et créations numériques", _("Loisirs et créations numériques")
    UNDERSTANDING = "Compréhension du monde numérique", _("Compréhension du monde numérique")
    ACCESS = "Accès internet et matériel informatique", _("Accès internet et matériel informatique")
    SOLIDARITY_EQUIPMENT = (
        "Acquisition de matériel informatique à prix solidaire",
        _("Acquisition de matériel informatique à prix solidaire"),
    )


class RelayOffer(models.TextChoices):
    """What a Relais Numérique offers its public."""

    WORKSHOPS = "workshops", _("Ateliers collectifs")
    DROP_INS = "drop_ins", _("Permanences connectées")
    PARCOURS = "parcours", _("Parcours d'initiation")
    EQUIPMENT_SALE = "equipment_sale", _("Vente de matériel reconditionné à prix solidaire")
    SIM_CARDS = "sim_cards", _("Cartes SIM et recharges à prix solidaire")
    REFUGEE_CONNECTION = "refugee_connection", _("Connexion gratuite pour les personnes réfugiées")


class Public(models.TextChoices):
    YOUTH = "Jeunes", _("Jeunes")
    STUDENTS = "Étudiants", _("Étudiants")
    FAMILIES = "Familles et/ou enfants", _("Familles et/ou enfants")
    SENIORS = "Seniors", _("Seniors")
    WOMEN = "Femmes", _("Femmes")


class SpecificSupport(models.TextChoices):
    DEAFNESS = "Surdité", _("Surdité")
    MOTOR = "Handicaps moteurs", _("Handicaps moteurs")
    MENTAL = "Handicaps mentaux", _("Handicaps mentaux")
    ILLITERACY = "Illettrisme", _("Illettrisme")
    ENGLISH = "Langues étrangères (anglais)", _("Langues étrangères (anglais)")
    OTHER_LANGUAGES = "Langues étrangères (autres)", _("Langues étrangères (autres)")
    VISUAL = "Déficience visuelle", _("Déficience visuelle")


class SupportMode(models.TextChoices):
    AUTONOMY = "En autonomie", _("En autonomie")
    INDIVIDUAL = "Accompagnement individuel", _("Accompagnement individuel")
    COLLECTIVE = "Dans un atelier collectif", _("Dans un atelier collectif")
    REMOTE = "À distance", _("À distance")


class LocationSource(models.TextChoices):
    """Where a structure's coordinates come from, from the most to the least precise."""

    STAFF = "staff", _("placé sur la carte par l'équipe")
    ADDRESS = "address", _("adresse géocodée")
    COMMUNE = "commune", _("centre de la commune")


class AccessFeature(models.TextChoices):
    """What makes a place accessible, as the public search filters it."""

    WHEELCHAIR = "wheelchair", _("Accessible en fauteuil roulant")
    HEARING_LOOP = "hearing_loop", _("Boucle magnétique pour les personnes malentendantes")
    EASY_READ = "easy_read", _("Documents faciles à lire et à comprendre (FALC)")
