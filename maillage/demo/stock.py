"""Demo dataset: equipment and connection.

Figures reproduced (see docs/demo.md):
- Hautes-Alpes (programme of March 2022 – September 2023): SFR gives 215 smartphones, given
  free of charge through the six relays that sell SIM cards, the CIDFF 05 and the insertion
  worksite Environnement et Solidarité; 450 refugees connected in 2022 by Connect Refugees (a
  SIM card with two months of connection); 2,750 SIM cards distributed in all (the 450 of 2022,
  then 1,100 more Connect Refugees cards and 1,200 sold at a solidarity price in 2023); the 24
  laptops lent by the Département, taken out for every computer session.
- Elsewhere: companies' donations refurbished at the Roubaix workshop, sold at a solidarity
  price (a laptop 150 €, a smartphone 100 €) by the Lille metropolis's relays and, through the
  Orléans warehouse, by the rural programme's relays; SIM cards and top-ups sold over the last
  eighteen months; some devices still in the workshop, reserved, in transit or recycled.

Everything goes through `maillage.stock.services`, as at a counter: the ledger is the same.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.roles import Role
from maillage.demo.learning import LearningBuilder
from maillage.learning.enums import CourseDevice
from maillage.learning.models import Session
from maillage.network.models import Structure
from maillage.people.enums import Eligibility
from maillage.people.models import Beneficiary
from maillage.programmes.models import Programme
from maillage.stock import services
from maillage.stock.enums import (
    DeviceKind,
    DeviceState,
    DonorKind,
    Grade,
    Payment,
    PlaceKind,
    ProductKind,
    WipeMethod,
)
from maillage.stock.models import (
    Device,
    Donation,
    DonationLine,
    Donor,
    EligibilityCheck,
    Fleet,
    FreeDistribution,
    Place,
    Price,
    PriceList,
    Product,
    Transfer,
)
from maillage.stock.services import ProductLine
from maillage.stock.validators import luhn_valid
from maillage.territories.models import Department

ALPS_SMARTPHONES = 215
ALPS_REFUGEES_2022 = 450
ALPS_REFUGEE_SIMS_2023 = 1100
ALPS_SOLD_SIMS_2023 = 1200
ALPS_FLEET = 24
ALPS_SIM_RELAYS = [
    "Secours Populaire — antenne d'Embrun",
    "Secours Populaire — antenne de Gap",
    "CADA France Terre d'Asile de Gap",
    "CADA Fondation Edith Seltzer de Briançon",
    "APPASE — accueil de jour de Briançon",
    "Refuges Solidaires",
]
# The four that connect newly arrived migrants free of charge (Connect Refugees).
ALPS_REFUGEE_RELAYS = ALPS_SIM_RELAYS[2:]
ALPS_SMARTPHONE_PARTNERS = ["CIDFF 05", "Environnement et Solidarité — chantier d'insertion"]

# Brand, model, processor, memory (GB), storage (GB), screen (inches).
DeviceModel = tuple[str, str, str, int | None, int | None, float | None]
MODELS: dict[str, list[DeviceModel]] = {
    DeviceKind.LAPTOP: [
        ("Lenovo", "ThinkPad T480", "Intel Core i5-8350U", 8, 256, 14),
        ("Dell", "Latitude 5490", "Intel Core i5-8250U", 8, 256, 14),
        ("HP", "EliteBook 840 G5", "Intel Core i5-8350U", 8, 256, 14),
    ],
    DeviceKind.DESKTOP: [("Dell", "OptiPlex 7060", "Intel Core i5-8500", 8, 256, None)],
    DeviceKind.TABLET: [("Samsung", "Galaxy Tab A7", "Snapdragon 662", 3, 32, 10.4)],
    DeviceKind.SMARTPHONE: [
        ("Samsung", "Galaxy A13", "Exynos 850", 4, 64, 6.6),
        ("Apple", "iPhone 8", "A11 Bionic", 2, 64, 4.7),
        ("Xiaomi", "Redmi Note 9", "Helio G85", 3, 64, 6.5),
    ],
    DeviceKind.BASIC_PHONE: [("Nokia", "105", "", None, None, 1.8)],
}
SYSTEMS: dict[str, str] = {
    DeviceKind.LAPTOP: "Linux Mint 21",
    DeviceKind.DESKTOP: "Linux Mint 21",
    DeviceKind.TABLET: "Android 12",
    DeviceKind.SMARTPHONE: "Android 12",
    DeviceKind.BASIC_PHONE: "",
}
CRITERIA: list[str] = [
    Eligibility.RSA,
    Eligibility.CSS,
    Eligibility.ASS,
    Eligibility.AAH,
    Eligibility.HOMELESS,
]


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _days(start: date, end: date, count: int, rng: random.Random) -> list[date]:
    """`count` days between start and end (included), sorted, weekdays only."""
    span = (end - start).days
    days: list[date] = []
    while len(days) < count:
        day = start + timedelta(days=rng.randrange(0, span + 1))
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


class StockBuilder:
    def __init__(self, seed: int = 2025) -> None:
        self.rng = random.Random(seed)
        self.people = LearningBuilder(seed)
        self.serial = 0
        self.today = timezone.localdate()
        self.served: set[int] = set()

    # --- devices ----------------------------------------------------------------------

    def imei(self) -> str:
        while True:
            body = "35" + "".join(str(self.rng.randrange(10)) for _ in range(12))
            for check in "0123456789":
                if luhn_valid(body + check):
                    return body + check

    def device(
        self,
        kind: str,
        place: Place,
        by: Any,
        on: date,
        *,
        donation: Donation | None = None,
        fleet: Fleet | None = None,
    ) -> Device:
        brand, model, processor, memory, storage, screen = self.rng.choice(MODELS[kind])
        self.serial += 1
        phone = kind in (DeviceKind.SMARTPHONE, DeviceKind.BASIC_PHONE)
        device = Device(
            kind=kind,
            brand=brand,
            model=model,
            serial="" if phone else f"{brand[:2].upper()}{self.serial:07d}",
            imei=self.imei() if phone else "",
            processor=processor,
            memory_gb=memory,
            storage_gb=storage,
            operating_system=SYSTEMS[kind],
            screen_inches=Decimal(str(screen)) if screen else None,
            place=place,
            donation=donation,
            fleet=fleet,
        )
        device.start_history(by=by, at=_at(on, 9))
        return device

    def refurbish(
        self, device: Device, by: Any, on: date, *, grade: str | None = None, until: str = "ready"
    ) -> bool:
        """The workshop's steps, a few days apart; about one device in twelve fails its test and
        is recycled (when `grade` is not imposed). Stops after `until`."""
        results = dict.fromkeys(device.checklist, "ok")
        repairs = ""
        if grade is None and self.rng.random() < 1 / 12:
            results[self.rng.choice(device.checklist)] = "failed"
            services.record_test(device, results, repairs="", by=by, at=_at(on, 11))
            device.record(
                DeviceState.RECYCLED, by=by, at=_at(on, 12), note="Carte mère hors service"
            )
            return False
        if self.rng.random() < 0.2 and "battery" in results:
            results["battery"] = "repaired"
            repairs = "Batterie remplacée"
        services.record_test(device, results, repairs=repairs, by=by, at=_at(on, 11))
        if until == "tested":
            return True
        phone = device.kind in (DeviceKind.SMARTPHONE, DeviceKind.TABLET, DeviceKind.BASIC_PHONE)
        services.record_wipe(
            device,
            method=WipeMethod.FACTORY_RESET if phone else WipeMethod.NIST_PURGE,
            operator=by.full_name if by else "Atelier",
            wiped_on=on + timedelta(days=1),
            software="" if phone else "ShredOS (nwipe)",
            by=by,
            at=_at(on + timedelta(days=1), 10),
        )
        if until == "wiped":
            return True
        chosen = grade or str(self.rng.choice([Grade.A, Grade.B, Grade.B, Grade.B, Grade.C]))
        services.record_grade(
            device, grade=chosen, note="", by=by, at=_at(on + timedelta(days=2), 10)
        )
        services.make_ready(device, by=by, at=_at(on + timedelta(days=2), 11))
        return True

    def send(
        self,
        devices: list[Device],
        products: dict[Product, int],
        source: Place,
        to: Place,
        by: Any,
        on: date,
        *,
        receive: bool = True,
    ) -> Transfer:
        transfer = services.send(
            Transfer(from_place=source, to_place=to, sent_at=_at(on, 14)),
            devices=devices,
            products=products,
            by=by,
        )
        if receive:
            services.confirm_receipt(transfer, by=by, at=_at(on + timedelta(days=2), 10))
        return transfer

    # --- people -----------------------------------------------------------------------

    def recipients(
        self,
        structures: list[Structure],
        count: int,
        since: date,
        criteria: list[str],
        on: list[date],
        *,
        followed: bool = False,
    ) -> list[Beneficiary]:
        """People followed by these structures, each with a criterion checked at the counter
        on their day (`on`, one per person): new people, or (`followed`) people the
        structures already follow and who were not served yet (with new ones if they run
        out)."""
        people: list[Beneficiary] = []
        if followed:
            people = list(
                Beneficiary.objects.named()
                .filter(
                    structure__in=structures,
                    erased_at__isnull=True,
                    last_contact_on__gte=self.today - timedelta(days=365),
                )
                .exclude(pk__in=self.served)
                .order_by("pk")[:count]
            )
        if len(people) < count:
            people += self.people.people(structures, count - len(people), since)
        self.served.update(person.pk for person in people)
        EligibilityCheck.objects.bulk_create(
            EligibilityCheck(
                beneficiary=person,
                criterion=self.rng.choice(criteria),
                checked_on=day,
                valid_until=day + timedelta(days=365),
            )
            for person, day in zip(people, on, strict=True)
        )
        return people


def _referent(structure: Structure) -> User | None:
    return User.objects.filter(
        role_assignments__structure=structure, role_assignments__role=Role.RELAY_REFERENT
    ).first()


def _staff(email_prefix: str) -> User:
    return User.objects.get(email=f"{email_prefix}@maillage.test")


def _offer() -> dict[str, Product]:
    products = {
        "sim": Product.objects.create(
            name="Carte SIM SFR prépayée", kind=ProductKind.SIM, operator="SFR"
        ),
        "refugee_sim": Product.objects.create(
            name="Carte SIM Connect Refugees (2 mois de connexion)",
            kind=ProductKind.SIM,
            operator="SFR",
            connection_months=2,
        ),
        "topup_10": Product.objects.create(
            name="Recharge SFR 10 €",
            kind=ProductKind.TOPUP,
            operator="SFR",
            face_value=Decimal("10"),
        ),
        "topup_20": Product.objects.create(
            name="Recharge SFR 20 €",
            kind=ProductKind.TOPUP,
            operator="SFR",
            face_value=Decimal("20"),
        ),
        "charger": Product.objects.create(name="Chargeur USB-C", kind=ProductKind.ACCESSORY),
        "headset": Product.objects.create(name="Écouteurs filaires", kind=ProductKind.ACCESSORY),
    }
    for name, start, end, shift in (
        ("Prix solidaires 2022-2023", date(2022, 1, 1), date(2023, 12, 31), 0),
        ("Prix solidaires 2024", date(2024, 1, 1), None, 10),
    ):
        prices = PriceList.objects.create(name=name, valid_from=start, valid_until=end)
        grid = {
            DeviceKind.LAPTOP: (180, 150, 120),
            DeviceKind.DESKTOP: (120, 100, 80),
            DeviceKind.TABLET: (90, 70, 50),
            DeviceKind.SMARTPHONE: (120, 100, 80),
            DeviceKind.BASIC_PHONE: (30, 25, 20),
        }
        for kind, amounts in grid.items():
            for grade, base in zip(Grade.values, amounts, strict=True):
                bump = shift if kind in (DeviceKind.LAPTOP, DeviceKind.SMARTPHONE) else 0
                Price.objects.create(
                    price_list=prices, device_kind=kind, grade=grade, amount=Decimal(base + bump)
                )
        for key, amount in (
            ("sim", "5"),
            ("topup_10", "10"),
            ("topup_20", "20"),
            ("charger", "5"),
            ("headset", "2"),
        ):
            Price.objects.create(price_list=prices, product=products[key], amount=Decimal(amount))
    return products


def build_stock() -> dict[str, Any]:
    b = StockBuilder()
    products = _offer()
    figures: dict[str, Any] = {}
    figures["alps"] = _hautes_alpes(b, products)
    _elsewhere(b, products)
    return figures


# --- Hautes-Alpes ----------------------------------------------------------------------


def _hautes_alpes(b: StockBuilder, products: dict[str, Product]) -> dict[str, int]:
    alps = Programme.objects.get(slug="hautes-alpes")
    hautes_alpes = Department.objects.get(code="05")
    manager = _staff("responsable.hautes-alpes")
    facilitators = list(
        User.objects.filter(email__startswith="conseiller.hautes-alpes.").order_by("email")
    )
    base = Place.objects.create(
        name="Local de l'équipe des Hautes-Alpes — Gap",
        kind=PlaceKind.WAREHOUSE,
        department=hautes_alpes,
        address="Gap",
    )
    Place.objects.create(
        name=f"Kit de {facilitators[0].full_name}",
        kind=PlaceKind.KIT,
        department=hautes_alpes,
        keeper=facilitators[0],
    )
    by_name = {s.name: s for s in alps.partner_structures.all()}
    counters = {
        name: Place.objects.create(name=name, kind=PlaceKind.RELAY, structure=by_name[name])
        for name in ALPS_SIM_RELAYS + ALPS_SMARTPHONE_PARTNERS
    }

    # The Département's 24 laptops, refurbished once, lent for every computer session.
    fleet = Fleet.objects.create(
        name="Flotte du Département des Hautes-Alpes",
        place=base,
        owner="24 ordinateurs portables prêtés par le Département des Hautes-Alpes",
    )
    for _ in range(ALPS_FLEET):
        laptop = b.device(DeviceKind.LAPTOP, base, manager, date(2022, 2, 21), fleet=fleet)
        b.refurbish(laptop, manager, date(2022, 2, 22), grade=Grade.B)
    _lend_for_sessions(b, fleet, alps)

    # 215 smartphones from SFR, given free through eight partners.
    sfr = Donor.objects.create(
        name="SFR",
        kind=DonorKind.COMPANY,
        address="16 rue du Général Alain de Boissieu, 75015 Paris",
    )
    donation = services.receive_donation(
        Donation(
            donor=sfr, place=base, received_on=date(2022, 5, 9), note="Partenariat Fondation SFR"
        ),
        [
            DonationLine(
                device_kind=DeviceKind.SMARTPHONE,
                quantity=ALPS_SMARTPHONES,
                description="Smartphones neufs ou reconditionnés",
            )
        ],
        by=manager,
        at=_at(date(2022, 5, 9)),
    )
    phones = [
        b.device(DeviceKind.SMARTPHONE, base, manager, date(2022, 5, 10), donation=donation)
        for _ in range(ALPS_SMARTPHONES)
    ]
    for phone in phones:
        b.refurbish(phone, manager, date(2022, 5, 11), grade=Grade.A)
    gift = FreeDistribution.objects.create(
        name="Smartphones SFR — Hautes-Alpes",
        programme=alps,
        device_kind=DeviceKind.SMARTPHONE,
        quantity=ALPS_SMARTPHONES,
        start=date(2022, 5, 16),
        end=date(2023, 9, 30),
    )
    partners = list(counters.values())
    gift.places.set(partners)
    shares = [27] * 7 + [ALPS_SMARTPHONES - 27 * 7]
    start = 0
    for place, share in zip(partners, shares, strict=True):
        batch = phones[start : start + share]
        start += share
        b.send(batch, {}, base, place, manager, date(2022, 5, 16))
        days = _days(date(2022, 6, 1), date(2023, 9, 29), share, b.rng)
        people = b.recipients([place.structure], share, date(2022, 5, 20), CRITERIA, days)  # type: ignore[list-item]
        seller = _referent(place.structure) or manager  # type: ignore[arg-type]
        for phone, person, day in zip(batch, people, days, strict=True):
            services.sell(
                place=place,
                person=person,
                devices=[phone],
                payment=Payment.FREE,
                free_distribution=gift,
                by=seller,
                at=_at(day, 15),
            )

    # Connect Refugees: a SIM card with two months of connection, free for newly arrived
    # migrants; 450 connected in 2022, 1,100 more cards in 2023.
    refugees = FreeDistribution.objects.create(
        name="Connect Refugees — Hautes-Alpes",
        programme=alps,
        criteria=[Eligibility.ASYLUM],
        product=products["refugee_sim"],
        start=date(2022, 4, 1),
        end=date(2023, 9, 30),
    )
    refugee_counters = [counters[name] for name in ALPS_REFUGEE_RELAYS]
    refugees.places.set(refugee_counters)
    services.receive_donation(
        Donation(
            donor=sfr, place=base, received_on=date(2022, 3, 28), note="Opération Connect Refugees"
        ),
        [
            DonationLine(
                product=products["refugee_sim"],
                quantity=ALPS_REFUGEES_2022 + ALPS_REFUGEE_SIMS_2023,
            )
        ],
        by=manager,
        at=_at(date(2022, 3, 28)),
    )
    for period, total in (
        ((date(2022, 4, 4), date(2022, 12, 23)), ALPS_REFUGEES_2022),
        ((date(2023, 1, 9), date(2023, 9, 29)), ALPS_REFUGEE_SIMS_2023),
    ):
        per_place = _split(total, len(refugee_counters))
        for place, count in zip(refugee_counters, per_place, strict=True):
            b.send(
                [],
                {products["refugee_sim"]: count},
                base,
                place,
                manager,
                period[0] - timedelta(days=3),
            )
            _serve(
                b,
                place,
                count,
                period,
                [Eligibility.ASYLUM],
                [ProductLine(products["refugee_sim"], 1)],
                Payment.FREE,
                refugees,
                manager,
            )

    # 2023: SIM cards sold at a solidarity price by the six relays, and some top-ups.
    services.receive_donation(
        Donation(
            donor=sfr,
            place=base,
            received_on=date(2022, 12, 19),
            note="Cartes SIM à prix solidaire",
        ),
        [
            DonationLine(product=products["sim"], quantity=ALPS_SOLD_SIMS_2023 + 60),
            DonationLine(product=products["topup_10"], quantity=700),
        ],
        by=manager,
        at=_at(date(2022, 12, 19)),
    )
    sim_counters = [counters[name] for name in ALPS_SIM_RELAYS]
    per_place = _split(ALPS_SOLD_SIMS_2023, len(sim_counters))
    for place, count in zip(sim_counters, per_place, strict=True):
        b.send(
            [],
            {products["sim"]: count + 10, products["topup_10"]: count // 2 + 10},
            base,
            place,
            manager,
            date(2023, 1, 4),
        )
        buyers = _serve(
            b,
            place,
            count,
            (date(2023, 1, 9), date(2023, 9, 29)),
            [*CRITERIA, Eligibility.ASYLUM],
            [ProductLine(products["sim"], 1)],
            Payment.CASH,
            None,
            manager,
        )
        # A quarter of the early buyers come back for top-ups in the following months.
        for person, day in buyers[: count // 4]:
            for months in (1, 2):
                again = day + timedelta(days=30 * months)
                if again <= date(2023, 9, 29):
                    services.sell(
                        place=place,
                        person=person,
                        products=[ProductLine(products["topup_10"], 1)],
                        payment=Payment.CASH,
                        by=_referent(place.structure) or manager,  # type: ignore[arg-type]
                        at=_at(again, 11),
                    )
    return {
        "smartphones_given": gift.given(),
        "sims": ALPS_REFUGEES_2022 + ALPS_REFUGEE_SIMS_2023 + ALPS_SOLD_SIMS_2023,
        "fleet": ALPS_FLEET,
    }


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


def _serve(
    b: StockBuilder,
    place: Place,
    count: int,
    period: tuple[date, date],
    criteria: list[str],
    lines: list[ProductLine],
    payment: str,
    distribution: FreeDistribution | None,
    fallback: User,
    *,
    followed: bool = False,
) -> list[tuple[Beneficiary, date]]:
    """`count` new people, each served once at the counter in the period, with their day."""
    structure = place.structure
    assert structure is not None
    days = _days(period[0], period[1], count, b.rng)
    people = b.recipients(
        [structure], count, period[0] - timedelta(days=30), criteria, days, followed=followed
    )
    seller = _referent(structure) or fallback
    for person, day in zip(people, days, strict=True):
        services.sell(
            place=place,
            person=person,
            products=lines,
            payment=payment,
            free_distribution=distribution,
            by=seller,
            at=_at(day, 10 + b.rng.randrange(0, 7)),
        )
    return list(zip(people, days, strict=True))


def _lend_for_sessions(b: StockBuilder, fleet: Fleet, programme: Programme) -> None:
    """One laptop per learner (and one for the facilitator) out for each computer session of
    the programme, back the same evening; one loan is still out, past its due date."""
    sessions = (
        Session.objects.filter(
            cohort__programme=programme,
            cohort__course__device=CourseDevice.COMPUTER,
            starts_at__date__lt=b.today,
        )
        .select_related("cohort")
        .prefetch_related("cohort__facilitators", "cohort__enrolments")
        .order_by("starts_at")
    )
    laptops = list(fleet.devices.order_by("pk"))
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        count = min(len(laptops), len(session.cohort.enrolments.all()) + 1)
        facilitator = session.cohort.facilitators.all()[0]
        loan = services.check_out(
            fleet,
            laptops[:count],
            facilitator=facilitator,
            due_on=day,
            session=session,
            by=facilitator,
            on=day,
        )
        services.check_in(
            loan,
            {d.pk: ("good", "") for d in laptops[:count]},
            by=facilitator,
            at=timezone.localtime(session.starts_at) + timedelta(hours=3),
        )
        b.rng.shuffle(laptops)
    # Today: four laptops with a facilitator, due back two days ago.
    facilitator = User.objects.filter(email__startswith="conseiller.hautes-alpes.").order_by(
        "email"
    )[0]
    services.check_out(
        fleet,
        laptops[:4],
        facilitator=facilitator,
        due_on=b.today - timedelta(days=2),
        by=facilitator,
        on=b.today - timedelta(days=5),
        note="Atelier à Névache",
    )


# --- The rest of the network -----------------------------------------------------------


def _elsewhere(b: StockBuilder, products: dict[str, Product]) -> None:
    nord = Department.objects.get(code="59")
    loiret = Department.objects.get(code="45")
    workshop = Place.objects.create(
        name="Atelier de reconditionnement de Roubaix",
        kind=PlaceKind.WORKSHOP,
        department=nord,
        address="Roubaix",
    )
    orleans = Place.objects.create(
        name="Entrepôt régional d'Orléans",
        kind=PlaceKind.WAREHOUSE,
        department=loiret,
        address="Orléans",
    )
    refurbisher = _staff("responsable.nord")
    mel = Programme.objects.get(slug="relais-numeriques-mel")
    mel_counters = [
        Place.objects.create(name=s.name, kind=PlaceKind.RELAY, structure=s)
        for s in mel.partner_structures.order_by("name")
    ]
    rural_counters = [
        Place.objects.create(name=s.name, kind=PlaceKind.RELAY, structure=s)
        for s in Structure.objects.filter(
            role_assignments__role=Role.RELAY_REFERENT,
            role_assignments__user__email__in=[
                f"referent.{slug}@maillage.test"
                for slug in ("marne", "ardennes", "indre", "loiret", "pas-de-calais", "aisne")
            ],
        ).order_by("name")
    ]
    donors = [
        Donor.objects.create(name=name, kind=kind, address=address)
        for name, kind, address in (
            ("Mutuelle des Flandres (exemple)", DonorKind.COMPANY, "Lille"),
            ("Transports de la Métropole (exemple)", DonorKind.COMPANY, "Roubaix"),
            ("Conseil départemental du Nord", DonorKind.PUBLIC, "Lille"),
            ("Marc Exemple", DonorKind.INDIVIDUAL, "Tourcoing"),
        )
    ]
    start = b.today - timedelta(days=540)
    loiret_manager = _staff("responsable.loiret")
    for n, donor in enumerate(donors):
        day = start + timedelta(days=90 * n)
        lots = [
            (DeviceKind.LAPTOP, 30 - 6 * n),
            (DeviceKind.SMARTPHONE, 16),
            (DeviceKind.TABLET, 3),
        ]
        if n == 3:
            lots = [(DeviceKind.LAPTOP, 2), (DeviceKind.BASIC_PHONE, 2)]
        donation = services.receive_donation(
            Donation(donor=donor, place=workshop, received_on=day),
            [DonationLine(device_kind=kind, quantity=count) for kind, count in lots]
            + ([DonationLine(product=products["charger"], quantity=40)] if n == 0 else []),
            by=refurbisher,
            at=_at(day),
        )
        ready: list[Device] = []
        for kind, count in lots:
            for _ in range(count):
                device = b.device(kind, workshop, refurbisher, day, donation=donation)
                if b.refurbish(device, refurbisher, day + timedelta(days=b.rng.randrange(3, 20))):
                    ready.append(device)
        # Half to the metropolis's relays, half through Orléans to the rural relays.
        b.rng.shuffle(ready)
        half = len(ready) // 2
        arrival = day + timedelta(days=30)
        chargers = n == 0
        for i, place in enumerate(mel_counters):
            batch = ready[i : half : len(mel_counters)]
            sent = {products["charger"]: 6} if chargers else {}
            if batch or sent:
                b.send(batch, sent, workshop, place, refurbisher, arrival)
        rest = ready[half:]
        b.send(
            rest,
            {products["charger"]: 10} if chargers else {},
            workshop,
            orleans,
            refurbisher,
            arrival,
        )
        for i, place in enumerate(rural_counters):
            batch = rest[i :: len(rural_counters)]
            if batch:
                b.send(batch, {}, orleans, place, loiret_manager, arrival + timedelta(days=10))
    # Each relay sells most of what it received to the people it follows; one is reserved.
    for place in mel_counters + rural_counters:
        _sell_devices(b, place, products)
    # The latest lot is still in the workshop, at every step; two laptops of it are on their
    # way to the Marne's demo relay, to be confirmed there.
    latest = b.today - timedelta(days=6)
    donation = services.receive_donation(
        Donation(donor=donors[0], place=workshop, received_on=latest),
        [DonationLine(device_kind=DeviceKind.LAPTOP, quantity=8)],
        by=refurbisher,
        at=_at(latest),
    )
    latest_ready = []
    for until in ["received", "received", "tested", "tested", "wiped", "wiped", "ready", "ready"]:
        device = b.device(DeviceKind.LAPTOP, workshop, refurbisher, latest, donation=donation)
        if until != "received":
            b.refurbish(device, refurbisher, latest + timedelta(days=1), grade=Grade.B, until=until)
        if until == "ready":
            latest_ready.append(device)
    # SIM cards and top-ups at the rural relays, over the last year.
    national = services.receive_donation(
        Donation(
            donor=Donor.objects.get(name="SFR"),
            place=orleans,
            received_on=b.today - timedelta(days=400),
        ),
        [
            DonationLine(product=products["sim"], quantity=300),
            DonationLine(product=products["topup_20"], quantity=300),
        ],
        by=loiret_manager,
        at=_at(b.today - timedelta(days=400)),
    )
    for n, place in enumerate(rural_counters):
        b.send(
            [],
            {products["sim"]: 40, products["topup_20"]: 40},
            orleans,
            place,
            loiret_manager,
            national.received_on + timedelta(days=7),
        )
        _serve(
            b,
            place,
            25 + 2 * n,
            (b.today - timedelta(days=360), b.today - timedelta(days=1)),
            CRITERIA,
            [ProductLine(products["sim"], 1), ProductLine(products["topup_20"], 1)],
            Payment.CASH,
            None,
            loiret_manager,
            followed=True,
        )
    marne = next(p for p in rural_counters if p.department.code == "51")
    yesterday = b.today - timedelta(days=1)
    b.send(latest_ready, {}, workshop, marne, refurbisher, yesterday, receive=False)
    b.send([], {products["sim"]: 10}, orleans, marne, loiret_manager, yesterday, receive=False)
    # A count at a Lille relay found a charger missing.
    place = mel_counters[0]
    held = place.held().get(products["charger"].pk, 0)
    if held:
        services.record_count(
            place,
            {products["charger"]: held - 1},
            reasons={products["charger"]: "Chargeur prêté et jamais rendu"},
            by=_referent(place.structure),  # type: ignore[arg-type]
        )


def _sell_devices(b: StockBuilder, place: Place, products: dict[str, Product]) -> None:
    """Most ready devices of the place sold, some weeks after they arrived, to people the
    structure follows; the last one reserved for someone."""
    structure = place.structure
    assert structure is not None
    devices = list(place.devices.filter(state=DeviceState.READY).order_by("pk"))
    keep = 2 if len(devices) > 4 else 0
    selling = devices[: len(devices) - keep]
    days = []
    for device in selling:
        arrived = timezone.localtime(device.events.order_by("-at")[0].at).date()
        days.append(
            min(arrived + timedelta(days=b.rng.randrange(5, 90)), b.today - timedelta(days=1))
        )
    since = min(days, default=b.today)
    people = b.recipients([structure], len(selling), since, CRITERIA, days, followed=True)
    seller = _referent(structure)
    for device, person, day in zip(selling, people, days, strict=True):
        held = place.held().get(products["charger"].pk)
        extras = [ProductLine(products["charger"], 1)] if held and b.rng.random() < 0.3 else []
        services.sell(
            place=place,
            person=person,
            devices=[device],
            products=extras,
            payment=b.rng.choice([Payment.CASH, Payment.CARD, Payment.CARD, Payment.CHEQUE]),
            by=seller,
            at=_at(day, 10 + b.rng.randrange(0, 7)),
        )
    if keep:
        person = b.recipients([structure], 1, b.today, CRITERIA, [b.today], followed=True)[0]
        services.reserve(devices[-1], person, until=b.today + timedelta(days=5), by=seller)
