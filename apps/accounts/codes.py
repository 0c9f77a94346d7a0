"""One-time codes to a mobile number (短信验证码): sent through the configured channel,
kept only as a hash, valid for CODE_MINUTES, a few tries each, and rate-limited per
number. The demo's channel writes the code to the log, and the page shows it when
SHOW_CODES is on (the demo; never in production)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from jiuye.identifiers import mask_mobile

from .models import PhoneCode

log = logging.getLogger(__name__)
CODE_MINUTES = 10
MAX_TRIES = 5
PER_HOUR = 5
GAP_SECONDS = 60


class CodeError(ValueError):
    pass


def _hash(phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


class LogChannel:
    """Writes the message to the log: the demo's and the tests' channel."""

    def send(self, phone: str, text: str) -> None:
        log.info("短信 → %s: %s", mask_mobile(phone), text)


def notify(phone: str, text: str, *, once_per_hour: bool = False) -> None:
    """A text message that is not a code (a notice), through the same channel;
    ``once_per_hour``: at most one such notice to the number an hour."""
    if once_per_hour and not cache.add(f"notice:{phone}", 1, timeout=3600):
        return
    import_string(settings.SMS_CHANNEL)().send(phone, text)


def throttle(phone: str) -> None:
    """The sending limits of a number a person typed, kept apart from the codes sent:
    one a minute, PER_HOUR an hour. Raises CodeError with the reason."""
    minute, hour = f"typed-minute:{phone}", f"typed-hour:{phone}"
    if not cache.add(minute, 1, timeout=GAP_SECONDS):
        raise CodeError("验证码已发送,请一分钟后再重新获取")
    cache.add(hour, 0, timeout=3600)
    if cache.incr(hour) > PER_HOUR:
        raise CodeError("验证码发送过于频繁,请一小时后再试")


def send_code(phone: str, purpose: str) -> str:
    """Send a new code; returns it (for the demo's on-screen display only)."""
    now = timezone.now()
    recent = PhoneCode.objects.filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= PER_HOUR:
        raise CodeError("验证码发送过于频繁,请一小时后再试")
    last = recent.first()
    if last and (now - last.created_at).total_seconds() < GAP_SECONDS:
        raise CodeError("验证码已发送,请一分钟后再重新获取")
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(phone, purpose, code),
        expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
    )
    channel = import_string(settings.SMS_CHANNEL)()
    channel.send(phone, f"您的验证码为{code},{CODE_MINUTES}分钟内有效。请勿告诉他人。")
    return code


def check_code(phone: str, purpose: str, code: str) -> None:
    """Accept the latest code sent to ``phone`` for ``purpose`` once, or say why not."""
    sent = PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).first()
    now = timezone.now()
    if sent is None or sent.expires_at < now:
        raise CodeError("验证码已失效,请重新获取")
    # The try is counted before the code is compared, in one conditional UPDATE: guesses
    # sent in parallel cannot share a try. Callers must not undo it: call this outside a
    # transaction that a wrong code rolls back.
    counted = PhoneCode.objects.filter(pk=sent.pk, attempts__lt=MAX_TRIES).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise CodeError("验证码错误次数过多,请重新获取")
    if not hmac.compare_digest(sent.code_hash, _hash(phone, purpose, (code or "").strip())):
        raise CodeError("验证码不正确")
    # used once: a second request with the same right code finds nothing to use
    if not PhoneCode.objects.filter(pk=sent.pk, used_at__isnull=True).update(used_at=now):
        raise CodeError("验证码已失效,请重新获取")
