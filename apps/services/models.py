"""Service records (服务记录) and service promises (服务承诺): what staff did for whom, and
the rules a region promised (e.g. migrant workers: 1 guidance + 3 suitable job offers + 1
training opportunity, 002), counted from the records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from apps.people.models import KeyGroup, LabourStatus


class ServiceKind(models.TextChoices):
    GUIDANCE = "guidance", "职业指导"
    REFERRAL = "referral", "职业介绍"
    OFFER = "offer", "岗位推送"
    TRAINING = "training", "培训推荐"
    VISIT = "visit", "入户走访"
    CALL = "call", "电话回访"
    POLICY = "policy", "政策宣传"
    PLACEMENT = "placement", "就业安置"


class ServiceRecord(models.Model):
    """One service to one person: who, when, what, with what outcome."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="services", db_index=False
    )
    kind = models.CharField("服务类型", max_length=12, choices=ServiceKind.choices)
    at = models.DateTimeField("服务时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField("结果", max_length=255, blank=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A pushed offer is recorded once as the service it is.
    offer = models.OneToOneField(
        "matching.Offer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service",
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-at", "-id"]
        # Promises count a person's services of some kinds since a date: one index serves it.
        indexes = [models.Index(fields=["person", "kind", "at"], name="service_person_kind_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class PromisePeriod(models.TextChoices):
    ONCE = "once", "自纳入服务起累计"
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"


class PromiseRule(models.Model):
    """A promise as a rule: who it is for (key group and/or labour statuses, in a region),
    what they are owed (counts of service kinds), over which period."""

    code = models.SlugField("规则编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=128)
    source = models.CharField("依据", max_length=128, blank=True)
    region_prefix = models.CharField(
        "适用区域", max_length=12, blank=True, help_text="区划代码前缀,空为全部"
    )
    group = models.CharField(
        "重点群体", max_length=32, choices=KeyGroup.choices, blank=True, help_text="空为不限"
    )
    statuses = models.JSONField(
        "劳动状态", default=list, blank=True, help_text='如 ["unemployed"];空为不限'
    )
    age_max = models.PositiveSmallIntegerField("年龄上限", null=True, blank=True)
    # [{"label": "岗位信息", "kinds": ["offer", "referral"], "count": 3}, …]
    requirements = models.JSONField("承诺内容", default=list)
    period = models.CharField("周期", max_length=8, choices=PromisePeriod.choices)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务承诺规则"
        verbose_name_plural = "服务承诺规则"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.group and self.group not in KeyGroup.values:
            errors["group"] = f"未知的重点群体“{self.group}”"
        unknown = [s for s in self.statuses or [] if s not in LabourStatus.values]
        if unknown:
            errors["statuses"] = f"未知的劳动状态:{'、'.join(unknown)}"
        if not self.group and not self.statuses:
            errors["group"] = "须指定重点群体或劳动状态,否则承诺对所有人生效"
        if self.region_prefix and not self.region_prefix.isdigit():
            errors["region_prefix"] = "区划代码前缀须为数字"
        problems = []
        if not isinstance(self.requirements, list) or not self.requirements:
            problems.append("至少一项承诺内容")
        else:
            for i, item in enumerate(self.requirements, start=1):
                if not isinstance(item, dict):
                    problems.append(f"第{i}项须为对象")
                    continue
                kinds = item.get("kinds") or []
                bad = [k for k in kinds if k not in ServiceKind.values]
                if not kinds or bad:
                    problems.append(f"第{i}项服务类型无效:{'、'.join(bad) or '未填写'}")
                count = item.get("count")
                if not isinstance(count, int) or count < 1:
                    problems.append(f"第{i}项次数须为正整数")
                if not item.get("label"):
                    problems.append(f"第{i}项缺少名称")
        if problems:
            errors["requirements"] = ";".join(problems)
        if errors:
            raise ValidationError(errors)


class AssistancePlan(models.Model):
    """One plan per person (一人一策): the goal, who owns it, and its steps."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    goal = models.CharField("帮扶目标", max_length=255)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_reason = models.CharField("结案原因", max_length=64, blank=True)

    class Meta:
        verbose_name = "帮扶计划"
        verbose_name_plural = "帮扶计划"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(closed_on__isnull=True),
                name="plan_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.goal

    @property
    def next_step(self):
        return self.steps.filter(done_at__isnull=True).order_by("due", "id").first()


class PlanStep(models.Model):
    plan = models.ForeignKey(AssistancePlan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("服务类型", max_length=12, choices=ServiceKind.choices)
    description = models.CharField("内容", max_length=255)
    due = models.DateField("计划完成日期")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    service = models.OneToOneField(
        ServiceRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="step"
    )

    class Meta:
        verbose_name = "帮扶步骤"
        verbose_name_plural = "帮扶步骤"
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.description
