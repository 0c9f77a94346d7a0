"""An import job: one uploaded file of one kind, its progress, its counts and its
rejected rows. Every record an import writes points back to its job (traceability)."""

from django.conf import settings
from django.core.cache import cache
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        DONE_WITH_ERRORS = "partial", "已完成(有被拒行)"
        FAILED = "failed", "失败(未写入任何数据)"
        # The process running it stopped (killed, restarted) before it finished; being one
        # transaction, it wrote nothing. It can be run again.
        INTERRUPTED = "interrupted", "已中断(未写入任何数据)"

    STUCK = (Status.RUNNING, Status.INTERRUPTED)

    kind = models.CharField("导入类型", max_length=32)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    message = models.TextField("说明", blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    rejected_count = models.PositiveIntegerField("被拒", default=0)
    error_file = models.FileField("被拒行文件", upload_to="imports/errors/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    def may_download(self, user) -> bool:
        """The files of an import (the upload, its rejected rows) are its submitter's, and
        an administrator's."""
        from apps.accounts.models import Role

        return user.is_active and (
            user.role == Role.ADMIN or user.is_superuser or self.created_by_id == user.pk
        )

    @property
    def progress_key(self) -> str:
        return f"import-progress:{self.pk}"

    def live_progress(self) -> tuple[int, int]:
        """(processed, total): the cache holds progress while the job's transaction is open."""
        if self.status in (self.Status.PENDING, self.Status.RUNNING):
            value = cache.get(self.progress_key)
            if value:
                return value
        return self.processed_rows, self.total_rows

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)

    # --- liveness: a running import beats in the cache after every chunk -------------
    @property
    def heartbeat_key(self) -> str:
        return f"import-alive:{self.pk}"

    def beat(self) -> None:
        cache.set(self.heartbeat_key, 1, timeout=settings.IMPORT_HEARTBEAT_SECONDS)

    def check_alive(self) -> None:
        """A running job whose heartbeat has lapsed is marked interrupted (compare-and-set:
        a job that finished meanwhile keeps its own status)."""
        if self.status == self.Status.RUNNING and cache.get(self.heartbeat_key) is None:
            if (
                type(self)
                .objects.filter(pk=self.pk, status=self.Status.RUNNING)
                .update(
                    status=self.Status.INTERRUPTED,
                    message="导入进程在完成前停止(如服务重启),未写入任何数据;可重新导入",
                )
            ):
                self.refresh_from_db()

    @property
    def interrupted(self) -> bool:
        return self.status == self.Status.INTERRUPTED
