"""The labour-resource registry (劳动力资源信息库): one record per person by resident ID,
with household, residence, dated labour status, education, skills, certificates, job
wishes and key-group tags (重点群体)."""

from __future__ import annotations

from django.db import models

from apps.taxonomy.models import Education, SkillLevel


class LabourStatus(models.TextChoices):
    EMPLOYED = "employed", "就业"
    FLEXIBLE = "flexible", "灵活就业"
    UNEMPLOYED = "unemployed", "失业"
    STUDENT = "student", "在校学生"
    NOT_IN_LABOUR_FORCE = "inactive", "未参加劳动"
    RETIRED = "retired", "退休"


def kinds_refused(kinds, groups) -> str:
    """Why a person of these key groups may not wish these kinds of work ('' when they
    may): kinds reserved for key groups (MATCHING["reserved_kinds"]: 就业见习 for graduates
    and unemployed youth, 公益性岗位 for the hard-to-employ …) would find them nothing.
    The profile form and the people import both ask."""
    from django.conf import settings

    groups, labels = set(groups), dict(KeyGroup.choices)
    for kind in kinds:
        allowed = settings.MATCHING["reserved_kinds"].get(kind)
        if allowed and not groups & set(allowed):
            whom = "、".join(labels.get(g, g) for g in allowed)
            return f"“{JobKind(kind).label}”仅面向{whom}"
    return ""


class JobKind(models.TextChoices):
    """Kinds of work: what a job offers and what a person wishes for."""

    REGULAR = "regular", "全职"
    PART_TIME = "part_time", "兼职"
    GIG = "gig", "零工"
    INTERNSHIP = "internship", "就业见习"
    PUBLIC_WELFARE = "public_welfare", "公益性岗位"
    TEMPORARY_SPECIAL = "temporary_special", "临时性专项岗位"


class KeyGroup(models.TextChoices):
    GRADUATE = "graduate", "高校毕业生"
    MIGRANT_WORKER = "migrant_worker", "农民工"
    POVERTY_ALLEVIATED = "poverty_alleviated", "脱贫劳动力"
    MONITORED_HOUSEHOLD = "monitored", "防返贫监测对象"
    VETERAN = "veteran", "退役军人"
    HARD_TO_EMPLOY = "hard_to_employ", "就业困难人员"
    DISABLED = "disabled", "残疾人"
    ZERO_EMPLOYMENT_FAMILY = "zero_employment_family", "零就业家庭成员"
    RELOCATED = "relocated", "征迁安置/易地搬迁人员"
    LONG_TERM_UNEMPLOYED_YOUTH = "unemployed_youth", "长期失业青年"
    OLDER_WORKER = "older_worker", "大龄劳动者"
    LOW_INCOME = "low_income", "城乡低保家庭成员"


class Household(models.Model):
    """A household (户) by its household-register number; links family members."""

    number = models.CharField("户号", max_length=32, unique=True)
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="households"
    )

    class Meta:
        verbose_name = "家庭户"
        verbose_name_plural = "家庭户"

    def __str__(self) -> str:
        return self.number


