"""The policy list read from `catalog.yaml`, and what the parameters say about each policy
in a region: in force on a date, valid from/to, the standards (amounts, caps, limits)."""

from __future__ import annotations

import ast
import datetime
import functools
import inspect
import textwrap
from dataclasses import dataclass, field

import yaml
from openfisca_core.parameters import Parameter, ParameterNode

from . import RULES_DIR
from .system import RulesError, find_parameter

ENTITY_LABELS = {"person": "个人", "enterprise": "用人单位", "community": "社区(村)"}
FREQUENCY_LABELS = {"once": "一次性", "yearly": "按年度"}


@dataclass(frozen=True)
class PolicySpec:
    code: str  # the OpenFisca variable holding the amount
    name: str
    entity: str  # person | enterprise | community
    frequency: str  # once | yearly
    in_force: str  # parameter path
    fund: str
    department: str
    who: str
    amount: str
    how: str
    documents: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()  # parameter paths shown as the standards
    # What the platform cannot know from its data: (text, source) the applicant declares,
    # and (text, source) staff check by hand at review.
    declared: tuple[tuple[str, str], ...] = ()
    staff_checks: tuple[tuple[str, str], ...] = ()
    order: int = 0

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS[self.entity]

    @property
    def frequency_label(self) -> str:
        return FREQUENCY_LABELS[self.frequency]

    def claim_key(self, year: int) -> str:
        """What 'the same period' means for never paying twice: once ever, or the year."""
        return "once" if self.frequency == "once" else str(year)

    def node_path(self) -> str:
        return self.in_force.split(".")[0]


@dataclass
class Validity:
    start: datetime.date | None
    stop: datetime.date | None  # the last day in force, None when open-ended
    periods: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)

    def covers(self, day: datetime.date) -> bool:
        return any(start <= day and (stop is None or day <= stop) for start, stop in self.periods)


@functools.lru_cache(maxsize=1)
def policies() -> dict[str, PolicySpec]:
    data = yaml.safe_load((RULES_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    specs = {}
    for order, (code, entry) in enumerate(data.items()):
        if entry.get("entity") not in ENTITY_LABELS:
            raise RulesError(f"catalog.yaml: {code} 的 entity 应为 person/enterprise/community")
        if entry.get("frequency") not in FREQUENCY_LABELS:
            raise RulesError(f"catalog.yaml: {code} 的 frequency 应为 once/yearly")
        for key in ("declared", "staff_checks"):
            items = entry.get(key) or []
            if not all(isinstance(i, dict) and i.get("text") and i.get("source") for i in items):
                raise RulesError(f"catalog.yaml: {code} 的 {key} 每项须有 text 和 source")
            entry[key] = [(i["text"], i["source"]) for i in items]
        specs[code] = PolicySpec(
            code=code,
            order=order,
            **{
                k: tuple(v) if isinstance(v, list) else v
                for k, v in entry.items()
                if k in PolicySpec.__dataclass_fields__
            },
        )
    return specs


def get(code: str) -> PolicySpec:
    try:
        return policies()[code]
    except KeyError:
        raise RulesError(f"没有代码为 {code} 的政策") from None


def validity(spec: PolicySpec, system) -> Validity:
    """When the policy's in-force parameter has a value, from the system's parameters."""
    parameter = find_parameter(system.parameters, spec.in_force)
    if not isinstance(parameter, Parameter):
        raise RulesError(f"catalog.yaml: {spec.code} 的 in_force 参数 {spec.in_force} 不存在")
    spans = []
    for at in sorted(parameter.values_list, key=lambda v: v.instant_str):
        day = datetime.date.fromisoformat(at.instant_str)
        if at.value is None:
            if spans and spans[-1][1] is None:
                spans[-1] = (spans[-1][0], day - datetime.timedelta(days=1))
        elif not spans or spans[-1][1] is not None:
            spans.append((day, None))
    if not spans:
        return Validity(None, None, [])
    return Validity(spans[0][0], spans[-1][1], spans)


def in_force(spec: PolicySpec, system, day: datetime.date) -> bool:
    return validity(spec, system).covers(day)


def standards(spec: PolicySpec, system, day: datetime.date) -> list[tuple[str, object, str]]:
    """(description, value, unit) of each parameter of the policy in force on `day`: the
    `standards` the catalog names (parameters or nodes), else the in-force parameter's
    node. A node of yes/no parameters (a list, e.g. the hard-hit industries) is one row
    naming those that are yes."""
    rows = []

    def walk(item, label):
        if isinstance(item, Parameter):
            value = item(day.isoformat())
            if value is not None:
                unit = (item.metadata or {}).get("unit", "")
                rows.append((label or item.description or item.name, value, unit))
        elif isinstance(item, ParameterNode):
            children = list(item.children.values())
            flags = [c(day.isoformat()) if isinstance(c, Parameter) else None for c in children]
            if children and all(isinstance(f, bool) for f in flags):
                chosen = [
                    c.description or c.name for c, f in zip(children, flags, strict=True) if f
                ]
                rows.append((label or item.description, "、".join(chosen), "list"))
                return
            for name, child in item.children.items():
                walk(child, child.description or name)

    for path in spec.standards or (spec.node_path(),):
        item = find_parameter(system.parameters, path)
        if item is not None:
            walk(item, "")
    return rows


def formula_reads(variable) -> set[str]:
    """The variables a variable's formulas read by name (``entity("name", period)`` or
    ``entity.members("name", period)``), found in their source."""
    names = set()
    for formula in variable.formulas.values():
        tree = ast.parse(textwrap.dedent(inspect.getsource(formula)))
        params = {a.arg for a in tree.body[0].args.args}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func, first = node.func, node.args[0]
            reads = (isinstance(func, ast.Name) and func.id in params) or (
                isinstance(func, ast.Attribute) and func.attr == "members"
            )
            if reads and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def rule_conditions(spec: PolicySpec, system) -> set[str]:
    """The yes/no variables the policy's amount formula reads: its conditions."""
    return {
        name
        for name in formula_reads(system.variables[spec.code])
        if system.variables[name].value_type is bool
    }


def check_catalog(system) -> None:
    """Every policy names variables of its own entity and an existing parameter; its
    conditions are exactly those its rule applies, and each says where it comes from and
    how the platform knows it."""
    for spec in policies().values():
        validity(spec, system)
        for path in spec.standards:
            if find_parameter(system.parameters, path) is None:
                raise RulesError(f"catalog.yaml: {spec.code} 的标准参数 {path} 不存在")
        for name in (spec.code, *spec.conditions, *spec.figures):
            variable = system.variables.get(name)
            if variable is None:
                raise RulesError(f"catalog.yaml: {spec.code} 引用的变量 {name} 不存在")
            if variable.entity.key != spec.entity:
                raise RulesError(
                    f"catalog.yaml: {spec.code} 是{spec.entity_label}政策,"
                    f"变量 {name} 属于 {variable.entity.key}"
                )
        applied = rule_conditions(spec, system)
        listed = set(spec.conditions)
        if listed - applied:
            raise RulesError(
                f"catalog.yaml: {spec.code} 列出的条件 {'、'.join(sorted(listed - applied))} "
                "未被规则应用"
            )
        if applied - listed:
            raise RulesError(
                f"catalog.yaml: {spec.code} 的规则应用了未列出的条件 "
                f"{'、'.join(sorted(applied - listed))}"
            )
        for name in (spec.code, *spec.conditions):
            variable = system.variables[name]
            if not variable.reference or not variable.documentation:
                raise RulesError(
                    f"变量 {name}({variable.label}) 须写明出处(reference)和平台如何得知"
                    "(documentation)"
                )
