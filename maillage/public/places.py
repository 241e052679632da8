"""Finding a place near me: the public search of the network's places (`/lieux/`).

A search starts from a point (a commune's centre, or the browser's position when the person
asks « autour de moi », never stored) and a distance. The places within a box around the point
are read from the database in one query, with only the columns the filters need; the exact
distance, the filters and the sort are computed here, then the page's places are read whole.
Each filter is declared once below, with its label and its test."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.bookings.services import with_free_seats
from maillage.learning.models import DropInSlot, Workshop
from maillage.network import hours
from maillage.network.enums import AccessFeature, Public, RelayOffer, Service, SpecificSupport
from maillage.network.models import Structure
from maillage.territories.models import Commune

EARTH_KM = 6371.0
DISTANCES = (5, 10, 20, 50, 100)
DEFAULT_DISTANCE = 20
PAGE_SIZE = 20
# The map shows at most this many of the results (the nearest).
MAP_LIMIT = 500
# The coming workshops of a search are those of the nearest places.
NEAREST_FOR_WORKSHOPS = 100

# What every search reads of a place in the box: enough to rank it and draw it on the map; then
# the columns of the filters asked only.
MARK = ("pk", "name", "commune__name", "lat", "lon")
OFFER_COLUMNS = ("relay_offer", "services")
PUBLIC_COLUMNS = ("kind", "services", "publics", "specific_support", "relay_offer")
ACCESS_COLUMNS = ("accessibility",)
OPEN_COLUMNS = ("hours", "closed_on_public_holidays", "commune__department__code")

# The lists a filter reads are fetched as text and decoded when a filter first asks: decoding
# every list of a thousand places cost half the time of a filtered search.
LISTS = ("relay_offer", "services", "publics", "specific_support", "accessibility", "hours")


class Row(dict[str, Any]):
    """A place as the search reads it."""

    def __missing__(self, key: str) -> Any:
        if key not in LISTS:
            raise KeyError(key)
        value = self[key] = json.loads(self[f"{key}_text"] or "null")
        return value


def _offers(*values: str) -> Callable[[Row], bool]:
    return lambda row: any(v in row["relay_offer"] for v in values)


def _serves(*values: str) -> Callable[[Row], bool]:
    return lambda row: any(v in row["services"] for v in values)


def _either(*tests: Callable[[Row], bool]) -> Callable[[Row], bool]:
    return lambda row: any(test(row) for test in tests)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Any
    test: Callable[[Row], bool]


# What the place offers, grouped as the network says it: learn, get equipped, get connected,
# get help with procedures.
OFFER_GROUPS: list[tuple[Any, list[Choice]]] = [
    (
        _("Apprendre"),
        [
            Choice("parcours", _("Parcours d'initiation"), _offers(RelayOffer.PARCOURS)),
            Choice("ateliers", _("Ateliers collectifs"), _offers(RelayOffer.WORKSHOPS)),
            Choice("permanences", _("Permanences d'aide"), _offers(RelayOffer.DROP_INS)),
        ],
    ),
    (
        _("S'équiper"),
        [
            Choice(
                "materiel",
                _("Matériel reconditionné à prix solidaire"),
                _either(_offers(RelayOffer.EQUIPMENT_SALE), _serves(Service.SOLIDARITY_EQUIPMENT)),
            ),
        ],
    ),
    (
        _("Se connecter"),
        [
            Choice(
                "sim", _("Cartes SIM et recharges à prix solidaire"), _offers(RelayOffer.SIM_CARDS)
            ),
            Choice(
                "refugies",
                _("Connexion gratuite pour les personnes réfugiées"),
                _offers(RelayOffer.REFUGEE_CONNECTION),
            ),
            Choice("acces", _("Accès à internet et à un ordinateur"), _serves(Service.ACCESS)),
        ],
    ),
    (
        _("Faire ses démarches"),
        [Choice("demarches", _("Aide aux démarches en ligne"), _serves(Service.ADMIN_PROCEDURES))],
    ),
]
OFFERS = {choice.value: choice for _group, choices in OFFER_GROUPS for choice in choices}

_DISABILITIES = (
    SpecificSupport.DEAFNESS,
    SpecificSupport.MOTOR,
    SpecificSupport.MENTAL,
    SpecificSupport.VISUAL,
)
PUBLICS = {
    choice.value: choice
    for choice in [
        Choice("seniors", _("Personnes âgées"), lambda row: Public.SENIORS in row["publics"]),
        Choice(
            "jeunes",
            _("Jeunes"),
            lambda row: Public.YOUTH in row["publics"] or Public.STUDENTS in row["publics"],
        ),
        Choice(
            "emploi",
            _("Personnes qui cherchent un emploi"),
            _either(_serves(Service.EMPLOYMENT), lambda row: row["kind"] == "mission_locale"),
        ),
        Choice(
            "refugies",
            _("Personnes réfugiées"),
            _either(_offers(RelayOffer.REFUGEE_CONNECTION), lambda row: row["kind"] == "cada_huda"),
        ),
        Choice(
            "handicap",
            _("Personnes en situation de handicap"),
            lambda row: any(v in row["specific_support"] for v in _DISABILITIES),
        ),
    ]
}


def _has_feature(feature: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: feature in row["accessibility"]


ACCESS = {
    value: Choice(value, label, _has_feature(value)) for value, label in AccessFeature.choices
}


# The query-string names of the filters (beyond where and how far).
FILTERS = ("offre", "public", "accessibilite", "ouvert", "rdv")


class PlaceSearchForm(forms.Form):
    """Read from the query string: the page works without JavaScript, and a search can be
    bookmarked or shared."""

    ou = forms.CharField(
        label=_("Commune ou code postal"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    # Filled by « Autour de moi » (the browser's position); never stored.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        label=_("Distance"),
        choices=[(d, _("%(km)s km") % {"km": d}) for d in DISTANCES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_DISTANCE,  # type: ignore[arg-type]  # an int once coerced
    )
    offre = forms.MultipleChoiceField(
        label=_("Ce que propose le lieu"),
        choices=[(c.value, c.label) for c in OFFERS.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = forms.MultipleChoiceField(
        label=_("Publics accueillis"),
        choices=[(c.value, c.label) for c in PUBLICS.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibilite = forms.MultipleChoiceField(
        label=_("Accessibilité"),
        choices=[(c.value, c.label) for c in ACCESS.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    rdv = forms.BooleanField(label=_("Prise de rendez-vous en ligne"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # A search sent without a distance (from the home page) shows the distance it used.
        if data is not None and not data.get("rayon"):
            data = data.copy()
            data["rayon"] = str(DEFAULT_DISTANCE)
        super().__init__(data, **kwargs)


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str
    commune: Commune | None = None


@dataclass
class Found:
    """One place of the results, with its distance in kilometres."""

    structure: Structure
    distance: float
    status: hours.Status | None


@dataclass
class Results:
    origin: Origin | None
    # (pk, distance) of every place found, nearest first.
    ranked: list[tuple[int, float]]
    problem: str = ""
    # What the search read of each place found (MARK and the filters' columns), by pk.
    marks: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ranked)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def origin_of(data: dict[str, Any]) -> Origin | str:
    """Where the search starts, or why it cannot start (a French message; empty: no search
    asked yet)."""
    if data.get("lat") is not None and data.get("lon") is not None:
        return Origin(data["lat"], data["lon"], str(_("votre position")))
    typed = (data.get("ou") or "").strip()
    if not typed:
        return ""
    commune = (
        Commune.objects.search(typed)
        .select_related("department")
        .order_by("-population", "name")
        .first()
    )
    if commune is None:
        return str(
            _(
                "Nous ne trouvons pas de commune « %(typed)s ». Vérifiez l'orthographe ou essayez le code postal."
            )
            % {"typed": typed}
        )
    if commune.centre is None:
        return str(
            _("Nous ne savons pas encore situer %(commune)s : essayez une commune voisine.")
            % {"commune": commune.name}
        )
    return Origin(commune.centre[0], commune.centre[1], commune.label, commune)


def search(data: dict[str, Any], now: datetime) -> Results:
    """The places within the distance of the origin that pass every filter asked, nearest
    first."""
    origin = origin_of(data)
    if not isinstance(origin, Origin):
        return Results(None, [], origin)
    radius = data.get("rayon") or DEFAULT_DISTANCE
    columns = set(MARK)
    tests = [OFFERS[v].test for v in data.get("offre") or []]
    tests += [PUBLICS[v].test for v in data.get("public") or []]
    tests += [ACCESS[v].test for v in data.get("accessibilite") or []]
    for name, needs in (
        ("offre", OFFER_COLUMNS),
        ("public", PUBLIC_COLUMNS),
        ("accessibilite", ACCESS_COLUMNS),
        ("ouvert", OPEN_COLUMNS),
    ):
        if data.get(name):
            columns.update(needs)
    if data.get("ouvert"):
        tests.append(
            lambda row: hours.is_open(
                row["hours"],
                now,
                row["commune__department__code"],
                row["closed_on_public_holidays"],
            )
        )
    dlat = radius / 111.0
    dlon = radius / (111.0 * max(math.cos(math.radians(origin.latitude)), 0.01))
    rows = (
        _located(
            Structure.objects.listed().filter(
                latitude__range=(origin.latitude - dlat, origin.latitude + dlat),
                longitude__range=(origin.longitude - dlon, origin.longitude + dlon),
            )
        )
        .order_by()
        .values(
            *sorted(columns - set(LISTS)),
            **{
                f"{name}_text": Cast(name, models.TextField())
                for name in sorted(columns & set(LISTS))
            },
        )
    )
    if data.get("rdv"):
        bookable = bookable_places(now)
        tests.append(lambda row: row["pk"] in bookable)
    ranked: list[tuple[int, float]] = []
    marks: dict[int, dict[str, Any]] = {}
    for row in map(Row, rows):
        away = distance_km(origin.latitude, origin.longitude, row["lat"], row["lon"])
        if away <= radius and all(test(row) for test in tests):
            ranked.append((row["pk"], away))
            marks[row["pk"]] = row
    ranked.sort(key=lambda found: (found[1], found[0]))
    return Results(origin, ranked, marks=marks)


def _located(places: QuerySet[Structure]) -> QuerySet[Structure]:
    """The position as floats: converting thousands of decimals costs more than the query."""
    return places.annotate(
        lat=Cast("latitude", models.FloatField()), lon=Cast("longitude", models.FloatField())
    )


def bookable_places(now: datetime) -> set[int]:
    """The places where a workshop or a drop-in can be booked online in the coming weeks."""
    workshops = Workshop.objects.announced(now).values_list("structure_id", flat=True)
    slots = DropInSlot.objects.filter(
        bookable_seats__gt=0, starts_at__gte=now, starts_at__lt=now + timedelta(days=30)
    ).values_list("structure_id", flat=True)
    return set(workshops) | set(slots)


def places(ranked: list[tuple[int, float]], now: datetime) -> list[Found]:
    """The places of a page of results, whole, in the results' order, open or not now."""
    by_pk = Structure.objects.select_related("commune__department").in_bulk(
        [pk for pk, _away in ranked]
    )
    return [
        Found(by_pk[pk], away, by_pk[pk].hours_status(now)) for pk, away in ranked if pk in by_pk
    ]


