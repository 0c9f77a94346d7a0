"""Monthly reports of monitored enterprises as a file (失业动态监测月报批量导入): one row per
enterprise and month. A row identical to the month's current report changes nothing; a
different figure is a correction (the old report kept, marked replaced); the month's
warnings are scanned again after the file."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.imports.cells import parse_choice, parse_int
from apps.imports.specs import Column, ImportSpec, RowCleaner, WriteResult
from jiuye.identifiers import validate_credit_code

from .models import MAX_HEADCOUNT, MonitoredEnterprise, MonthlyReport
from .services import figure_problems, first_of, parse_month, scan


def _month(text: str) -> dt.date:
    from .services import MonitoringError

    try:
        return parse_month(text)
    except MonitoringError as e:
        raise ValueError(str(e).split(":", 1)[-1]) from None


class MonthlyReportImport(ImportSpec):
    kind = "monitoring"
    label = "失业动态监测月报"
    model = MonthlyReport
    key_field = ("credit_code", "month")
    region_field = "region_id"
    columns = [
        Column("统一社会信用代码", "credit_code", True, "已纳入失业动态监测的单位"),
        Column("月份", "month", True, "如 2026-10"),
        Column("月末从业人数", "headcount", True, f"0至{MAX_HEADCOUNT}"),
        Column("本月减少人数", "reduced", False, "不填为0"),
        Column(
            "主要减员原因",
            "reason",
            False,
            "劳动合同到期、经济性裁员、协商解除、职工主动离职、其他;有减员时必填",
        ),
    ]

    def prepare(self, job) -> dict:
        """The monitored enterprises inside the importer's region only (another region's
        enterprise is answered like one never monitored), with their reported months."""
        from apps.accounts.scoping import region_prefix_q, user_scope_prefix

        prefix = user_scope_prefix(job.created_by) if job.created_by else ""
        monitored = MonitoredEnterprise.objects.filter(until__isnull=True)
        if prefix is None:
            monitored = monitored.none()
        elif prefix:
            monitored = monitored.filter(region_prefix_q("employer__region_id", prefix))
        found = {
            code: rest
            for code, *rest in monitored.values_list(
                "employer__credit_code", "pk", "employer__region_id", "since", "baseline", "until"
            )
        }
        reported: dict[int, dict[dt.date, int]] = {}
        for enterprise, month, headcount in MonthlyReport.objects.filter(
            enterprise_id__in=[v[0] for v in found.values()], replaced_at__isnull=True
        ).values_list("enterprise_id", "month", "headcount"):
            reported.setdefault(enterprise, {})[month] = headcount
        self._months: set[tuple[dt.date, str]] = set()  # (month, county) written this run
        return {"monitored": found, "reported": reported, "seen": set()}

    def limit_problems(self, cleaned: dict) -> list[tuple[str, str]]:
        return []

    def stored_regions(self, rows):
        # a stored report lies where its enterprise does, as the row says
        return {}

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("统一社会信用代码", validate_credit_code, required=True)
        month = row.get("月份", _month, required=True)
        headcount = row.get("月末从业人数", parse_int, required=True)
        reduced = row.get("本月减少人数", parse_int, default=0)
        reason = row.get("主要减员原因", parse_choice, default="", choices=MonthlyReport.Reason)
        found = ctx["monitored"].get(code) if code else None
        if code and found is None:
            row.fail("统一社会信用代码", "本辖区没有纳入失业动态监测的该单位")
        if found and month and (found[0], month) in ctx["seen"]:
            row.fail("月份", f"{month:%Y-%m}在本文件中重复出现")
        if found and month and headcount is not None and not row.problems:
            reported = ctx["reported"].get(found[0], {})
            earlier = [m for m in reported if m < month]
            before = reported[max(earlier)] if earlier else found[3]
            for field, why in figure_problems(
                month=month,
                headcount=headcount,
                reduced=reduced,
                reason=reason or "",
                since=found[2],
                until=found[4],
                before=before,
                today=timezone.localdate(),
            ):
                row.fail(field, why)
        row.done()
        ctx["seen"].add((found[0], month))
        ctx["reported"].setdefault(found[0], {})[month] = headcount
        return {
            "credit_code": code,
            "month": month,
            "enterprise_id": found[0],
            "region_id": found[1],
            "headcount": headcount,
            "reduced": reduced,
            "reason": reason or "",
        }

    def write(self, rows, job, ctx) -> WriteResult:
        result = WriteResult()
        current = {
            (r.enterprise_id, r.month): r
            for r in MonthlyReport.objects.filter(
                enterprise_id__in={row["enterprise_id"] for row in rows},
                month__in={row["month"] for row in rows},
                replaced_at__isnull=True,
            )
        }
        now = timezone.now()
        for row in rows:
            key = (row["credit_code"], row["month"])
            stored = current.get((row["enterprise_id"], row["month"]))
            figures = (row["headcount"], row["reduced"], row["reason"])
            if stored and (stored.headcount, stored.reduced, stored.reason) == figures:
                result.unchanged += 1
                result.pks[key] = stored.pk
                continue
            if stored:
                stored.replaced_at = now
                stored.save(update_fields=["replaced_at"])
            report = MonthlyReport.objects.create(
                enterprise_id=row["enterprise_id"],
                month=row["month"],
                headcount=row["headcount"],
                reduced=row["reduced"],
                reason=row["reason"],
                channel=MonthlyReport.Channel.IMPORT,
                submitted_by=job.created_by,
            )
            result.pks[key] = report.pk
            if stored:
                result.updated += 1
                result.changes[key] = {"headcount": [stored.headcount, row["headcount"]]}
            else:
                result.created += 1
                result.created_keys.append(key)
            self._months.add((row["month"], row["region_id"][:6]))
        return result

    def finish(self, job, scope: str) -> None:
        """Scan again each month written, and the month after it (whose rate it bases)."""
        for month, county in sorted(getattr(self, "_months", ())):
            following = (month + dt.timedelta(days=32)).replace(day=1)
            scan(month, prefix=county)
            if following <= first_of(timezone.localdate()):
                scan(following, prefix=county)
