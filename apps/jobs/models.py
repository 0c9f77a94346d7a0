"""Job postings of every kind (岗位归集): regular, part-time, gig (零工), internship (见习),
public-welfare (公益性岗位) and temporary special posts (临时性专项岗位)."""

from django.db import models

from apps.people.models import JobKind
from apps.taxonomy.models import Education, SkillLevel


class JobStatus(models.TextChoices):
    OPEN = "open", "招聘中"
    PAUSED = "paused", "暂停招聘"
    FILLED = "filled", "已招满"
    CLOSED = "closed", "已关闭"


class Job(models.Model):
    employer = models.ForeignKey(
        "employers.Employer", verbose_name="用人单位", on_delete=models.PROTECT, related_name="jobs"
    )
    # The employer's own reference for the posting; (employer, reference) is the natural key.
    reference = models.CharField("岗位编号", max_length=32)
    title = models.CharField("岗位名称", max_length=128)
    occupation = models.ForeignKey(
        "taxonomy.Occupation", verbose_name="职业", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("用工形式", max_length=24, choices=JobKind.choices)
    headcount = models.PositiveIntegerField("招聘人数")
    wage_min = models.PositiveIntegerField("月薪下限(元)")
    wage_max = models.PositiveIntegerField("月薪上限(元)")
    education_min = models.CharField(
        "最低学历", max_length=2, choices=Education.choices, blank=True
    )
    age_min = models.PositiveSmallIntegerField("最低年龄", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("最高年龄", null=True, blank=True)
    skills = models.CharField("技能要求", max_length=255, blank=True)
    certificates = models.CharField("证书要求", max_length=255, blank=True)
    # A certificate the job requires (a hard filter in matching): its occupation, and the
    # lowest level accepted (五级 = 5 … 一级 = 1; a holder of a higher level qualifies).
    required_certificate = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name="要求证书职业",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    required_level = models.PositiveSmallIntegerField(
        "要求证书等级", choices=SkillLevel.choices, null=True, blank=True
    )
    description = models.TextField("岗位描述", blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="工作地点",
        on_delete=models.PROTECT,
        related_name="jobs",
        db_index=False,  # served by the (region, status) index
    )
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    h3 = models.CharField("H3单元", max_length=16, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    status = models.CharField(
        "状态", max_length=8, choices=JobStatus.choices, default=JobStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A posting shared into the platform by a partner (the provincial platform, an HR
    # agency) through the API: the partner's account and its own identifier for the
    # posting, so that sending it again updates it instead of posting it twice.
    partner = models.ForeignKey(
        "accounts.User",
        verbose_name="共享来源",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_ref = models.CharField("来源岗位编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["-valid_from", "id"]
        # Declared here, not with db_index=: no unused LIKE twins on PostgreSQL.
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["h3"], name="job_h3"),
            models.Index(fields=["updated_at"], name="job_updated"),  # index refresh
            models.Index(fields=["valid_from"], name="job_opened"),  # posts opened (indicators)
            models.Index(fields=["valid_to"], name="job_lapses"),  # the feed's expiries
        ]
        constraints = [
            models.UniqueConstraint(fields=["employer", "reference"], name="job_reference_unique"),
            models.UniqueConstraint(
                fields=["partner", "partner_ref"],
                condition=models.Q(partner__isnull=False),
                name="job_partner_ref_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(wage_min__lte=models.F("wage_max")),
                name="job_wage_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_to")),
                name="job_validity_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(headcount__gte=1), name="job_headcount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="job_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def placed_at_area_centre(self) -> bool:
        """The job's coordinates are its community's (or street's) centre: only the area
        was given, so distances to it are approximate (said on its pages)."""
        area = self.region
        return self.lat is not None and (self.lat, self.lng) == (area.lat, area.lng)


class RemovedJob(models.Model):
    """A deleted job's tombstone (its id and when): the open job feed reports it as a
    removal, so a partner's copy drops it too (apps/jobs/feed.py)."""

    job_id = models.BigIntegerField("岗位标识", unique=True)
    removed_at = models.DateTimeField("删除时间", db_index=True)

    class Meta:
        verbose_name = "已删除岗位"
        verbose_name_plural = "已删除岗位"

    def __str__(self) -> str:
        return f"{self.job_id} {self.removed_at:%Y-%m-%d %H:%M}"


class WelfarePlacement(models.Model):
    """A person placed in a public-welfare post (公益性岗位安置): the safety net for people
    the market does not employ, with a term, renewals and an exit."""

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="welfare_placements"
    )
    start = models.DateField("上岗日期")
    end = models.DateField("期满日期")
    renewals = models.PositiveSmallIntegerField("续签次数", default=0)
    exited_on = models.DateField("退出日期", null=True, blank=True)
    exit_reason = models.CharField("退出原因", max_length=64, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )

    class Meta:
        verbose_name = "公益性岗位安置"
        verbose_name_plural = "公益性岗位安置"
        indexes = [models.Index(fields=["start"], name="placement_started")]
        ordering = ["end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(exited_on__isnull=True),
                name="welfare_one_post_at_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="welfare_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.job_id} {self.start}–{self.end}"
