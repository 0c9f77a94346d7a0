"""Entrepreneurship services (创业服务): startups and their founders, the jobs they create
(创业带动就业, read from the employment registrations), guarantee loans (创业担保贷款),
incubators (创业孵化基地) with their tenants, the mentor pool (创业导师库) with the
requests matched to mentors, and the project pool (创业项目库) with the people interested."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Startup(models.Model):
    """A business a person started (创业主体): an employer on the platform whose founder is
    that person, with who the founder was when they started."""

    class Origin(models.TextChoices):
        GRADUATE = "graduate", "高校毕业生创业"
        RETURNING = "returning", "返乡入乡创业"
        VETERAN = "veteran", "退役军人创业"
        UNEMPLOYED = "unemployed", "失业人员创业"
        OTHER = "other", "其他城乡劳动者创业"

    employer = models.OneToOneField(
        "employers.Employer", on_delete=models.PROTECT, related_name="startup"
    )
    founder = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="startups")
    origin = models.CharField("创业者类别", max_length=12, choices=Origin.choices)
    founded_on = models.DateField("成立日期")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "创业主体"
        verbose_name_plural = "创业主体"
        indexes = [models.Index(fields=["founded_on"], name="startup_founded")]

    def __str__(self) -> str:
        return self.employer.name


class GuaranteeLoan(models.Model):
    """A business-startup guarantee loan (创业担保贷款) to a founder: at most one active
    loan a person; amount and term within the caps in force (dated parameters)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "还款中"
        REPAID = "repaid", "已结清"
        OVERDUE = "overdue", "逾期"

    borrower = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="startup_loans"
    )
    startup = models.ForeignKey(
        Startup, on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    bank = models.CharField("经办银行", max_length=64)
    amount = models.DecimalField("贷款金额(元)", max_digits=12, decimal_places=2)
    term_months = models.PositiveSmallIntegerField("贷款期限(月)")
    rate = models.DecimalField("年利率(%)", max_digits=5, decimal_places=2)
    subsidised_share = models.DecimalField(
        "贴息比例(%)", max_digits=5, decimal_places=2, help_text="财政贴息占利息的比例"
    )
    issued_on = models.DateField("放款日期")
    due_on = models.DateField("到期日期")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default="active")
    repaid_on = models.DateField("结清日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "创业担保贷款"
        verbose_name_plural = "创业担保贷款"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["issued_on"], name="loan_issued")]
        constraints = [
            models.UniqueConstraint(
                fields=["borrower"],
                condition=Q(status__in=["active", "overdue"]),
                name="loan_one_active_per_person",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("issued_on")), name="loan_due_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.amount}"


class Incubator(models.Model):
    """A business incubator or startup park (创业孵化基地/创业园区)."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    name = models.CharField("名称", max_length=128)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在社区(村)"
    )
    address = models.CharField("地址", max_length=255, blank=True)
    capacity = models.PositiveSmallIntegerField("可入驻主体数")
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "创业孵化基地"
        verbose_name_plural = "创业孵化基地"
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="incubator_capacity"),
        ]

    def __str__(self) -> str:
        return self.name


class Tenancy(models.Model):
    """A startup housed in an incubator (入驻) from a day, until it leaves (出孵)."""

    incubator = models.ForeignKey(Incubator, on_delete=models.PROTECT, related_name="tenancies")
    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="tenancies")
    start = models.DateField("入驻日期")
    end = models.DateField("出孵日期", null=True, blank=True)

    class Meta:
        verbose_name = "入驻记录"
        verbose_name_plural = "入驻记录"
        constraints = [
            models.UniqueConstraint(
                fields=["startup"], condition=Q(end__isnull=True), name="tenancy_one_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="tenancy_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.startup_id}@{self.incubator_id}"


class Mentor(models.Model):
    """A mentor of the pool (创业导师): entrepreneurs, experts and skilled people who
    advise startups, with the industries they know."""

    name = models.CharField("姓名", max_length=64)
    organisation = models.CharField("工作单位", max_length=128, blank=True)
    expertise = models.CharField("擅长领域", max_length=255)
    industries = models.ManyToManyField(
        "taxonomy.Industry", blank=True, related_name="+", verbose_name="熟悉行业(门类)"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在区域"
    )
    phone = models.CharField("联系电话", max_length=11, blank=True)
    active = models.BooleanField("在库", default=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "创业导师"
        verbose_name_plural = "创业导师"

    def __str__(self) -> str:
        return self.name


class MentorRequest(models.Model):
    """A startup asking the pool for help (导师帮扶需求), answered by one mentor."""

    class Status(models.TextChoices):
        OPEN = "open", "待匹配"
        ASSIGNED = "assigned", "已指派导师"
        CLOSED = "closed", "已办结"

    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="requests")
    topic = models.CharField("需求", max_length=255)
    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="open")
    asked_at = models.DateTimeField("提出时间", auto_now_add=True)
    outcome = models.CharField("帮扶结果", max_length=255, blank=True)

    class Meta:
        verbose_name = "导师帮扶需求"
        verbose_name_plural = "导师帮扶需求"
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return self.topic


class Project(models.Model):
    """A business idea on offer to would-be founders (创业项目库): franchises, local
    specialities, service projects, with what it takes and where it suits."""

    title = models.CharField("项目名称", max_length=128)
    industry = models.ForeignKey(
        "taxonomy.Industry", on_delete=models.PROTECT, related_name="+", verbose_name="行业"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="适合区域"
    )
    summary = models.TextField("项目简介")
    investment = models.PositiveIntegerField("参考投资额(元)")
    jobs = models.PositiveSmallIntegerField("可带动就业(人)", default=1)
    source = models.CharField("项目来源", max_length=128, blank=True)
    active = models.BooleanField("在库", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "创业项目"
        verbose_name_plural = "创业项目"

    def __str__(self) -> str:
        return self.title


class ProjectInterest(models.Model):
    """A worker interested in a project (意向): staff follow it up (项目推介)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="project_interests"
    )
    at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目意向"
        verbose_name_plural = "项目意向"
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="interest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.project_id}"
