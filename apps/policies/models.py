"""Policies and subsidies: the facts the rules need beyond the registry, the proactive
identification sweeps (主动识别) and what they found, applications with their two-level
review, payment batches and the fund's budgets (就业补助资金)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EmployerYear(models.Model):
    """An employer's figures for a year (单位年度情况), from social insurance and its
    declarations: what the enterprise subsidies are computed from."""

    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField("年度")
    insured_employees = models.PositiveIntegerField("参加失业保险职工人数", default=0)
    headcount_start = models.PositiveIntegerField("年初参保职工人数", default=0)
    headcount_end = models.PositiveIntegerField("年末参保职工人数", default=0)
    stopped_by_epidemic = models.BooleanField("因疫情防控停产停业", default=False)
    lockdown_days = models.PositiveSmallIntegerField("所在县(市、区)静态管理天数", default=0)

    class Meta:
        verbose_name = "单位年度情况"
        verbose_name_plural = "单位年度情况"
        constraints = [
            models.UniqueConstraint(fields=["employer", "year"], name="employer_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.year}"


class Apprenticeship(models.Model):
    """An apprentice in an enterprise's new-style apprenticeship (企业新型学徒制)."""

    class Level(models.TextChoices):
        INTERMEDIATE = "intermediate", "中级工"
        SENIOR = "senior", "高级工及以上"

    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.CASCADE, related_name="apprentices"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    level = models.CharField("培训等级", max_length=12, choices=Level.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "学徒"
        verbose_name_plural = "学徒"
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="apprentice_dates")
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.person_id} {self.get_level_display()}"


class CommunityCertification(models.Model):
    """A community certified as a 3-km full-employment community (充分就业社区) for a year."""

    community = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    certified_on = models.DateField("认定日期")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "充分就业社区认定"
        verbose_name_plural = "充分就业社区认定"
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="certification_once")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.year}"


class SubjectKind(models.TextChoices):
    PERSON = "person", "个人"
    ENTERPRISE = "enterprise", "用人单位"
    COMMUNITY = "community", "社区(村)"


class Subject(models.Model):
    """Who a subsidy is for: a person, an employer or a community, with the region used for
    scope and `subject_key` ('P12', 'E7', 'C341282001001') for uniqueness."""

    subject_kind = models.CharField("对象类型", max_length=12, choices=SubjectKind.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_key = models.CharField("对象标识", max_length=16)
    region_code = models.CharField("所在区域", max_length=12)

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.person or self.employer or self.community


class Sweep(models.Model):
    """One run of the proactive identification (政策对象主动识别) over a region's registry."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    year = models.PositiveSmallIntegerField("年度")
    region_prefix = models.CharField("区域", max_length=12)
    overrides = models.JSONField("试算参数", default=dict, blank=True)
    trial = models.BooleanField("试算(不通知)", default=False)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default="running")
    counts = models.JSONField("各政策识别人数", default=dict, blank=True)
    seconds = models.FloatField("用时(秒)", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "主动识别"
        verbose_name_plural = "主动识别"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_prefix} {self.year} #{self.pk}"


class Entitlement(Subject):
    """A subject the sweep found entitled, with the amount and the conditions that held."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="entitlements")
    policy = models.CharField("政策", max_length=40)
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2)
    reasons = models.JSONField("依据", default=list)
    notified_at = models.DateTimeField("已通知", null=True, blank=True)

    class Meta:
        verbose_name = "识别结果"
        verbose_name_plural = "识别结果"
        ordering = ["policy", "region_code", "id"]
        indexes = [
            models.Index(fields=["sweep", "policy", "region_code"], name="entitlement_list"),
            models.Index(fields=["subject_key", "policy"], name="entitlement_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.subject_key} {self.amount}"


class SubsidyApplication(Subject):
    """An application (补贴申请): submitted → first review (初审) → second review (复审) →
    approved → paid in a batch; or rejected/withdrawn. Never twice for the same subject,
    policy and period (a partial unique constraint), whoever submits it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待初审"
        FIRST_APPROVED = "first_approved", "待复审"
        APPROVED = "approved", "已审核待支付"
        PAID = "paid", "已支付"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    class Channel(models.TextChoices):
        SELF = "self", "本人/本单位申请"
        STAFF = "staff", "经办代办"
        SWEEP = "sweep", "主动识别转申请"

    LIVE = (Status.SUBMITTED, Status.FIRST_APPROVED, Status.APPROVED, Status.PAID)

    policy = models.CharField("政策", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    claim_key = models.CharField("享受期", max_length=8)  # 'once' or the year
    amount = models.DecimalField("核定金额(元)", max_digits=12, decimal_places=2)
    reasons = models.JSONField("依据", default=list)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default="submitted")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提交人",
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "补贴申请"
        verbose_name_plural = "补贴申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "region_code"], name="subsidy_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "subject_key", "claim_key"],
                condition=Q(status__in=["submitted", "first_approved", "approved", "paid"]),
                name="subsidy_never_twice",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.subject_key} {self.claim_key}"


class Review(models.Model):
    """One reviewer's decision at one level (1 初审, 2 复审)."""

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    level = models.PositiveSmallIntegerField("审核级别", choices=[(1, "初审"), (2, "复审")])
    approve = models.BooleanField("通过")
    note = models.CharField("审核意见", max_length=255, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["application_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["application", "level"], name="review_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} L{self.level} {'通过' if self.approve else '不通过'}"


class PaymentBatch(models.Model):
    """A payment batch (支付批次) of approved applications, paid together."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待支付"
        PAID = "paid", "已支付"

    region_prefix = models.CharField("区域", max_length=12)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default="draft")
    total = models.DecimalField("合计(元)", max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField("支付日期", null=True, blank=True)
    reference = models.CharField("支付凭证号", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "支付批次"
        verbose_name_plural = "支付批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"支付批次#{self.pk}"


class Payment(models.Model):
    """One application's payment: at most one, ever (the one-to-one key)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    application = models.OneToOneField(
        SubsidyApplication, on_delete=models.PROTECT, related_name="payment"
    )
    policy = models.CharField("政策", max_length=40)
    region_code = models.CharField("所在区域", max_length=12)
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2)
    paid_on = models.DateField("支付日期", null=True, blank=True)

    class Meta:
        verbose_name = "支付明细"
        verbose_name_plural = "支付明细"
        indexes = [models.Index(fields=["paid_on", "policy"], name="payment_month")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.amount}"


class FundBudget(models.Model):
    """A year's budget of a fund for a county (and one policy, or all)."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    policy = models.CharField("政策", max_length=40, blank=True, help_text="留空表示该区域全部政策")
    amount = models.DecimalField("预算(元)", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "资金预算"
        verbose_name_plural = "资金预算"
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "policy"], name="budget_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.policy or '全部'}"