class Person(models.Model):
    id_number = models.CharField("公民身份号码", max_length=18)
    name = models.CharField("姓名", max_length=64)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    birth_date = models.DateField("出生日期")
    phone = models.CharField("手机号", max_length=11, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    # The community (12-digit code) or, where none is known, the street/township (9 digits).
    community = models.ForeignKey(
        "regions.Region",
        verbose_name="居住社区",
        on_delete=models.PROTECT,
        related_name="residents",
        db_index=False,  # served by the (community, labour_status) index
    )
    address = models.CharField("居住地址", max_length=255, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    h3 = models.CharField("H3单元", max_length=16, blank=True)
    education = models.CharField("学历", max_length=2, choices=Education.choices, blank=True)
    major = models.CharField("专业", max_length=64, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        "高校毕业年份", null=True, blank=True, help_text="大专及以上学历的毕业(预计毕业)年份"
    )
    skills = models.CharField("技能特长", max_length=255, blank=True)
    labour_status = models.CharField("劳动状态", max_length=16, choices=LabourStatus.choices)
    status_since = models.DateField("状态起始日期")
    wish_occupations = models.ManyToManyField(
        "taxonomy.Occupation", verbose_name="求职意向职业", blank=True, related_name="+"
    )
    # The kinds of work the person would take (JobKind values; none: any kind).
    wish_job_kinds = models.JSONField("意向用工形式", default=list, blank=True)

    wish_min_wage = models.PositiveIntegerField("期望最低月薪(元)", null=True, blank=True)
    wish_max_distance_km = models.FloatField("可接受通勤距离(公里)", null=True, blank=True)
    # Where the person wants to work from (意向工作地点), when it is not home: a community's
    # centre or a point picked on the map. Distances in the matching count from it.
    work_place = models.CharField("意向工作地点", max_length=64, blank=True)
    work_lat = models.FloatField("意向工作地点纬度", null=True, blank=True)
    work_lng = models.FloatField("意向工作地点经度", null=True, blank=True)
    # A second place the person would work at too (a community's centre): distances count
    # from the nearer of the two. Only beside a first one.
    work_place_2 = models.CharField("第二意向工作地点", max_length=64, blank=True)
    work_lat_2 = models.FloatField("第二意向工作地点纬度", null=True, blank=True)
    work_lng_2 = models.FloatField("第二意向工作地点经度", null=True, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["community_id", "id"]
        # Lists are always scoped to a region: (community, status) serves both filters. Names
        # are searched with "contains", which a B-tree cannot serve, so they carry no index.
        # Indexes are declared here rather than with unique=/db_index=, which on PostgreSQL
        # add a varchar_pattern_ops twin for LIKE that no query here uses.
        indexes = [
            models.Index(fields=["community", "labour_status"]),
            models.Index(fields=["h3"], name="person_h3"),
            models.Index(fields=["updated_at"], name="person_updated"),  # index refresh
            # the graduates of a year (indicators): few people have a graduation year
            # a year's graduates by community, read from the index alone (PostgreSQL:
            # the ids included; other engines build it without them)
            models.Index(
                fields=["graduation_year", "community"],
                include=["id"],
                name="person_graduates",
                condition=models.Q(graduation_year__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="person_id_number_unique"),
            models.CheckConstraint(
                condition=models.Q(wish_max_distance_km__isnull=True)
                | models.Q(wish_max_distance_km__gt=0),
                name="person_wish_distance_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(work_lat__isnull=True, work_lng__isnull=True)
                | models.Q(work_lat__isnull=False, work_lng__isnull=False),
                name="person_work_place_whole",
            ),
            models.CheckConstraint(
                condition=models.Q(work_lat_2__isnull=True, work_lng_2__isnull=True)
                | models.Q(
                    work_lat_2__isnull=False, work_lng_2__isnull=False, work_lat__isnull=False
                ),
                name="person_second_work_place_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def wish_job_kind_labels(self) -> list[str]:
        labels = dict(JobKind.choices)
        return [labels.get(kind, kind) for kind in self.wish_job_kinds or []]

    @property
    def placed_at_area_centre(self) -> bool:
        """The person's coordinates are their community's (or street's) centre: only the
        area was given, so distances from them are approximate (said on the file)."""
        area = self.community
        return self.lat is not None and (self.lat, self.lng) == (area.lat, area.lng)

    @property
    def search_point(self) -> tuple[float | None, float | None]:
        """Where distances to jobs count from: the wished place of work, else home (and
        the second wished place, work_lat_2/work_lng_2, when there is one)."""
        if self.work_lat is not None and self.work_lng is not None:
            return self.work_lat, self.work_lng
        return self.lat, self.lng


class StatusChange(models.Model):
    """Dated labour-status history; statistics count from these, not from the current value."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField("劳动状态", max_length=16, choices=LabourStatus.choices)
    since = models.DateField("起始日期")
    note = models.CharField("说明", max_length=255, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "劳动状态变更"
        verbose_name_plural = "劳动状态变更"
        ordering = ["person_id", "since", "id"]
        indexes = [models.Index(fields=["status", "since"])]

    def __str__(self) -> str:
        return f"{self.since} {self.get_status_display()}"


class Certificate(models.Model):
    """A vocational qualification or skill-level certificate (职业资格/技能等级证书)."""

    class Kind(models.TextChoices):
        SKILL_LEVEL = "skill_level", "职业技能等级证书"
        QUALIFICATION = "qualification", "职业资格证书"
        SPECIAL_OPERATION = "special_operation", "特种作业操作证"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="certificates")
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("证书类别", max_length=20, choices=Kind.choices, default="skill_level")
    name = models.CharField("证书名称", max_length=128)
    level = models.PositiveSmallIntegerField(
        "等级", choices=SkillLevel.choices, null=True, blank=True
    )
    number = models.CharField("证书编号", max_length=64, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    issuer = models.CharField("发证(评价)机构", max_length=128, blank=True)

    class Meta:
        verbose_name = "技能证书"
        verbose_name_plural = "技能证书"
        indexes = [models.Index(fields=["issued_on"], name="certificate_issued")]
        constraints = [
            models.UniqueConstraint(fields=["person", "name", "level"], name="certificate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{self.get_level_display() or ''}"


class KeyGroupTag(models.Model):
    """Membership of a key group for a period; ``detail`` carries e.g. the graduation year
    or the hard-to-employ reason."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    group = models.CharField("重点群体", max_length=32, choices=KeyGroup.choices, db_index=True)
    start = models.DateField("认定日期")
    end = models.DateField("退出日期", null=True, blank=True)
    detail = models.CharField("认定说明", max_length=128, blank=True)

    class Meta:
        verbose_name = "重点群体标识"
        verbose_name_plural = "重点群体标识"
        constraints = [
            models.UniqueConstraint(fields=["person", "group", "start"], name="tag_once"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="tag_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.get_group_display()


class Registration(models.Model):
    """Employment or unemployment registration (就业登记/失业登记, flexible employment
    included), as a bureau records it at the counter or the person does online. Statistics
    of registered unemployment count the active unemployment registrations."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "就业登记"
        FLEXIBLE = "flexible", "灵活就业登记"
        UNEMPLOYMENT = "unemployment", "失业登记"

    class Basis(models.TextChoices):
        """Where an unemployed person may register (002: 户籍地、常住地、就业地、参保地)."""

        RESIDENCE = "residence", "常住地"
        HOUSEHOLD = "household", "户籍地"
        WORKPLACE = "workplace", "就业地"
        INSURED = "insured", "参保地"

    class Channel(models.TextChoices):
        COUNTER = "counter", "窗口办理"
        ONLINE = "online", "网上办理"

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="registrations",
        db_index=False,  # served by the (person, kind, registered_on) index
    )
    kind = models.CharField("登记类型", max_length=12, choices=Kind.choices)
    registered_on = models.DateField("登记日期")
    office = models.ForeignKey(
        "regions.Region", verbose_name="登记地", on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField("登记依据", max_length=10, choices=Basis.choices, blank=True)
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name="就业单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField("办理渠道", max_length=8, choices=Channel.choices)
    # an employment registration's labour contract end (劳动合同终止日期), when known
    contract_end = models.DateField("劳动合同终止日期", null=True, blank=True)
    ended_on = models.DateField("注销日期", null=True, blank=True)
    end_reason = models.CharField("注销原因", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "就业失业登记"
        verbose_name_plural = "就业失业登记"
        ordering = ["-registered_on", "-id"]
        # the indicators count registrations begun or ended in a period (apps/indicators)
        indexes = [
            models.Index(fields=["kind", "registered_on"], name="registration_started"),
            models.Index(fields=["kind", "ended_on"], name="registration_ended"),
            # a person's earlier work (new employment is not a change of job): without it
            # SQLite walks every registration of the kind for each one counted
            models.Index(
                fields=["person", "kind", "registered_on"], name="registration_person_kind"
            ),
        ]
        constraints = [
            # One active registration of a kind per person: a duplicate is refused even
            # when two clerks press the button at once.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(ended_on__isnull=True),
                name="registration_one_active_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("registered_on")),
                name="registration_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.registered_on}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class ZeroEmploymentAlert(models.Model):
    """A zero-employment family (零就业家庭) found in the registry: open from the day it was
    detected until a member is in work again (动态清零). Members carry the key-group tag
    while it is open."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="zero_employment_alerts"
    )
    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    detected_on = models.DateField("发现日期")
    cleared_on = models.DateField("清零日期", null=True, blank=True)
    cleared_by = models.ForeignKey(
        Person,
        verbose_name="实现就业的成员",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "零就业家庭预警"
        verbose_name_plural = "零就业家庭预警"
        ordering = ["detected_on", "id"]
        indexes = [models.Index(fields=["community", "cleared_on"], name="zero_family_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(cleared_on__isnull=True),
                name="zero_family_one_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.detected_on}"

    @property
    def days_open(self) -> int:
        from django.utils import timezone

        return ((self.cleared_on or timezone.localdate()) - self.detected_on).days


class ContributionCheck(models.Model):
    """A social-insurance contribution file compared with the registry (社保数据比对)."""

    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=255)
    region_prefix = models.CharField("比对区域", max_length=12, blank=True)
    month = models.CharField("比对月份", max_length=7)  # the latest month in the file
    rows = models.PositiveIntegerField("数据行数", default=0)
    rejected = models.JSONField("被拒行", default=list)  # [[row, column, reason], …]

    class Meta:
        verbose_name = "社保数据比对"
        verbose_name_plural = "社保数据比对"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} {self.month}"


class StatusProposal(models.Model):
    """A status change the cross-check proposes; nothing changes until staff confirm."""

    class Finding(models.TextChoices):
        CONTRIBUTING_WHILE_UNEMPLOYED = "contributing", "登记失业但正在缴纳社保"
        STOPPED_WHILE_EMPLOYED = "stopped", "登记就业但已停缴社保"

    class Decision(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已驳回"

    check_run = models.ForeignKey(
        ContributionCheck, on_delete=models.CASCADE, related_name="proposals"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    finding = models.CharField("发现", max_length=16, choices=Finding.choices)
    proposed_status = models.CharField("建议状态", max_length=16, choices=LabourStatus.choices)
    employer_code = models.CharField("缴费单位代码", max_length=18, blank=True)
    last_month = models.CharField("最近缴费月份", max_length=7, blank=True)
    decision = models.CharField(
        "处理", max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "状态变更建议"
        verbose_name_plural = "状态变更建议"
        ordering = ["check_run", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_finding_display()}"


class Transfer(models.Model):
    """A person's transfer between regions (人员转移): staff of another region found the
    person registered outside their scope (by an import, for now) and ask the holding
    region to hand the record over. The holding region's staff accept (the person moves
    to the new community with their whole history) or refuse with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", "待接收方处理"
        ACCEPTED = "accepted", "已同意转移"
        REFUSED = "refused", "已拒绝"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_region = models.ForeignKey(
        "regions.Region", verbose_name="转出区域", on_delete=models.PROTECT, related_name="+"
    )
    to_region = models.ForeignKey(
        "regions.Region", verbose_name="转入区域", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("新居住地址", max_length=255, blank=True)
    reason = models.CharField("申请说明", max_length=255, blank=True)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理意见", max_length=255, blank=True)

    class Meta:
        verbose_name = "人员转移"
        verbose_name_plural = "人员转移"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_region_id} → {self.to_region_id}"
