"""The vectorized twin of ``rules.reference_match``: the same filters and components
over whole index columns at once (jobs for a person through the compiled loop of
``kernels``, candidates for a job in NumPy). Tests hold them equal."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
from django.conf import settings

from apps.regions.geo import EARTH_RADIUS_KM, unit_vector

from .features import NO_CODE, OCCUPATION_CODES, related_table
from .kernels import NO_LEVEL, RESULT, rank_jobs_kernel
from .rules import (
    OCCUPATION_FIT,
    SCALE_BOUNDS_KM,
    WAGE_BAND,
    WAGE_TOP_CAP,
    JobProfile,
    PersonProfile,
    distance_scale,
    reserved_kinds,
    weights,
)

FIT = np.array(OCCUPATION_FIT)
WEIGHTS = ("occupation", "certificate", "wage", "distance", "recency", "text")
# The job index's columns the compiled ranking reads, in its arguments' order.
JOB_COLUMNS = (
    "valid_from",
    "valid_to",
    "edu",
    "age_min",
    "age_max",
    "required_certificate",
    "required_level",
    "kind",
    "occupation_id",
    "wage_min",
    "wage_max",
    "x",
    "y",
    "z",
    "pk",
)
_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_QUERY = np.zeros(0)


def haversine_km(lat: float, lng: float, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lngs - lng)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def distance_km(
    lat, lng, cols: dict, rows: np.ndarray | None = None, names=("x", "y", "z")
) -> np.ndarray:
    """Great-circle distances from a point to rows of an index (every row when None),
    from the unit vectors the index keeps (geo.unit_vector): the haversine formula's
    value (to within 1e-9 km at city scale) without its two sines per row."""
    px, py, pz = unit_vector(lat, lng)
    x, y, z = (cols[c] if rows is None else take(cols[c], rows) for c in names)
    chord = (x - px) ** 2 + (y - py) ** 2 + (z - pz) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(chord) / 2)


def seeker_distance_km(lat, lng, cols: dict, rows: np.ndarray | None = None) -> np.ndarray:
    """Distances from a point to seekers: to the nearer of each one's places (their
    search point and their second wished place, NaN for none)."""
    first = distance_km(lat, lng, cols, rows)
    if "x2" not in cols:
        return first
    return np.fmin(first, distance_km(lat, lng, cols, rows, ("x2", "y2", "z2")))


def leading_depth(codes: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Levels in common from the top (大类 first) between codes (..., 4) and target (..., 4).
    Level by level on the last axis (a running "still equal"): ten times faster than a
    cumulative product along an axis of four."""
    target = np.asarray(target)
    run = (codes[..., 0] == target[..., 0]) & (codes[..., 0] != NO_CODE)
    depth = run.astype(np.int64)
    for k in range(1, codes.shape[-1]):
        run &= (codes[..., k] == target[..., k]) & (codes[..., k] != NO_CODE)
        depth += run
    return depth


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, best first; ties by id for a stable order."""
    if len(scores) > k:
        cut = np.argpartition(-scores, k - 1)[:k]
        # keep every row tied with the k-th score, then order by (score desc, id asc)
        kth = scores[cut].min()
        cut = np.flatnonzero(scores >= kth)
    else:
        cut = np.arange(len(scores))
    order = np.lexsort((ids[cut], -scores[cut]))
    return cut[order][:k]


def take(column: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """column[rows] along the first axis: the same values, several times faster than
    fancy indexing for the index's 2-D columns (occupation codes, text terms)."""
    return np.take(column, rows, axis=0)


class _Subset(dict):
    """Columns restricted to some rows, each sliced on first use."""

    def __init__(self, cols: dict, rows: np.ndarray):
        super().__init__()
        self.source, self.rows = cols, rows

    def __missing__(self, name):
        if name == OCCUPATION_CODES:  # a table, the same for every row
            return self.source[name]
        value = self[name] = take(self.source[name], self.rows)
        return value

    def __contains__(self, name) -> bool:
        # a column not sliced yet is there all the same ("x2" in cols: a second place)
        return name in self.source


def _on_subset(rank, cols: dict, alive: np.ndarray, prefilter: np.ndarray):
    """Rank only the rows a prefilter keeps: every filter and component is computed on
    them alone, and the rows found are mapped back."""
    base = np.flatnonzero(alive & prefilter)
    rows, parts = rank(_Subset(cols, base), np.ones(len(base), dtype=bool))
    return base[rows], parts


