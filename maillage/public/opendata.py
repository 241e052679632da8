"""The network's public places as open data, in the national standard of digital-mediation
places, *Lieux de médiation numérique* 1.0.2 (`standards/lieux-mediation-numerique.schema.json`),
and as data·inclusion's structures and services (its schema v1): the national map of
digital-mediation places and data·inclusion harvest these files.

Only the structures that agreed to be published (`Structure.is_public`) and have an address
are listed, and nothing about a person. Multi-valued fields are joined by `|`, as the standard
asks. Rows are read in chunks and written as they come: the memory used does not grow with the
number of places.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from maillage.network import hours
from maillage.network.enums import RelayOffer, StructureKind
from maillage.network.models import Structure
from maillage.territories.models import PostalCode

SCHEMA = Path(__file__).with_name("standards") / "lieux-mediation-numerique.schema.json"
# The columns of the standard, in its order.
FIELDS: list[str] = [field["name"] for field in json.loads(SCHEMA.read_text())["fields"]]
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
# SIRET unknown: the standard's placeholder for a pivot identifier not known yet.
NO_PIVOT = "00000000000000"
CHUNK = 500

# The typologies of data·inclusion's vocabulary that the standard refers to.
TYPOLOGY: dict[str, str] = {
    StructureKind.CCAS_CIAS: "CCAS",
    StructureKind.ASSOCIATION: "ASSO",
    StructureKind.CADA_HUDA: "CADA",
    StructureKind.SOCIAL_CENTRE: "CS",
    StructureKind.LIBRARY: "BIB",
    StructureKind.FRANCE_SERVICES: "FS",
    StructureKind.TOWN_HALL: "MUNI",
    StructureKind.ESAT: "ESAT",
    StructureKind.INTEGRATION_WORKSITE: "ACI",
    StructureKind.MISSION_LOCALE: "ML",
    StructureKind.NETWORK_SITE: "ASSO",
}
# The standard accepts French numbers in international format only.
_PHONE = re.compile(r"^\+33\d{9}$")


def published() -> QuerySet[Structure]:
    """The places the open data lists, each with its commune and its first postal code."""
    first_postal_code = PostalCode.objects.filter(commune=OuterRef("commune")).order_by("code")
    return (
        Structure.objects.listed()
        .select_related("commune")
        .annotate(postal_code=Subquery(first_postal_code.values("code")[:1]))
        .order_by("pk")
    )


def version() -> tuple[str, datetime | None]:
    """What changes whenever the list changes (an ETag) and when it last did."""
    state = Structure.objects.listed().aggregate(n=Count("pk"), at=Max("updated_at"))
    stamp = state["at"].timestamp() if state["at"] else 0
    return f'"{state["n"]}-{stamp:.6f}"', state["at"]


def offer_labels() -> dict[str, str]:
    """The relay offer's labels as the data writes them: in French, whoever asks."""
    with translation.override("fr"):
        return {value: str(label) for value, label in RelayOffer.choices}


def summary(place: Any, labels: dict[str, str]) -> str:
    """What the place offers, in a line of at most 280 characters."""
    return ", ".join(labels.get(value, value) for value in place.relay_offer)[:280]


def place_page(place: Any) -> str:
    """The place's public page, where the public finds and books it."""
    return settings.SITE_URL + reverse("public:place_detail", args=[place.pk])


def access_modes(place: Any) -> list[str]:
    """How to reach the place's help, in the standard's words."""
    modes = []
    if place.hours:
        modes.append("Se présenter")
    if place.phone:
        modes.append("Téléphoner")
    if place.email:
        modes.append("Contacter par mail")
    if books_online(place):
        modes.append("Prendre un RDV en ligne")
    return modes


def books_online(place: Any) -> bool:
    """The place holds drop-ins or workshops, which the public books from its page (a fact of
    the place, not of this week's slots: the data's version follows the places only)."""
    return bool({RelayOffer.DROP_INS, RelayOffer.WORKSHOPS} & set(place.relay_offer))


def record(place: Any, labels: dict[str, str]) -> dict[str, Any]:
    """One place in the standard's columns ("" where the network knows nothing)."""
    return {
        "id": f"structure-{place.pk}",
        "pivot": place.siret or NO_PIVOT,
        "nom": place.name,
        "commune": place.commune.name,
        "code_postal": place.postal_code or "",
        "code_insee": place.commune.code,
        "adresse": place.address,
        "complement_adresse": "",
        "latitude": float(place.latitude) if place.latitude is not None else "",
        "longitude": float(place.longitude) if place.longitude is not None else "",
        "typologie": TYPOLOGY.get(place.kind, ""),
        "telephone": place.phone if _PHONE.match(place.phone) else "",
        "courriels": place.email,
        "site_web": place.website,
        "horaires": hours.osm(place.hours, place.closed_on_public_holidays),
        "presentation_resume": summary(place, labels),
        "presentation_detail": "",
        "source": settings.ORGANISATION_NAME,
        "itinerance": "",
        "structure_parente": "",
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "services": "|".join(place.services),
        "publics_specifiquement_adresses": "|".join(place.publics),
        "prise_en_charge_specifique": "|".join(place.specific_support),
        "frais_a_charge": "",
        "dispositif_programmes_nationaux": (
            "France Services" if place.kind == StructureKind.FRANCE_SERVICES else ""
        ),
        "formations_labels": "",
        "autres_formations_labels": "",
        "modalites_acces": "|".join(access_modes(place)),
        "modalites_accompagnement": "|".join(place.support_modes),
        "fiche_acces_libre": "",
        "prise_rdv": place_page(place) if books_online(place) else "",
    }


