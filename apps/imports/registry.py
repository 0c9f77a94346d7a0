"""The import kinds. Each domain app owns the spec of its own records."""

from __future__ import annotations

from .specs import ImportSpec


def import_specs() -> dict[str, ImportSpec]:
    from apps.employers.importers import EmployerImport
    from apps.jobs.importers import JobImport
    from apps.monitoring.importers import MonthlyReportImport
    from apps.people.importers import PersonImport
    from apps.regions.importers import CommunityImport, StationImport
    from apps.taxonomy.importers import IndustryImport, OccupationImport

    specs = [
        PersonImport(),
        EmployerImport(),
        JobImport(),
        CommunityImport(),
        StationImport(),
        OccupationImport(),
        IndustryImport(),
        MonthlyReportImport(),
    ]
    return {spec.kind: spec for spec in specs}


def get_spec(kind: str) -> ImportSpec:
    specs = import_specs()
    if kind not in specs:
        raise KeyError(f"未知的导入类型“{kind}”,可选:{'、'.join(specs)}")
    return specs[kind]