def text_component(cols: dict, rows: np.ndarray, query: np.ndarray | None) -> np.ndarray:
    """Cosine of each row's text with the query (a dense vector over the index's
    vocabulary with a trailing zero that the rows' padding (-1) points at)."""
    if query is None or not len(rows):
        return np.zeros(len(rows))
    return (take(cols["text_weights"], rows) * np.take(query, take(cols["text_terms"], rows))).sum(
        axis=1
    )


def _deferred_text(cols: dict, rows: np.ndarray, query: np.ndarray | None):
    """The text component, computed by _best only for the rows where it can matter."""
    if query is None or not len(rows):
        return np.zeros(len(rows))
    return lambda positions: text_component(cols, rows[positions], query)


def _best(
    rows: np.ndarray, ids: np.ndarray, parts: tuple, k: int, scale
) -> tuple[np.ndarray, dict]:
    """Weigh the components (as rules.reference_match does), keep the k best rows, and
    return them with every component, for the reasons. ``scale``: each row's distance
    scale (rules.distance_scale)."""
    occupation, depth, certificate, cert_pick, wage, distance, days, text = parts
    cfg = settings.MATCHING
    w = weights()
    # no distance (NaN, quietly carried through exp): no distance score
    near = np.where(np.isnan(distance), 0.0, np.exp(-distance / scale))
    recency = np.exp(-days / cfg["recency_days"])
    partial = (
        w["occupation"] * occupation
        + w["certificate"] * certificate
        + w["wage"] * wage
        + w["distance"] * near
        + w["recency"] * recency
    )
    if callable(text):  # the top k lie among the rows kept: rank those alone
        keep, kept_text = _text_where_it_counts(partial, text, k, w["text"])
        kept_scores = partial[keep] + w["text"] * kept_text
        local = top_k(kept_scores, ids[keep], k)
        best, score, text = keep[local], kept_scores[local], kept_text[local]
    else:
        scores = partial + w["text"] * text  # the same sum, in the same order
        best = top_k(scores, ids, k)
        score, text = scores[best], text[best]
    return rows[best], {
        "score": score,
        "occupation": occupation[best],
        "depth": depth[best],
        "certificate": certificate[best],
        "cert_pick": cert_pick[best],
        "wage": wage[best],
        "distance": near[best],
        "distance_km": distance[best],
        "recency": recency[best],
        "days": days[best],
        "text": text,
    }


def _text_where_it_counts(partial: np.ndarray, text_of, k: int, weight: float):
    """The rows where the text can change the k best, and their text. A cosine lies in
    [0, 1], so every score is at least its other components (`partial`) and the k-th
    best score at least the k-th best partial; a row whose partial falls more than
    `weight` below that cannot enter. Exact: every row of the k best (ties included) is
    among the rows kept, with its true text."""
    if len(partial) > k:
        kth = np.partition(partial, len(partial) - k)[len(partial) - k]
        keep = np.flatnonzero(partial >= kth - weight * (1 + 1e-9))
    else:
        keep = np.arange(len(partial))
    return keep, (text_of(keep) if len(keep) else np.zeros(0))


