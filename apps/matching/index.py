"""In-memory column indexes of open jobs and of active job seekers (NumPy arrays), kept
fresh without rebuilds: every query first reads the rows changed since the last one
(``updated_at`` is indexed), and deletions bump a generation that forces a rebuild.

A city's 100,000 open jobs or few hundred thousand seekers fit in tens of megabytes, and
scoring them all is a few vectorized passes."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.jobs.models import Job, JobStatus
from apps.people.models import KeyGroupTag, LabourStatus, Person
from apps.regions.geo import unit_vector

from .features import (
    EDU_RANK,
    KIND_CODE,
    NO_CODE,
    OCCUPATION_CODES,
    community_number,
    groups_mask,
    kinds_mask,
    occupation_levels,
    related_of,
    sync_related,
)
from .rules import WAGE_TOP_CAP, PersonProfile
from .text import TEXT_SLOTS, Vocabulary, job_text, person_text, tokens

GENERATION_KEY = "matching:generation"
WISH_SLOTS = 3  # wished occupations kept per person
CERT_SLOTS = 3  # certificates kept per person
SEEKING_STATUSES = (LabourStatus.UNEMPLOYED, LabourStatus.FLEXIBLE)


class ColumnIndex:
    """Rows addressed by primary key, columns as NumPy arrays, with room to grow."""

    columns: dict[str, tuple[np.dtype, tuple[int, ...], object]] = {}
    # Every index holds each row's text as its TEXT_SLOTS heaviest terms (ids into its
    # vocabulary, -1 for none) and their weights.
    TEXT_COLUMNS = {
        "text_terms": (np.int32, (TEXT_SLOTS,), -1),
        "text_weights": (np.float64, (TEXT_SLOTS,), 0.0),
    }
    # Every index keeps each row's point on the unit sphere, for distances
    # (ranking.distance_km); NaN without coordinates.
    POINT_COLUMNS = {c: (np.float64, (), np.nan) for c in "xyz"}

    @property
    def all_columns(self) -> dict:
        return {**self.columns, **self.TEXT_COLUMNS, **self.POINT_COLUMNS}

    def __init__(self):
        self.lock = threading.RLock()
        self.size = 0
        self.row_of: dict[int, int] = {}
        self.cols: dict[str, np.ndarray] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.synced_at: dt.datetime | None = None
        self.generation = None
        self.vocab = Vocabulary()
        self.max_weight = np.zeros(0)  # each term's largest weight in any row (a bound)
        self.version = 0  # moves on every put and drop: derived caches check it
        self._derived: dict = {}
        self._allocate(0)

    def _allocate(self, capacity: int) -> None:
        old, old_alive = self.cols, self.alive
        self.cols = {
            name: np.full((capacity, *shape), fill, dtype=dtype)
            for name, (dtype, shape, fill) in self.all_columns.items()
        }
        self.alive = np.zeros(capacity, dtype=bool)
        if old:
            for name, array in old.items():
                self.cols[name][: self.size] = array[: self.size]
            self.alive[: self.size] = old_alive[: self.size]

    def put(self, pk: int, values: dict) -> None:
        """Set a row's columns (the unit vector of its point worked out here)."""
        values = dict(
            values,
            **dict(zip("xyz", unit_vector(values.get("lat"), values.get("lng")), strict=True)),
        )
        row = self.row_of.get(pk)
        if row is None:
            if self.size == len(self.alive):
                self._allocate(max(1024, 2 * len(self.alive)))
            row = self.row_of[pk] = self.size
            self.size += 1
        for name, (_, _, fill) in self.all_columns.items():
            self.cols[name][row] = values.get(name, fill)
        self.alive[row] = True
        self.version += 1

    # --- text -----------------------------------------------------------------------------
    def encode_text(self, vector: dict[str, float]) -> dict[str, list]:
        """The text columns of a row from its vector; new terms join the vocabulary."""
        ids = [self.vocab.id(term) for term in vector]
        weights = list(vector.values())
        if len(self.max_weight) < len(self.vocab.terms):
            grown = np.zeros(max(1024, 2 * len(self.vocab.terms)))
            grown[: len(self.max_weight)] = self.max_weight
            self.max_weight = grown
        for i, w in zip(ids, weights, strict=True):
            self.max_weight[i] = max(self.max_weight[i], w)
        pad = TEXT_SLOTS - len(ids)
        return {"text_terms": ids + [-1] * pad, "text_weights": weights + [0.0] * pad}

    def query(self, vector: dict[str, float]) -> np.ndarray | None:
        """A vector as a dense array over the vocabulary (plus the zero the padding points
        at); None when it shares no term with the index."""
        known = [(self.vocab.ids[t], w) for t, w in vector.items() if t in self.vocab.ids]
        if not known:
            return None
        dense = np.zeros(len(self.vocab.terms) + 1)
        for i, w in known:
            dense[i] = w
        return dense

    def text_bound(self, vector: dict[str, float]) -> float:
        """No row's cosine with the vector can exceed this."""
        total = sum(
            w * self.max_weight[self.vocab.ids[t]]
            for t, w in vector.items()
            if t in self.vocab.ids and self.vocab.ids[t] < len(self.max_weight)
        )
        return min(1.0, float(total))

    def text_of(self, row: int) -> dict[str, float]:
        terms, weights = self.cols["text_terms"][row], self.cols["text_weights"][row]
        return {  # as lists: reading NumPy scalars one by one costs more than the rest
            self.vocab.terms[t]: w
            for t, w in zip(terms.tolist(), weights.tolist(), strict=True)
            if t >= 0
        }

    def drop(self, pk: int) -> None:
        row = self.row_of.get(pk)
        if row is not None:
            self.alive[row] = False
            self.version += 1

    def view(self) -> tuple[dict[str, np.ndarray], np.ndarray]:
        return {k: v[: self.size] for k, v in self.cols.items()}, self.alive[: self.size]

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.cols.values()) + self.alive.nbytes

    # --- freshness ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Apply what changed since the last call; rebuild after deletions."""
        with self.lock:
            generation = cache.get(GENERATION_KEY, 0)
            if self.synced_at is None or generation != self.generation:
                self.__init__()
                self.generation = generation
                self.synced_at = timezone.now()
                self.load(None)
                return
            since, self.synced_at = self.synced_at, timezone.now()
            # >= and a little overlap: a row written in the same instant is read again,
            # and putting it twice is harmless.
            self.load(since - dt.timedelta(seconds=1))

    def load(self, since: dt.datetime | None) -> None:
        raise NotImplementedError


