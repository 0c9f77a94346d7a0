"""The job ranking's inner loop, compiled (numba): every hard filter, every component and
the k best of one person's ranking in one pass over the job rows, instead of some forty
NumPy passes over them, each writing a temporary array. A row is scored in stages and
left as soon as a bound shows that it cannot reach the k best found so far, so most rows
never have their distance or text worked out. ``ranking.rank_jobs`` prepares the
arguments and reads the result; the tests hold it equal to the plain rules.

Compiled at the first ranking that finds no compiled copy (about 5 s), which is kept
beside this file (or in NUMBA_CACHE_DIR) for the processes after it."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# rules.WAGE_BAND and WAGE_TOP_CAP (this module stays free of Django; a test holds them
# equal)
WAGE_BAND = 0.25
WAGE_TOP_CAP = 1.5

# Columns of the result, one row per job kept, best first.
RESULT = (
    "score",
    "occupation",
    "depth",
    "certificate",
    "cert_pick",
    "wage",
    "distance",
    "distance_km",
    "recency",
    "days",
    "text",
)
NO_LEVEL = 127  # a certificate without a level: it meets no required level


@njit(cache=True, nogil=True, inline="always")
def _wage_fit(wage_min, wage_max, wish):
    """ranking._wage_fit for one job (rules.wage_fit): 0.5 where the range's midpoint
    meets the wish, 1 from WAGE_BAND above it, 0 from WAGE_BAND below; 0 without a wish
    (negative), 1 for a wish of 0."""
    if wish < 0:
        return 0.0
    if wish == 0:
        return 1.0
    mid = (wage_min + min(wage_max, WAGE_TOP_CAP * wage_min)) / 2
    return min(1.0, max(0.0, 0.5 + (mid - wish) / (2 * WAGE_BAND * wish)))


@njit(cache=True, nogil=True, inline="always")
def _recency(days, recency_of, recency_days):
    """e^(-days / recency_days), from the table of the first days."""
    return recency_of[days] if days < len(recency_of) else math.exp(-days / recency_days)


@njit(cache=True, nogil=True, inline="always")
def _chord(x, y, z, px, py, pz):
    """The chord between two unit vectors (NaN when either has no point)."""
    return math.sqrt((x - px) ** 2 + (y - py) ** 2 + (z - pz) ** 2)


@njit(cache=True, nogil=True, inline="always")
def _nearer_chord(x, y, z, point, second):
    """The chord to the nearer of the person's places (``second``: NaN for none)."""
    chord = _chord(x, y, z, point[0], point[1], point[2])
    other = _chord(x, y, z, second[0], second[1], second[2])
    return other if other < chord else chord  # a comparison with NaN is false


@njit(cache=True, nogil=True, inline="always")
def _km(chord, earth_radius_km):
    """Great-circle km from the chord (ranking.distance_km)."""
    return 2 * earth_radius_km * math.asin(chord / 2)


@njit(cache=True, nogil=True, inline="always")
def _near(km, scale):
    """The distance score e^(-km / scale); none without a distance."""
    return 0.0 if math.isnan(km) else math.exp(-km / scale)


@njit(cache=True, nogil=True, inline="always")
def _near_bound(chord, earth_radius_km, scale):
    """At least the distance score, without its transcendental functions: km ≥ R·chord
    (asin v ≥ v) and e^-u ≤ 1 / (1 + u + u²/2 + u³/6), with room for rounding."""
    u = earth_radius_km * chord / scale
    return min(1.0, (1 + 1e-9) / (1 + u * (1 + u * (0.5 + u / 6))))


@njit(cache=True, nogil=True, inline="always")
def _text(r, terms, weights, query):
    """The cosine of text row r with the query (a dense vector over the vocabulary; a
    term it is too short to know weighs nothing there, and is never read past its end)."""
    text = 0.0
    for s in range(terms.shape[1]):
        if 0 <= terms[r, s] < len(query):
            text += weights[r, s] * query[terms[r, s]]
    return text


@njit(cache=True, nogil=True, inline="always")
def _worse(score_a, id_a, score_b, id_b):
    """Whether a ranks after b: a lower score, or an equal score and a larger id."""
    return score_a < score_b or (score_a == score_b and id_a > id_b)


@njit(cache=True, nogil=True, inline="always")
def _swap(scores, ids, where, a, b):
    """Swap two entries of the heap."""
    scores[a], scores[b] = scores[b], scores[a]
    ids[a], ids[b] = ids[b], ids[a]
    where[a], where[b] = where[b], where[a]


