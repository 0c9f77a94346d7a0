"""Social-insurance cross-check (社保数据比对): a contribution file (resident ID, employer
credit code, month) compared with the registry. It proposes, and staff decide:

- registered unemployed but contributing in the file's latest month → proposed employed
  (with the contributing employer);
- employed but contributing in an earlier month of the file and not in the latest →
  proposed out of work (未参加劳动, their employment registration ended), to be verified:
  registering unemployment is the person's own request, not something a file decides.

Every row is validated (GB 11643 check digit, GB 32100 check character, a month like
2026-10 or 202610, a person in the registry and in the clerk's region); rejected rows are
reported with row number, column and reason, and the good rows still count. Nothing in
the registry changes until a proposal is confirmed; confirming registers employment
(when the employer is known) or records the status change, dated and audited."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import may_change
from apps.accounts.scoping import in_scope, user_scope_prefix
from apps.accounts.services import record_audit
from apps.employers.models import Employer
from apps.imports.readers import FileFormatError, open_table
from jiuye.identifiers import validate_credit_code, validate_resident_id

from .models import ContributionCheck, LabourStatus, Person, Registration, StatusProposal
from .registration import RegistrationError, change_status, register

COLUMNS = {"公民身份号码": "id", "缴费单位统一社会信用代码": "employer", "缴费月份": "month"}
_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")


class CrossCheckError(ValueError):
    """The file as a whole cannot be compared; the message says why."""


NOT_FOUND = "您的管辖区域内没有此人"


def _month(value: str) -> str:
    m = _MONTH.match(value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"缴费月份“{value}”格式应为 2026-10 或 202610")
    return f"{m.group(1)}-{m.group(2)}"


def run_check(*, user: User, path: str | Path, filename: str) -> ContributionCheck:
    if not user.is_clerk:
        raise CrossCheckError("只有经办人员可以进行社保数据比对")
    try:
        table = open_table(path)
    except FileFormatError as exc:
        raise CrossCheckError(str(exc)) from None
    try:
        missing = [h for h in COLUMNS if h not in table.headers]
        if missing:
            raise CrossCheckError(f"缺少列:{'、'.join(missing)}")
        index = {COLUMNS[h]: table.headers.index(h) for h in COLUMNS}
        rows, rejected = [], []
        for number, cells in table.rows:
            values = {k: (cells[i] if i < len(cells) else "").strip() for k, i in index.items()}
            problems = []
            try:
                values["id"] = validate_resident_id(values["id"].upper())
            except ValueError as exc:
                problems.append(("公民身份号码", str(exc)))
            try:
                values["employer"] = validate_credit_code(values["employer"].upper())
            except ValueError as exc:
                problems.append(("缴费单位统一社会信用代码", str(exc)))
            try:
                values["month"] = _month(values["month"])
            except ValueError as exc:
                problems.append(("缴费月份", str(exc)))
            if problems:
                rejected += [[number, column, reason] for column, reason in problems]
            else:
                rows.append((number, values))
    finally:
        table.close()
    if not rows and not rejected:
        raise CrossCheckError("文件没有数据行")
    prefix = user_scope_prefix(user) or ""
    people = {
        p.id_number: p
        for p in Person.objects.filter(id_number__in={v["id"] for _, v in rows}).only(
            "id_number", "community_id", "labour_status"
        )
    }
    months: dict[int, dict[str, str]] = defaultdict(dict)  # person → month → employer
    for number, values in rows:
        person = people.get(values["id"])
        if person is None or not in_scope(user, person.community_id):
            # One answer for both: whether another region holds an ID is not the clerk's to learn.
            rejected.append([number, "公民身份号码", NOT_FOUND])
        else:
            months[person.pk][values["month"]] = values["employer"]
    latest = max((m for by in months.values() for m in by), default="")
    with transaction.atomic():
        check = ContributionCheck.objects.create(
            created_by=user,
            filename=filename[:255],
            region_prefix=prefix,
            month=latest,
            rows=len(rows) + len({r[0] for r in rejected} - {n for n, _ in rows}),
            rejected=sorted(rejected),
        )
        by_pk = {p.pk: p for p in people.values()}
        proposals = []
        for pk, by_month in months.items():
            person = by_pk[pk]
            if person.labour_status == LabourStatus.UNEMPLOYED and latest in by_month:
                proposals.append(
                    StatusProposal(
                        check_run=check,
                        person=person,
                        finding=StatusProposal.Finding.CONTRIBUTING_WHILE_UNEMPLOYED,
                        proposed_status=LabourStatus.EMPLOYED,
                        employer_code=by_month[latest],
                        last_month=latest,
                    )
                )
            elif person.labour_status == LabourStatus.EMPLOYED and latest not in by_month:
                last = max(by_month)
                proposals.append(
                    StatusProposal(
                        check_run=check,
                        person=person,
                        finding=StatusProposal.Finding.STOPPED_WHILE_EMPLOYED,
                        proposed_status=LabourStatus.NOT_IN_LABOUR_FORCE,
                        employer_code=by_month[last],
                        last_month=last,
                    )
                )
        StatusProposal.objects.bulk_create(proposals)
        record_audit(
            actor=user,
            action="crosscheck",
            obj=check,
            changes={"rows": check.rows, "proposals": len(proposals), "rejected": len(rejected)},
        )
    return check


def decide(*, user: User, proposal: StatusProposal, confirm: bool) -> StatusProposal:
    """Staff confirm (the status changes, dated today) or reject (nothing changes)."""
    with transaction.atomic():
        proposal = StatusProposal.objects.select_for_update().get(pk=proposal.pk)
        person = proposal.person
        if not may_change(user, stored=person.community_id):
            raise CrossCheckError("无权处理该人员的比对结果")
        if proposal.decision != StatusProposal.Decision.PENDING:
            raise CrossCheckError(f"该建议已{proposal.get_decision_display()}")
        if confirm:
            note = f"社保比对:{proposal.get_finding_display()}"
            if proposal.proposed_status == LabourStatus.EMPLOYED:
                employer = Employer.objects.filter(credit_code=proposal.employer_code).first()
                if employer is not None:
                    try:
                        register(
                            user=user,
                            person=person,
                            kind=Registration.Kind.EMPLOYMENT,
                            employer=employer,
                        )
                    except RegistrationError as exc:
                        raise CrossCheckError(str(exc)) from None
                else:  # the employer is not on our books: the status, with the reason
                    change_status(person, LabourStatus.EMPLOYED, timezone.localdate(), note, user)
            else:
                for active in person.registrations.filter(
                    ended_on__isnull=True, kind__in=[Registration.Kind.EMPLOYMENT]
                ):
                    active.ended_on, active.end_reason = timezone.localdate(), note
                    active.save(update_fields=["ended_on", "end_reason"])
                change_status(person, proposal.proposed_status, timezone.localdate(), note, user)
        proposal.decision = (
            StatusProposal.Decision.CONFIRMED if confirm else StatusProposal.Decision.REJECTED
        )
        proposal.decided_by, proposal.decided_at = user, timezone.now()
        proposal.save(update_fields=["decision", "decided_by", "decided_at"])
        record_audit(
            actor=user, action="proposal", obj=proposal, changes={"decision": proposal.decision}
        )
    return proposal
