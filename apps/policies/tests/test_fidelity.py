"""The rules held to the letter of the seeds: the conditions the catalogue lists are the
ones the rules apply, each traced to its source, policies the seeds tie to 2022 end with
it, and the reasons a sweep stores are those of the rule it evaluated."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.policies.rules import catalog
from apps.policies.rules.engine import Population
from apps.policies.rules.system import RulesError, build_system, system_for
from apps.policies.sweeps import found


@pytest.mark.parametrize(
    "region, code",
    [("341282", "temporary_post_award"), ("130629", "gig_station_subsidy")],
)
def test_policies_the_seeds_tie_to_2022_end_with_it(region, code):
    """002 二.(一)3 “2022年……开发……临时性专项岗位360个”; 004 四.(一)2 “2022年认定3-5家”."""
    spec, system = catalog.get(code), system_for(region)
    assert catalog.in_force(spec, system, dt.date(2022, 6, 1))
    for day in (dt.date(2023, 1, 1), dt.date(2026, 6, 1)):
        assert not catalog.in_force(spec, system, day)


def _check_with(monkeypatch, code: str, **changes) -> None:
    specs = dict(catalog.policies())
    specs[code] = dataclasses.replace(specs[code], **changes)
    monkeypatch.setattr(catalog, "policies", lambda: specs)
    catalog.check_catalog(build_system("341282"))


def test_a_listed_condition_the_rule_does_not_apply_fails_the_check(monkeypatch):
    spec = catalog.get("stabilisation_subsidy")
    with pytest.raises(RulesError, match="列出的条件 has_insured_employees 未被规则应用"):
        _check_with(monkeypatch, spec.code, conditions=(*spec.conditions, "has_insured_employees"))


def test_a_condition_the_rule_applies_but_the_catalogue_omits_fails_the_check(monkeypatch):
    spec = catalog.get("stabilisation_subsidy")
    without = tuple(c for c in spec.conditions if c != "kept_normal_production")
    with pytest.raises(RulesError, match="应用了未列出的条件 kept_normal_production"):
        _check_with(monkeypatch, spec.code, conditions=without)


def test_every_condition_and_amount_says_where_it_comes_from_and_how_it_is_known():
    system = build_system("341282")
    for spec in catalog.policies().values():
        for name in (spec.code, *spec.conditions):
            variable = system.variables[name]
            assert variable.reference and variable.documentation, name
            seeds = ("002", "003", "004")
            assert any("〔" in r or r[:3] in seeds for r in variable.reference), name
    catalog.check_catalog(system)


# --- the reasons a sweep stores come from the rule it evaluated ----------------------------
INDUSTRIES = ["62", "52", "54", "13", "727", "42", ""]


def _random_population(system, rng, n_people=60, n_enterprises=12, n_communities=5):
    """Random facts for every input of every entity."""
    sizes = {"person": n_people, "enterprise": n_enterprises, "community": n_communities}
    inputs: dict[str, dict[str, numpy.ndarray]] = {k: {} for k in sizes}
    for name, variable in system.variables.items():
        if variable.formulas:
            continue
        kind, size = variable.entity.key, sizes[variable.entity.key]
        if variable.value_type is bool:
            values = rng.random(size) < 0.5
        elif variable.value_type is int:
            values = (
                rng.integers(0, 40, size)
                if "year" not in name
                else rng.choice([0, 2017, 2020, 2021, 2022, 2026], size)
            )
        elif variable.value_type is float:
            values = rng.choice([0.0, 50000.0, 150000.0, 250000.0], size)
        elif variable.value_type is str:
            values = numpy.array(rng.choice(INDUSTRIES, size), dtype="U8")
        elif variable.value_type is dt.date:
            days = rng.integers(0, 4000, size)
            values = numpy.where(
                rng.random(size) < 0.3,
                numpy.datetime64("1970-01-01"),
                numpy.datetime64("2016-01-01") + days.astype("timedelta64[D]"),
            ).astype("datetime64[D]")
        else:  # pragma: no cover - a new kind of input must be taught here
            raise AssertionError(f"unknown input type of {name}")
        inputs[kind][name] = values
    return Population(
        ids={
            "person": numpy.arange(1, n_people + 1),
            "enterprise": numpy.arange(1, n_enterprises + 1),
            "community": numpy.array([f"34128200100{k}" for k in range(n_communities)]),
        },
        inputs=inputs,
        person_enterprise=rng.integers(0, n_enterprises + 1, n_people),
        person_community=rng.integers(0, n_communities + 1, n_people),
        regions={
            "person": numpy.full(n_people, "341282001001"),
            "enterprise": numpy.full(n_enterprises, "341282001001"),
            "community": numpy.array([f"34128200100{k}" for k in range(n_communities)]),
        },
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    place=st.sampled_from([("341282", 2022), ("341282", 2026), ("130629", 2022)]),
)
def test_stored_reasons_are_the_conditions_the_rule_evaluated(seed, place):
    region, year = place
    system = system_for(region)
    specs = [
        s for s in catalog.policies().values() if catalog.in_force(s, system, dt.date(year, 1, 1))
    ]
    population = _random_population(system, numpy.random.default_rng(seed))
    # found() refuses a subject paid while a condition of its policy failed
    rows = found(system, population, year, specs)
    for row in rows:
        spec = catalog.get(row["policy"])
        labels = [system.variables[n].label for n in spec.conditions]
        assert row["reasons"][: len(labels)] == labels
        assert len(row["reasons"]) == len(labels) + len(spec.figures)
    assert {r["policy"] for r in rows} <= {s.code for s in specs}
