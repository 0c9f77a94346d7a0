#!/usr/bin/env python
"""Matching quality against what seekers truly want: NDCG@10 and recall@10 of the
platform's order, of the learned re-ranker, and of two trivial baselines, on a generated
county whose seekers have hidden preferences.

The county (its own generator, below; every person, employer and job generated) is
loaded only through the documented import formats (employers, jobs, people). Each
seeker has a hidden *true trade*; what they state is that trade (segment "exact"), its
中类 ("中类 wish"), or a trade whose work overlaps it ("neighbouring wish": they say
焊接设备装配调试工, they would be as glad of 焊工). Hidden too: the wage they would
take, how far they would travel, the kinds of work they would do (stated, or left
blank, by some), and the utility of each job for them:

    u = 0.45·affinity(true trade, job's 职业) + 0.25·wage + 0.30·e^(−km / tolerance) + ε

affinity: the same 职业 1.0; the same 小类 0.75; a trade whose work overlaps (task words
in common, Jaccard ≥ 0.2 of the two 职业's sets of task words: not the platform's TF-IDF
cosine, but the same kind of evidence, so this measures whether the platform uses what
the classification says, not an independent truth) 0.55; the same 中类 0.35; the same
大类 0.05. A job whose requirements the seeker fails (education, age, certificate) or of
a kind they would not do is worth nothing to them. The relevant jobs of a seeker are
their ten best by u; the platform's top ten are scored against them.

Orders compared, each over the same open jobs:
- rule: what the worker's page shows (services.jobs_for_person, top 10);
- re-ranked: the LightGBM lambdarank model (evaluation.train) trained on generated hires
  of half the seekers (a hire and three applications each, drawn by u), applied to the
  rules' shortlist of 50 for the other half;
- occupation then distance: every job passing the hard filters, by the depth of the
  code prefix shared with the best wish, then nearest;
- distance only: every job passing the hard filters, nearest first.

    python bench/matching_quality.py [--quick] [--seekers N] [--jobs N] [--engine sqlite]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import compare, print_summary, setup_county

TARGETS = {
    "rule_above_occupation_then_distance_on_every_segment": True,
    "reranked_above_rule": True,
}
SEGMENTS = ("exact", "middle", "neighbouring")
ORDERS = ("rule", "reranked", "occupation_then_distance", "distance_only")
KIND_SETS = [  # (kinds, weight): what a seeker would do
    (("全职",), 50),
    (("全职", "零工"), 20),
    (("兼职", "零工"), 10),
    (("零工",), 10),
    (("全职", "兼职", "零工"), 10),
]
KIND_VALUE = {"全职": "regular", "兼职": "part_time", "零工": "gig"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 seekers, 3,000 jobs")
    parser.add_argument("--seekers", type=int)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seekers = args.seekers or (600 if args.quick else 2_000)
    jobs = args.jobs or (3_000 if args.quick else 8_000)
    if args.child:
        print(json.dumps(run_engine(seekers, jobs, args.seed), ensure_ascii=False))
        return
    child = ["--seekers", str(seekers), "--jobs", str(jobs), "--seed", str(args.seed)]
    results, headline = compare(__file__, args.engine, child, report)
    print_summary("matching_quality", headline, TARGETS, results)


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['seekers']} seekers, {r['jobs']} open jobs, "
        f"{r['occupations']} occupations; ranked in {r['rule_ms_per_seeker']:.1f} ms "
        "a seeker (rule order, the page's path)"
    )
    print(f"  {'segment':<14}{'n':>6}" + "".join(f"{o:>26}" for o in ORDERS))
    for segment in ("all", *SEGMENTS):
        row = r["ndcg_at_10"][segment]
        cells = "".join(
            f"{row[o]:>17.3f} ({r['recall_at_10'][segment][o]:.3f})"
            if row[o] is not None
            else f"{'—':>26}"
            for o in ORDERS
        )
        print(f"  {segment:<14}{r['queries'][segment]:>6}{cells}")
    print(
        "  NDCG@10 (recall@10); re-ranked on the test half only. "
        f"Breaches of hidden hard requirements in the rule's top 10: {r['breaches']}; "
        f"slots of a kind a seeker who left it blank would not do: {r['unwanted_kind_slots']}"
    )


# --- the generated county -----------------------------------------------------------------
class World:
    """Occupations, employers, jobs and seekers with their hidden preferences."""

    def __init__(self, places, seekers: int, jobs: int, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.today = today
        self.places = [p for p in places if p.lat is not None]
        self.occupations = self._occupations()
        self.employers = self._employers(max(40, jobs // 15))
        self.jobs = self._jobs(jobs)
        self.seekers = self._seekers(seekers)

    # occupations: seeds with their overlapping trades, 小类 and 中类 siblings
    def _occupations(self) -> dict[str, dict]:
        from apps.taxonomy.models import Occupation
        from apps.taxonomy.similarity import words

        rows = list(
            Occupation.objects.filter(level=4, replaced_by__isnull=True)
            .exclude(tasks="")
            .values_list("code", "name", "tasks")
        )
        task_words = {code: set(words(tasks)) for code, _, tasks in rows}
        names = {code: name for code, name, _ in rows}
        # trades of the kind a public employment service places (大类 4 and 6)
        pool = sorted(c for c in task_words if c[0] in "46" and len(task_words[c]) >= 8)
        partners: dict[str, list[str]] = {}
        for a in pool:
            near = []
            for b in pool:
                if a[:4] != b[:4] and task_words[a] and task_words[b]:
                    j = len(task_words[a] & task_words[b]) / len(task_words[a] | task_words[b])
                    if j >= 0.2:
                        near.append((j, b))
            partners[a] = [b for _, b in sorted(near, reverse=True)[:4]]
        seeds = self.rng.sample([a for a in pool if partners[a]], 18)
        chosen: set[str] = set()
        for s in seeds:
            chosen |= {s, *partners[s][:3]}
            siblings = [c for c in pool if c[:4] == s[:4] and c != s]
            chosen |= set(self.rng.sample(siblings, min(3, len(siblings))))
        self.partners = {a: set(partners.get(a, ())) for a in chosen}
        self.names = names
        self.seeds = seeds
        return {c: {"name": names[c]} for c in sorted(chosen)}

    def affinity(self, trade: str, code: str) -> float:
        if trade == code:
            return 1.0
        if trade[:7] == code[:7]:
            return 0.75
        if code in self.partners.get(trade, ()) or trade in self.partners.get(code, ()):
            return 0.55
        if trade[:4] == code[:4]:
            return 0.35
        return 0.05 if trade[0] == code[0] else 0.0

    def _place(self):
        place = self.rng.choice(self.places)
        return place, place.lat + self.rng.gauss(0, 0.01), place.lng + self.rng.gauss(0, 0.01)

    def _employers(self, n: int) -> list[dict]:
        from jiuye.identifiers import make_credit_code

        out = []
        for i in range(n):
            place, lat, lng = self._place()
            out.append(
                {
                    "统一社会信用代码": make_credit_code("9", "1", "341282", f"QB{i:06d}"),
                    "单位名称": f"测评生成单位{i:04d}有限公司",
                    "行业代码": "42",
                    "规模": "小型",
                    "所在区域代码": place.code,
                    "经度": f"{lng:.6f}",
                    "纬度": f"{lat:.6f}",
                }
            )
        return out

    def _jobs(self, n: int) -> list[dict]:
        rng, out = self.rng, []
        codes = list(self.occupations)
        for i in range(n):
            employer = rng.choice(self.employers)
            code = rng.choice(codes)
            kind = rng.choices(["全职", "兼职", "零工"], weights=[70, 12, 18])[0]
            low = rng.randrange(2500, 7000, 100)
            start = self.today - dt.timedelta(days=rng.randrange(0, 45))
            certificate = rng.random() < 0.08
            out.append(
                {
                    "统一社会信用代码": employer["统一社会信用代码"],
                    "岗位编号": f"Q{i:06d}",
                    "岗位名称": self.occupations[code]["name"],
                    "职业代码": code,
                    "用工形式": kind,
                    "招聘人数": str(rng.choice((1, 2, 3, 5))),
                    "月薪下限": str(low),
                    "月薪上限": str(low + rng.randrange(300, 2500, 100)),
                    "最低学历": rng.choice(("", "", "70", "60")),
                    "最低年龄": "18",
                    "最高年龄": str(rng.choice((45, 50, 55, 60))),
                    "要求证书职业代码": code if certificate else "",
                    "经度": f"{float(employer['经度']) + rng.gauss(0, 0.005):.6f}",
                    "纬度": f"{float(employer['纬度']) + rng.gauss(0, 0.005):.6f}",
                    "有效期起": start.isoformat(),
                    "有效期止": (start + dt.timedelta(days=rng.randrange(60, 150))).isoformat(),
                }
            )
        return out

    def _seekers(self, n: int) -> list[dict]:
        from jiuye.identifiers import make_resident_id

        rng, out, used = self.rng, [], set()
        trades = list(self.occupations)
        kind_sets, weights = zip(*KIND_SETS, strict=True)
        for i in range(n):
            segment = rng.choices(SEGMENTS, weights=[55, 20, 25])[0]
            with_partners = [t for t in trades if self.partners.get(t)]
            trade = rng.choice(with_partners if segment == "neighbouring" else trades)
            if segment == "exact":
                wish = trade
            elif segment == "middle":
                wish = trade[:4]
            else:
                wish = rng.choice(sorted(self.partners[trade]))
            place, lat, lng = self._place()
            age = rng.randint(20, 52)
            while True:
                birth = self.today - dt.timedelta(days=age * 365 + rng.randrange(300))
                resident_id = make_resident_id("341282", birth, rng.randrange(999))
                if resident_id not in used:
                    used.add(resident_id)
                    break
            kinds = rng.choices(kind_sets, weights=weights)[0]
            wage = rng.randrange(2500, 6000, 100)
            tolerance = rng.choice((3, 5, 8, 12, 20))
            certified = rng.random() < 0.25
            out.append(
                {
                    "segment": segment,
                    "trade": trade,
                    "kinds": {KIND_VALUE[k] for k in kinds},
                    "wage": wage,
                    "tolerance": tolerance,
                    "lat": lat,
                    "lng": lng,
                    "age": age,
                    "education": rng.choice(("70", "60", "60", "40")),
                    "certified": certified,
                    "row": {
                        "身份证号": resident_id,
                        "姓名": f"测评{i:05d}",
                        "居住社区代码": place.code,
                        "经度": f"{lng:.6f}",
                        "纬度": f"{lat:.6f}",
                        "学历": "",  # set below, with the hidden one
                        "劳动状态": "失业",
                        "状态起始日期": (self.today - dt.timedelta(days=60)).isoformat(),
                        "意向职业代码": wish,
                        "意向用工形式": "、".join(kinds) if rng.random() < 0.75 else "",
                        "期望最低月薪": str(wage) if rng.random() < 0.7 else "",
                        "可接受通勤距离": str(tolerance) if rng.random() < 0.5 else "",
                        "技能证书": f"{self.names[trade]}/四级" if certified else "",
                    },
                }
            )
            out[-1]["row"]["学历"] = out[-1]["education"]
        return out


def import_rows(kind: str, rows: list[dict]) -> None:
    import csv

    from apps.imports.services import create_import, run_import

    buffer = io.StringIO()
    headers = list(dict.fromkeys(h for r in rows for h in r))
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    job = create_import(
        kind=kind, file=io.BytesIO(buffer.getvalue().encode()), filename=f"{kind}.csv"
    )
    job = run_import(job.pk)
    if job.status != job.Status.DONE or job.rejected_count:
        sys.exit(f"{kind}: {job.message} ({job.rejected_count} rejected)")


# --- measuring ----------------------------------------------------------------------------
def ndcg_recall(ranked: list[int], relevant: set[int]) -> tuple[float, float]:
    """NDCG@10 and recall@10 (evaluation.ranking_metrics, without its reciprocal rank)."""
    from apps.matching.evaluation import ranking_metrics

    return ranking_metrics(ranked, relevant)[:2]


def run_engine(n_seekers: int, n_jobs: int, seed: int) -> dict:
    places = setup_county()
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    world = World(places, n_seekers, n_jobs, seed, today)
    import_rows("employers", world.employers)
    import_rows("jobs", world.jobs)
    import_rows("people", [s["row"] for s in world.seekers])

    import numpy as np

    from apps.jobs.models import Job
    from apps.matching.evaluation import Query, train
    from apps.matching.index import job_index, seeker_index
    from apps.matching.ranking import FIT, leading_depth, rank_jobs, rank_jobs_pruned
    from apps.matching.rerank import rerank_order
    from apps.matching.services import certificates_of, jobs_for_person
    from apps.people.models import Person

    jobs = {
        j.pk: j for j in Job.objects.only("pk", "occupation_id", "kind", "wage_min", "wage_max")
    }
    people = {p.name: p for p in Person.objects.all()}
    jix, six = job_index(), seeker_index()
    jcols, jalive = jix.view()
    position = {pk: n for n, pk in enumerate(sorted(jobs))}
    row_of_pk = {int(pk): r for r, pk in enumerate(jcols["pk"]) if jalive[r]}

    def utility(s, job, km):
        a = world.affinity(s["trade"], job.occupation_id)
        mid = (job.wage_min + job.wage_max) / 2
        wage = min(1.0, max(0.0, (mid - s["wage"]) / 2000 + 0.5))
        return 0.45 * a + 0.25 * wage + 0.30 * math.exp(-km / s["tolerance"])

    rng = random.Random(seed + 1)
    scores = {order: collections.defaultdict(list) for order in ORDERS}
    breaches = unwanted = 0
    rule_ms, training, testing = [], [], []
    for i, s in enumerate(world.seekers):
        person = people[s["row"]["姓名"]]
        row = six.row_of[person.pk]
        certificates = certificates_of([person.pk]).get(person.pk, [])
        profile = six.profile(row, today, certificates, jix.market_wage)
        # every job passing the platform's hard filters, with its components
        rows, parts = rank_jobs(profile, jcols, jalive, today, None, len(jalive))
        eligible = [int(jcols["pk"][r]) for r in rows]
        km = dict(zip(eligible, parts["distance_km"].tolist(), strict=True))
        # the seeker's own view: hidden kinds (the platform filters only stated ones)
        # ε: drawn per seeker and job, whatever order the platform found the jobs in
        noise = np.random.default_rng([seed, i]).normal(0, 0.03, len(position))
        u = {
            pk: utility(s, jobs[pk], km[pk]) + noise[position[pk]]
            for pk in eligible
            if jobs[pk].kind in s["kinds"]
        }
        relevant = set(sorted(u, key=lambda pk: -u[pk])[:10])
        started = time.perf_counter()
        shown = [r.obj.pk for r in jobs_for_person(person=person, k=10)]
        rule_ms.append((time.perf_counter() - started) * 1000)
        breaches += sum(pk not in km for pk in shown)  # a hard filter broken
        unwanted += sum(jobs[pk].kind not in s["kinds"] for pk in shown if pk in km)
        # occupation (the code prefix alone) then distance; distance only
        wishes = [w[:4] for w in profile.wishes]
        depth = [w[4] for w in profile.wishes]
        occ = jcols["occupation"][rows]
        prefix = np.zeros(len(rows))
        for w, d in zip(wishes, depth, strict=True):
            common = leading_depth(occ, np.array(w))
            prefix = np.maximum(prefix, np.where((common >= d) & (common > 0), 1.0, FIT[common]))
        by_occupation = [
            eligible[j]
            for j in sorted(range(len(eligible)), key=lambda j: (-prefix[j], km[eligible[j]]))
        ]
        by_distance = sorted(eligible, key=lambda pk: km[pk])
        segment = s["segment"]
        for order, ranked in (
            ("rule", shown),
            ("occupation_then_distance", by_occupation),
            ("distance_only", by_distance),
        ):
            scores[order][segment].append(ndcg_recall(ranked, relevant))
        # the re-ranker: hires of half the seekers train it, the other half tests it
        short_rows, short_parts = rank_jobs_pruned(
            profile, jcols, jalive, today, None, 50, query=jix.query(profile.text)
        )
        short = [int(jcols["pk"][r]) for r in short_rows]
        if i % 2 == 0:
            labels = _outcomes(rng, u)
            training.append((Query(person.pk, today, labels, set()), short, short_parts))
        else:
            testing.append((segment, relevant, short, short_parts, scores["rule"][segment][-1]))
    model = train(training, seed=seed)
    for segment, relevant, short, parts, _ in testing:
        order = rerank_order(model, parts) if model is not None else range(len(short))
        scores["reranked"][segment].append(ndcg_recall([short[j] for j in order], relevant))

    def mean(order, segment, k):
        values = [
            v[k]
            for seg in (SEGMENTS if segment == "all" else (segment,))
            for v in scores[order][seg]
        ]
        return round(statistics.fmean(values), 3) if values else None

    ndcg = {seg: {o: mean(o, seg, 0) for o in ORDERS} for seg in ("all", *SEGMENTS)}
    recall = {seg: {o: mean(o, seg, 1) for o in ORDERS} for seg in ("all", *SEGMENTS)}
    rule_on_test = round(statistics.fmean(t[4][0] for t in testing), 3)
    ratio = ndcg["all"]["rule"] / max(ndcg["all"]["occupation_then_distance"], 1e-9)
    return {
        "engine": connection.vendor,
        "seekers": len(world.seekers),
        "jobs": len(row_of_pk),
        "occupations": len(world.occupations),
        "queries": {
            "all": len(world.seekers),
            **{seg: len(scores["rule"][seg]) for seg in SEGMENTS},
        },
        "ndcg_at_10": ndcg,
        "recall_at_10": recall,
        "reranker_trained": model is not None,
        "breaches": breaches,
        "unwanted_kind_slots": unwanted,
        "rule_ms_per_seeker": round(statistics.fmean(rule_ms), 2),
        "rule_above_occupation_then_distance_on_every_segment": all(
            ndcg[seg]["rule"] > ndcg[seg]["occupation_then_distance"] for seg in SEGMENTS
        ),
        "reranked_above_rule": bool(model is not None and ndcg["all"]["reranked"] > rule_on_test),
        "rule_ndcg_on_test_half": rule_on_test,
        "ratio_vs_baseline": round(ratio, 3),
    }


def _outcomes(rng, u: dict) -> dict[int, int]:
    """A hire and three applications, drawn by the seeker's utility (softmax, 0.05)."""
    if not u:
        return {}
    pks = list(u)
    top = max(u.values())
    weights = [math.exp((u[pk] - top) / 0.05) for pk in pks]
    picked = rng.choices(pks, weights=weights, k=4)
    labels = {pk: 1 for pk in picked[1:]}
    labels[picked[0]] = 3
    return labels


if __name__ == "__main__":
    main()