def bump_generation(**kwargs) -> None:
    """Deleted rows cannot be seen by ``updated_at``: every index rebuilds on next use."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


class Distinct:
    """Distinct tuples of integers, each once, numbered in order of arrival."""

    def __init__(self, width: int):
        self.width = width
        self.ids: dict[tuple, int] = {}
        self._table = np.zeros((0, width), dtype=np.int64)

    def id(self, key: tuple) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.ids)
            self._table = None
        return found

    def table(self) -> np.ndarray:
        """(distinct, width), row i the tuple numbered i."""
        if self._table is None:
            self._table = np.array(list(self.ids), dtype=np.int64).reshape(-1, self.width)
        return self._table


class JobIndex(ColumnIndex):
    columns = {
        "occupation": (np.int64, (4,), NO_CODE),
        "occupation_id": (np.int32, (), 0),  # the row's occupation in occupation_codes
        "kind": (np.int8, (), -1),
        "wage_min": (np.float64, (), 0.0),  # floats, as the wage fit reads them
        "wage_max": (np.float64, (), 0.0),
        "edu": (np.int8, (), 0),
        "age_min": (np.int16, (), 0),
        "age_max": (np.int16, (), 999),
        "lat": (np.float64, (), np.nan),
        "lng": (np.float64, (), np.nan),
        "valid_from": (np.int32, (), 0),
        "valid_to": (np.int32, (), 0),
        "required_certificate": (np.int64, (), NO_CODE),
        "required_level": (np.int8, (), 0),
        "region": (np.int64, (), 0),
        "headcount": (np.int32, (), 0),
        # The day the employer leaves the wage-arrears blacklist (欠薪黑名单), as an ordinal;
        # 0 when it is not on it. Until then its jobs are neither recommended nor pushed.
        "blocked_to": (np.int32, (), 0),
        "pk": (np.int64, (), 0),
    }
    FIELDS = (
        "id",
        "occupation_id",
        "kind",
        "wage_min",
        "wage_max",
        "education_min",
        "age_min",
        "age_max",
        "lat",
        "lng",
        "valid_from",
        "valid_to",
        "required_certificate_id",
        "required_level",
        "region_id",
        "status",
        "headcount",
        "employer__blacklisted",
        "employer__blacklist_to",
        "title",
        "skills",
        "certificates",
        "description",
    )

    def __init__(self):
        super().__init__()
        # Each distinct occupation once (its four levels), so that a person's occupation
        # fit is worked out per occupation (hundreds in a city) rather than per job.
        self.occupations = Distinct(4)

    def put(self, pk: int, values: dict) -> None:
        super().put(
            pk, {**values, "occupation_id": self.occupations.id(tuple(values["occupation"]))}
        )

    @property
    def market_wage(self) -> float | None:
        """The median midpoint wage of the open jobs (在招岗位薪资中位数): the reference the
        wage fit holds a job to for a person who stated no expected wage (rules.wage_fit).
        Kept until the index changes."""
        cached = self._derived.get("market_wage")
        if cached is None or cached[0] != self.version:
            cols, alive = self.view()
            low = cols["wage_min"][alive].astype(np.float64)
            mids = (low + np.minimum(cols["wage_max"][alive], WAGE_TOP_CAP * low)) / 2
            value = float(np.median(mids)) if len(mids) else None
            cached = self._derived["market_wage"] = (self.version, value)
        return cached[1]

    def view(self) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The columns, and the rows alive: open and not of an employer on the blacklist
        today (so every ranking, the push and the circles leave those jobs out)."""
        cols, alive = super().view()
        cols[OCCUPATION_CODES] = self.occupations.table()  # a table, not a column
        return cols, alive & (cols["blocked_to"] <= timezone.localdate().toordinal())

    def load(self, since):
        today = timezone.localdate()
        qs = Job.objects.all()
        if since is None:
            qs = qs.filter(status=JobStatus.OPEN, valid_to__gte=today)
            rows = qs.order_by().values_list(*self.FIELDS).iterator(chunk_size=5000)
            self.put_rows(rows, fit=True)
            return
        self.put_rows(qs.filter(updated_at__gte=since).order_by().values_list(*self.FIELDS))
        # and the jobs of employers changed since (put on or taken off the blacklist): two
        # indexed reads, not one OR across the join that would scan every job
        from apps.employers.models import Employer

        changed = list(Employer.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
        for start in range(0, len(changed), 500):
            self.put_rows(
                qs.filter(employer_id__in=changed[start : start + 500])
                .order_by()
                .values_list(*self.FIELDS)
            )

    def put_rows(self, rows, *, any_status: bool = False, fit: bool = False) -> None:
        """Index rows of FIELDS; jobs no longer open are dropped unless ``any_status``
        (the evaluation ranks jobs as they were when people applied). ``fit``: the rows
        are the whole corpus, learn the vocabulary's document frequencies from them."""
        rows = [(*row, tokens(job_text(*row[-4:]))) for row in rows]
        if fit:
            self.vocab.fit(row[-1] for row in rows)
        for row in rows:
            (
                pk,
                occupation,
                kind,
                wage_min,
                wage_max,
                education,
                age_min,
                age_max,
                lat,
                lng,
                valid_from,
                valid_to,
                certificate,
                level,
                region,
                status,
                headcount,
                blacklisted,
                blacklist_to,
                _title,
                _skills,
                _certificates,
                _description,
                words,
            ) = row
            if status != JobStatus.OPEN and not any_status:
                self.drop(pk)
                continue
            self.put(
                pk,
                {
                    "pk": pk,
                    "occupation": occupation_levels(occupation)[:4],
                    "kind": KIND_CODE[kind],
                    "edu": EDU_RANK.get(education, 0),
                    "age_min": age_min or 0,
                    "age_max": age_max if age_max is not None else 999,
                    "required_certificate": occupation_levels(certificate)[3],
                    "required_level": level or 0,
                    "wage_min": wage_min,
                    "wage_max": wage_max,
                    "lat": np.nan if lat is None else lat,
                    "lng": np.nan if lng is None else lng,
                    "valid_from": valid_from.toordinal(),
                    "valid_to": valid_to.toordinal(),
                    "region": community_number(region),
                    "headcount": headcount,
                    "blocked_to": (
                        0
                        if any_status or not blacklisted or blacklist_exempt(region)
                        else blacklist_to.toordinal()
                        if blacklist_to
                        else FOREVER
                    ),
                    **self.encode_text(self.vocab.vector_of(words)),
                },
            )


FOREVER = 9_999_999  # an ordinal after any date: on the blacklist with no end set


def blacklist_exempt(region: str) -> bool:
    """A region whose bureau has chosen to show blacklisted employers' jobs in matching
    (BLACKLIST_EXEMPT_REGIONS; none by default): they are still flagged on the board."""
    return any(region.startswith(p) for p in settings.BLACKLIST_EXEMPT_REGIONS)


class SeekerIndex(ColumnIndex):
    """People looking for work: unemployed or in flexible employment, or with job wishes."""

    # The evaluation indexes everyone who applied, whatever they do now.
    keep_all = False

    columns = {
        "pk": (np.int64, (), 0),
        "lat": (np.float64, (), np.nan),
        "lng": (np.float64, (), np.nan),
        "birth_year": (np.int16, (), 0),
        "birth_md": (np.int16, (), 0),
        "edu": (np.int8, (), 0),
        "wishes": (np.int64, (WISH_SLOTS, 4), NO_CODE),
        "wish_depth": (np.int8, (WISH_SLOTS,), 0),
        "wish_kinds": (np.int16, (), 0),  # bits of KIND_CODE; 0: any kind
        "wish_min_wage": (np.int32, (), -1),
        "wish_max_km": (np.float64, (), np.nan),  # the commute a person accepts
        "from_work": (np.bool_, (), False),  # lat/lng are the wished place of work
        # a second wished place of work (NaN: none) and its unit vector
        "lat2": (np.float64, (), np.nan),
        "lng2": (np.float64, (), np.nan),
        "x2": (np.float64, (), np.nan),
        "y2": (np.float64, (), np.nan),
        "z2": (np.float64, (), np.nan),
        "groups": (np.int64, (), 0),
        "cert_full": (np.int64, (CERT_SLOTS,), NO_CODE),
        "cert_minor": (np.int64, (CERT_SLOTS,), NO_CODE),
        "cert_level": (np.int8, (CERT_SLOTS,), 0),
        "community": (np.int64, (), 0),
    }
    # Distances count from the wished place of work where there is one (both or neither
    # are set), else from home.
    FIELDS = (
        "id",
        Coalesce("work_lat", "lat"),
        Coalesce("work_lng", "lng"),
        "birth_date",
        "education",
        "wish_job_kinds",
        "wish_min_wage",
        "community_id",
        "labour_status",
        "skills",
        "major",
        "wish_max_distance_km",
        "work_lat",
        "work_lat_2",
        "work_lng_2",
    )

    def refresh(self) -> None:
        # People's texts are weighed with the jobs' document frequencies. The job index is
        # asked before this one's lock is taken: a push holds the jobs' lock and then
        # this one's, so taking them the other way round could deadlock.
        self._job_vocab = job_index().vocab
        super().refresh()

    def load(self, since):
        qs = Person.objects.all()
        if since is None:
            self.vocab = self._job_vocab.copy()
            with_wishes = Person.wish_occupations.through.objects.values("person_id")
            qs = qs.filter(Q(labour_status__in=SEEKING_STATUSES) | Q(pk__in=with_wishes))
        else:
            qs = qs.filter(updated_at__gte=since)
        batch: list[tuple] = []
        for row in qs.order_by().values_list(*self.FIELDS).iterator(chunk_size=5000):
            batch.append(row)
            if len(batch) == 5000:
                self._load_batch(batch)
                batch = []
        self._load_batch(batch)

    def load_people(self, pks) -> None:
        """Index exactly these people (with ``keep_all``: whatever their status)."""
        pks = list(pks)
        for start in range(0, len(pks), 5000):
            self._load_batch(
                list(
                    Person.objects.filter(pk__in=pks[start : start + 5000])
                    .order_by()
                    .values_list(*self.FIELDS)
                )
            )

    def _load_batch(self, rows: list[tuple]) -> None:
        if not rows:
            return
        pks = [row[0] for row in rows]
        wishes, certs, groups = defaultdict(list), defaultdict(list), defaultdict(list)
        through = Person.wish_occupations.through
        names = defaultdict(list)
        for pk, code, name in (
            through.objects.filter(person_id__in=pks)
            .values_list("person_id", "occupation_id", "occupation__name")
            .order_by("person_id", "id")
        ):
            wishes[pk].append(occupation_levels(code))
            names[pk].append(name)
        from apps.people.models import Certificate

        for pk, code, level in Certificate.objects.filter(
            person_id__in=pks, occupation__isnull=False
        ).values_list("person_id", "occupation_id", "level"):
            certs[pk].append((occupation_levels(code), level))
        for pk, group in KeyGroupTag.objects.filter(
            person_id__in=pks, end__isnull=True
        ).values_list("person_id", "group"):
            groups[pk].append(group)
        for row in rows:
            pk, lat, lng, birth, edu, kinds, wage, community, status, skills, major = row[:11]
            km, work_lat, lat2, lng2 = row[11:]
            if status not in SEEKING_STATUSES and not wishes[pk] and not self.keep_all:
                self.drop(pk)
                continue
            w = wishes[pk][:WISH_SLOTS]
            c = sorted(certs[pk], key=lambda item: item[1] or 9)[:CERT_SLOTS]
            self.put(
                pk,
                {
                    "pk": pk,
                    "lat": np.nan if lat is None else lat,
                    "lng": np.nan if lng is None else lng,
                    "birth_year": birth.year,
                    "birth_md": birth.month * 100 + birth.day,
                    "edu": EDU_RANK.get(edu, 0),
                    "wishes": [x[:4] for x in w] + [(NO_CODE,) * 4] * (WISH_SLOTS - len(w)),
                    "wish_depth": [x[4] for x in w] + [0] * (WISH_SLOTS - len(w)),
                    "wish_kinds": kinds_mask(kinds),
                    "wish_min_wage": wage if wage is not None else -1,
                    "wish_max_km": np.nan if km is None else km,
                    "from_work": work_lat is not None,
                    **self.second_place(lat2, lng2),
                    "groups": groups_mask(groups[pk]),
                    "cert_full": [x[0][3] for x in c] + [NO_CODE] * (CERT_SLOTS - len(c)),
                    "cert_minor": [x[0][2] for x in c] + [NO_CODE] * (CERT_SLOTS - len(c)),
                    "cert_level": [x[1] or 0 for x in c] + [0] * (CERT_SLOTS - len(c)),
                    "community": community_number(community),
                    **self.encode_text(
                        self.vocab.vector(person_text(names[pk][:WISH_SLOTS], skills, major))
                    ),
                },
            )

    @staticmethod
    def second_place(lat, lng) -> dict:
        """The columns of a second wished place of work (NaN: none)."""
        if lat is None or lng is None:
            return {}
        x, y, z = unit_vector(lat, lng)
        return {"lat2": lat, "lng2": lng, "x2": x, "y2": y, "z2": z}

    def wishing(self, occupation) -> np.ndarray:
        """The mask of seekers wishing an occupation's 中类 (ranking.wishing_mask), kept
        until the index changes: per query it is most of a candidate search's cost."""
        from .ranking import wishing_mask

        key = (occupation[0], occupation[1])
        cached = self._derived.get(key)
        if cached is None or cached[0] != self.version:
            cached = self._derived[key] = (self.version, wishing_mask(self.view()[0], occupation))
            if len(self._derived) > 256:
                self._derived = {key: cached}
        return cached[1]

    def profile(
        self, row: int, today: dt.date, certificates: list, market_wage: float | None = None
    ) -> PersonProfile:
        """The matching profile of one indexed seeker; ``certificates`` as from
        services.certificates_of (the index keeps their codes, not their names);
        ``market_wage``: the job index's."""
        cols = self.cols
        wishes = [
            (*(int(x) for x in cols["wishes"][row, s]), int(cols["wish_depth"][row, s]))
            for s in range(WISH_SLOTS)
            if cols["wish_depth"][row, s]
        ]
        lat, lng = float(cols["lat"][row]), float(cols["lng"][row])
        lat2, lng2 = float(cols["lat2"][row]), float(cols["lng2"][row])
        commute = float(cols["wish_max_km"][row])
        md = today.month * 100 + today.day
        return PersonProfile(
            person_id=int(cols["pk"][row]),
            lat=None if math.isnan(lat) else lat,
            lng=None if math.isnan(lng) else lng,
            lat2=None if math.isnan(lat2) else lat2,
            lng2=None if math.isnan(lng2) else lng2,
            age=today.year - int(cols["birth_year"][row]) - (md < int(cols["birth_md"][row])),
            edu_rank=int(cols["edu"][row]),
            wishes=wishes,
            wish_kinds=int(cols["wish_kinds"][row]),
            wish_min_wage=(
                int(cols["wish_min_wage"][row]) if cols["wish_min_wage"][row] >= 0 else None
            ),
            wish_max_km=None if math.isnan(commute) else commute,
            from_work_place=bool(cols["from_work"][row]),
            groups=int(cols["groups"][row]),
            certificates=certificates,
            text=self.text_of(row),
            related=related_of(wishes),
            market_wage=market_wage,
        )


_jobs = JobIndex()
_seekers = SeekerIndex()


def job_index() -> JobIndex:
    sync_related()  # the neighbours (相近职业), when the classification was loaded again
    _jobs.refresh()
    return _jobs


def seeker_index() -> SeekerIndex:
    _seekers.refresh()
    return _seekers
