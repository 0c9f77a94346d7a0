"""Outbound channels for offers. A bureau lists its own in settings.OFFER_CHANNELS (an SMS
gateway, WeChat template messages); each gets the offers of one person at a time."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Offer, OutboundMessage

log = logging.getLogger(__name__)


class TableChannel:
    """The default: the message is written to a table and to the log, not sent anywhere."""

    name = "table"

    def send(self, person, offers: list[Offer], push=None) -> None:
        titles = "、".join(f"{o.job.employer.name}{o.job.title}" for o in offers[:3])
        text = (
            f"{person.name}您好,为您推荐{len(offers)}个岗位:{titles}。详情请登录就业服务平台查看。"
        )
        OutboundMessage.objects.create(
            channel=self.name, person=person, phone=person.phone, text=text, push=push
        )
        log.info("offer message to person %s: %d offers", person.pk, len(offers))


def channels() -> list:
    return [import_string(path)() for path in settings.OFFER_CHANNELS]
