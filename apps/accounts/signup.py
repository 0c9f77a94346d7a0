"""Signing up on one's own (自助注册): a worker with mobile number, name and resident ID;
an employer with its unified social credit code. Both confirm a one-time code. A resident
ID the registry already holds is linked to its person only through a code sent to the
phone on file, never by the ID alone; an employer's account works once staff of its
region have verified it (资质审核)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.people.models import LabourStatus, Person, StatusChange
from apps.regions.models import Region
from jiuye.identifiers import birth_date_from_id, gender_from_id, mask_mobile

from .codes import CodeError, check_code, send_code
from .models import Role, User
from .services import record_audit

SESSION_KEY = "pending_signup"


class SignupError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Pending:
    """What a sign-up holds between its form and its code (in the session)."""

    kind: str  # worker | employer
    phone: str  # where the code went
    password_hash: str
    name: str = ""
    id_number: str = ""
    person_id: int | None = None  # the registry's person, when the ID is known
    community: str = ""
    labour_status: str = ""
    employer_fields: dict | None = None


def start_worker(
    *, name: str, id_number: str, phone: str, password: str, community: str, labour_status: str
) -> tuple[Pending, str]:
    """Check the sign-up and send its code: to the phone on file for a known ID (which
    then becomes the login)."""
    person = Person.objects.filter(id_number=id_number).first()
    if person is not None:
        if User.objects.filter(person=person).exists():
            raise SignupError("这个身份证号已注册账号,请直接登录", "id_number")
        if not person.phone:
            raise SignupError(
                "登记信息中没有您的手机号,无法核验身份,请携身份证到社区服务站办理", "id_number"
            )
        target = person.phone
    else:
        if not Region.objects.filter(code=community).exists():
            raise SignupError("请选择居住的社区", "community")
        target = phone
    if User.objects.filter(username=target).exists():
        raise SignupError("这个手机号已注册,请直接登录", "phone")
    pending = Pending(
        kind="worker",
        phone=target,
        password_hash=make_password(password),
        name=name,
        id_number=id_number,
        person_id=person.pk if person else None,
        community=community,
        labour_status=labour_status,
    )
    return pending, send_code(target, "signup")


def code_sent_to(pending: Pending) -> str:
    return mask_mobile(pending.phone)


def start_employer(*, phone: str, password: str, fields: dict) -> tuple[Pending, str]:
    """An employer's sign-up: the contact's mobile confirms it; staff verify the employer."""
    if User.objects.filter(username=phone).exists():
        raise SignupError("这个手机号已注册,请直接登录", "contact_phone")
    pending = Pending(
        kind="employer",
        phone=phone,
        password_hash=make_password(password),
        name=fields["name"],
        employer_fields=fields,
    )
    return pending, send_code(phone, "signup")


@transaction.atomic
def finish(pending: Pending, code: str) -> User:
    """The code is right: create the account (and the person, or link the known one)."""
    try:
        check_code(pending.phone, "signup", code)
    except CodeError as exc:
        raise SignupError(str(exc), "code") from None
    try:
        with transaction.atomic():
            if pending.kind == "worker":
                person = _person_for(pending)
                user = User.objects.create(
                    username=pending.phone,
                    password=pending.password_hash,
                    role=Role.WORKER,
                    person=person,
                    first_name=pending.name[:150],
                )
            else:
                user = User.objects.create(
                    username=pending.phone, password=pending.password_hash, role=Role.EMPLOYER
                )
                from apps.employers.registration import submit

                submit(user=user, **pending.employer_fields)
    except IntegrityError:
        raise SignupError("这个手机号或身份证号刚刚已注册,请直接登录") from None
    record_audit(actor=user, action="signed_up", obj=user, changes={"kind": pending.kind})
    return user


def _person_for(pending: Pending) -> Person:
    if pending.person_id:
        return Person.objects.get(pk=pending.person_id)
    today = timezone.localdate()
    region = Region.objects.get(code=pending.community)
    person = Person.objects.create(
        id_number=pending.id_number,
        name=pending.name,
        gender=gender_from_id(pending.id_number),
        birth_date=birth_date_from_id(pending.id_number),
        phone=pending.phone,
        community=region,
        lat=region.lat,
        lng=region.lng,
        h3=region.h3 or "",
        labour_status=pending.labour_status,
        status_since=today,
    )
    StatusChange.objects.create(
        person=person, status=pending.labour_status, since=today, note="本人注册"
    )
    return person


def save_pending(session, pending: Pending) -> None:
    session[SESSION_KEY] = asdict(pending)


def load_pending(session) -> Pending | None:
    data = session.get(SESSION_KEY)
    return Pending(**data) if data else None


SEEKING_CHOICES = [
    (LabourStatus.UNEMPLOYED, "失业,正在找工作"),
    (LabourStatus.EMPLOYED, "在职,想换工作"),
    (LabourStatus.FLEXIBLE, "灵活就业"),
    (LabourStatus.STUDENT, "在校学生(含应届毕业生)"),
    (LabourStatus.NOT_IN_LABOUR_FORCE, "暂未工作"),
]
