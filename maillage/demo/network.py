"""Demo dataset v1: the network the articles describe, with invented people.

Figures reproduced (see docs/demo.md):
- Ruralité Connectée (Marne, Ardennes, Indre, Loiret, Pas-de-Calais, Aisne, from 1 January 2022):
  92 structures of those six départements became Relais Numériques in the first twelve months;
  27 staff recruited (18 facilitators, 6 territorial managers, 2 regional managers for
  Centre-Val de Loire and Grand Est, 1 national project lead).
- Hautes-Alpes (March 2022 – September 2023): 9 Relais Numériques, about twenty structures.
- Lille metropolis: the four CCAS and the ESAT selected by the call, coached 16 months.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from maillage.accounts.models import RoleAssignment, User
from maillage.accounts.second_factor import secret_of
from maillage.core.french import de
from maillage.core.roles import Role
from maillage.network.enums import (
    LocationSource,
    RelayOffer,
    RelayStatus,
    Service,
    StructureKind,
    SupportMode,
)
from maillage.network.models import Structure
from maillage.programmes.models import Funder, FunderKind, Programme
from maillage.territories.models import Commune, Department, Region

DEMO_PASSWORD = "Maillage-demo-2026"  # noqa: S105 (public demo accounts)
EMAIL_DOMAIN = "maillage.test"
# The demo account that shows the second factor: its key, typed into any authenticator app
# (public on purpose, like the password), gives the codes.
SECOND_FACTOR_KEY = b"Maillage-demo-2026!!".hex()

# The six départements of the rural programme: the slug of their accounts, how many invented
# structures, and how many of them became relays in 2022 (17 + 15 + 15 + 17 + 15 + 13 = 92).
RURAL_PLAN = {
    "51": ("marne", 27, 17),
    "08": ("ardennes", 24, 15),
    "36": ("indre", 24, 15),
    "45": ("loiret", 28, 17),
    "62": ("pas-de-calais", 26, 15),
    "02": ("aisne", 24, 13),
}
RURAL_DEPARTMENTS = list(RURAL_PLAN)
# Structures entering coaching in 2023, three by default. The Loiret's deployment accompanied
# 20 structures: 17 relays of 2022, 2 of 2023 and 1 still in coaching (and none that left).
IN_COACHING_2023 = {"45": 1}
RURAL_START = date(2022, 1, 1)

LILLE_OFFER = [
    RelayOffer.WORKSHOPS,
    RelayOffer.DROP_INS,
    RelayOffer.PARCOURS,
    RelayOffer.EQUIPMENT_SALE,
]

FIRST_NAMES = [
    "Camille",
    "Nadia",
    "Julien",
    "Sophie",
    "Karim",
    "Élodie",
    "Thomas",
    "Amina",
    "Lucas",
    "Claire",
    "Mehdi",
    "Laura",
    "Nicolas",
    "Sarah",
    "Antoine",
    "Fatou",
    "Hugo",
    "Inès",
    "Romain",
    "Manon",
    "Youssef",
    "Pauline",
    "Maxime",
    "Léa",
    "Bastien",
    "Chloé",
    "Samir",
    "Justine",
    "Florian",
    "Aïcha",
    "Quentin",
    "Marion",
    "Rachid",
    "Émilie",
    "Damien",
    "Océane",
    "Kevin",
    "Mathilde",
    "Loïc",
    "Agathe",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
]

# Invented structure names by kind; {commune} is replaced by the commune's name.
NAME_PATTERNS: list[tuple[str, str]] = [
    (StructureKind.CCAS_CIAS, "CCAS {de}"),
    (StructureKind.SOCIAL_CENTRE, "Centre social {de}"),
    (StructureKind.LIBRARY, "Médiathèque {de}"),
    (StructureKind.ASSOCIATION, "Familles Rurales {de}"),
    (StructureKind.TOWN_HALL, "Mairie {de}"),
    (StructureKind.FRANCE_SERVICES, "France Services {de}"),
    (StructureKind.MISSION_LOCALE, "Mission locale {de}"),
    (StructureKind.CARE_HOME, "Résidence autonomie {de}"),
    (StructureKind.ASSOCIATION, "Épicerie solidaire {de}"),
    (StructureKind.INTEGRATION_WORKSITE, "Chantier d'insertion {de}"),
]


@dataclass
class DemoNetwork:
    admin: User
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (email, role, scope)
    staff_by_department: dict[str, User] = field(default_factory=dict)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class Builder:
    def __init__(self, seed: int = 2022) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()
        self.password_hash = make_password(DEMO_PASSWORD)

    # --- people --------------------------------------------------------------

    def person_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def user(self, email: str, full_name: str | None = None, **fields: Any) -> User:
        email = f"{email}@{EMAIL_DOMAIN}"
        assert email not in self.used_emails, email
        self.used_emails.add(email)
        user = User(email=email, full_name=full_name or self.person_name(), **fields)
        user.password = self.password_hash  # hashed once: Argon2 is slow on purpose
        user.save()
        return user

    @staticmethod
    def grant(
        user: User,
        role: str,
        *,
        region: Region | None = None,
        departments: list[Department] | None = None,
        structure: Structure | None = None,
        programmes: list[Programme] | None = None,
    ) -> RoleAssignment:
        assignment = RoleAssignment.objects.create(
            user=user, role=role, region=region, structure=structure
        )
        if departments:
            assignment.departments.set(departments)
        if programmes:
            assignment.programmes.set(programmes)
        return assignment

    # --- structures ----------------------------------------------------------

    def structure(self, name: str, kind: str, commune: Commune, **fields: Any) -> Structure:
        fields.setdefault("address", demo_address(name))
        fields.setdefault("services", self._services())
        fields.setdefault(
            "support_modes",
            [SupportMode.COLLECTIVE, SupportMode.INDIVIDUAL][: self.rng.randint(1, 2)],
        )
        return Structure.objects.create(name=name, kind=kind, commune=commune, **fields)

    def _services(self) -> list[str]:
        core = [Service.EVERYDAY_TOOLS, Service.ADMIN_PROCEDURES]
        extra = self.rng.sample(
            [Service.SAFETY, Service.EMPLOYMENT, Service.PARENTING, Service.ACCESS], 2
        )
        return [str(s) for s in core + extra]

    @staticmethod
    def walk(structure: Structure, steps: list[tuple[str, date]], by: User | None) -> None:
        """Move a structure through the relay workflow at the given dates."""
        for target, day in steps:
            Structure.relay_workflow.apply(structure, target, by=by, at=_at(day))

    def journey_to_relay(self, structure: Structure, joined: date, by: User | None) -> None:
        """Contact → candidate → selected → coaching → relay, ending on `joined`."""
        start = joined - timedelta(days=self.rng.randint(60, 120))
        self.walk(
            structure,
            [
                (RelayStatus.CANDIDATE, start),
                (RelayStatus.SELECTED, start + timedelta(days=15)),
                (RelayStatus.IN_COACHING, start + timedelta(days=30)),
                (RelayStatus.RELAY, joined),
            ],
            by,
        )


# Streets found in most French communes: the demo's structures are invented, so are their
# numbers. Drawn from the name, not from the demo's random sequence, which the figures follow.
_STREETS = ("place de la Mairie", "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo")


def demo_address(name: str) -> str:
    digest = sum(name.encode())
    return f"{digest % 40 + 1} {_STREETS[digest % len(_STREETS)]}"


def _commune(code: str) -> Commune:
    return Commune.objects.get(code=code)


def second_factor_secret() -> str:
    """The demo key as typed into an authenticator app."""
    return secret_of(TOTPDevice(key=SECOND_FACTOR_KEY))


def build_network() -> DemoNetwork:
    b = Builder()
    regions = {r.code: r for r in Region.objects.filter(code__in=["24", "44", "32", "93"])}
    departments = {
        d.code: d
        for d in Department.objects.filter(code__in=[*RURAL_DEPARTMENTS, "05", "59", "75"])
    }

    # National lead and technical administration.
    admin = b.user("admin", "Camille Fournier", is_staff=True, is_superuser=True)
    b.grant(admin, Role.ADMIN)
    net = DemoNetwork(admin=admin)
    net.accounts.append(
        (admin.email, str(Role.ADMIN.label), "Tout le réseau — cheffe de projet nationale")
    )

    # One facilitator shows the second factor (everyone else signs in with the password alone:
    # the demo runs with TWO_FACTOR_REQUIRED=false).
    guarded = b.user("double.authentification", "Dominique Lefort")
    b.grant(guarded, Role.MEDIATOR, departments=[departments["59"]])
    TOTPDevice.objects.create(user=guarded, name="Maillage", key=SECOND_FACTOR_KEY, confirmed=True)
    net.accounts.append(
        (
            guarded.email,
            str(Role.MEDIATOR.label),
            f"Nord — avec la double authentification, clé {second_factor_secret()}",
        )
    )

    # --- Funders and programmes ------------------------------------------
    dgcs = Funder.objects.create(
        name="Direction générale de la cohésion sociale (DGCS)", kind=FunderKind.STATE
    )
    cd05 = Funder.objects.create(
        name="Département des Hautes-Alpes", kind=FunderKind.LOCAL_AUTHORITY
    )
    sfr = Funder.objects.create(name="Fondation SFR", kind=FunderKind.FOUNDATION)
    mel = Funder.objects.create(
        name="Métropole Européenne de Lille", kind=FunderKind.LOCAL_AUTHORITY
    )

    rural = Programme.objects.create(
        name="Ruralité Connectée",
        slug="ruralite-connectee",
        description=(
            "Parcours d'accompagnement au numérique dans six départements ruraux, avec Familles "
            "Rurales, lauréat du plan de soutien aux associations de lutte contre la pauvreté. "
            "720 parcours prévus en 18 mois."
        ),
        start=RURAL_START,
        end=date(2023, 6, 30),
    )
    rural.funders.set([dgcs])
    rural.departments.set([departments[c] for c in RURAL_DEPARTMENTS])
    alps = Programme.objects.create(
        name="Inclusion numérique dans les Hautes-Alpes",
        slug="hautes-alpes",
        description=(
            "Dix-huit mois d'actions itinérantes dans les Hautes-Alpes : parcours sur ordinateur "
            "avec une flotte de 24 portables prêtés, équipement et connexion via les Relais Numériques."
        ),
        start=date(2022, 3, 1),
        end=date(2023, 9, 30),
    )
    alps.funders.set([cd05, sfr])
    alps.departments.set([departments["05"]])
    lille = Programme.objects.create(
        name="Devenez Relais Numérique — Métropole Européenne de Lille",
        slug="relais-numeriques-mel",
        description=(
            "Appel à manifestation d'intérêt co-porté avec la Métropole Européenne de Lille : "
            "cinq structures sélectionnées et accompagnées pendant 16 mois pour devenir autonomes."
        ),
        start=date(2022, 5, 16),
        end=date(2023, 12, 14),
    )
    lille.funders.set([mel])
    lille.departments.set([departments["59"]])

    # --- Ruralité Connectée staff: 27 people -----------------------------
    for code, region_code in (("24", "24"), ("44", "44")):
        manager = b.user(f"responsable.region-{code}")
        b.grant(manager, Role.REGIONAL_MANAGER, region=regions[region_code])
        net.accounts.append(
            (manager.email, str(Role.REGIONAL_MANAGER.label), regions[region_code].name)
        )
    for code, (slug, _count, _joined) in RURAL_PLAN.items():
        manager = b.user(f"responsable.{slug}")
        b.grant(manager, Role.TERRITORY_MANAGER, departments=[departments[code]])
        net.staff_by_department[code] = manager
        net.accounts.append(
            (manager.email, str(Role.TERRITORY_MANAGER.label), departments[code].name)
        )
        for n in range(1, 4):
            facilitator = b.user(f"conseiller.{slug}.{n}")
            b.grant(facilitator, Role.MEDIATOR, departments=[departments[code]])
            if n == 1:
                net.accounts.append(
                    (facilitator.email, str(Role.MEDIATOR.label), departments[code].name)
                )

    # --- Ruralité Connectée structures ------------------------------------
    familles_rurales = b.structure(
        "Familles Rurales — Fédération nationale",
        StructureKind.ASSOCIATION,
        _commune("75056"),
        website="https://www.famillesrurales.org",
    )
    rural.partner_structures.add(familles_rurales)
    months = [date(2022, m, d) for m in range(1, 13) for d in (10, 24)]
    for code, (slug, count, joined) in RURAL_PLAN.items():
        manager = net.staff_by_department[code]
        communes = list(
            Commune.objects.filter(department__code=code).order_by("-population", "code")[
                : count * 2
            ]
        )
        b.rng.shuffle(communes)
        structures: list[Structure] = []
        for index in range(count):
            kind, pattern = NAME_PATTERNS[index % len(NAME_PATTERNS)]
            commune = communes[index]
            structures.append(b.structure(pattern.format(de=de(commune.name)), kind, commune))
        # The first `joined` became relays in 2022 (the programme's first twelve months) …
        for structure in structures[:joined]:
            b.journey_to_relay(structure, b.rng.choice(months[1:]), manager)
        rest = structures[joined:]
        # … two more in 2023, some are in coaching, candidates, contacts, one left.
        for structure in rest[:2]:
            b.journey_to_relay(structure, date(2023, b.rng.randint(2, 5), 15), manager)
        for structure in rest[2 : 2 + IN_COACHING_2023.get(code, 3)]:
            b.walk(
                structure,
                [
                    (RelayStatus.CANDIDATE, date(2023, 1, 16)),
                    (RelayStatus.SELECTED, date(2023, 2, 1)),
                    (RelayStatus.IN_COACHING, date(2023, 2, 15)),
                ],
                manager,
            )
        for structure in rest[5:7]:
            b.walk(structure, [(RelayStatus.CANDIDATE, date(2023, 3, 6))], manager)
        if len(rest) > 7 and code not in IN_COACHING_2023:
            b.journey_to_relay(rest[7], date(2023, 1, 20), manager)  # joined in 2023 …
            b.walk(rest[7], [(RelayStatus.LEFT, date(2023, 5, 2))], manager)  # … and left
        rural.partner_structures.add(*structures)
        referent = b.user(f"referent.{slug}")
        b.grant(referent, Role.RELAY_REFERENT, structure=structures[0])
        if code == "51":
            net.accounts.append(
                (referent.email, str(Role.RELAY_REFERENT.label), structures[0].name)
            )

    # --- Hautes-Alpes: 9 relays, about twenty structures -----------------
    alps_manager = b.user("responsable.hautes-alpes", "Isabelle Garnier")
    b.grant(alps_manager, Role.TERRITORY_MANAGER, departments=[departments["05"]])
    for n in range(1, 3):
        facilitator = b.user(f"conseiller.hautes-alpes.{n}")
        b.grant(facilitator, Role.MEDIATOR, departments=[departments["05"]])
    alps_relays = [
        ("Secours Populaire — antenne d'Embrun", StructureKind.ASSOCIATION, "05046"),
        ("Secours Populaire — antenne de Gap", StructureKind.ASSOCIATION, "05061"),
        ("CADA France Terre d'Asile de Gap", StructureKind.CADA_HUDA, "05061"),
        ("CADA Fondation Edith Seltzer de Briançon", StructureKind.CADA_HUDA, "05023"),
        ("APPASE — accueil de jour de Briançon", StructureKind.ASSOCIATION, "05023"),
        ("Refuges Solidaires", StructureKind.ASSOCIATION, "05023"),
        ("Centre social de Laragne-Montéglin", StructureKind.SOCIAL_CENTRE, "05070"),
        ("Médiathèque de L'Argentière-la-Bessée", StructureKind.LIBRARY, "05006"),
        ("Mairie de Névache", StructureKind.TOWN_HALL, "05093"),
    ]
    sim_services = [
        str(Service.ACCESS),
        str(Service.EVERYDAY_TOOLS),
        str(Service.SOLIDARITY_EQUIPMENT),
    ]
    relay_days = [
        date(2022, 6, 15),
        date(2022, 9, 12),
        date(2022, 11, 7),
        date(2023, 1, 16),
        date(2023, 3, 13),
        date(2023, 4, 17),
        date(2023, 5, 22),
        date(2023, 6, 19),
        date(2023, 9, 4),
    ]
    for index, ((name, kind, code), joined_on) in enumerate(
        zip(alps_relays, relay_days, strict=True)
    ):
        # The six first sell SIM cards; the two CADA, APPASE and Refuges Solidaires connect
        # newly arrived migrants free of charge.
        offer = [RelayOffer.WORKSHOPS, RelayOffer.DROP_INS]
        if index < 6:
            offer.append(RelayOffer.SIM_CARDS)
        if 2 <= index < 6:
            offer.append(RelayOffer.REFUGEE_CONNECTION)
        structure = b.structure(
            name,
            kind,
            _commune(code),
            services=sim_services,
            relay_offer=[o.value for o in offer],
        )
        b.journey_to_relay(structure, joined_on, alps_manager)
        alps.partner_structures.add(structure)
        referent = b.user(f"referent.{slugify(name)}")
        b.grant(referent, Role.RELAY_REFERENT, structure=structure)
        if code == "05093":
            # Névache is too small for the communes' centres: staff put its relay on the map.
            structure.latitude, structure.longitude = Decimal("45.020300"), Decimal("6.605600")
            structure.location_source = LocationSource.STAFF
            structure.save(update_fields=["latitude", "longitude", "location_source"])
    alps_partners = [
        ("CIDFF 05", StructureKind.ASSOCIATION, "05061"),
        (
            "Environnement et Solidarité — chantier d'insertion",
            StructureKind.INTEGRATION_WORKSITE,
            "05061",
        ),
        ("CCAS de Veynes", StructureKind.CCAS_CIAS, "05179"),
        ("Centre social de Guillestre", StructureKind.SOCIAL_CENTRE, "05065"),
        ("France Services de Tallard", StructureKind.FRANCE_SERVICES, "05170"),
        ("Mairie de Chorges", StructureKind.TOWN_HALL, "05040"),
        ("Médiathèque de Serres", StructureKind.LIBRARY, "05166"),
        ("Mission locale jeunes des Hautes-Alpes", StructureKind.MISSION_LOCALE, "05061"),
        ("Résidence autonomie d'Embrun", StructureKind.CARE_HOME, "05046"),
        ("CCAS de Briançon", StructureKind.CCAS_CIAS, "05023"),
        ("Épicerie solidaire de Gap", StructureKind.ASSOCIATION, "05061"),
    ]
    for name, kind, code in alps_partners:
        structure = b.structure(name, kind, _commune(code))
        alps.partner_structures.add(structure)

    # --- Lille metropolis: the call's five selected structures -----------
    lille_manager = b.user("responsable.nord")
    b.grant(lille_manager, Role.TERRITORY_MANAGER, departments=[departments["59"]])
    hauts_de_france_manager = b.user("responsable.region-32")
    b.grant(hauts_de_france_manager, Role.REGIONAL_MANAGER, region=regions["32"])
    selected = [
        ("CCAS d'Houplines", StructureKind.CCAS_CIAS, "59317", 3),
        ("CCAS de Leers", StructureKind.CCAS_CIAS, "59339", 3),
        ("CCAS d'Haubourdin", StructureKind.CCAS_CIAS, "59286", 3),
        ("CCAS de Fâches-Thumesnil", StructureKind.CCAS_CIAS, "59220", 2),
        ("ESAT les Ateliers de la Lys (AFEJI)", StructureKind.ESAT, "59017", 2),
    ]
    referent_slugs = ["houplines", "leers", "haubourdin", "faches-thumesnil", "ateliers-de-la-lys"]
    for (name, kind, code, referents), slug in zip(selected, referent_slugs, strict=True):
        # Their journey (application, selection, coaching, closing) is the call's: see journey.py.
        structure = b.structure(
            name, kind, _commune(code), relay_offer=[o.value for o in LILLE_OFFER]
        )
        lille.partner_structures.add(structure)
        for n in range(1, referents + 1):
            referent = b.user(f"referent.{slug}.{n}")
            b.grant(referent, Role.RELAY_REFERENT, structure=structure)
            if slug == "houplines" and n == 1:
                net.accounts.append((referent.email, str(Role.RELAY_REFERENT.label), name))
    # The other seventeen applicants of the call (not selected: see journey.py).
    nord = list(Commune.objects.filter(department__code="59").order_by("-population")[5:40])
    b.rng.shuffle(nord)
    for index, commune in enumerate(nord[:17]):
        kind, pattern = NAME_PATTERNS[index % len(NAME_PATTERNS)]
        b.structure(pattern.format(de=de(commune.name)), kind, commune)

    # --- Funders' accounts ------------------------------------------------
    for slug, programme in (("dgcs", rural), ("hautes-alpes", alps), ("mel", lille)):
        funder_user = b.user(f"financeur.{slug}")
        b.grant(funder_user, Role.FUNDER, programmes=[programme])
        if slug == "dgcs":
            net.accounts.append((funder_user.email, str(Role.FUNDER.label), programme.name))
    # A person with an account but no role yet.
    b.user("sans-role")
    return net
