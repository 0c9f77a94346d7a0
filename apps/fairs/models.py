"""Recruitment fairs (招聘会): a fair held by a region's public employment service for its
target groups, the stands employers book with the jobs they bring, the workers who register
and are checked in at the door, and the hiring intentions (达成就业意向) and hires recorded
at the stands."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


class Fair(models.Model):
    class Theme(models.TextChoices):
        SPRING = "spring", "春风行动"
        AID_MONTH = "aid_month", "就业援助月"
        AUTUMN = "autumn", "金秋招聘月"
        CAMPUS = "campus", "高校毕业生校园招聘"
        VETERANS = "veterans", "退役军人专场"
        THEMED = "themed", "“2+N”专场招聘"
        GENERAL = "general", "综合招聘会"

    class Mode(models.TextChoices):
        ON_SITE = "on_site", "现场招聘"
        ONLINE = "online", "网络招聘"
        BOTH = "both", "现场+网络"

    title = models.CharField("名称", max_length=100)
    theme = models.CharField("类别", max_length=12, choices=Theme.choices)
    mode = models.CharField("形式", max_length=8, choices=Mode.choices, default=Mode.ON_SITE)
    # the organising region (a county's or a street's public employment service)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    venue = models.CharField("地点", max_length=128, blank=True)
    held_on = models.DateField("举办日期")
    ends_on = models.DateField("结束日期")
    opens = models.TimeField("开始时间")
    closes = models.TimeField("结束时间")
    stands = models.PositiveSmallIntegerField("展位数")
    # the target groups (KeyGroup values); empty: every worker
    groups = models.JSONField("服务对象", default=list, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "招聘会"
        verbose_name_plural = "招聘会"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="fair_held")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("held_on")), name="fair_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def on_site(self) -> bool:
        return self.mode != self.Mode.ONLINE


class Stand(models.Model):
    """An employer's stand (展位) at a fair, with the jobs it brings."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="stand_set")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("展位号")
    jobs = models.ManyToManyField("jobs.Job", related_name="stands", verbose_name="招聘岗位")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "展位"
        verbose_name_plural = "展位"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "employer"], name="stand_once"),
            models.UniqueConstraint(fields=["fair", "number"], name="stand_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}号展位"


def new_code() -> str:
    return secrets.token_urlsafe(12)


class Attendee(models.Model):
    """A worker registered for a fair (报名); ``code`` is what their admission QR holds."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("入场码", max_length=24, unique=True, default=new_code)
    registered_at = models.DateTimeField(auto_now_add=True)
    # the clerk who registered them (None: the worker themself)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "报名人员"
        verbose_name_plural = "报名人员"
        constraints = [models.UniqueConstraint(fields=["fair", "person"], name="attendee_once")]

    def __str__(self) -> str:
        return f"{self.fair} · {self.person_id}"


class CheckIn(models.Model):
    """An attendee's admission at the door: one a person a fair. ``key`` is the scan's
    own key, made on the device that scanned: a scan sent again (after a lost answer on a
    weak network) names the same key and is answered as the first time."""

    class Method(models.TextChoices):
        QR = "qr", "扫码"
        ID = "id", "身份证"

    attendee = models.OneToOneField(Attendee, on_delete=models.CASCADE, related_name="check_in")
    key = models.UUIDField("扫描标识", unique=True)
    method = models.CharField("方式", max_length=4, choices=Method.choices)
    scanned_at = models.DateTimeField("扫描时间")
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "入场签到"
        verbose_name_plural = "入场签到"

    def __str__(self) -> str:
        return str(self.key)


class Intention(models.Model):
    """A hiring intention reached at a stand (达成就业意向), and the hire when it follows."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="intentions")
    stand = models.ForeignKey(Stand, on_delete=models.CASCADE, related_name="intentions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reached_on = models.DateField("达成日期")
    hired_on = models.DateField("录用日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "就业意向"
        verbose_name_plural = "就业意向"
        constraints = [models.UniqueConstraint(fields=["stand", "person"], name="intention_once")]

    def __str__(self) -> str:
        return f"{self.stand} · {self.person_id}"
