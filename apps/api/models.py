"""Keys to the API (接口令牌) and the writes they made under an Idempotency-Key."""

from __future__ import annotations

from django.db import models


class ApiToken(models.Model):
    """A key an administrator issues to an organisation's account (the provincial
    platform, an HR agency, an employer) or to a member of staff. It acts as its holder:
    what the holder may read and change, in the holder's region, is decided by the same
    code as on the pages; its scopes narrow that to some operations. Only the key's
    SHA-256 digest is kept (the key is 256 random bits, shown once when issued)."""

    name = models.CharField("名称", max_length=100)
    holder = models.ForeignKey(
        "accounts.User", verbose_name="持有账号", on_delete=models.PROTECT, related_name="+"
    )
    scopes = models.JSONField("权限范围", default=list)
    prefix = models.CharField("令牌前缀", max_length=12, editable=False)
    digest = models.CharField("SHA-256摘要", max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField("每分钟调用上限", default=600)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="签发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentWrite(models.Model):
    """A write sent with an ``Idempotency-Key``: sent again with the same key (a retry
    after a lost answer), it is answered as the first time and not done twice."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    request = models.CharField("请求", max_length=300)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    # the people the first answer named: a replay of it is logged as a read of them
    people = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等写入"
        verbose_name_plural = "幂等写入"
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.key}"
