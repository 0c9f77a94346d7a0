"""Shared employment between enterprises (共享用工、余缺调剂, 003 12): an enterprise with idle
workers offers them for a period, one short of workers asks; an agreement pairs the two
for a headcount and dates, and records which workers went and when they came back. The
workers stay employed by the enterprise that lends them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Posting(models.Model):
    """An offer of idle workers (富余) or a request for workers (缺工)."""

    class Side(models.TextChoices):
        OFFER = "offer", "富余员工可共享"
        REQUEST = "request", "缺工需共享"

    class Status(models.TextChoices):
        OPEN = "open", "有效"
        CLOSED = "closed", "已关闭"

    side = models.CharField("类型", max_length=8, choices=Side.choices)
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, related_name="+"
    )
    headcount = models.PositiveSmallIntegerField("人数")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    note = models.CharField("说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "共享用工信息"
        verbose_name_plural = "共享用工信息"
        ordering = ["-posted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="posting_dates"
            ),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="posting_headcount"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.occupation.name} {self.headcount}人"


class Agreement(models.Model):
    """Shared employment agreed (共享用工协议): the lending enterprise's offer, the
    borrowing one's request, how many and when."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待出借方确认"
        ACTIVE = "active", "已达成"
        DECLINED = "declined", "出借方已拒绝"

    offer = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lent")
    request = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="borrowed")
    headcount = models.PositiveSmallIntegerField("人数")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "共享用工协议"
        verbose_name_plural = "共享用工协议"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.offer.employer} → {self.request.employer}"


class Secondment(models.Model):
    """A worker lent under an agreement (who went where), and when they came back."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="workers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("借出日期")
    end = models.DateField("约定返回日期")
    returned_on = models.DateField("实际返回日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "共享用工人员"
        verbose_name_plural = "共享用工人员"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="secondment_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.person_id}"
