"""How good is the matching? Held-out hires on a time split (`evaluate_matching`).

The recorded applications are split by date: hires of the latest month (or from
``test_from``) are the test set; everything earlier trains the re-ranker. For each test
hire the rules rank, as of the day the person applied, every job that was posted then
(worker→jobs), and for each job with a test hire they rank everyone who applied to
anything or is seeking work (job→candidates). NDCG@10, recall@10 and MRR of the hired
counterpart are reported for the rule order and for the re-ranked order of the same
shortlist, side by side.

Training labels per shortlisted pair: hired 3, interviewed 2, applied or turned down 1,
nothing recorded 0 (a withdrawn application counts as nothing)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.jobs.models import Job

from .index import JobIndex, SeekerIndex, seeker_index
from .models import Application
from .ranking import rank_jobs, rank_seekers
from .rerank import FEATURES, feature_matrix, rerank_order, save_model, take
from .services import certificates_of, job_profile

Stage = Application.Stage
LABEL = {Stage.HIRED: 3, Stage.INTERVIEW: 2, Stage.APPLIED: 1, Stage.REJECTED: 1}
K = 10


class EvaluationError(ValueError):
    """Not enough recorded outcomes to evaluate; the message says what is missing."""


def ranking_metrics(ranked: list[int], relevant: set[int], k: int = K) -> tuple[float, ...]:
    """(NDCG@k, recall@k, reciprocal rank) of one ranked list with binary relevance."""
    gains = [1.0 if pk in relevant else 0.0 for pk in ranked]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    first = next((i for i, g in enumerate(gains) if g), None)
    return (
        dcg / ideal if ideal else 0.0,
        sum(gains[:k]) / len(relevant) if relevant else 0.0,
        0.0 if first is None else 1.0 / (first + 1),
    )


@dataclass
class Query:
    key: int  # the person (worker→jobs) or the job (job→candidates)
    day: dt.date
    labels: dict[int, int]  # counterpart pk → label
    hired: set[int]


@dataclass
class Side:
    """One direction's figures."""

    direction: str
    train_queries: int = 0
    test_queries: int = 0
    retrieved: int = 0  # test queries whose hire was in the shortlist
    rule: tuple[float, float, float] = (0.0, 0.0, 0.0)
    reranked: tuple[float, float, float] | None = None
    examples: list[dict] = field(default_factory=list)
    model: object = None
    note: str = ""

    @property
    def improves(self) -> bool:
        return self.reranked is not None and self.reranked[0] > self.rule[0]


@dataclass
class Report:
    test_from: dt.date
    train_hires: int
    test_hires: int
    jobs_pool: int
    people_pool: int
    shortlist: int
    sides: list[Side]