def map_points(
    ranked: list[tuple[int, float]], marks: dict[int, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """What the map draws: the nearest results (at most MAP_LIMIT), each with its page, from
    what the search read (`marks`) or read here."""
    nearest = [pk for pk, _away in ranked[:MAP_LIMIT]]
    by_pk = marks
    if by_pk is None:
        rows = _located(Structure.objects.filter(pk__in=nearest)).values(*MARK)
        by_pk = {row["pk"]: row for row in rows}
    # Every page's address from one: reversing five hundred times costs more than the query.
    page_url = reverse("public:place_detail", args=[0]).replace("/0/", "/{}/")
    points = []
    for pk in nearest:
        row = by_pk.get(pk)
        if row is None or row["lat"] is None or row["lon"] is None:
            continue
        points.append(
            {
                "name": row["name"],
                "commune": row["commune__name"],
                "lat": row["lat"],
                "lon": row["lon"],
                "url": page_url.format(pk),
            }
        )
    return points


def coming_workshops(ranked: list[tuple[int, float]], now: datetime, limit: int = 5) -> list[Any]:
    """The next public workshops at the places found, soonest first, with their free seats."""
    if not ranked:
        return []
    return with_free_seats(
        list(
            Workshop.objects.announced(now)
            .filter(structure_id__in=[pk for pk, _distance in ranked[:NEAREST_FOR_WORKSHOPS]])
            .select_related("structure__commune")[:limit]
        )
    )