def records() -> Iterator[dict[str, Any]]:
    labels = offer_labels()
    return (record(place, labels) for place in _places())


class _Line:
    """What the csv writer writes, handed back as it comes."""

    def write(self, value: str) -> str:
        return value


def csv_lines() -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=FIELDS, lineterminator="\r\n")
    yield writer.writeheader()
    for row in records():
        yield writer.writerow(row)


def _json_array(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """A JSON array written as its items come, empty fields left out."""
    yield "["
    for index, row in enumerate(rows):
        kept = {key: value for key, value in row.items() if value not in ("", None, [])}
        yield ("," if index else "") + json.dumps(kept, ensure_ascii=False)
    yield "]"


def json_chunks() -> Iterator[str]:
    """The places in the standard's columns, as a JSON array."""
    return _json_array(records())


# --- data·inclusion (schema v1): a structure per place, a service per part of its offer -------

# What each part of a relay's offer is in data·inclusion's vocabulary: the service's name, its
# type, its themes, whether it costs something, and its public when it is a particular one.
DI_SERVICES: dict[str, dict[str, Any]] = {
    RelayOffer.WORKSHOPS: {
        "nom": "Ateliers collectifs du numérique",
        "description": (
            "Des ateliers en petit groupe pour apprendre à se servir d'un téléphone, d'une "
            "tablette ou d'un ordinateur : messagerie, démarches en ligne, sécurité."
        ),
        "type": "atelier",
        "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "frais": "gratuit",
    },
    RelayOffer.DROP_INS: {
        "nom": "Permanence numérique",
        "description": (
            "Une personne vous aide, seule à seul, à faire une démarche en ligne ou à régler "
            "un problème avec votre téléphone ou votre ordinateur. Sans rendez-vous ou sur "
            "rendez-vous."
        ),
        "type": "accompagnement",
        "thematiques": [
            "numerique--acceder-a-des-services-en-ligne",
            "numerique--maitriser-les-fondamentaux-du-numerique",
        ],
        "frais": "gratuit",
    },
    RelayOffer.PARCOURS: {
        "nom": "Parcours d'initiation au numérique",
        "description": (
            "Plusieurs séances en groupe, chaque semaine, pour apprendre les bases du "
            "numérique pas à pas et devenir autonome."
        ),
        "type": "formation",
        "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "frais": "gratuit",
    },
    RelayOffer.EQUIPMENT_SALE: {
        "nom": "Matériel informatique reconditionné à prix solidaire",
        "description": (
            "Des ordinateurs, tablettes et téléphones reconditionnés vendus à prix solidaire "
            "aux personnes qui y ont droit, avec une aide pour les prendre en main."
        ),
        "type": "aide-materielle",
        "thematiques": ["numerique--acquerir-un-equipement"],
        "frais": "payant",
    },
    RelayOffer.SIM_CARDS: {
        "nom": "Cartes SIM et recharges à prix solidaire",
        "description": (
            "Des cartes SIM et des recharges de données mobiles à prix solidaire, pour rester "
            "joignable et se connecter à internet."
        ),
        "type": "aide-materielle",
        "thematiques": ["numerique--acceder-a-une-connexion-internet"],
        "frais": "payant",
    },
    RelayOffer.REFUGEE_CONNECTION: {
        "nom": "Connexion gratuite pour les personnes réfugiées",
        "description": (
            "Une carte SIM et des données mobiles gratuites pour les personnes réfugiées, "
            "pour garder le contact et faire leurs démarches."
        ),
        "type": "aide-materielle",
        "thematiques": ["numerique--acceder-a-une-connexion-internet"],
        "frais": "gratuit",
        "publics": ["personnes-exilees"],
    },
}


def _di_place(place: Any) -> dict[str, Any]:
    """What a data·inclusion structure and its services say of where they are."""
    return {
        "source": settings.OPEN_DATA_SOURCE,
        "date_maj": timezone.localdate(place.updated_at).isoformat(),
        "lien_source": place_page(place),
        "horaires_accueil": hours.osm(place.hours, place.closed_on_public_holidays),
        "commune": place.commune.name,
        "code_postal": place.postal_code or "",
        "code_insee": place.commune.code,
        "adresse": place.address,
        "longitude": float(place.longitude) if place.longitude is not None else "",
        "latitude": float(place.latitude) if place.latitude is not None else "",
        "telephone": place.phone,
        "courriel": place.email,
    }


def di_structure(place: Any, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "id": f"{settings.OPEN_DATA_SOURCE}--{place.pk}",
        "nom": place.name[:150],
        "siret": place.siret,
        "site_web": place.website,
        "description": summary(place, labels),
        **_di_place(place),
    }


def di_services(place: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{settings.OPEN_DATA_SOURCE}--{place.pk}--{offer}",
            "structure_id": f"{settings.OPEN_DATA_SOURCE}--{place.pk}",
            "publics": ["tous-publics"],
            "modes_accueil": ["en-presentiel"],
            **DI_SERVICES[offer],
            **_di_place(place),
        }
        for offer in place.relay_offer
        if offer in DI_SERVICES
    ]


def _places() -> Iterator[Any]:
    return published().iterator(chunk_size=CHUNK)


def di_structures_chunks() -> Iterator[str]:
    labels = offer_labels()
    return _json_array(di_structure(place, labels) for place in _places())


def di_services_chunks() -> Iterator[str]:
    return _json_array(service for place in _places() for service in di_services(place))
