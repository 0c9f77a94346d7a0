"""Numbers for matching: occupation codes as integers at each depth of the classification,
education as ranks, kinds and key groups as small integers and bits."""

from __future__ import annotations

import datetime as dt

from apps.people.models import JobKind, KeyGroup
from apps.taxonomy.models import EDUCATION_RANK

KIND_CODE = {value: i for i, value in enumerate(JobKind.values)}
GROUP_BIT = {value: 1 << i for i, value in enumerate(KeyGroup.values)}
EDU_RANK = {str(k): v for k, v in EDUCATION_RANK.items()}
NO_CODE = -1
# The key of the job index's table of distinct occupations in its columns' view: a table
# (each distinct occupation's four levels once), not a column; rows point at it by
# "occupation_id".
OCCUPATION_CODES = "occupation_codes"


def occupation_levels(code: str | None) -> tuple[int, int, int, int, int]:
    """'6-18-02-04' → (6, 618, 61802, 6180204, depth 4); deeper levels of a shorter code
    are NO_CODE. A code's integer at each depth is unique, so equal integers at a depth
    mean the same 大类/中类/小类/职业."""
    if not code:
        return NO_CODE, NO_CODE, NO_CODE, NO_CODE, 0
    parts = code.split("-")
    out, acc = [], 0
    for i, part in enumerate(parts[:4]):
        acc = int(part) if i == 0 else acc * 100 + int(part)
        out.append(acc)
    depth = len(out)
    out += [NO_CODE] * (4 - depth)
    return out[0], out[1], out[2], out[3], depth


def kinds_mask(kinds) -> int:
    """The kinds of work a person wishes (JobKind values) as bits of KIND_CODE; 0: any."""
    mask = 0
    for kind in kinds or ():
        mask |= 1 << KIND_CODE[kind] if kind in KIND_CODE else 0
    return mask


def groups_mask(groups) -> int:
    mask = 0
    for group in groups:
        mask |= GROUP_BIT.get(group, 0)
    return mask


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def community_number(code: str) -> int:
    """A region code as a 12-digit integer (9-digit street codes padded with zeros), so a
    scope prefix of length L matches when number // 10**(12 - L) == int(prefix)."""
    return int(code.ljust(12, "0"))


_related: tuple[int, dict] | None = None


def related_table() -> dict[int, tuple[tuple[int, float], ...]]:
    """Each 职业 (its full code as an integer) → its neighbours (相近职业) with the fit a
    wish of it gives them: similarity × MATCHING["related_fit_per_similarity"], at most
    MATCHING["related_fit_max"]. Read once, and again when sync_related() sees them
    derived anew (load_reference, an occupations import)."""
    global _related
    if _related is None:
        from django.conf import settings

        from apps.taxonomy.models import OccupationNeighbour

        cfg = settings.MATCHING
        per, most = cfg["related_fit_per_similarity"], cfg["related_fit_max"]
        table = {}
        for a, b, overlap in OccupationNeighbour.objects.values_list(
            "occupation_id", "neighbour_id", "similarity"
        ).order_by("occupation_id", "neighbour_id"):
            fit = round(min(most, per * overlap), 6)
            if fit > 0:
                table.setdefault(occupation_levels(a)[3], []).append((occupation_levels(b)[3], fit))
        _related = (_seen, {k: tuple(v) for k, v in table.items()})
    return _related[1]


_seen: str | None = None


def sync_related() -> None:
    """Read the neighbours again at the next use if they were derived anew since (their
    stamp in the shared cache moved): asked once per matching query, by job_index(), not
    per profile (a push builds thousands, some in processes forked without the cache)."""
    global _seen
    from apps.taxonomy.similarity import stamp

    now = stamp()
    if now != _seen:
        _seen = now
        forget_related()


def forget_related() -> None:
    """Read the neighbours again at the next use (tests that change them)."""
    global _related
    _related = None


def related_of(wishes) -> dict[int, float]:
    """The jobs' 职业 (full codes) that a person's 职业-level wishes have as neighbours,
    with the best fit any of them gives (wishes: occupation_levels() of each)."""
    table = related_table()
    out: dict[int, float] = {}
    for wish in wishes:
        if wish[4] == 4:
            for code, fit in table.get(wish[3], ()):
                if fit > out.get(code, 0.0):
                    out[code] = fit
    return out
