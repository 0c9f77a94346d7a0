"""Employers (用人单位) by unified social credit code, with the key-enterprise whitelist
(重点企业白名单) and the wage-arrears blacklist (欠薪黑名单)."""

import datetime as dt

from django.db import models
from django.utils import timezone


class EmployerSize(models.TextChoices):
    """Enterprise size by the national SME classification (大中小微型企业划型)."""

    MICRO = "micro", "微型"
    SMALL = "small", "小型"
    MEDIUM = "medium", "中型"
    LARGE = "large", "大型"


class Employer(models.Model):
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("单位名称", max_length=128)
    industry = models.ForeignKey(
        "taxonomy.Industry", verbose_name="行业", on_delete=models.PROTECT, related_name="+"
    )
    size = models.CharField("规模", max_length=8, choices=EmployerSize.choices)
    employees = models.PositiveIntegerField("从业人数", default=0)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所在区域",
        on_delete=models.PROTECT,
        related_name="employers",
        db_index=False,  # indexed in Meta, without the LIKE twin
    )
    address = models.CharField("地址", max_length=255, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    h3 = models.CharField("H3单元", max_length=16, blank=True)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=11, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    founder = models.ForeignKey(
        "people.Person",
        verbose_name="创办人(法定代表人)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="founded",
    )
    is_key_enterprise = models.BooleanField("重点企业", default=False)
    service_specialist = models.ForeignKey(
        "accounts.User",
        verbose_name="用工专员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_employers",
    )
    blacklisted = models.BooleanField("欠薪黑名单", default=False)
    blacklist_reason = models.CharField("列入原因", max_length=255, blank=True)
    blacklist_from = models.DateField("列入日期", null=True, blank=True)
    blacklist_to = models.DateField("移出日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "用人单位"
        verbose_name_plural = "用人单位"
        ordering = ["region_id", "id"]
        # Declared here, not with unique=/db_index=: no unused LIKE twins on PostgreSQL.
        indexes = [
            models.Index(fields=["region"], name="employer_region"),
            models.Index(fields=["h3"], name="employer_h3"),
            models.Index(fields=["updated_at"], name="employer_updated"),  # index refresh
        ]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], name="employer_credit_code_unique"),
            models.CheckConstraint(
                condition=models.Q(blacklisted=False)
                | (~models.Q(blacklist_reason="") & models.Q(blacklist_from__isnull=False)),
                name="blacklist_has_reason_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(blacklist_to__isnull=True)
                | models.Q(
                    blacklist_from__isnull=False, blacklist_to__gte=models.F("blacklist_from")
                ),
                name="blacklist_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def on_blacklist(self, day: dt.date | None = None) -> bool:
        """On the wage-arrears blacklist that day (today by default): listed, and its
        removal date (移出日期), if any, not reached."""
        day = day or timezone.localdate()
        return self.blacklisted and (self.blacklist_to is None or day < self.blacklist_to)


class EmployerRegistration(models.Model):
    """An employer's own sign-up (用人单位注册), verified by staff of its region (资质审核)
    before its account may publish: approving links the account to the registry's employer
    of that credit code, or enters a new one."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核验"
        APPROVED = "approved", "已通过核验"
        REFUSED = "refused", "未通过核验"

    user = models.ForeignKey(
        "accounts.User", verbose_name="注册账号", on_delete=models.CASCADE, related_name="+"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("单位名称", max_length=128)
    industry = models.ForeignKey(
        "taxonomy.Industry", verbose_name="行业", on_delete=models.PROTECT, related_name="+"
    )
    size = models.CharField("规模", max_length=8, choices=EmployerSize.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在区域", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("地址", max_length=255, blank=True)
    contact_name = models.CharField("联系人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=11)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name="核验人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    note = models.CharField("核验意见", max_length=255, blank=True)
    employer = models.ForeignKey(
        Employer,
        verbose_name="单位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )

    class Meta:
        verbose_name = "用人单位注册"
        verbose_name_plural = "用人单位注册"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_status_display()}"
