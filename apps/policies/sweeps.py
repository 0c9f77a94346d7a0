"""Proactive identification (主动识别, 免申即享): evaluate every policy in force over a
region's whole registry, store who is entitled with the amount and the reasons, compare
with an earlier sweep (who gains, who loses), notify the persons found."""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.imports.specs import insert_rows
from apps.matching.channels import channels
from apps.people.models import Person

from .loader import load
from .models import Entitlement, Sweep
from .rules import catalog
from .rules.engine import Population, evaluate
from .rules.system import RulesError, build_system, system_for

log = logging.getLogger(__name__)
SUBJECT_PREFIX = {"person": "P", "enterprise": "E", "community": "C"}
CHUNK = 5000


class SweepError(ValueError):
    pass


def system_with(county: str, overrides: dict | None):
    return build_system(county, overrides=overrides) if overrides else system_for(county)


def policies_in_force(system, year: int) -> list[catalog.PolicySpec]:
    """The policies a region runs in a year (the rules read parameters on 1 January)."""
    day = datetime.date(year, 1, 1)
    return [s for s in catalog.policies().values() if catalog.in_force(s, system, day)]


def reasons_for(system, spec):
    """(outcome, i) → the reasons of an entitled subject, read off what the rule evaluated
    for it: the conditions that held (the labels looked up once per policy) and the
    figures. A subject paid while one of its policy's conditions failed is a rule that
    does not apply its own conditions: refused, never stored as a reason."""
    labels = [(name, system.variables[name].label) for name in spec.conditions]
    figures = [(name, system.variables[name].label) for name in spec.figures]

    def reasons(outcome, i: int) -> list[str]:
        held = [label for name, label in labels if outcome.conditions[name][i]]
        if len(held) != len(labels):
            failed = [label for name, label in labels if not outcome.conditions[name][i]]
            raise RulesError(f"{spec.code}: 条件“{'、'.join(failed)}”不满足却有金额")
        return held + [f"{label}:{outcome.figures[name][i]:g}" for name, label in figures]

    return reasons


def subject_fields(kind: str, subject_id, region_code: str) -> dict:
    fields = {
        "subject_kind": kind,
        "person_id": None,
        "employer_id": None,
        "community_id": None,
        "subject_key": f"{SUBJECT_PREFIX[kind]}{subject_id}",
        "region_code": region_code,
    }
    fields[
        {"person": "person_id", "enterprise": "employer_id", "community": "community_id"}[kind]
    ] = subject_id if kind == "community" else int(subject_id)
    return fields


def found(system, population: Population, year: int, specs) -> list[dict]:
    """Each entitled subject of each policy: subject fields, policy, amount, reasons."""
    rows = []
    outcomes = evaluate(system, population, year, specs)
    for spec in specs:
        out = outcomes[spec.code]
        hit = out.amount > 0
        if spec.entity == "person" and population.residents is not None:
            hit &= population.residents
        ids, regions = population.ids[spec.entity], population.regions[spec.entity]
        reasons = reasons_for(system, spec)
        for i in numpy.flatnonzero(hit):
            rows.append(
                {
                    **subject_fields(spec.entity, ids[i].item(), str(regions[i])),
                    "policy": spec.code,
                    "amount": Decimal(str(round(float(out.amount[i]), 2))),
                    "reasons": reasons(out, i),
                }
            )
    return rows


def create_sweep(*, user, region_prefix: str, year: int, overrides: dict | None = None) -> Sweep:
    if not region_prefix or len(region_prefix) < 2:
        raise SweepError("区域:请选择要识别的区域")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise SweepError(f"年度:{year} 不在可识别的范围内")
    if overrides:
        try:
            build_system(region_prefix[:6], overrides=overrides)
        except RulesError as exc:
            raise SweepError(f"试算参数:{exc}") from None
    return Sweep.objects.create(
        year=year,
        region_prefix=region_prefix,
        overrides=overrides or {},
        trial=bool(overrides),
        created_by=user,
    )