# --- the data ---------------------------------------------------------------------------
def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def split_day(test_from: dt.date | None) -> dt.date:
    if test_from:
        return test_from
    latest = (
        Application.objects.filter(stage=Stage.HIRED, decided_at__isnull=False)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if latest is None:
        raise EvaluationError("还没有录用记录:先记录申请、面试和录用,再评估匹配效果")
    return _month_start(timezone.localtime(latest).date())


def _queries(applications: list[Application], direction: str) -> list[Query]:
    """Queries of one period: per person (worker→jobs) or per job (job→candidates), as of
    the first day they applied / were applied to in the period."""
    groups: dict[int, list[Application]] = defaultdict(list)
    for a in applications:
        groups[a.person_id if direction == "jobs" else a.job_id].append(a)
    out = []
    for key, items in groups.items():
        labels = {}
        for a in items:
            other = a.job_id if direction == "jobs" else a.person_id
            labels[other] = max(labels.get(other, 0), LABEL.get(a.stage, 0))
        out.append(
            Query(
                key=key,
                day=min(timezone.localtime(a.created_at).date() for a in items),
                labels=labels,
                hired={o for o, label in labels.items() if label == 3},
            )
        )
    return sorted(out, key=lambda q: (q.day, q.key))


def _pools(applications: list[Application]) -> tuple[JobIndex, SeekerIndex]:
    """Every job posted during the periods (any status now) and everyone who applied or
    is seeking work."""
    first = min(timezone.localtime(a.created_at).date() for a in applications)
    last = max(timezone.localtime(a.created_at).date() for a in applications)
    jobs = JobIndex()
    applied_jobs = {a.job_id for a in applications}
    jobs.put_rows(
        Job.objects.filter(Q(valid_from__lte=last, valid_to__gte=first) | Q(pk__in=applied_jobs))
        .order_by()
        .values_list(*JobIndex.FIELDS)
        .iterator(chunk_size=5000),
        any_status=True,
        fit=True,
    )
    people = SeekerIndex()
    people.keep_all = True
    people.vocab = jobs.vocab.copy()
    current = seeker_index()
    with current.lock:
        cols, alive = current.view()
        seeking = set(cols["pk"][alive].tolist())
    people.load_people(seeking | {a.person_id for a in applications})
    return jobs, people


# --- ranking one query --------------------------------------------------------------------
def _shortlist(query: Query, direction: str, jobs: JobIndex, people: SeekerIndex, size: int):
    """(counterpart pks, components) of the rules' best `size` for a query."""
    if direction == "jobs":
        row = people.row_of.get(query.key)
        if row is None:
            return [], {}
        profile = people.profile(
            row, query.day, certificates_of([query.key]).get(query.key, []), jobs.market_wage
        )
        cols, alive = jobs.view()
        rows, parts = rank_jobs(
            profile, cols, alive, query.day, None, size, query=jobs.query(profile.text)
        )
    else:
        profile = job_profile(Job.objects.get(pk=query.key), people.vocab)
        cols, alive = people.view()
        rows, parts = rank_seekers(
            profile,
            cols,
            alive,
            query.day,
            None,
            size,
            query=people.query(profile.text),
            market_wage=jobs.market_wage,
        )
    return cols["pk"][rows].tolist(), parts


def _rank_all(queries, direction, jobs, people, size):
    return [(q, *_shortlist(q, direction, jobs, people, size)) for q in queries]


# --- training -----------------------------------------------------------------------------
def train(ranked, seed: int = 0):
    """A lambdarank model from the shortlists of the training queries, or None when there
    are too few queries with a positive label."""
    X, y, groups = [], [], []
    for query, pks, parts in ranked:
        labels = [query.labels.get(pk, 0) for pk in pks]
        if not pks or not any(labels) or len(set(labels)) < 2:
            continue
        X.append(feature_matrix(parts))
        y += labels
        groups.append(len(pks))
    if len(groups) < 20:
        return None
    import lightgbm

    params = {
        "objective": "lambdarank",
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 20,
        "label_gain": [0, 1, 3, 7],
        "lambdarank_truncation_level": K,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 1,
        "verbose": -1,
    }
    data = lightgbm.Dataset(np.vstack(X), np.array(y), group=groups, feature_name=list(FEATURES))
    return lightgbm.train(params, data, num_boost_round=150)


# --- the evaluation -----------------------------------------------------------------------
def _mean(values: list[tuple[float, ...]]) -> tuple[float, float, float]:
    if not values:
        return (0.0, 0.0, 0.0)
    return tuple(float(np.mean([v[i] for v in values])) for i in range(3))  # type: ignore[return-value]


def evaluate(
    test_from: dt.date | None = None, shortlist: int | None = None, examples: int = 3
) -> Report:
    size = shortlist or settings.MATCHING["shortlist"]
    cut = split_day(test_from)
    recorded = list(
        Application.objects.exclude(stage=Stage.WITHDRAWN).only(
            "person_id", "job_id", "stage", "created_at", "decided_at"
        )
    )
    train_set = [a for a in recorded if timezone.localtime(a.created_at).date() < cut]
    test_set = [
        a
        for a in recorded
        if a.stage == Stage.HIRED
        and a.decided_at is not None
        and timezone.localtime(a.decided_at).date() >= cut
    ]
    if not test_set:
        raise EvaluationError(f"{cut}以后没有录用记录,无法测试")
    if not train_set:
        raise EvaluationError(f"{cut}以前没有申请记录,无法训练")
    # A test hire's application may predate the cut: it is held out of training all the same.
    held_out = {(a.person_id, a.job_id) for a in test_set}
    train_set = [a for a in train_set if (a.person_id, a.job_id) not in held_out]
    jobs, people = _pools(recorded)
    sides = []
    for direction in ("jobs", "candidates"):
        side = Side(direction)
        train_ranked = _rank_all(_queries(train_set, direction), direction, jobs, people, size)
        side.train_queries = len(train_ranked)
        model = train(train_ranked)
        test_ranked = _rank_all(_queries(test_set, direction), direction, jobs, people, size)
        side.test_queries = len(test_ranked)
        rule_scores, model_scores = [], []
        for query, pks, parts in test_ranked:
            rule_scores.append(ranking_metrics(pks, query.hired))
            side.retrieved += bool(query.hired & set(pks))
            if model is not None:
                order = rerank_order(model, parts)
                reordered = [pks[i] for i in order]
                model_scores.append(ranking_metrics(reordered, query.hired))
                if len(side.examples) < examples and query.hired & set(pks[:K] + reordered[:K]):
                    side.examples.append(
                        {
                            "query": query.key,
                            "hired": sorted(query.hired),
                            "rule": pks[:K],
                            "reranked": reordered[:K],
                            "scores": take(parts, order)["score"][:K].round(3).tolist(),
                        }
                    )
        side.rule = _mean(rule_scores)
        if model is None:
            side.note = "训练数据不足(少于20个有正例的查询),未训练重排模型"
        else:
            side.reranked = _mean(model_scores)
            side.model = model
        sides.append(side)
    return Report(
        test_from=cut,
        train_hires=sum(a.stage == Stage.HIRED for a in train_set),
        test_hires=len(test_set),
        jobs_pool=int(jobs.view()[1].sum()),
        people_pool=int(people.view()[1].sum()),
        shortlist=size,
        sides=sides,
    )


def save_improving_models(report: Report) -> list[str]:
    """Save each direction's model that beats the rule order on the held-out hires; remove
    nothing else. Returns what was saved."""
    saved = []
    for side in report.sides:
        if side.model is not None and side.improves:
            save_model(
                side.direction,
                side.model,
                {
                    "trained_at": timezone.now().isoformat(),
                    "test_from": report.test_from.isoformat(),
                    "ndcg10_rule": side.rule[0],
                    "ndcg10_reranked": side.reranked[0],
                    "features": list(FEATURES),
                },
            )
            saved.append(side.direction)
    return saved
