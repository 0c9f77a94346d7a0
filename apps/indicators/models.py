"""Plan targets (规划目标) as data: every target of a plan, loaded from the files under
``apps/indicators/targets/`` (``manage.py load_targets``)."""

from __future__ import annotations

from django.db import models


class PlanTarget(models.Model):
    class Scope(models.TextChoices):
        TOTAL = "total", "规划期累计"
        YEARLY = "yearly", "每年"
        LEVEL = "level", "期末水平"

    class Kind(models.TextChoices):
        EXPECTED = "expected", "预期性"
        BINDING = "binding", "约束性"

    class Comparison(models.TextChoices):
        AT_LEAST = ">=", "不低于"
        MORE = ">", "高于"
        AT_MOST = "<=", "不高于"
        LESS = "<", "低于"
        ABOUT = "~", "约"

    plan = models.CharField("规划", max_length=200)
    source_file = models.CharField("目标文件", max_length=100)
    clause = models.CharField("条款", max_length=200)
    quote = models.CharField("原文", max_length=500)
    region_name = models.CharField("区域", max_length=64)
    # The region codes the target covers (one, or several where the plan's region is not a
    # division of its own: 雄安新区 is counted as the counties it administers).
    region_codes = models.JSONField("区划代码")
    indicator = models.CharField("指标", max_length=64)
    label = models.CharField("规划中的指标名称", max_length=200)
    comparison = models.CharField("比较", max_length=2, choices=Comparison.choices)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    unit = models.CharField("单位", max_length=16)
    scope = models.CharField("口径", max_length=8, choices=Scope.choices)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("截止年度")
    kind = models.CharField("属性", max_length=8, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "规划目标"
        verbose_name_plural = "规划目标"
        ordering = ["source_file", "order"]
        constraints = [
            models.UniqueConstraint(fields=["source_file", "order"], name="target_once"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="target_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} {self.label}"


class IndicatorCell(models.Model):
    """A counted indicator's value for one stored region code and one month that is over
    (apps/indicators/cells.py): exact, rebuilt when a write marks its month dirty."""

    key = models.CharField("指标", max_length=72)
    code = models.CharField("区划代码", max_length=12)
    month = models.DateField("月份")
    value = models.FloatField("数值")

    class Meta:
        verbose_name = "指标预汇总"
        verbose_name_plural = "指标预汇总"
        indexes = [models.Index(fields=["key", "month", "code"], name="indicator_cell")]

    def __str__(self) -> str:
        return f"{self.key} {self.code} {self.month:%Y-%m} {self.value}"


class BuiltMonth(models.Model):
    """A month whose cells of a key are built and clean."""

    key = models.CharField("指标", max_length=72)
    month = models.DateField("月份")

    class Meta:
        verbose_name = "已汇总月份"
        verbose_name_plural = "已汇总月份"
        constraints = [models.UniqueConstraint(fields=["key", "month"], name="built_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m}"


class CellLock(models.Model):
    """One row that orders building cells and marking them dirty: a writer holds it
    shared (FOR SHARE) from marking months dirty to its commit, a builder takes it
    exclusive (FOR UPDATE NOWAIT) before reading the events it aggregates and gives up
    (reading live) while any writer holds it, so no write falls between a build's read
    and its marking the months clean, and writers never wait for one another."""

    class Meta:
        verbose_name = "指标预汇总锁"
        verbose_name_plural = "指标预汇总锁"

    def __str__(self) -> str:
        return "lock"
