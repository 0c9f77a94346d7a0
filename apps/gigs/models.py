"""Day labour at the gig stations (零工驿站, a ``regions.ServiceStation`` of kind 零工驿站):
day jobs employers and households post (零工需求), the workers who take them (接单), come,
finish and are paid, and the workers who report at a station as free for the day."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Gig(models.Model):
    class PayUnit(models.TextChoices):
        DAY = "day", "元/天"
        HOUR = "hour", "元/小时"
        PIECE = "piece", "元/件"

    class Status(models.TextChoices):
        OPEN = "open", "招募中"
        CLOSED = "closed", "已结束"
        CANCELLED = "cancelled", "已取消"

    station = models.ForeignKey(
        "regions.ServiceStation", on_delete=models.PROTECT, related_name="gigs"
    )
    # who posts: an employer, or a household (a name and a phone, posted by staff)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    poster_name = models.CharField("发布人", max_length=64, blank=True)
    poster_phone = models.CharField("联系电话", max_length=11, blank=True)
    task = models.CharField("活计", max_length=64)
    detail = models.CharField("说明", max_length=300, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField("干活地点", max_length=128)
    lat = models.FloatField("纬度")
    lng = models.FloatField("经度")
    day = models.DateField("日期")
    starts = models.TimeField("开始")
    ends = models.TimeField("结束")
    pay = models.DecimalField("报酬", max_digits=8, decimal_places=2)
    pay_unit = models.CharField("计酬方式", max_length=6, choices=PayUnit.choices)
    headcount = models.PositiveSmallIntegerField("人数")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "零工需求"
        verbose_name_plural = "零工需求"
        ordering = ["day", "starts", "pk"]
        indexes = [models.Index(fields=["day", "station"], name="gig_day_station")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pay__gt=0), name="gig_pay_positive"),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="gig_headcount"),
        ]

    def __str__(self) -> str:
        return f"{self.task}({self.day:%m-%d})"

    @property
    def poster(self) -> str:
        return self.employer.name if self.employer_id else self.poster_name


class Take(models.Model):
    """A worker taking a gig (接单): come, done and paid, or called off, or not come."""

    class Status(models.TextChoices):
        TAKEN = "taken", "已接单"
        ARRIVED = "arrived", "已到岗"
        DONE = "done", "已完工"
        CANCELLED = "cancelled", "已取消"
        NO_SHOW = "no_show", "未到岗"

    LIVE = (Status.TAKEN, Status.ARRIVED, Status.DONE)

    gig = models.ForeignKey(Gig, on_delete=models.PROTECT, related_name="takes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.TAKEN)
    taken_at = models.DateTimeField(auto_now_add=True)
    arrived_at = models.DateTimeField("到岗时间", null=True, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True)
    paid = models.DecimalField(
        "实付报酬(元)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "接单"
        verbose_name_plural = "接单"
        constraints = [models.UniqueConstraint(fields=["gig", "person"], name="take_once")]
        indexes = [models.Index(fields=["completed_on"], name="take_completed")]

    def __str__(self) -> str:
        return f"{self.gig} · {self.person_id}"


class Availability(models.Model):
    """A worker reporting at a station as free for a day (驿站报到): the day's supply."""

    station = models.ForeignKey(
        "regions.ServiceStation", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "驿站报到"
        verbose_name_plural = "驿站报到"
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="available_once")]

    def __str__(self) -> str:
        return f"{self.station} · {self.day}"
