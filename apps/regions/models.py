"""Administrative divisions (GB/T 2260 and the civil-affairs township list) down to the
community (社区/村), and the public employment service stations placed among them."""

from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    PREFECTURE = 2, "地级"
    COUNTY = 3, "县级"
    TOWNSHIP = 4, "乡级(街道/镇/乡)"
    COMMUNITY = 5, "村级(社区/村)"


# Length of the code prefix shared by everything inside a region of each level.
SCOPE_PREFIX_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class CoordinateSource(models.TextChoices):
    OFFICIAL = "official", "官方数据"
    IMPORTED = "imported", "本地导入"
    GENERATED = "generated", "演示生成"
    NONE = "", "无"


class Region(models.Model):
    """A division: provinces to counties have 6-digit codes, townships/streets 9, communities 12."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.PositiveSmallIntegerField("级别", choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    h3 = models.CharField("H3单元", max_length=16, blank=True, db_index=True)
    coordinate_source = models.CharField(
        "坐标来源", max_length=16, choices=CoordinateSource.choices, blank=True, default=""
    )
    # True for what the demo generator invented (communities, their names); a bureau's
    # own import replaces them.
    generated = models.BooleanField("演示生成", default=False)
    is_village = models.BooleanField("村(否则为社区)", default=False)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        # places named in the API's filters (regions.selectors.place)
        indexes = [models.Index(fields=["name"], name="region_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="region_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def scope_prefix(self) -> str:
        return scope_prefix(self.code, self.level)


def scope_prefix(code: str, level: int) -> str:
    """The code prefix shared by every division inside the one given."""
    return code[: SCOPE_PREFIX_LENGTH[level]]


class ServiceStation(models.Model):
    """A public employment service point (街道/乡镇劳动保障所, 社区服务站, 零工驿站 …)."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", "街道/乡镇人社服务所"
        COMMUNITY = "community", "社区(村)服务站"
        GIG = "gig", "零工驿站"
        CENTRE = "centre", "公共就业服务中心"

    code = models.CharField("站点编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="stations")
    address = models.CharField("地址", max_length=255, blank=True)
    phone = models.CharField("咨询电话", max_length=20, blank=True)
    hours = models.CharField("办公时间", max_length=64, blank=True)
    operator = models.ForeignKey(
        "employers.Employer",
        verbose_name="运营机构",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
    )
    certified_on = models.DateField("认定日期", null=True, blank=True)
    # 004 四.(一)2 pays a certified gig station "不超过20万元": what its operator claims
    # (recorded by staff from the application) is paid up to that ceiling.
    subsidy_claimed = models.DecimalField(
        "申请补贴金额(元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    lat = models.FloatField("纬度")
    lng = models.FloatField("经度")
    h3 = models.CharField("H3单元", max_length=16, db_index=True)
    generated = models.BooleanField("演示生成", default=False)
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "服务站点"
        verbose_name_plural = "服务站点"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
