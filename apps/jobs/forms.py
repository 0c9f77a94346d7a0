"""Forms of the jobs app: an employer's posting."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.people.models import JobKind
from apps.portal.inputs import visible_text
from apps.regions.models import Region, RegionLevel
from apps.taxonomy.fields import OccupationField, fills_options_of
from apps.taxonomy.models import Education, SkillLevel
from jiuye.widgets import date_input


class PostingForm(forms.Form):
    title = forms.CharField(
        label="岗位名称",
        max_length=128,
        validators=[visible_text],
        # what the title means in the classification fills the occupation's choices
        widget=forms.TextInput(attrs=fills_options_of("occupation", delay_ms=400)),
    )
    occupation = OccupationField(
        name="occupation", label="职业", help_text="输入关键字选择,如“焊”“电工”“保育”"
    )
    kind = forms.ChoiceField(label="用工形式", choices=JobKind.choices)
    headcount = forms.IntegerField(label="招聘人数", min_value=1, max_value=100000)
    wage_min = forms.IntegerField(label="月薪下限(元)", min_value=0, max_value=1_000_000)
    wage_max = forms.IntegerField(label="月薪上限(元)", min_value=0, max_value=1_000_000)
    education_min = forms.ChoiceField(
        label="最低学历", choices=[("", "不限"), *Education.choices], required=False
    )
    age_min = forms.IntegerField(label="最低年龄", min_value=16, max_value=70, required=False)
    age_max = forms.IntegerField(label="最高年龄", min_value=16, max_value=70, required=False)
    skills = forms.CharField(
        label="技能要求", max_length=255, required=False, validators=[visible_text]
    )
    certificates = forms.CharField(
        label="证书要求(说明)", max_length=255, required=False, validators=[visible_text]
    )
    required_certificate = OccupationField(
        name="required_certificate", label="必须持有的证书(职业)", required=False
    )
    required_level = forms.TypedChoiceField(
        label="证书最低等级",
        choices=[("", "任一等级"), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    description = forms.CharField(
        label="岗位描述",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[visible_text],
    )
    region = forms.ChoiceField(label="工作地点")
    valid_from = forms.DateField(label="有效期起", widget=date_input())
    valid_to = forms.DateField(label="有效期止", widget=date_input())

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_to"].initial = today + dt.timedelta(days=60)
        self.fields["region"].choices = work_places(employer.region_id[:6])
        self.fields["region"].initial = employer.region_id

    def clean_required_certificate(self):
        return self.cleaned_data.get("required_certificate") or None

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "occupation_id": d["occupation"],
            "kind": d["kind"],
            "headcount": d["headcount"],
            "wage_min": d["wage_min"],
            "wage_max": d["wage_max"],
            "education_min": d["education_min"] or "",
            "age_min": d["age_min"],
            "age_max": d["age_max"],
            "skills": d["skills"],
            "certificates": d["certificates"],
            "required_certificate_id": d["required_certificate"],
            "required_level": d["required_level"],
            "description": d["description"],
            "region_id": d["region"],
            "valid_from": d["valid_from"],
            "valid_to": d["valid_to"],
        }

    @classmethod
    def initial_from(cls, job) -> dict:
        return {
            "title": job.title,
            "occupation": job.occupation_id,
            "kind": job.kind,
            "headcount": job.headcount,
            "wage_min": job.wage_min,
            "wage_max": job.wage_max,
            "education_min": job.education_min,
            "age_min": job.age_min,
            "age_max": job.age_max,
            "skills": job.skills,
            "certificates": job.certificates,
            "required_certificate": job.required_certificate_id or "",
            "required_level": job.required_level or "",
            "description": job.description,
            "region": job.region_id,
            "valid_from": job.valid_from,
            "valid_to": job.valid_to,
        }


def work_places(county: str) -> list:
    """The county's streets, each with its communities, chosen by name."""
    places = (
        Region.objects.filter(
            region_prefix_q("code", county),
            level__in=[RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY],
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )
    groups: dict[str, tuple[str, list]] = {}
    for code, name, level in places:
        if level == RegionLevel.TOWNSHIP:
            groups[code] = (name, [(code, f"{name}(整个街道/乡镇)")])
        elif code[:9] in groups:
            groups[code[:9]][1].append((code, name))
    return [(name, options) for name, options in groups.values()]


class BoardSearchForm(forms.Form):
    """The public board's search: regions by name, never by code."""

    q = forms.CharField(label="关键词", max_length=64, required=False)
    occupation = OccupationField(name="occupation", label="职业", required=False)
    area = forms.ChoiceField(label="区域", required=False)
    wage = forms.IntegerField(
        label="月薪不低于(元)", min_value=0, max_value=1_000_000, required=False
    )
    kind = forms.ChoiceField(
        label="用工形式", choices=[("", "不限"), *JobKind.choices], required=False
    )
    near = forms.ChoiceField(label="离我近(选择所在社区)", required=False)
    km = forms.FloatField(label="距离(公里)", min_value=0.1, max_value=200, required=False)

    def __init__(self, *args, county: str, **kwargs):
        super().__init__(*args, **kwargs)
        streets = (
            Region.objects.filter(region_prefix_q("code", county), level=RegionLevel.TOWNSHIP)
            .order_by("code")
            .values_list("code", "name")
        )
        county_name = Region.objects.filter(code=county).values_list("name", flat=True).first()
        self.fields["area"].choices = [("", f"{county_name or ''}全部"), *streets]
        self.fields["near"].choices = [("", "不限"), *work_places(county)]
