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

from .codes import CODE_MINUTES, MAX_TRIES, CodeError, check_code, notify, send_code, throttle
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
    # No code was sent (the ID has an account already, or no phone on file): the code
    # page looks the same and every code is wrong, so that sign-up does not tell an
    # outsider whether an ID is in the registry.
    dead: bool = False
    tries: int = 0
    started: float = 0.0  # when (a timestamp): a code page without a code expires too


def start_worker(
    *, name: str, id_number: str, phone: str, password: str, community: str, labour_status: str
) -> tuple[Pending, str | None]:
    """Check the sign-up and send its code: to the phone on file for a known ID (which
    then becomes the login). Whether or not the ID is in the registry, every answer is
    the same (an outside attack found four ways to tell, 2026-12-03): the typed phone is
    checked and throttled alike on every path; a send the phone on file's own limits stop
    is skipped silently; a known ID that cannot be linked online (an account already, or
    no phone on file) gets a code page where no code works and that expires as codes do,
    and the account's owner one notice an hour."""
    if not Region.objects.filter(code=community).exists():
        raise SignupError("请选择居住的社区", "community")
    if User.objects.filter(username=phone).exists():
        raise SignupError("这个手机号已注册,请直接登录", "phone")
    try:
        throttle(phone)  # the typed phone, on every path, with the same messages
    except CodeError as exc:
        raise SignupError(str(exc), "phone") from None
    person = Person.objects.filter(id_number=id_number).first()
    pending = Pending(
        kind="worker",
        phone=phone,
        password_hash=make_password(password),
        name=name,
        id_number=id_number,
        person_id=person.pk if person else None,
        community=community,
        labour_status=labour_status,
        started=timezone.now().timestamp(),
    )
    target = phone
    if person is not None:
        account = User.objects.filter(person=person).first()
        if (
            account is not None
            or not person.phone
            or User.objects.filter(username=person.phone).exists()
        ):
            if account is not None and account.username.isdigit():
                notify(
                    account.username,
                    "有人正在用您的身份证号注册公共就业服务账号。您已有账号,可直接登录;"
                    "如非本人操作,请忽略本短信。",
                    once_per_hour=True,
                )
            pending.phone, pending.dead = "", True
            return pending, None
        target = pending.phone = person.phone
    try:
        return pending, send_code(target, "signup")
    except CodeError:  # the phone on file's own limits: nothing sent, nothing said
        return pending, None


def code_sent_to(pending: Pending) -> str:
    """For an employer, the (masked) contact mobile; a worker's page never says where the
    code went (that would tell whether the ID is in the registry)."""
    return mask_mobile(pending.phone) if pending.kind == "employer" else ""


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


def finish(pending: Pending, code: str) -> User:
    """The code is right: create the account (and the person, or link the known one).
    The code is checked outside the account's transaction, so that a wrong try stays
    counted."""
    fresh = timezone.now().timestamp() - pending.started <= CODE_MINUTES * 60
    if pending.dead:
        _wrong(pending, fresh)
    try:
        check_code(pending.phone, "signup", code)
    except CodeError as exc:
        if fresh and "失效" in str(exc):
            # no live code for this sign-up (the send was skipped at the phone's limits):
            # answered as a page without a code is, not "expired" before its time
            _wrong(pending, fresh)
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


def _wrong(pending: Pending, fresh: bool):
    """A try at a sign-up without a live code: wrong, and counted, until it expires."""
    if not fresh:
        raise SignupError("验证码已失效,请重新获取", "code")
    pending.tries += 1
    if pending.tries > MAX_TRIES:
        raise SignupError("验证码错误次数过多,请重新获取", "code")
    raise SignupError("验证码不正确", "code")


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
