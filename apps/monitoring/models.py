"""Unemployment monitoring (失业动态监测): the enterprises a bureau monitors, their monthly
headcount reports (a correction replaces a month's figure and keeps the old one), the
warning rules per region and the warnings they raise (规模性失业风险预警)."""

from __future__ import annotations

from django.db import models

# A headcount above this is refused as absurd (the largest employers have fewer staff
# in one county).
MAX_HEADCOUNT = 500_000


class MonitoredEnterprise(models.Model):
    employer = models.OneToOneField(
        "employers.Employer", on_delete=models.PROTECT, related_name="monitoring"
    )
    since = models.DateField("纳入监测日期")
    until = models.DateField("退出监测日期", null=True, blank=True)
    baseline = models.PositiveIntegerField("建档期从业人数")
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField("最近催报时间", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("催报次数", default=0)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "失业动态监测企业"
        verbose_name_plural = "失业动态监测企业"

    def __str__(self) -> str:
        return str(self.employer)


class MonthlyReport(models.Model):
    class Reason(models.TextChoices):
        NONE = "", "无减员"
        CONTRACT_END = "contract_end", "劳动合同到期"
        ECONOMIC = "economic", "经济性裁员"
        AGREED = "agreed", "协商解除"
        RESIGNED = "resigned", "职工主动离职"
        OTHER = "other", "其他"

    class Channel(models.TextChoices):
        EMPLOYER = "employer", "企业网上报送"
        STAFF = "staff", "经办人员代报"
        IMPORT = "import", "批量导入"

    enterprise = models.ForeignKey(
        MonitoredEnterprise, on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField("月份")  # the month's first day
    headcount = models.PositiveIntegerField("月末从业人数")
    reduced = models.PositiveIntegerField("本月减少人数", default=0)
    reason = models.CharField(
        "主要减员原因", max_length=16, choices=Reason.choices, blank=True, default=""
    )
    channel = models.CharField("报送方式", max_length=8, choices=Channel.choices)
    submitted_at = models.DateTimeField("报送时间", auto_now_add=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A corrected resubmission replaces this figure; the old one stays as history.
    replaced_at = models.DateTimeField("被更正时间", null=True, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "监测月报"
        verbose_name_plural = "监测月报"
        ordering = ["enterprise_id", "month", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month"],
                condition=models.Q(replaced_at__isnull=True),
                name="monthly_report_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(headcount__lte=MAX_HEADCOUNT), name="monthly_report_sane"
            ),
        ]
        indexes = [models.Index(fields=["month", "replaced_at"], name="monthly_report_month")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m} {self.headcount}"


class WarningRule(models.Model):
    """Thresholds of the monthly job-loss rate (岗位流失率, %: the net fall of headcount over
    the month before) for a region ('' everywhere; the longest matching prefix wins) and a
    level of grouping."""

    class Scope(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDUSTRY = "industry", "行业"
        REGION = "region", "区域"

    region_prefix = models.CharField("适用区域代码前缀", max_length=12, blank=True)
    scope = models.CharField("监测对象", max_length=12, choices=Scope.choices)
    blue = models.DecimalField("蓝色预警(岗位流失率%)", max_digits=5, decimal_places=2)
    yellow = models.DecimalField("黄色预警(岗位流失率%)", max_digits=5, decimal_places=2)
    orange = models.DecimalField("橙色预警(岗位流失率%)", max_digits=5, decimal_places=2)
    red = models.DecimalField("红色预警(岗位流失率%)", max_digits=5, decimal_places=2)
    min_base = models.PositiveIntegerField("最少上月从业人数", default=50)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"
        constraints = [
            models.UniqueConstraint(fields=["region_prefix", "scope"], name="rule_once"),
            models.CheckConstraint(
                condition=models.Q(blue__lt=models.F("yellow"))
                & models.Q(yellow__lt=models.F("orange"))
                & models.Q(orange__lt=models.F("red")),
                name="rule_levels_rise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_prefix or '全部'} {self.get_scope_display()}"


class Level(models.TextChoices):
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"


LEVEL_ORDER = {Level.BLUE: 1, Level.YELLOW: 2, Level.ORANGE: 3, Level.RED: 4}


class Warning(models.Model):
    class Signal(models.TextChoices):
        THRESHOLD = "threshold", "岗位流失率达到阈值"
        MASS_LAYOFF = "mass_layoff", "规模裁员(劳动合同法第四十一条)"
        CHANGE_POINT = "change_point", "季节调整后从业人数出现下降拐点"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        ACKNOWLEDGED = "acknowledged", "已确认"
        ACTING = "acting", "处置中"
        CLOSED = "closed", "已关闭"

    level = models.CharField("预警等级", max_length=8, choices=Level.choices)
    signal = models.CharField("信号", max_length=16, choices=Signal.choices)
    scope = models.CharField("监测对象", max_length=12, choices=WarningRule.Scope.choices)
    key = models.CharField("对象代码", max_length=32)  # employer pk, industry code, region code
    label = models.CharField("对象", max_length=128)
    region_code = models.CharField("所在区域", max_length=12, db_index=True)
    month = models.DateField("月份")
    value = models.DecimalField("数值", max_digits=8, decimal_places=2)
    threshold = models.DecimalField("阈值", max_digits=8, decimal_places=2, null=True)
    reason = models.CharField("预警原因", max_length=500)
    drivers = models.JSONField("主要减员企业", default=list)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default="open")
    raised_at = models.DateTimeField("预警时间", auto_now_add=True)
    handled_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    notes = models.JSONField("处理记录", default=list)

    class Meta:
        verbose_name = "失业风险预警"
        verbose_name_plural = "失业风险预警"
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "scope", "key", "month"], name="warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.label} {self.month:%Y-%m}"


class LayoffCase(models.Model):
    """A mass-layoff report (规模裁员报告, 劳动合同法 第四十一条: 20 people or more, or fewer
    but 10 % of the staff) with the plan for the affected workers (人员安置方案); each
    affected worker gets an assistance plan in the registry's services."""

    class Status(models.TextChoices):
        OPEN = "open", "安置中"
        CLOSED = "closed", "已结案"

    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="layoff_cases"
    )
    reported_on = models.DateField("报告日期")
    staff_before = models.PositiveIntegerField("裁员前职工总数")
    planned = models.PositiveIntegerField("拟裁减人数")
    plan = models.TextField("人员安置方案")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default="open")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_note = models.CharField("结案说明", max_length=255, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "规模裁员报告"
        verbose_name_plural = "规模裁员报告"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned__lte=models.F("staff_before")),
                name="layoff_within_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.reported_on} {self.planned}人"


class AffectedWorker(models.Model):
    case = models.ForeignKey(LayoffCase, on_delete=models.CASCADE, related_name="workers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    assistance = models.ForeignKey(
        "services.AssistancePlan", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "受影响职工"
        verbose_name_plural = "受影响职工"
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="affected_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id}"
