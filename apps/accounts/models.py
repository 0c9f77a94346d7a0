"""Users, their roles and region scope; the append-only audit log and the access log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    WORKER = "worker", "劳动者"
    EMPLOYER = "employer", "用人单位"
    COMMUNITY_STAFF = "community_staff", "社区(村)经办人员"
    TOWNSHIP_STAFF = "township_staff", "街道(乡镇)经办人员"
    COUNTY_STAFF = "county_staff", "县(区)经办人员"
    CITY_STAFF = "city_staff", "市级经办人员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "系统管理员"
    # An organisation that reaches the platform only through the API (the provincial
    # platform, an HR agency): it shares job postings for the region it serves and reads
    # the open job feed; it sees no one's personal data.
    PARTNER = "partner", "合作机构"


STAFF_ROLES = {Role.COMMUNITY_STAFF, Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF, Role.CITY_STAFF}
# The region level each staff role is scoped to (community → city).
ROLE_SCOPE_LEVEL = {
    Role.COMMUNITY_STAFF: 5,
    Role.TOWNSHIP_STAFF: 4,
    Role.COUNTY_STAFF: 3,
    Role.CITY_STAFF: 2,
}
# Roles allowed to reveal a full ID or phone number on a person's file (the reveal is logged).
REVEAL_ROLES = STAFF_ROLES | {Role.ADMIN}


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.WORKER)
    scope_region = models.ForeignKey(
        "regions.Region",
        verbose_name="管辖区域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="经办人员和领导只能看到本区域内的数据",
    )
    person = models.OneToOneField(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def clean(self) -> None:
        super().clean()
        level = ROLE_SCOPE_LEVEL.get(self.role)
        if level and (self.scope_region is None or self.scope_region.level != level):
            raise ValidationError(
                {"scope_region": f"{self.get_role_display()}须指定对应级别的管辖区域"}
            )

    @property
    def is_back_office(self) -> bool:
        return self.role in STAFF_ROLES or self.role in (Role.LEADER, Role.ADMIN)

    @property
    def is_clerk(self) -> bool:
        """Staff of a region (经办人员) or an administrator: those who record registrations,
        services and placements."""
        return self.role in STAFF_ROLES or self.role == Role.ADMIN

    @property
    def can_reveal_identifiers(self) -> bool:
        return self.role in REVEAL_ROLES


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("日志只能追加,不能修改")

    def delete(self):
        raise PermissionError("日志只能追加,不能删除")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("日志只能追加,不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("日志只能追加,不能删除")


class AuditEntry(AppendOnly):
    """One write: who did what to which record, with the changed fields."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField("操作", max_length=64)
    model = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model}#{self.object_id}"


class AccessEntry(AppendOnly):
    """One look at personal data (个人信息保护法: who saw whose data, when, why): a view of a
    person's file, a reveal of their identifiers, an export or a download. An export or
    download is one entry naming what was taken, with which filter and how many rows, plus
    one entry for each person it names (so a person's own page lists it)."""

    class Purpose(models.TextChoices):
        VIEW = "view", "查看档案"
        REVEAL = "reveal", "查看完整证件号和手机号"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载文件"
        SELF = "self", "本人查询"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The viewer's office when they looked (a role and region that may change later).
    office = models.CharField("经办机构", max_length=100, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices)
    resource = models.CharField("内容", max_length=200, blank=True)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)

    class Meta:
        verbose_name = "个人信息访问日志"
        verbose_name_plural = "个人信息访问日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_id} {self.purpose} {self.person_id}"


def office_of(user: User) -> str:
    """How a person's own page names who looked: the office (role and region), not the
    staff member's name."""
    region = user.scope_region.name if user.scope_region_id else ""
    return f"{region}{user.get_role_display()}"[:100]


class PhoneCode(models.Model):
    """A one-time code sent to a mobile number (注册验证码): only its hash is kept; it
    expires, and allows a few tries."""

    phone = models.CharField("手机号", max_length=11, db_index=True)
    purpose = models.CharField("用途", max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
