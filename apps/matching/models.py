"""Offers pushed to people (精准送岗), the batches that push them, and the outbound messages
they produce."""

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone


class Push(models.Model):
    """A batch push: N suitable offers for everyone in a group, capacity-aware."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "推送中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    region_prefix = models.CharField("区域", max_length=12)
    group = models.CharField("重点群体", max_length=32, blank=True)
    labour_status = models.CharField("劳动状态", max_length=16, blank=True)
    offers_per_person = models.PositiveSmallIntegerField("每人岗位数", default=3)
    radius_km = models.FloatField("距离上限(公里)", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    message = models.TextField("说明", blank=True)
    people = models.PositiveIntegerField("人数", default=0)
    offers = models.PositiveIntegerField("推送岗位数", default=0)
    report = models.JSONField("结果报告", default=dict, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量送岗"
        verbose_name_plural = "批量送岗"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"送岗#{self.pk} {self.region_prefix} {self.group}"

    @property
    def area_name(self) -> str:
        """The pushed area by name (its prefix padded to a division code)."""
        from apps.regions.models import Region

        prefix = self.region_prefix
        code = prefix.ljust(6, "0") if len(prefix) < 6 else prefix
        return Region.objects.filter(code=code).values_list("name", flat=True).first() or prefix

    def get_group_display(self) -> str:
        from apps.people.models import KeyGroup

        return dict(KeyGroup.choices).get(self.group, "全部人员")

    @property
    def progress_key(self) -> str:
        return f"push-progress:{self.pk}"

    def live_progress(self) -> tuple[int, int]:
        if self.status in (self.Status.PENDING, self.Status.RUNNING):
            value = cache.get(self.progress_key)
            if value:
                return value
        return self.people, self.people

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Offer(models.Model):
    """A job offered to a person, with the score and reasons it was chosen for. A person
    is offered the same job once only."""

    class Status(models.TextChoices):
        SENT = "sent", "已推送"
        READ = "read", "已查看"
        APPLIED = "applied", "已投递"
        DECLINED = "declined", "不感兴趣"

    # No index of its own for the person: the unique (person, job) index serves lookups by
    # person, and a push writes offers by the hundred thousand.
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="offers", db_index=False
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="offers")
    push = models.ForeignKey(
        Push, on_delete=models.SET_NULL, null=True, blank=True, related_name="offer_set"
    )
    score = models.FloatField("匹配分")
    reasons = models.JSONField("推荐理由", default=list)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField("推送时间", auto_now_add=True)
    created_by = models.ForeignKey(  # never searched by (accounts are deactivated, not deleted)
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name="创建人",
    )

    class Meta:
        verbose_name = "岗位推送"
        verbose_name_plural = "岗位推送"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "job"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.job_id}"


class OutboundMessage(models.Model):
    """What the default outbound channel 'sends': a table (and the log) instead of an SMS
    gateway or WeChat template message. A bureau plugs its gateway in OFFER_CHANNELS."""

    channel = models.CharField("渠道", max_length=32)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    phone = models.CharField("手机号", max_length=11, blank=True)
    text = models.TextField("内容")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    push = models.ForeignKey(
        Push, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.person_id}"


class Application(models.Model):
    """A person put forward for a job and how it went (求职申请、面试、录用), recorded from
    either side: the worker applies, the employer invites, staff refer (职业介绍), or a
    pushed offer is taken up. One per person and job. Hires feed the evaluation of the
    matching and the learned re-ranker."""

    class Source(models.TextChoices):
        WORKER = "worker", "本人申请"
        OFFER = "offer", "推送岗位投递"
        EMPLOYER = "employer", "单位邀约"
        STAFF = "staff", "经办推荐"

    class Stage(models.TextChoices):
        APPLIED = "applied", "已申请"
        INTERVIEW = "interview", "邀约面试"
        HIRED = "hired", "已录用"
        REJECTED = "rejected", "未录用"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN_STAGES = (Stage.APPLIED, Stage.INTERVIEW)

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="applications"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="applications")
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    stage = models.CharField("进展", max_length=10, choices=Stage.choices)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    interview_at = models.DateTimeField("邀约面试时间", null=True, blank=True)
    decided_at = models.DateTimeField("录用结果时间", null=True, blank=True)
    # When the person said yes: at once when they applied or staff referred them at the
    # counter; for an employer's invitation, when the person accepted it. An employer hires
    # (and so registers employment) only a person who said yes.
    confirmed_at = models.DateTimeField("求职者确认时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    note = models.CharField("备注", max_length=255, blank=True)
    generated = models.BooleanField("演示生成", default=False)

    class Meta:
        verbose_name = "求职申请"
        verbose_name_plural = "求职申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "job"], name="application_once"),
        ]
        indexes = [models.Index(fields=["stage", "decided_at"], name="application_outcome")]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.job_id} {self.get_stage_display()}"


class CircleSnapshot(models.Model):
    """The communities' circles of one region at the default radii, kept between requests
    (三公里就业圈统计快照). ``stamp`` names the data it was computed from (the registry's and
    the jobs' last change and counts, the stations, the communities' places, the day): a
    snapshot whose stamp no longer matches is computed again, so what is shown is never
    older than the data. The nightly job computes them ahead (``keep_circles``)."""

    prefix = models.CharField("区域代码前缀", max_length=12, unique=True)
    stamp = models.CharField("数据标记", max_length=64)
    computed_at = models.DateTimeField("统计时间")
    payload = models.JSONField("统计结果")

    class Meta:
        verbose_name = "就业圈统计快照"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.prefix or '全部'} {self.computed_at:%Y-%m-%d %H:%M}"