@njit(cache=True, nogil=True)
def _sift_down(scores, ids, where, i, n):
    """Restore the heap (its root the worst kept) below position i."""
    while True:
        child = 2 * i + 1
        if child >= n:
            return
        if child + 1 < n and _worse(scores[child + 1], ids[child + 1], scores[child], ids[child]):
            child += 1
        if not _worse(scores[child], ids[child], scores[i], ids[i]):
            return
        _swap(scores, ids, where, i, child)
        i = child


@njit(cache=True, nogil=True)
def _sift_up(scores, ids, where, i):
    """Restore the heap above position i (a new entry)."""
    while i > 0:
        parent = (i - 1) // 2
        if not _worse(scores[i], ids[i], scores[parent], ids[parent]):
            return
        _swap(scores, ids, where, i, parent)
        i = parent


@njit(cache=True, nogil=True)
def _occupation_fit(codes, wishes, cert_codes, cert_minor, fit_of_depth, related, related_fit):
    """Per distinct occupation: the fit of the person's best wish (a wish given at a
    coarser level is fully met inside it) and its depth in common, raised to its fit as
    a neighbour of a wished 职业 (``related``: full codes, ``related_fit``) when higher;
    the certificate of that occupation (1) or of its 小类 (0.5), and which certificate."""
    n = len(codes)
    fit, depth = np.zeros(n), np.zeros(n, dtype=np.int64)
    certificate, pick = np.zeros(n), np.full(n, -1, dtype=np.int64)
    for o in range(n):
        for m in range(len(wishes)):
            d = 0
            while d < 4 and codes[o, d] != -1 and codes[o, d] == wishes[m, d]:
                d += 1
            f = 1.0 if d >= wishes[m, 4] and d > 0 else fit_of_depth[d]
            if f > fit[o] or (f == fit[o] and d > depth[o]):
                fit[o], depth[o] = f, d
        for r in range(len(related)):
            if codes[o, 3] == related[r] and related_fit[r] > fit[o]:
                fit[o] = related_fit[r]
        for c in range(len(cert_codes)):
            value = (
                1.0
                if codes[o, 3] == cert_codes[c]
                else 0.5
                if codes[o, 2] == cert_minor[c]
                else 0.0
            )
            if value > certificate[o]:
                certificate[o], pick[o] = value, c
    return fit, depth, certificate, pick


