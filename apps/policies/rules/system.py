"""Region overlays and the checks every parameter passes before a rule is evaluated: no
negative amount, no date gap (a value ended by null and taken up again later), no overlay
naming an unknown parameter. Each error names the file, the parameter and the date."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import yaml
from openfisca_core.parameters import Parameter, ParameterNode

from . import PARAMETERS_DIR, REGIONS_DIR, CountryTaxBenefitSystem


class RulesError(ValueError):
    """A parameter file the rules cannot be evaluated with."""


def overlay_prefix(code: str, source: str = "") -> str:
    """The region prefix a code stands for: 340000 → 34, 341200 → 3412, 341282."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise RulesError(f"{source}: 区域 {code!r} 须为2、4或6位行政区划代码")
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def read_overlay(path) -> dict:
    source = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, ValueError) as exc:  # PyYAML raises ValueError on a bad date
        raise RulesError(f"{source}: 不是有效的YAML文件 ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        raise RulesError(f"{source}: 应有 regions(区划代码列表)和 parameters(参数: {{日期: 值}})")
    return data


def region_overlays(region_code: str, regions_dir: Path = REGIONS_DIR) -> list[Path]:
    """The overlay files whose regions contain `region_code`, broadest first."""
    found = []
    for path in sorted(regions_dir.glob("*.yaml")):
        codes = read_overlay(path).get("regions") or []
        prefixes = [overlay_prefix(code, path.name) for code in codes]
        matching = [p for p in prefixes if region_code.startswith(p)]
        if matching:
            found.append((max(len(p) for p in matching), path.name, path))
    return [path for *_, path in sorted(found)]


def _leaves(node: ParameterNode, prefix: str = ""):
    for name, child in node.children.items():
        path = f"{prefix}{name}"
        if isinstance(child, Parameter):
            yield path, child
        elif isinstance(child, ParameterNode):
            yield from _leaves(child, path + ".")


def find_parameter(parameters: ParameterNode, path: str):
    """The node or parameter at a dotted path, or None."""
    node = parameters
    for part in path.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            return None
        node = children[part]
    return node


def check_parameter(path: str, parameter: Parameter, source: str) -> None:
    """No negative value, and no value taken up again after a null ended it."""
    ended_on = None
    for at in sorted(parameter.values_list, key=lambda v: v.instant_str):
        value = at.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise RulesError(f"{source}: 参数 {path} 在 {at.instant_str} 的值 {value} 为负数")
        if value is None:
            ended_on = at.instant_str
        elif ended_on is not None:
            raise RulesError(
                f"{source}: 参数 {path} 自 {ended_on} 起无值,至 {at.instant_str} 又有值,"
                "中间有空档(若政策恢复,请在空档期内写明取值)"
            )


def _date(key, source: str, path: str) -> str:
    if isinstance(key, datetime.date):
        return key.isoformat()
    try:
        return datetime.date.fromisoformat(str(key)).isoformat()
    except ValueError:
        raise RulesError(f"{source}: 参数 {path} 的日期 {key!r} 不是 YYYY-MM-DD 格式") from None


def apply_overlay(parameters: ParameterNode, path: Path) -> None:
    """Apply one region file: its `parameters` map a parameter path to {date: value|null},
    its `references` each parameter path to the phrase of the document it comes from."""
    source = path.name
    overlay = read_overlay(path)
    entries = overlay["parameters"]
    references = overlay.get("references") or {}
    for name, dated in entries.items():
        parameter = find_parameter(parameters, str(name))
        if not isinstance(parameter, Parameter):
            raise RulesError(f"{source}: 没有名为 {name} 的参数")
        if not isinstance(dated, dict) or not dated:
            raise RulesError(f"{source}: 参数 {name} 应给出“日期: 值”")
        for start in sorted(_date(k, source, name) for k in dated):
            value = next(v for k, v in dated.items() if _date(k, source, name) == start)
            if value is not None and not isinstance(value, (int, float)):
                raise RulesError(f"{source}: 参数 {name} 在 {start} 的值 {value!r} 不是数值")
            parameter.update(start=start, value=value)
        check_parameter(str(name), parameter, source)
        reference = references.get(name)
        if not reference and not getattr(path, "what_if", False):
            raise RulesError(f"{source}: 参数 {name} 缺少依据(references: 出处原文)")
        parameter.metadata = {
            **(parameter.metadata or {}),
            "set_by": source,
            **({"local_reference": str(reference)} if reference else {}),
        }


def build_system(
    region_code: str = "",
    parameters_dir: Path = PARAMETERS_DIR,
    regions_dir: Path = REGIONS_DIR,
    overrides: dict | None = None,
) -> CountryTaxBenefitSystem:
    """A system with the base parameters, the region's overlays and any what-if
    `overrides` ({path: {date: value}}), every parameter checked."""
    try:
        system = CountryTaxBenefitSystem(parameters_dir)
    except Exception as exc:  # OpenFisca's own parsing errors name the file
        raise RulesError(f"参数文件无法读取: {exc}") from None
    for path, parameter in _leaves(system.parameters):
        check_parameter(path, parameter, parameter.file_path or str(parameters_dir))
    for overlay in region_overlays(region_code, regions_dir) if region_code else []:
        apply_overlay(system.parameters, overlay)
    if overrides:
        tmp = _OverridesFile(overrides)
        apply_overlay(system.parameters, tmp)
    return system


class _OverridesFile:
    """What-if overrides given as a mapping, read like an overlay file."""

    name = "试算参数"
    what_if = True  # a trial value needs no source

    def __init__(self, overrides: dict) -> None:
        self._text = yaml.safe_dump({"parameters": overrides}, allow_unicode=True)

    def read_text(self, encoding="utf-8") -> str:
        return self._text


@functools.lru_cache(maxsize=64)
def system_for(region_code: str) -> CountryTaxBenefitSystem:
    """The rules in force in a region (county code or longer), cached per county."""
    return build_system(region_code[:6])
