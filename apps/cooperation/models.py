"""Labour cooperation and labour brands (劳务协作、劳务品牌; 000, 001, 002 二(四)3, 004):
partner regions that take the region's workers in organised out-of-region work (有组织劳务
输出), the people sent, where, whether they are still in work there and when they come
back; and labour brands (e.g. 阜阳名小吃) with the businesses that carry them, the jobs those
create, and the members trained and employed under the brand."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Partner(models.Model):
    """A partner in labour cooperation (协作地区/单位)."""

    class Kind(models.TextChoices):
        EAST_WEST = "east_west", "东西部劳务协作"
        PAIRED = "paired", "对口支援协作"
        IN_PROVINCE = "province", "省内劳务协作"
        ENTERPRISE = "enterprise", "企业劳务合作"

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="本方区域"
    )
    name = models.CharField("协作方", max_length=100)
    partner_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="协作地区",
    )
    kind = models.CharField("协作类型", max_length=12, choices=Kind.choices)
    agreed_on = models.DateField("签约日期")
    contact = models.CharField("联络人及电话", max_length=100, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "劳务协作方"
        verbose_name_plural = "劳务协作方"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    """A labour brand (劳务品牌) of a region, with what its plan asks of it."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("品牌名称", max_length=64)
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name="主要职业"
    )
    description = models.CharField("简介", max_length=300, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年度", null=True, blank=True)
    target_businesses = models.PositiveIntegerField("经营主体目标", null=True, blank=True)
    target_jobs = models.PositiveIntegerField("带动就业目标", null=True, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "劳务品牌"
        verbose_name_plural = "劳务品牌"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="brand_once")]

    def __str__(self) -> str:
        return self.name


class BrandBusiness(models.Model):
    """A business carrying a brand (品牌经营主体) from the day it joined to the day it left,
    with the jobs it gives (带动就业人数, as last reported)."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="businesses")
    name = models.CharField("经营主体", max_length=128)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    jobs = models.PositiveIntegerField("带动就业人数")
    registered_on = models.DateField("纳入日期")
    ended_on = models.DateField("退出日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "品牌经营主体"
        verbose_name_plural = "品牌经营主体"
        indexes = [models.Index(fields=["registered_on"], name="brand_business_joined")]

    def __str__(self) -> str:
        return self.name


class Dispatch(models.Model):
    """A person sent in organised out-of-region work (有组织劳务输出), and since."""

    class Status(models.TextChoices):
        WORKING = "working", "在岗"
        CHANGED = "changed", "已转岗(仍在外务工)"
        RETURNED = "returned", "已返乡"
        UNKNOWN = "unknown", "失联待核实"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="dispatches")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    brand = models.ForeignKey(
        Brand, on_delete=models.SET_NULL, null=True, blank=True, related_name="dispatches"
    )
    workplace = models.CharField("务工单位", max_length=128)
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    left_on = models.DateField("输出日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="working")
    checked_on = models.DateField("最近核实日期")
    returned_on = models.DateField("返乡日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "劳务输出人员"
        verbose_name_plural = "劳务输出人员"
        indexes = [models.Index(fields=["left_on"], name="dispatch_left")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.person_id}"


class BrandMember(models.Model):
    """A worker of a brand (品牌从业人员): trained (a certificate in the brand's trade) and
    employed (in registered work or out with a partner) are read from their records."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField("加入日期")

    class Meta:
        verbose_name = "品牌从业人员"
        verbose_name_plural = "品牌从业人员"
        constraints = [models.UniqueConstraint(fields=["brand", "person"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.brand} · {self.person_id}"