def _wage_fit(wage_min, wage_max, wish):
    """rules.wage_fit over arrays (a wish of -1: none)."""
    wage_min, wage_max, wish = (np.asarray(x, dtype=np.float64) for x in (wage_min, wage_max, wish))
    mid = (wage_min + np.minimum(wage_max, WAGE_TOP_CAP * wage_min)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        graded = np.minimum(1.0, np.maximum(0.0, 0.5 + (mid - wish) / (2 * WAGE_BAND * wish)))
    return np.where(wish < 0, 0.0, np.where(wish == 0, 1.0, graded))


def _related_fit(wished: np.ndarray, depth: np.ndarray, neighbours) -> np.ndarray:
    """The fit each wish slot (full codes, depths) gets as a neighbour's: 0 elsewhere."""
    codes = np.array([code for code, _ in neighbours], dtype=np.int64)
    fits = np.array([fit for _, fit in neighbours])
    order = np.argsort(codes)
    codes, fits = codes[order], fits[order]
    at = np.clip(np.searchsorted(codes, wished), 0, len(codes) - 1)
    return np.where((codes[at] == wished) & (depth == 4), fits[at], 0.0)


def rank_jobs(
    profile: PersonProfile,
    cols: dict,
    alive: np.ndarray,
    today: dt.date,
    limit_km: float | None,
    k: int,
    prefilter: np.ndarray | None = None,
    query: np.ndarray | None = None,
    rows: np.ndarray | None = None,
    min_fit: float = 0.0,
) -> tuple[np.ndarray, dict]:
    """Rows of the job index that pass every hard filter for this person, best k first,
    with their components. ``query``: the person's text over the index's vocabulary;
    only the rows a ``prefilter`` mask keeps, or only ``rows``, are ranked; with
    ``min_fit``, only those whose occupation fits at least that well."""
    if prefilter is not None:
        rows = np.flatnonzero(alive & prefilter)
    if rows is not None and not len(rows):
        return rows.astype(np.int64), {}
    if k <= 0 or (limit_km is not None and (profile.lat is None or profile.lng is None)):
        return np.zeros(0, dtype=np.int64), {}
    cfg, w = settings.MATCHING, weights()
    found, out = rank_jobs_kernel(
        alive,
        _NO_ROWS if rows is None else rows,
        *(cols[name] for name in JOB_COLUMNS),
        cols["text_terms"],
        cols["text_weights"],
        today.toordinal(),
        profile.edu_rank,
        profile.age,
        np.array([levels[3] for levels, _, _ in profile.certificates], dtype=np.int64),
        np.array(
            [NO_LEVEL if level is None else level for _, level, _ in profile.certificates],
            dtype=np.int64,
        ),
        profile.wish_kinds,
        np.array(
            [kind for kind, bits in reserved_kinds().items() if not profile.groups & bits],
            dtype=np.int64,
        ),
        np.nan if limit_km is None else float(limit_km),
        np.array(unit_vector(profile.lat, profile.lng)),
        np.array(unit_vector(profile.lat2, profile.lng2)),
        -1.0 if profile.wage_reference is None else float(profile.wage_reference),
        cols[OCCUPATION_CODES],
        np.array(profile.wishes, dtype=np.int64).reshape(-1, 5),
        np.array([levels[2] for levels, _, _ in profile.certificates], dtype=np.int64),
        FIT,
        np.fromiter(profile.related.keys(), dtype=np.int64, count=len(profile.related)),
        np.fromiter(profile.related.values(), dtype=np.float64, count=len(profile.related)),
        float(min_fit),
        _NO_QUERY if query is None else query,
        np.array([w[name] for name in WEIGHTS]),
        distance_scale(profile.wish_max_km),
        _recency_table(cfg["recency_days"]),
        cfg["recency_days"],
        EARTH_RADIUS_KM,
        # a cosine is at most 1 (a bound only while no weight is negative)
        (1.0 + 1e-9 if query is not None else 0.0) if min(w.values()) >= 0 else np.inf,
        k,
    )
    parts = dict(zip(RESULT, out.T, strict=True))
    for name in ("depth", "cert_pick", "days"):
        parts[name] = parts[name].astype(np.int64)
    return found, parts


@functools.lru_cache(maxsize=4)
def _recency_table(recency_days: float) -> np.ndarray:
    """The recency score of 0 … 3,999 days since posting (as _best computes it)."""
    return np.exp(-np.arange(4000) / recency_days)


def rank_seekers(
    job: JobProfile,
    cols: dict,
    alive: np.ndarray,
    today: dt.date,
    limit_km: float | None,
    k: int,
    scope_prefix: str | None = "",
    group_bit: int = 0,
    prefilter: np.ndarray | None = None,
    query: np.ndarray | None = None,
    market_wage: float | None = None,
) -> tuple[np.ndarray, dict]:
    """Rows of the seeker index that pass every hard filter for this job, best k first.
    ``query``: the job's text over the index's vocabulary; ``market_wage``: the wage
    reference of those who stated none (JobIndex.market_wage)."""
    if prefilter is not None:
        return _on_subset(
            lambda c, a: rank_seekers(
                job, c, a, today, limit_km, k, scope_prefix, group_bit, None, query, market_wage
            ),
            cols,
            alive,
            prefilter,
        )
    t = today.toordinal()
    if scope_prefix is None or not job.valid_from <= today <= job.valid_to:
        return np.zeros(0, dtype=np.int64), {}
    mask = alive.copy()
    if scope_prefix:
        digits = len(scope_prefix)
        mask &= cols["community"] // 10 ** (12 - digits) == int(scope_prefix)
    if group_bit:
        mask &= (cols["groups"] & group_bit) != 0
    if job.edu_rank:
        mask &= cols["edu"] >= job.edu_rank
    age = today.year - cols["birth_year"] - ((today.month * 100 + today.day) < cols["birth_md"])
    if job.age_min is not None:
        mask &= age >= job.age_min
    if job.age_max is not None:
        mask &= age <= job.age_max
    if job.required_certificate != NO_CODE:
        level_ok = (
            (cols["cert_level"] > 0) & (cols["cert_level"] <= job.required_level)
            if (job.required_level)
            else np.ones_like(cols["cert_level"], dtype=bool)
        )
        mask &= ((cols["cert_full"] == job.required_certificate) & level_ok).any(axis=1)
    mask &= (cols["wish_kinds"] == 0) | ((cols["wish_kinds"] >> job.kind) & 1 == 1)
    reserved = reserved_kinds().get(job.kind)
    if reserved:
        mask &= (cols["groups"] & reserved) != 0
    has_point = job.lat is not None and job.lng is not None
    if limit_km is not None:
        if not has_point:
            return np.zeros(0, dtype=np.int64), {}
        mask &= seeker_distance_km(job.lat, job.lng, cols) <= limit_km
    rows = np.flatnonzero(mask)
    target = np.array(job.occupation[:4])
    d = leading_depth(take(cols["wishes"], rows), target)  # (m, slots)
    wish_depth = take(cols["wish_depth"], rows)
    fit = np.where((d >= wish_depth) & (d > 0), 1.0, FIT[d])
    pick = np.argmax(fit * 10 + d, axis=1)  # best fit, then the deeper match
    occupation = np.take_along_axis(fit, pick[:, None], axis=1)[:, 0]
    depth = np.take_along_axis(d, pick[:, None], axis=1)[:, 0]
    # raised when a wished 职业 has the job's as a neighbour (the pairs are kept both
    # ways); the depth stays the codes'
    neighbours = related_table().get(job.occupation[3])
    if neighbours and len(rows):
        wished = take(cols["wishes"], rows)[:, :, 3]
        occupation = np.maximum(
            occupation, _related_fit(wished, wish_depth, neighbours).max(axis=1)
        )
    cert = np.where(
        take(cols["cert_full"], rows) == job.occupation[3],
        1.0,
        np.where(take(cols["cert_minor"], rows) == job.occupation[2], 0.5, 0.0),
    )
    cert_pick = np.argmax(cert, axis=1)
    certificate = cert.max(axis=1) if len(rows) else np.zeros(0)
    wished = take(cols["wish_min_wage"], rows)
    if market_wage is not None:
        wished = np.where(wished < 0, market_wage, wished)
    wage = _wage_fit(job.wage_min, job.wage_max, wished)
    if has_point:
        distance = seeker_distance_km(job.lat, job.lng, cols, rows)
    else:
        distance = np.full(len(rows), np.nan)
    days = np.full(len(rows), max(0, t - job.valid_from.toordinal()))
    text = _deferred_text(cols, rows, query)
    parts = (occupation, depth, certificate, cert_pick, wage, distance, days, text)
    return _best(
        rows, take(cols["pk"], rows), parts, k, seeker_scales(take(cols["wish_max_km"], rows))
    )


# --- exact pruning -------------------------------------------------------------------------
# Whoever shares no 中类 with the other side (and has no wish given at 大类 level that
# covers it) has an occupation fit of at most OCCUPATION_FIT[1]; with every other
# component at its maximum, that bounds their score. Rank the close ones first; when the
# k-th of them scores strictly above the bound, nobody outside can enter the top k. The
# text's maximum is bounded by the query's terms against each term's largest weight in
# the index (``text_bound``), at most 1.


def outside_bound(recency_max: float = 1.0, text_max: float = 1.0) -> float:
    w = weights()
    return (
        w["occupation"] * OCCUPATION_FIT[1]
        + w["certificate"]
        + w["wage"]
        + w["distance"]
        + w["recency"] * recency_max
        + w["text"] * text_max
    )


def seeker_scales(wish_max_km: np.ndarray) -> np.ndarray:
    """rules.distance_scale of each seeker (NaN: none said)."""
    low, high = SCALE_BOUNDS_KM
    return np.where(
        np.isnan(wish_max_km),
        settings.MATCHING["distance_scale_km"],
        np.clip(np.nan_to_num(wish_max_km), low, high),
    )


def _exact(rank, close: np.ndarray, k: int, bound: float, cols: dict, points, scale: float):
    """Rank the close rows; if their k-th beats the bound for everyone else, done. Else,
    when the k-th still beats what someone outside could score from beyond some distance
    D (their distance score is at most e^(-D/scale)), rank the close rows together with
    everyone inside a box around each of the points that holds the D-km circle (rows
    with a second place, a seeker's, are in when either place is): exact again.
    Otherwise rank everyone. Without a point nobody outside scores for distance.
    ``points``: (lat, lng) of each place distances count from; ``scale``: the largest
    distance scale of anyone outside."""
    w = weights()["distance"]
    points = [p for p in points if p[0] is not None and p[1] is not None]
    has_point = bool(points)
    if not has_point:
        bound -= w
    rows, parts = rank(close)
    if len(rows) < k:
        return rank(None)
    kth = parts["score"][-1]
    if kth > bound:
        return rows, parts
    room = kth - (bound - w)  # what the distance score of someone outside must stay under
    if not has_point or room <= 0:
        return rank(None)
    reach = (-scale * np.log(room / w) if room < w else 0.0) + 0.01
    box = np.zeros(len(close), dtype=bool)
    for lat, lng in points:
        dlat = reach / 111.0
        dlng = dlat / max(0.01, np.cos(np.radians(min(89.0, abs(lat) + dlat))))
        for la, ln in (("lat", "lng"), ("lat2", "lng2")):
            if la in cols:
                box |= (
                    (cols[la] >= lat - dlat)
                    & (cols[la] <= lat + dlat)
                    & (cols[ln] >= lng - dlng)
                    & (cols[ln] <= lng + dlng)
                )
    return rank(close | box)


def rank_jobs_pruned(
    profile: PersonProfile,
    cols: dict,
    alive: np.ndarray,
    today: dt.date,
    limit_km: float | None,
    k: int,
    query: np.ndarray | None = None,
    text_bound: float = 1.0,
) -> tuple[np.ndarray, dict]:
    """rank_jobs, scoring first only the jobs in the person's wished 中类 and the
    neighbours of their wished 职业."""
    if not profile.wishes:
        return rank_jobs(profile, cols, alive, today, limit_km, k, query=query)
    occ = cols["occupation"]
    close = np.zeros(len(alive), dtype=bool)
    for wish in profile.wishes:
        close |= occ[:, 1] == wish[1] if wish[4] >= 2 else occ[:, 0] == wish[0]
    if profile.related:
        close |= np.isin(occ[:, 3], np.fromiter(profile.related, dtype=np.int64))
    return _exact(
        lambda pre: rank_jobs(profile, cols, alive, today, limit_km, k, pre, query),
        close,
        k,
        outside_bound(text_max=text_bound),
        cols,
        [(profile.lat, profile.lng), (profile.lat2, profile.lng2)],
        distance_scale(profile.wish_max_km),
    )


def wishing_mask(cols: dict, occupation) -> np.ndarray:
    """Seekers who wish an occupation's 中类, or wished its 大类 as a whole."""
    wishes, depth = cols["wishes"], cols["wish_depth"]
    return (
        (wishes[:, :, 1] == occupation[1]) | ((depth == 1) & (wishes[:, :, 0] == occupation[0]))
    ).any(axis=1)


def rank_seekers_pruned(
    job: JobProfile,
    cols: dict,
    alive: np.ndarray,
    today: dt.date,
    limit_km: float | None,
    k: int,
    scope_prefix: str | None = "",
    group_bit: int = 0,
    query: np.ndarray | None = None,
    text_bound: float = 1.0,
    close: np.ndarray | None = None,
    market_wage: float | None = None,
) -> tuple[np.ndarray, dict]:
    """rank_seekers, scoring first only the people who wish the job's 中类 (or its 大类)
    or a 职业 it is a neighbour of. ``close``: the first mask, when the index keeps it
    (SeekerIndex.wishing)."""
    if close is None:
        close = wishing_mask(cols, job.occupation)
    neighbours = related_table().get(job.occupation[3])
    if neighbours:
        codes = np.array([code for code, _ in neighbours], dtype=np.int64)
        close = close | (np.isin(cols["wishes"][:, :, 3], codes) & (cols["wish_depth"] == 4)).any(
            axis=1
        )
    days = max(0, today.toordinal() - job.valid_from.toordinal())
    recency = float(np.exp(-days / settings.MATCHING["recency_days"]))
    return _exact(
        lambda pre: rank_seekers(
            job, cols, alive, today, limit_km, k, scope_prefix, group_bit, pre, query, market_wage
        ),
        close,
        k,
        outside_bound(recency, text_bound),
        cols,
        [(job.lat, job.lng)],
        float(seeker_scales(cols["wish_max_km"]).max()) if len(alive) else 1.0,
    )
