"""Employers' own sign-ups (用人单位注册) and their verification by staff (资质审核)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.codes import notify
from apps.accounts.models import User
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import scope_queryset
from apps.accounts.services import record_audit
from jiuye.identifiers import mask_mobile

from .models import Employer, EmployerRegistration


class VerificationError(ValueError):
    pass


def submit(*, user: User, **fields) -> EmployerRegistration:
    registration = EmployerRegistration.objects.create(user=user, **fields)
    record_audit(actor=user, action="employer_signup", obj=registration)
    return registration


def waiting_for(user: User) -> QuerySet[EmployerRegistration]:
    """Sign-ups of the user's region waiting to be verified."""
    return scope_queryset(
        EmployerRegistration.objects.filter(status=EmployerRegistration.Status.PENDING),
        user,
        "region_id",
    ).select_related("industry", "region", "user")


def registry_match(registration: EmployerRegistration) -> dict | None:
    """What the registry already holds for the sign-up's credit code: its employer, the
    accounts linked to it, and whether the name typed differs. Staff see it before they
    approve: a credit code is public, so a stranger can type one."""
    employer = Employer.objects.filter(credit_code=registration.credit_code).first()
    if employer is None:
        return None
    accounts = User.objects.filter(employer=employer, is_active=True).count()
    return {
        "employer": employer,
        "accounts": accounts,
        "name_differs": employer.name.strip() != registration.name.strip(),
    }


@transaction.atomic
def decide(
    *,
    user: User,
    registration: EmployerRegistration,
    approve: bool,
    note: str = "",
    confirmed: bool = False,
):
    """Approve or refuse an employer's sign-up. Linking an account to an employer the
    registry already holds needs ``confirmed``: staff say they checked the licence and the
    employer's letter of authorisation (授权书); the employer's contact on file is then
    told by text. The page warns when the name typed differs or accounts exist."""
    registration = EmployerRegistration.objects.select_for_update().get(pk=registration.pk)
    refusal = change_refusal(user, stored=registration.region_id)
    if refusal:
        raise VerificationError(refusal)
    if registration.status != EmployerRegistration.Status.PENDING:
        raise VerificationError(f"该注册{registration.get_status_display()},请刷新")
    if not approve and not note.strip():
        raise VerificationError("不通过时须说明理由")
    if approve:
        match = registry_match(registration)
        employer = match["employer"] if match else None
        if employer is not None and change_refusal(user, stored=employer.region_id):
            raise VerificationError("该单位已在其他区域登记,请由其所在地经办机构核验")
        # a credit code and its name are both public: any sign-up for an employer the
        # registry holds is approved only with the papers seen
        if match and not confirmed:
            raise VerificationError(
                f"登记库中该信用代码的单位为“{employer.name}”"
                + (f",已有{match['accounts']}个账号" if match["accounts"] else "")
                + ":请核对营业执照原件和单位授权书后勾选确认,再通过"
            )
        if employer is None:
            region = registration.region
            employer = Employer.objects.create(
                credit_code=registration.credit_code,
                name=registration.name,
                industry=registration.industry,
                size=registration.size,
                region=region,
                address=registration.address,
                lat=region.lat,
                lng=region.lng,
                h3=region.h3 or "",
                contact_name=registration.contact_name,
                contact_phone=registration.contact_phone,
            )
        registration.employer = employer
        account = registration.user
        account.employer = employer
        account.save(update_fields=["employer"])
        if match and employer.contact_phone and employer.contact_phone != account.username:
            notify(
                employer.contact_phone,
                f"贵单位({employer.name})在公共就业服务平台新增了账号{mask_mobile(account.username)},"
                "如非贵单位授权,请联系所在地公共就业服务机构。",
            )
    registration.status = (
        EmployerRegistration.Status.APPROVED if approve else EmployerRegistration.Status.REFUSED
    )
    registration.decided_by, registration.decided_at = user, timezone.now()
    registration.note = note.strip()[:255]
    registration.save()
    record_audit(
        actor=user,
        action="employer_verified" if approve else "employer_refused",
        obj=registration,
        changes={"employer": registration.employer_id, "note": registration.note},
    )
    return registration
