"""Outbound channels for offers. A bureau lists its own in settings.OFFER_CHANNELS (an SMS
gateway, WeChat template messages). Each receives a batch of notices, one per person; a
channel that really sends should do so after the push's transaction commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from apps.imports.specs import insert_rows

from .models import OutboundMessage

log = logging.getLogger(__name__)


@dataclass
class OfferNotice:
    person_id: int
    name: str
    phone: str
    jobs: list[tuple[str, str]]  # (employer name, job title), best first

    @property
    def text(self) -> str:
        titles = "、".join(f"{employer}{title}" for employer, title in self.jobs[:3])
        return (
            f"{self.name}您好,为您推荐{len(self.jobs)}个岗位:{titles}。详情请登录就业服务平台查看。"
        )


class TableChannel:
    """The default: messages are written to a table and counted in the log, not sent."""

    name = "table"

    def send(self, notices: list[OfferNotice], push=None) -> None:
        insert_rows(
            OutboundMessage,
            [
                {
                    "channel": self.name,
                    "person_id": n.person_id,
                    "phone": n.phone,
                    "text": n.text,
                    "push_id": push.pk if push else None,
                }
                for n in notices
            ],
        )
        log.info("offer messages written for %d people", len(notices))


def channels() -> list:
    return [import_string(path)() for path in settings.OFFER_CHANNELS]
