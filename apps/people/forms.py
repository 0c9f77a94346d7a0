"""Forms of the people app."""

from django import forms

from apps.accounts.scoping import region_prefix_q
from apps.taxonomy.fields import OccupationField
from jiuye.widgets import date_input


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label="登记类型")
    basis = forms.ChoiceField(label="登记依据(失业登记)", required=False)
    employer = forms.CharField(
        label="就业单位统一社会信用代码",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "就业单位统一社会信用代码"}),
    )
    day = forms.DateField(label="登记日期", required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        from apps.people.models import Registration

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Registration.Kind.choices
        self.fields["basis"].choices = [("", "—"), *Registration.Basis.choices]

    def clean_employer(self):
        from apps.employers.models import Employer

        code = self.cleaned_data["employer"].strip().upper()
        if not code:
            return None
        employer = Employer.objects.filter(credit_code=code).first()
        if employer is None:
            raise forms.ValidationError(f"没有统一社会信用代码为{code}的单位")
        return employer


class OnlineUnemploymentForm(forms.Form):
    basis = forms.ChoiceField(label="登记依据")

    def __init__(self, *args, **kwargs):
        from apps.people.models import Registration

        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = Registration.Basis.choices


class ProfileForm(forms.Form):
    """What a worker says about themselves and the work they want (求职信息)."""

    from apps.people.models import JobKind as _Kind
    from apps.taxonomy.models import Education as _Education
    from apps.taxonomy.models import SkillLevel as _Level

    education = forms.ChoiceField(
        label="最高学历", choices=[("", "请选择"), *_Education.choices], required=False
    )
    major = forms.CharField(label="所学专业", max_length=64, required=False)
    skills = forms.CharField(
        label="工作经历与技能特长",
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wish_1 = OccupationField(
        name="wish_1",
        label="想做的工作(职业)",
        required=False,
        help_text="输入关键字选择,如“焊”“电工”“保育”",
    )
    wish_2 = OccupationField(name="wish_2", label="想做的工作(第二选择)", required=False)
    wish_3 = OccupationField(name="wish_3", label="想做的工作(第三选择)", required=False)
    wish_job_kinds = forms.MultipleChoiceField(
        label="愿意做的用工形式",
        choices=_Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="可多选;都不选为不限",
    )
    wish_min_wage = forms.IntegerField(
        label="期望最低月薪(元)", min_value=0, max_value=1_000_000, required=False
    )
    wish_max_distance_km = forms.FloatField(
        label="能接受的通勤距离(公里)", min_value=0.5, max_value=500, required=False
    )
    work_place = forms.ChoiceField(
        label="意向工作地点",
        required=False,
        help_text="推荐岗位的距离从这里算起;不选则以居住地为准",
    )
    work_lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    work_lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    work_place_2 = forms.ChoiceField(
        label="也愿意去的工作地点(可选)",
        required=False,
        help_text="距离按两处中较近的一处算",
    )
    certificate = OccupationField(name="certificate", label="新增证书(职业)", required=False)
    certificate_level = forms.TypedChoiceField(
        label="证书等级",
        choices=[("", "无等级"), *_Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    MAP_POINT = "map"
    MAX_KM_FROM_HOME_COUNTY = 200  # a place of work farther than this is a mistyped point

    def __init__(self, *args, county=None, groups=None, **kwargs):
        """``county``: the person's county (a Region); its communities are offered by name.
        ``groups``: the person's key groups now, for the kinds reserved to some of them."""
        from apps.regions.models import Region, RegionLevel

        super().__init__(*args, **kwargs)
        self.county = county
        self.groups = set(groups or ())
        self.communities = {}
        if county is not None:
            self.communities = {
                r.code: r
                for r in Region.objects.filter(
                    region_prefix_q("code", county.code[:6]),
                    level=RegionLevel.COMMUNITY,
                    lat__isnull=False,
                    lng__isnull=False,
                )
                .select_related("parent")
                .order_by("code")
            }
        named = [(code, f"{r.parent.name} {r.name}") for code, r in self.communities.items()]
        self.fields["work_place"].choices = [
            ("", "以居住地为准"),
            (self.MAP_POINT, "在地图上选点"),
            *named,
        ]
        self.fields["work_place_2"].choices = [("", "不选"), *named]

    def clean_wish_job_kinds(self):
        """Kinds reserved for key groups (MATCHING["reserved_kinds"]: 就业见习 for graduates
        and unemployed youth, 公益性岗位 for the hard-to-employ …) only for those groups:
        a wish of one the person cannot take would find nothing."""
        from apps.people.models import JobKind, kinds_refused

        chosen = set(self.cleaned_data.get("wish_job_kinds") or [])
        kinds = [k for k in JobKind.values if k in chosen]  # once each, in their order
        refused = kinds_refused(kinds, self.groups)
        if refused:
            raise forms.ValidationError(f"{refused};您未被认定为这些群体,请选择其他用工形式")
        return kinds

    def clean(self):
        from apps.regions.geo import haversine_km

        data = super().clean()
        choice = data.get("work_place") or ""
        data["work_point"] = None
        if choice == self.MAP_POINT:
            lat, lng = data.get("work_lat"), data.get("work_lng")
            if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
                self.add_error("work_place", "请在地图上点选意向工作地点")
                return data
            centre = self.county
            if centre is not None and centre.lat is not None and centre.lng is not None:
                km = haversine_km(centre.lat, centre.lng, lat, lng)
                if km > self.MAX_KM_FROM_HOME_COUNTY:
                    self.add_error(
                        "work_place",
                        f"所选地点距{centre.name}约{km:.0f}公里,请在本地范围内选点",
                    )
                    return data
            data["work_point"] = (round(lat, 6), round(lng, 6), "地图选点")
        elif choice:
            r = self.communities[choice]
            data["work_point"] = (r.lat, r.lng, f"{r.parent.name}{r.name}")
        second = data.get("work_place_2") or ""
        data["work_point_2"] = None
        if second and data["work_point"] is None:
            self.add_error("work_place_2", "请先选择意向工作地点,再选第二处")
        elif second and second != choice:
            r = self.communities[second]
            data["work_point_2"] = (r.lat, r.lng, f"{r.parent.name}{r.name}")
        return data

    @classmethod
    def initial_from(cls, person) -> dict:
        wishes = list(
            person.wish_occupations.through.objects.filter(person=person)
            .order_by("id")
            .values_list("occupation_id", flat=True)
        )
        return {
            "education": person.education,
            "major": person.major,
            "skills": person.skills,
            **{f"wish_{k}": code for k, code in enumerate(wishes[:3], start=1)},
            "wish_job_kinds": person.wish_job_kinds,
            "wish_min_wage": person.wish_min_wage,
            "wish_max_distance_km": person.wish_max_distance_km,
            **cls._work_place_initial(person),
        }

    @classmethod
    def _work_place_initial(cls, person) -> dict:
        if person.work_lat is None:
            return {}
        return {
            "work_place": cls._community_at(person.work_lat, person.work_lng) or cls.MAP_POINT,
            "work_lat": person.work_lat,
            "work_lng": person.work_lng,
            "work_place_2": cls._community_at(person.work_lat_2, person.work_lng_2) or "",
        }

    @staticmethod
    def _community_at(lat, lng) -> str | None:
        """The community whose centre a stored place is (a place chosen by name), if any."""
        if lat is None:
            return None
        from apps.regions.models import Region, RegionLevel

        return (
            Region.objects.filter(level=RegionLevel.COMMUNITY, lat=lat, lng=lng)
            .values_list("code", flat=True)
            .first()
        )