@njit(cache=True, nogil=True)
def rank_jobs_kernel(
    alive,
    rows,
    valid_from,
    valid_to,
    edu,
    age_min,
    age_max,
    required_certificate,
    required_level,
    kind,
    occupation_id,
    wage_min,
    wage_max,
    x,
    y,
    z,
    pk,
    text_terms,
    text_weights,
    t,
    edu_rank,
    age,
    cert_codes,
    cert_levels,
    wish_kinds,
    blocked_kinds,
    limit_km,
    point,
    second,
    wish_wage,
    codes,
    wishes,
    cert_minor,
    fit_of_depth,
    related,
    related_fit,
    min_fit,
    query,
    w,
    distance_scale_km,
    recency_of,
    recency_days,
    earth_radius_km,
    text_max,
    k,
):
    """The k best of the rows (index rows; empty: every row) passing every hard filter,
    best first (ties by pk), and their components (columns as RESULT).

    ``occupation_id``: each row's occupation in ``codes`` (its four levels, once per
    distinct occupation); ``wishes``: the person's occupation_levels() (depth last);
    ``cert_codes``, ``cert_minor``, ``cert_levels``: their certificates' occupation and
    小类 and level; ``fit_of_depth``: rules.OCCUPATION_FIT; ``related``/``related_fit``:
    the neighbours of the wished 职业 and their fit (PersonProfile.related);
    ``wish_kinds``: bits of the kinds wished, 0 for any; ``min_fit``: rows whose
    occupation fits less are left (the push's minimum; 0 for none). ``point``: the person's unit
    vector, NaN without coordinates; ``second``: their second wished place's, NaN for
    none (distances count from the nearer); ``limit_km`` NaN for no limit; ``wish_wage``
    negative for none; ``query`` empty for no text; ``w``: the weights of
    occupation, certificate, wage, distance, recency and text; ``recency_of``: the
    recency score of 0, 1, 2 … days; ``text_max``: no row's text exceeds it.

    The score is summed in the order ranking._best sums it. Floating-point addition is
    monotone, so a sum with a component replaced by its bound is at least the score: a
    row whose bound falls below the k-th best so far is left (ties stay: they may win on
    the id), and the rows kept are exactly those of scoring every row."""
    occupation_fit, occupation_depth, certificate_fit, certificate_pick = _occupation_fit(
        codes, wishes, cert_codes, cert_minor, fit_of_depth, related, related_fit
    )
    w0, w1, w2, w3, w4, w5 = w[0], w[1], w[2], w[3], w[4], w[5]
    scale, radius = distance_scale_km, earth_radius_km
    has_limit, has_query = not math.isnan(limit_km), len(query) > 0
    heap_score = np.empty(k)
    heap_id = np.empty(k, dtype=np.int64)
    heap_pos = np.empty(k, dtype=np.int64)
    size, worst = 0, -math.inf
    every = len(rows) == 0
    for j in range(len(alive) if every else len(rows)):
        i = j if every else rows[j]
        # hard filters
        if not alive[i] or valid_from[i] > t or valid_to[i] < t:
            continue
        if (edu[i] != 0 and edu[i] > edu_rank) or age_min[i] > age or age_max[i] < age:
            continue
        if wish_kinds != 0 and not (wish_kinds >> kind[i]) & 1:
            continue
        needed = required_certificate[i]
        if needed != -1:
            certified = False
            for c in range(len(cert_codes)):
                if cert_codes[c] == needed and (
                    required_level[i] == 0 or cert_levels[c] <= required_level[i]
                ):
                    certified = True
            if not certified:
                continue
        if occupation_fit[occupation_id[i]] < min_fit:  # the push's least fit
            continue
        blocked = False
        for b in range(len(blocked_kinds)):
            blocked |= kind[i] == blocked_kinds[b]
        if blocked:
            continue
        chord = _nearer_chord(x[i], y[i], z[i], point, second)
        if has_limit and not _km(chord, radius) <= limit_km:
            continue
        # the score, in stages
        o = occupation_id[i]
        wage = _wage_fit(wage_min[i], wage_max[i], wish_wage)
        recency = _recency(max(0, t - valid_from[i]), recency_of, recency_days)
        base = w0 * occupation_fit[o] + w1 * certificate_fit[o] + w2 * wage
        if base + w3 + w4 * recency + w5 * text_max < worst:
            continue
        if not math.isnan(chord):
            bound = _near_bound(chord, radius, scale)
            if base + w3 * bound + w4 * recency + w5 * text_max < worst:
                continue
        partial = base + w3 * _near(_km(chord, radius), scale) + w4 * recency
        if partial + w5 * text_max < worst:
            continue
        text = 0.0
        if has_query:
            text = _text(i, text_terms, text_weights, query)
        score = partial + w5 * text
        # the k best so far, in a heap whose root is the worst of them
        if size < k:
            heap_score[size], heap_id[size], heap_pos[size] = score, pk[i], i
            _sift_up(heap_score, heap_id, heap_pos, size)
            size += 1
            if size == k:
                worst = heap_score[0]
        elif _worse(heap_score[0], heap_id[0], score, pk[i]):
            heap_score[0], heap_id[0], heap_pos[0] = score, pk[i], i
            _sift_down(heap_score, heap_id, heap_pos, 0, size)
            worst = heap_score[0]
    # best first: the worst taken off the heap, placed from the back
    found = np.empty(size, dtype=np.int64)
    for j in range(size - 1, -1, -1):
        found[j] = heap_pos[0]
        heap_score[0], heap_id[0], heap_pos[0] = heap_score[j], heap_id[j], heap_pos[j]
        _sift_down(heap_score, heap_id, heap_pos, 0, j)
    # the components of the rows kept, by the same steps
    out = np.empty((size, len(RESULT)))
    for j in range(size):
        i = found[j]
        o = occupation_id[i]
        km = _km(_nearer_chord(x[i], y[i], z[i], point, second), radius)
        near = _near(km, scale)
        wage = _wage_fit(wage_min[i], wage_max[i], wish_wage)
        days = max(0, t - valid_from[i])
        recency = _recency(days, recency_of, recency_days)
        text = 0.0
        if has_query:
            text = _text(i, text_terms, text_weights, query)
        base = w0 * occupation_fit[o] + w1 * certificate_fit[o] + w2 * wage
        out[j, 0] = base + w3 * near + w4 * recency + w5 * text
        out[j, 1] = occupation_fit[o]
        out[j, 2] = occupation_depth[o]
        out[j, 3] = certificate_fit[o]
        out[j, 4] = certificate_pick[o]
        out[j, 5] = wage
        out[j, 6] = near
        out[j, 7] = km
        out[j, 8] = recency
        out[j, 9] = days
        out[j, 10] = text
    return found, out