def run_sweep(sweep_id: int, on_progress=None) -> Sweep:
    sweep = Sweep.objects.get(pk=sweep_id)
    started = time.perf_counter()
    try:
        populations = load(sweep.region_prefix, sweep.year)
        counts: Counter = Counter()
        with transaction.atomic():
            for done, (county, population) in enumerate(populations.items(), start=1):
                system = system_with(county, sweep.overrides)
                rows = found(system, population, sweep.year, policies_in_force(system, sweep.year))
                for row in rows:
                    row["sweep_id"] = sweep.pk
                    counts[row["policy"]] += 1
                for k in range(0, len(rows), CHUNK):
                    insert_rows(Entitlement, rows[k : k + CHUNK])
                if on_progress:
                    on_progress(done, len(populations))
            sweep.counts = dict(counts)
            sweep.status = Sweep.Status.DONE
            sweep.seconds = round(time.perf_counter() - started, 2)
            sweep.save(update_fields=["counts", "status", "seconds"])
            prune(sweep)
    except RulesError as exc:
        sweep.status, sweep.error = Sweep.Status.FAILED, str(exc)
        sweep.save(update_fields=["status", "error"])
    log.info("sweep %s: %s in %.1f s", sweep.pk, sweep.counts, time.perf_counter() - started)
    return sweep


def prune(sweep: Sweep) -> int:
    """Keep the latest POLICY_SWEEPS_KEPT official sweeps of a region and year (the newest
    is what people see, the one before is what it is compared with) and as many trials;
    older results go (applications keep their own amounts and reasons). Returns how many
    sweeps were removed."""
    keep = max(2, settings.POLICY_SWEEPS_KEPT)
    removed = 0
    for trial in (False, True):
        old = (
            Sweep.objects.filter(region_prefix=sweep.region_prefix, year=sweep.year, trial=trial)
            .exclude(status=Sweep.Status.RUNNING)
            .order_by("-pk")[keep:]
        )
        ids = list(old.values_list("pk", flat=True))
        if ids:
            Entitlement.objects.filter(sweep_id__in=ids).delete()
            removed += Sweep.objects.filter(pk__in=ids).delete()[0]
    return removed


def base_sweep(sweep: Sweep) -> Sweep | None:
    """The latest official sweep of the same region and year before this one."""
    return (
        Sweep.objects.filter(
            region_prefix=sweep.region_prefix,
            year=sweep.year,
            trial=False,
            status=Sweep.Status.DONE,
            pk__lt=sweep.pk,
        )
        .order_by("-pk")
        .first()
    )


@dataclass
class Change:
    policy: str
    subject_key: str
    region_code: str
    before: Decimal | None
    after: Decimal | None


def compare(sweep: Sweep, base: Sweep, region_prefix: str = "") -> dict[str, list[Change]]:
    """Who gains, who loses and whose amount changes between two sweeps, among the
    subjects of ``region_prefix`` (the viewer's region; '' for all)."""

    def amounts(s: Sweep) -> dict:
        found = s.entitlements.all()
        if region_prefix:
            found = found.filter(region_prefix_q("region_code", region_prefix))
        return {
            (p, k): (a, r)
            for p, k, a, r in found.values_list("policy", "subject_key", "amount", "region_code")
        }

    now, then = amounts(sweep), amounts(base)
    out = {"gained": [], "lost": [], "changed": []}
    for key in sorted(set(now) | set(then)):
        a = now.get(key)
        b = then.get(key)
        change = Change(key[0], key[1], (a or b)[1], b and b[0], a and a[0])
        if b is None:
            out["gained"].append(change)
        elif a is None:
            out["lost"].append(change)
        elif a[0] != b[0]:
            out["changed"].append(change)
    return out


@dataclass
class PolicyNotice:
    person_id: int
    phone: str
    text: str


@transaction.atomic
def notify(sweep: Sweep, region_prefix: str = "") -> int:
    """Tell each person found (SMS and the like through the outbound channels; employers and
    communities see theirs on their pages) once; only those in `region_prefix` (the
    clerk's region); returns how many were told."""
    if sweep.trial:
        raise SweepError("试算结果不通知")
    pending = sweep.entitlements.filter(
        region_prefix_q("region_code", region_prefix), notified_at__isnull=True
    )
    people = pending.filter(subject_kind="person")
    phones = dict(
        Person.objects.filter(pk__in=people.values("person_id")).values_list("pk", "phone")
    )
    names = {code: spec.name for code, spec in catalog.policies().items()}
    notices = [
        PolicyNotice(
            person_id=pid,
            phone=phones.get(pid, ""),
            text=f"您可能符合{names[policy]}(约{amount:,.0f}元)的享受条件,"
            "请登录就业服务平台“我的补贴”查看并一键申请。",
        )
        for pid, policy, amount in people.values_list("person_id", "policy", "amount")
    ]
    for channel in channels():
        channel.send(notices)
    return pending.update(notified_at=timezone.now())
