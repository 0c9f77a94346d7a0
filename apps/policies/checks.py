"""`manage.py check` (and every command that runs it, migrate and runserver included)
refuses parameter files the rules cannot run with: a broken file is found at deployment,
not by the first sweep."""

from __future__ import annotations

from django.core import checks

from .rules import PARAMETERS_DIR, REGIONS_DIR
from .rules.catalog import check_catalog
from .rules.system import RulesError, build_system, read_overlay


def rules_problems(parameters_dir=PARAMETERS_DIR, regions_dir=REGIONS_DIR) -> list[str]:
    """Every problem of the base parameters and of each region's overlays."""
    problems = []
    regions = [""]
    try:
        for path in sorted(regions_dir.glob("*.yaml")):
            regions += [str(code) for code in read_overlay(path).get("regions") or []]
    except RulesError as exc:
        return [str(exc)]
    for region in regions:
        try:
            check_catalog(build_system(region, parameters_dir, regions_dir))
        except RulesError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
    return problems


@checks.register("policies")
def check_rules(app_configs=None, **kwargs):
    return [checks.Error(problem, id="policies.E001") for problem in rules_problems()]
