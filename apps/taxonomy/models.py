"""National classifications: occupations (职业分类大典 2022), industries (GB/T 4754-2017),
education levels (GB/T 4658-2006) and vocational skill levels."""

from django.db import models


class Occupation(models.Model):
    """A node of the occupation classification: 大类 '6', 中类 '6-18', 小类 '6-18-02',
    职业 '6-18-02-04'. ``verified`` is True only for rows checked against the official table."""

    class Level(models.IntegerChoices):
        MAJOR = 1, "大类"
        MIDDLE = 2, "中类"
        MINOR = 3, "小类"
        OCCUPATION = 4, "职业"

    code = models.CharField("代码", max_length=16, primary_key=True)
    name = models.CharField("名称", max_length=128)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    verified = models.BooleanField("已与官方表核对", default=False)
    definition = models.TextField("定义", blank=True)
    tasks = models.TextField("主要工作任务", blank=True)
    aliases = models.TextField("别名", blank=True, help_text="逗号分隔:常见岗位叫法")
    green = models.BooleanField("绿色职业(L)", default=False)
    digital = models.BooleanField("数字职业(S)", default=False)
    # A code of an earlier edition that the 2022 edition moved: kept so that records and
    # files that carry it keep working; new input is mapped to the replacement.
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="现行代码",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "职业"
        verbose_name_plural = "职业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Industry(models.Model):
    """GB/T 4754-2017 门类 (letter) and 大类 (two digits)."""

    code = models.CharField("代码", max_length=8, primary_key=True)
    name = models.CharField("名称", max_length=128)
    section = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="divisions"
    )

    class Meta:
        verbose_name = "行业"
        verbose_name_plural = "行业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Education(models.TextChoices):
    """GB/T 4658-2006 学历代码 (the first level, as the registry needs it)."""

    POSTGRADUATE = "10", "研究生"
    BACHELOR = "20", "大学本科"
    JUNIOR_COLLEGE = "30", "大学专科"
    SECONDARY_SPECIALISED = "40", "中等专科"
    TECHNICAL_SCHOOL = "50", "技工学校"
    HIGH_SCHOOL = "60", "高中"
    JUNIOR_HIGH = "70", "初中"
    PRIMARY = "80", "小学"
    OTHER = "90", "其他"


# Higher number = more schooling; used to compare a person's education with a requirement.
EDUCATION_RANK = {
    Education.POSTGRADUATE: 7,
    Education.BACHELOR: 6,
    Education.JUNIOR_COLLEGE: 5,
    Education.SECONDARY_SPECIALISED: 4,
    Education.TECHNICAL_SCHOOL: 4,
    Education.HIGH_SCHOOL: 4,
    Education.JUNIOR_HIGH: 3,
    Education.PRIMARY: 2,
    Education.OTHER: 1,
}


class SkillLevel(models.IntegerChoices):
    """国家职业资格/职业技能等级: 五级 (lowest) to 一级 (highest)."""

    LEVEL_5 = 5, "五级/初级工"
    LEVEL_4 = 4, "四级/中级工"
    LEVEL_3 = 3, "三级/高级工"
    LEVEL_2 = 2, "二级/技师"
    LEVEL_1 = 1, "一级/高级技师"


def current_codes() -> dict[str, str]:
    """Every known occupation code → the code to store for it: itself, or the code that
    replaced it (a code of an earlier edition moved by the current one)."""
    return {
        code: replaced or code
        for code, replaced in Occupation.objects.values_list("code", "replaced_by_id")
    }


class OccupationNeighbour(models.Model):
    """Two 职业 whose work overlaps (相近职业): the cosine of their definitions' and tasks'
    words (``similarity.py``), kept both ways. Derived from the classification whenever
    it is loaded or imported; matching grades a wish's fit to a neighbour by it."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField("任务相似度")

    class Meta:
        verbose_name = "相近职业"
        verbose_name_plural = "相近职业"
        constraints = [
            models.UniqueConstraint(fields=["occupation", "neighbour"], name="one_neighbour_pair")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} ~ {self.neighbour_id} ({self.similarity:.2f})"
