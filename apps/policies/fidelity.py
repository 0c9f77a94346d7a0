"""The fidelity table (docs/policies.md): for every policy, each condition and amount with
the phrase of the seed or national document it comes from, how the platform knows it, and
the tests that hold it; and what the platform cannot know, declared by the applicant or
checked by staff. Generated from the rules' own metadata, so it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

from .rules import catalog
from .rules.system import _leaves, build_system, find_parameter, system_for

START, END = "<!-- fidelity:start -->", "<!-- fidelity:end -->"
TESTS_DIR = Path(__file__).resolve().parent / "rules" / "tests"
REGIONS = ("", "341282", "130629")  # the national base, 界首市 (002), 雄安新区 (004)


def _tests_naming(name: str, system=None, policy: str = "") -> list[str]:
    """The YAML test cases that evaluate the policy and name the variable, or a fact its
    formula reads: file and case name."""
    import yaml

    names = {name}
    if system is not None:
        names |= catalog.formula_reads(system.variables[name])
    found = []
    for path in sorted(TESTS_DIR.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            text = yaml.safe_dump(case, allow_unicode=True)
            if (not policy or f"{policy}:" in text) and any(f"{n}:" in text for n in names):
                found.append(f"{path.parent.name}/{path.name}")
                break
    return found


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _amount_sources(spec) -> list[str]:
    """The documents of the policy's parameters: the base's, and each region's phrase."""
    sources = []
    for region in REGIONS:
        system = system_for(region) if region else build_system("")
        node = find_parameter(system.parameters, spec.node_path())
        leaves = list(_leaves(node)) if node is not None and hasattr(node, "children") else []
        for _, parameter in leaves:
            meta = parameter.metadata or {}
            for key in ("local_reference", "reference"):
                if meta.get(key) and meta[key] not in sources:
                    sources.append(meta[key])
    return sources


def rows() -> list[list[str]]:
    system = build_system("")
    out = []
    for spec in sorted(catalog.policies().values(), key=lambda s: s.order):
        title = f"{spec.name} `{spec.code}`"
        amount = system.variables[spec.code]
        out.append(
            [
                title,
                "金额",
                ";".join(dict.fromkeys([*amount.reference, *_amount_sources(spec)])),
                amount.documentation,
                ", ".join(_tests_naming(spec.code)) or "—",
            ]
        )
        for name in spec.conditions:
            variable = system.variables[name]
            out.append(
                [
                    title,
                    f"{variable.label} `{name}`",
                    ";".join(variable.reference),
                    variable.documentation,
                    ", ".join(_tests_naming(name, system, spec.code)) or "—",
                ]
            )
        for text, source in spec.declared:
            out.append([title, text, source, "申请人声明(申请时确认)", "—"])
        for text, source in spec.staff_checks:
            out.append([title, text, source, "经办人员审核时核查(审核页列出)", "—"])
    return out


def render() -> str:
    lines = [
        START,
        "",
        "| 政策 | 条件 | 出处 | 平台如何得知 | 测试 (`apps/policies/rules/tests/`) |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows()]
    lines += ["", END]
    return "\n".join(lines)
