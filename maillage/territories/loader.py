"""Loads régions, départements, communes and postal codes from the files in `data/`:
Etalab's `@etalab/decoupage-administratif` (regions, departements, communes) and
`codes-postaux`, both under the MIT licence, and the communes' centres from GeoNames (CC BY 4.0,
`commune-centres.json.gz`, written by `scripts/commune_centres.py`); see `data/licences/`."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from maillage.territories.models import Commune, Department, PostalCode, Region, normalise

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadReport:
    regions: int
    departments: int
    communes: int
    postal_codes: int


def _read(name: str, data_dir: Path) -> list[dict[str, Any]]:
    with gzip.open(data_dir / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        data: list[dict[str, Any]] = json.load(handle)
    return data


def commune_centres(
    current: list[dict[str, Any]], data_dir: Path = DATA_DIR
) -> dict[str, tuple[float, float, bool]]:
    """Each commune's centre: (latitude, longitude, approximate). GeoNames places every commune
    of about 500 inhabitants or more; a smaller one gets the mean centre of the communes that
    share its postal codes, marked approximate; a commune with neither has none."""
    with gzip.open(data_dir / "commune-centres.json.gz", "rt", encoding="utf-8") as handle:
        known: dict[str, list[float]] = json.load(handle)
    sharing: dict[str, list[str]] = defaultdict(list)
    for c in current:
        for code in c.get("codesPostaux", []):
            sharing[code].append(c["code"])
    centres: dict[str, tuple[float, float, bool]] = {}
    for c in current:
        if c["code"] in known:
            lat, lon = known[c["code"]]
            centres[c["code"]] = (lat, lon, False)
            continue
        near = {
            other for code in c.get("codesPostaux", []) for other in sharing[code] if other in known
        }
        if near:
            lat = sum(known[o][0] for o in near) / len(near)
            lon = sum(known[o][1] for o in near) / len(near)
            centres[c["code"]] = (round(lat, 5), round(lon, 5), True)
    return centres


def current_communes(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    return [c for c in _read("communes", data_dir) if c["type"] == "commune-actuelle"]


@transaction.atomic
def load_territories(data_dir: Path = DATA_DIR) -> LoadReport:
    """Create or update every territory; safe to run again after a data update."""
    regions = _read("regions", data_dir)
    Region.objects.bulk_create(
        [Region(code=r["code"], name=r["nom"]) for r in regions],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    region_ids = dict(Region.objects.values_list("code", "pk"))

    departments = _read("departements", data_dir)
    Department.objects.bulk_create(
        [
            Department(code=d["code"], name=d["nom"], region_id=region_ids.get(d.get("region", "")))
            for d in departments
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "region"],
    )
    department_ids = dict(Department.objects.values_list("code", "pk"))

    all_communes = _read("communes", data_dir)
    current = [c for c in all_communes if c["type"] == "commune-actuelle"]
    centres = commune_centres(current, data_dir)
    nowhere = (None, None, False)
    Commune.objects.bulk_create(
        [
            Commune(
                code=c["code"],
                name=c["nom"],
                search_name=normalise(c["nom"]),
                department_id=department_ids[c["departement"]],
                population=c.get("population"),
                latitude=centres.get(c["code"], nowhere)[0],
                longitude=centres.get(c["code"], nowhere)[1],
                centre_is_approximate=centres.get(c["code"], nowhere)[2],
            )
            for c in current
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "search_name",
            "department",
            "population",
            "latitude",
            "longitude",
            "centre_is_approximate",
        ],
        batch_size=2000,
    )
    commune_ids = dict(Commune.objects.values_list("code", "pk"))

    # A delegated or associated commune, or a municipal district (Paris, Lyon, Marseille),
    # lends its postal codes to the commune it belongs to.
    parent = {c["code"]: c.get("chefLieu") or c.get("commune") for c in all_communes}
    pairs: set[tuple[str, int]] = set()
    for c in current:
        for code in c.get("codesPostaux", []):
            pairs.add((code, commune_ids[c["code"]]))
    for entry in _read("codes-postaux", data_dir):
        insee = entry["codeCommune"]
        if insee not in commune_ids:
            insee = parent.get(insee) or ""
        if insee in commune_ids:
            pairs.add((entry["codePostal"], commune_ids[insee]))
    PostalCode.objects.all().delete()
    PostalCode.objects.bulk_create(
        [PostalCode(code=code, commune_id=pk) for code, pk in sorted(pairs)], batch_size=5000
    )
    return LoadReport(
        regions=len(regions),
        departments=len(departments),
        communes=len(current),
        postal_codes=len(pairs),
    )
