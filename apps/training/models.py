"""Vocational training (职业技能培训): training institutions with the occupations they are
approved for, courses, enrolments with attendance and completion, skill evaluations that
issue certificates (on the person's file, signed so anyone can verify them offline), and
electronic training vouchers (电子培训券)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.taxonomy.models import SkillLevel


class Institution(models.Model):
    """A training institution (培训机构): a public training base (公共实训基地), a technical
    school (技工院校), a private vocational school (民办职业培训机构) or an enterprise that
    trains its own staff (企业自主培训). It is an employer on the platform (its credit code,
    region and accounts are the employer's); its staff sign in with the employer's
    accounts."""

    class Kind(models.TextChoices):
        PUBLIC_BASE = "public_base", "公共实训基地"
        TECHNICAL_SCHOOL = "technical_school", "技工院校"
        PRIVATE_SCHOOL = "private_school", "民办职业培训机构"
        ENTERPRISE = "enterprise", "企业(自主培训)"

    employer = models.OneToOneField(
        "employers.Employer", on_delete=models.PROTECT, related_name="training_institution"
    )
    kind = models.CharField("机构类型", max_length=20, choices=Kind.choices)
    may_evaluate = models.BooleanField(
        "可开展职业技能等级认定",
        default=False,
        help_text="经备案的职业技能等级认定机构(含企业自主评价、社会培训评价组织)",
    )
    approved_on = models.DateField("备案(核准)日期")
    address = models.CharField("培训地址", max_length=255, blank=True)
    active = models.BooleanField("有效", default=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "培训机构"
        verbose_name_plural = "培训机构"

    def __str__(self) -> str:
        return self.employer.name

    @property
    def region_code(self) -> str:
        return self.employer.region_id


class Approval(models.Model):
    """An occupation an institution may train (and, if it evaluates, certify) for, up to a
    skill level (五级 lowest … 一级 highest)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="approvals")
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, related_name="+"
    )
    top_level = models.PositiveSmallIntegerField(
        "最高等级", choices=SkillLevel.choices, help_text="可培训(认定)的最高等级"
    )

    class Meta:
        verbose_name = "核准培训职业"
        verbose_name_plural = "核准培训职业"
        constraints = [
            models.UniqueConstraint(fields=["institution", "occupation"], name="approval_once"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} ≤{self.get_top_level_display()}"


class Course(models.Model):
    """A class (培训班): an occupation at a level, or a startup course (SYB/IYB …), with
    dates, place, capacity, and whether it is subsidised and for whom."""

    class Kind(models.TextChoices):
        SKILL = "skill", "就业技能培训"
        UPGRADE = "upgrade", "岗位技能提升培训"
        STARTUP = "startup", "创业培训"

    class Mode(models.TextChoices):
        OPEN = "open", "面向社会招生"
        ORDER = "order", "订单式(为用人单位定向培训)"
        MENU = "menu", "菜单式(按需选学)"

    class Status(models.TextChoices):
        OPEN = "open", "招生中"
        CLOSED = "closed", "停止招生"
        CANCELLED = "cancelled", "已取消"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField("班级名称", max_length=128)
    kind = models.CharField("培训类型", max_length=8, choices=Kind.choices)
    mode = models.CharField("组织方式", max_length=8, choices=Mode.choices, default="open")
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="培训职业(工种)",
    )
    level = models.PositiveSmallIntegerField(
        "培训等级", choices=SkillLevel.choices, null=True, blank=True
    )
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ordered_courses",
        verbose_name="订单单位",
    )
    start = models.DateField("开班日期")
    end = models.DateField("结业日期")
    hours = models.PositiveSmallIntegerField("课时")
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name="培训地点"
    )
    address = models.CharField("详细地址", max_length=255, blank=True)
    capacity = models.PositiveSmallIntegerField("招生人数")
    subsidised = models.BooleanField("补贴性培训", default=True)
    groups = models.JSONField(
        "面向重点群体", default=list, blank=True, help_text="空为面向所有劳动者"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["status", "start"], name="course_open")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="course_dates"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="course_capacity"),
            models.CheckConstraint(
                condition=Q(kind="startup")
                | (Q(occupation__isnull=False) & Q(level__isnull=False)),
                name="course_skill_has_occupation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        from django.utils import timezone

        return self.end < timezone.localdate()


class Enrolment(models.Model):
    """A person in a course (报名): enrolled → completed (结业合格) or failed, or withdrawn."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "在训"
        COMPLETED = "completed", "结业(合格)"
        FAILED = "failed", "结业(不合格)"
        WITHDRAWN = "withdrawn", "已退出"

    class Channel(models.TextChoices):
        SELF = "self", "本人报名"
        STAFF = "staff", "经办代报"
        INSTITUTION = "institution", "机构录入"

    LIVE = (Status.ENROLLED, Status.COMPLETED, Status.FAILED)

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="enrolled")
    channel = models.CharField("报名渠道", max_length=12, choices=Channel.choices)
    voucher = models.OneToOneField(
        "Voucher",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolment",
        verbose_name="使用的培训券",
    )
    enrolled_on = models.DateField("报名日期")
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    completed_on = models.DateField("结业日期", null=True, blank=True)
    withdrawn_on = models.DateField("退出日期", null=True, blank=True)
    result_note = models.CharField("考核说明", max_length=255, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["-enrolled_on", "-id"]
        indexes = [models.Index(fields=["completed_on"], name="enrolment_completed")]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=Q(status__in=["enrolled", "completed", "failed"]),
                name="enrolment_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["completed", "failed"], completed_on__isnull=False)
                | (~Q(status__in=["completed", "failed"]) & Q(completed_on__isnull=True)),
                name="enrolment_completed_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.person_id} {self.get_status_display()}"


class Attendance(models.Model):
    """One day of a class for one enrolled person (考勤)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField("日期")
    present = models.BooleanField("出勤")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "考勤"
        verbose_name_plural = "考勤"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {'出勤' if self.present else '缺勤'}"


class Voucher(models.Model):
    """An electronic training voucher (电子培训券): issued to an eligible person for a year,
    redeemed once for a subsidised course before it expires."""

    class Status(models.TextChoices):
        ISSUED = "issued", "未使用"
        REDEEMED = "redeemed", "已使用"
        CANCELLED = "cancelled", "已作废"

    code = models.CharField("券码", max_length=16, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="vouchers")
    year = models.PositiveSmallIntegerField("年度")
    issued_on = models.DateField("发放日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="issued")
    basis = models.JSONField("发放依据", default=list)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    redeemed_at = models.DateTimeField("使用时间", null=True, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "电子培训券"
        verbose_name_plural = "电子培训券"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="voucher_once_a_year"),
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("issued_on")), name="voucher_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Evaluation(models.Model):
    """A skill evaluation (职业技能等级认定) that issued a certificate: who evaluated, after
    which course, and whether the training subsidy goes to the enterprise (an enterprise
    that trained and evaluated its own staff: 003 二.(二)7 “职业培训补贴直接支付给企业”)."""

    certificate = models.OneToOneField(
        "people.Certificate", on_delete=models.CASCADE, related_name="evaluation"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="evaluations"
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="evaluation"
    )
    subsidy_to_enterprise = models.BooleanField("培训补贴直补企业", default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = "技能等级认定"
        verbose_name_plural = "技能等级认定"

    def __str__(self) -> str:
        return f"{self.institution_id} → {self.certificate_id}"
