"""The indicators (就业统计指标) the platform computes from the registry's own dated events.

Each counted indicator is one queryset of the events it counts (``events(start, end)``)
and the field that places an event in a region: the figure on the dashboard, the
figures of every sub-region, the monthly trend and the list behind the figure are all
read from that one queryset, so a figure and its list cannot disagree. Derived
indicators (a difference, a rate) name the counted ones they are made of. An indicator
the registry cannot compute (the surveyed unemployment rate comes from the labour-force
survey, insurance counts from the social-insurance system …) is declared too, with the
reason, so a plan target naming it is shown as such and never dropped.

The definitions follow the Ministry's statistical system (人力资源社会保障统计调查制度)
where one exists; docs/indicators.md says, for each, where the registry can only
approximate it and how."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

# How an indicator is measured.
FLOW = "flow"  # events in the period
STOCK = "stock"  # what stands at the period's last day
DIFFERENCE = "difference"  # a − b
RATE = "rate"  # 100 × a / b (a percentage)
SHARE_OF_COMMUNITIES = "share_of_communities"  # 100 × a / the communities of the region
NOT_COMPUTED = "not_computed"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    measure: str
    definition: str  # one sentence, shown under the figure
    # counted indicators
    events: Callable[[dt.date, dt.date], QuerySet] | None = None
    region_field: str = ""  # the event's region code (a community, street or county)
    person_field: str = ""  # the person the event names, for the list behind the figure
    day_field: str = ""  # the event's date, for the trend and the list
    amount_field: str = ""  # summed instead of counted (amounts of money)
    detail: Callable[[object], str] = field(default=lambda row: "")
    # stocks of spells (a registration from its start to its end): the undated rows, so a
    # stock at many days is read from the starts and ends before each (the trend)
    spells: Callable[[], QuerySet] | None = None
    # derived indicators
    parts: tuple[str, ...] = ()
    # not computed: why, and where the figure comes from
    why_not: str = ""

    @property
    def computed(self) -> bool:
        return self.measure != NOT_COMPUTED

    @property
    def counted(self) -> bool:
        return self.measure in (FLOW, STOCK)

    @property
    def is_percentage(self) -> bool:
        return self.measure in (RATE, SHARE_OF_COMMUNITIES)


def _in_work() -> tuple[str, ...]:
    from apps.people.models import Registration

    return (Registration.Kind.EMPLOYMENT, Registration.Kind.FLEXIBLE)


def _active_on(day: dt.date) -> Q:
    from apps.people.selectors import in_force_on

    return in_force_on(day)


def new_employment(start: dt.date, end: dt.date) -> QuerySet:
    """Employment and flexible-employment registrations begun in the period by people not
    already in registered work the day before (a change of job is not a new job)."""
    from apps.people.models import Registration

    earlier_work = Registration.objects.filter(
        person_id=OuterRef("person_id"),
        kind__in=_in_work(),
        registered_on__lt=OuterRef("registered_on"),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("registered_on")))
    return (
        Registration.objects.filter(kind__in=_in_work(), registered_on__range=(start, end))
        .exclude(Exists(earlier_work))
        .exclude(Exists(_switched_from(OuterRef("person_id"), OuterRef("registered_on"))))
    )


def _switched_from(person, day) -> QuerySet:
    """An in-work registration ended on ``day`` because the person changed job."""
    from apps.people.models import Registration

    return Registration.objects.filter(
        person_id=person, kind__in=_in_work(), ended_on=day, end_reason="变更就业"
    )


def natural_attrition(start: dt.date, end: dt.date) -> QuerySet:
    """People who retired in the period (自然减员; the registry records no deaths)."""
    from apps.people.models import LabourStatus, StatusChange

    return StatusChange.objects.filter(status=LabourStatus.RETIRED, since__range=(start, end))


def reemployed(start: dt.date, end: dt.date) -> QuerySet:
    """Unemployment registrations closed in the period because the person found work."""
    from apps.people.models import Registration

    return Registration.objects.filter(
        kind=Registration.Kind.UNEMPLOYMENT, ended_on__range=(start, end), end_reason="就业"
    )


def _new_work_of(group: str, start: dt.date, end: dt.date) -> QuerySet:
    """New employment (as counted by new_employment) of people with a ``group`` tag in
    force on the day they started."""
    from apps.people.models import KeyGroupTag

    tagged = KeyGroupTag.objects.filter(
        person_id=OuterRef("person_id"), group=group, start__lte=OuterRef("registered_on")
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("registered_on")))
    return new_employment(start, end).filter(Exists(tagged))


def hard_to_employ_employed(start: dt.date, end: dt.date) -> QuerySet:
    """New work of people who were hard to employ (就业困难人员) on the day they started."""
    from apps.people.models import KeyGroup

    return _new_work_of(KeyGroup.HARD_TO_EMPLOY, start, end)


def graduates_employed(start: dt.date, end: dt.date) -> QuerySet:
    """New work of college graduates (a 高校毕业生 tag in force when they started)."""
    from apps.people.models import KeyGroup

    return _new_work_of(KeyGroup.GRADUATE, start, end)


def unemployment_registrations() -> QuerySet:
    from apps.people.models import Registration

    return Registration.objects.filter(kind=Registration.Kind.UNEMPLOYMENT)


def labour_force_registrations() -> QuerySet:
    from apps.people.models import Registration

    return Registration.objects.filter(kind__in=(Registration.Kind.UNEMPLOYMENT, *_in_work()))


def registered_unemployed(start: dt.date, end: dt.date) -> QuerySet:
    """Unemployment registrations in force on the period's last day."""
    return unemployment_registrations().filter(_active_on(end))


def registered_labour_force(start: dt.date, end: dt.date) -> QuerySet:
    """Registrations in force on the period's last day, of the unemployed and the employed
    (one active registration of each kind per person; a person in work holds no active
    unemployment registration, so each person counts once)."""
    return labour_force_registrations().filter(_active_on(end))


def _graduates_of(year: int) -> QuerySet:
    from apps.people.models import KeyGroup, KeyGroupTag, Person

    tagged = KeyGroupTag.objects.filter(person_id=OuterRef("pk"), group=KeyGroup.GRADUATE)
    return Person.objects.filter(graduation_year=year).filter(Exists(tagged))


def graduates_of_year(start: dt.date, end: dt.date) -> QuerySet:
    """College graduates of the period's last year in the registry (高校毕业生 tag)."""
    return _graduates_of(end.year)


def graduates_of_year_in_work(start: dt.date, end: dt.date) -> QuerySet:
    """Of those, the ones with an employment or flexible registration in force on the
    period's last day."""
    from apps.people.models import Registration

    working = Registration.objects.filter(_active_on(end), person_id=OuterRef("pk")).filter(
        kind__in=_in_work()
    )
    return _graduates_of(end.year).filter(Exists(working))


def certificates_issued(start: dt.date, end: dt.date) -> QuerySet:
    """Vocational-qualification and skill-level certificates issued in the period."""
    from apps.people.models import Certificate

    return Certificate.objects.filter(issued_on__range=(start, end))


def high_skill_certificates(start: dt.date, end: dt.date) -> QuerySet:
    """Of those, at 三级/高级工 or above (高技能人才)."""
    return certificates_issued(start, end).filter(level__lte=3)


def trainings(start: dt.date, end: dt.date) -> QuerySet:
    """Trainings finished in the period (结业, passed or not): one per person and class."""
    from apps.training.models import Enrolment

    return Enrolment.objects.filter(
        status__in=(Enrolment.Status.COMPLETED, Enrolment.Status.FAILED),
        completed_on__range=(start, end),
    )


def subsidised_trainings(start: dt.date, end: dt.date) -> QuerySet:
    """Of those, in subsidised classes (补贴性职业技能培训)."""
    return trainings(start, end).filter(course__subsidised=True)


def migrant_trainings(start: dt.date, end: dt.date) -> QuerySet:
    """Of those, by people with a 农民工 tag in force on the day they finished."""
    from apps.people.models import KeyGroup, KeyGroupTag

    tagged = KeyGroupTag.objects.filter(
        person_id=OuterRef("person_id"),
        group=KeyGroup.MIGRANT_WORKER,
        start__lte=OuterRef("completed_on"),
    ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef("completed_on")))
    return trainings(start, end).filter(Exists(tagged))


def startup_trainings(start: dt.date, end: dt.date) -> QuerySet:
    """Of those, startup training (创业培训: SYB, IYB, startup camps)."""
    return trainings(start, end).filter(course__kind="startup")


def fairs_held(start: dt.date, end: dt.date) -> QuerySet:
    """Fairs held (招聘会) in the period, not called off."""
    from apps.fairs.models import Fair

    return Fair.objects.filter(cancelled=False, held_on__range=(start, end))


def fair_intentions(start: dt.date, end: dt.date) -> QuerySet:
    """People reaching a hiring intention (达成就业意向) at the period's fairs: the first
    intention of each person at each fair."""
    from apps.fairs.models import Intention
    from apps.fairs.selectors import first_intentions

    return first_intentions(
        Intention.objects.filter(fair__cancelled=False, fair__held_on__range=(start, end))
    )


def gig_work(start: dt.date, end: dt.date) -> QuerySet:
    """Day jobs finished through the gig stations (零工) in the period."""
    from apps.gigs.models import Take

    return Take.objects.filter(status="done", completed_on__range=(start, end))


def brand_business_spells() -> QuerySet:
    from apps.cooperation.models import BrandBusiness

    return BrandBusiness.objects.all()


def brand_businesses(start: dt.date, end: dt.date) -> QuerySet:
    """Businesses carrying a labour brand (劳务品牌) on the period's last day."""
    return brand_business_spells().filter(_active_on(end))


def organised_outbound(start: dt.date, end: dt.date) -> QuerySet:
    """People sent in organised out-of-region work (有组织劳务输出) in the period."""
    from apps.cooperation.models import Dispatch

    return Dispatch.objects.filter(left_on__range=(start, end))


def _startups_of(origin: str):
    def events(start: dt.date, end: dt.date) -> QuerySet:
        from apps.startups.models import Startup

        return Startup.objects.filter(origin=origin, founded_on__range=(start, end))

    return events


def startup_loans(start: dt.date, end: dt.date) -> QuerySet:
    """Business-startup guarantee loans (创业担保贷款) granted in the period."""
    from apps.startups.models import GuaranteeLoan

    return GuaranteeLoan.objects.filter(issued_on__range=(start, end))


def welfare_placements(start: dt.date, end: dt.date) -> QuerySet:
    """People placed in a public-welfare post (公益性岗位安置) who started in the period."""
    from apps.jobs.models import WelfarePlacement

    return WelfarePlacement.objects.filter(start__range=(start, end))


def _posts_published(kind: str | None):
    """Posts (the headcount of jobs) open to applicants from a day in the period."""

    def posts(start: dt.date, end: dt.date) -> QuerySet:
        from apps.jobs.models import Job

        jobs = Job.objects.filter(valid_from__range=(start, end))
        return jobs.filter(kind=kind) if kind else jobs

    return posts


def zero_families_cleared(start: dt.date, end: dt.date) -> QuerySet:
    """Zero-employment families (零就业家庭) cleared in the period: a member found work."""
    from apps.people.models import ZeroEmploymentAlert

    return ZeroEmploymentAlert.objects.filter(cleared_on__range=(start, end))


def subsidy_payments(start: dt.date, end: dt.date) -> QuerySet:
    """Subsidy payments made in the period (one per approved application)."""
    from apps.policies.models import Payment

    return Payment.objects.filter(paid_on__range=(start, end)).select_related("application")


def certified_communities(start: dt.date, end: dt.date) -> QuerySet:
    """Communities certified as full-employment communities (充分就业社区) for the period's
    last year."""
    from apps.policies.models import CommunityCertification

    return CommunityCertification.objects.filter(year=end.year, certified_on__lte=end)


def _policy_name(code: str) -> str:
    from apps.policies.rules import catalog

    spec = catalog.policies().get(code)
    return getattr(spec, "name", code) if spec else code


SURVEY = "来自国家统计局劳动力调查,登记数据不能计算"
INSURANCE = "来自社会保险经办系统,本平台未接入参保数据"
STATISTICS = "来自统计部门的年度统计,本平台不掌握该口径数据"

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "new_employment",
            "城镇新就业人数",
            "人",
            FLOW,
            "期内办理就业登记或灵活就业登记、且前一日不在登记就业状态的人次",
            events=new_employment,
            region_field="person__community_id",
            person_field="person",
            day_field="registered_on",
            detail=lambda r: r.get_kind_display(),
        ),
        Indicator(
            "natural_attrition",
            "自然减员人数",
            "人",
            FLOW,
            "期内劳动状态变为退休的人数(平台不记录死亡)",
            events=natural_attrition,
            region_field="person__community_id",
            person_field="person",
            day_field="since",
            detail=lambda r: r.note or "退休",
        ),
        Indicator(
            "new_urban_jobs",
            "城镇新增就业人数",
            "人",
            DIFFERENCE,
            "城镇新就业人数减自然减员人数",
            parts=("new_employment", "natural_attrition"),
        ),
        Indicator(
            "reemployed",
            "失业人员再就业人数",
            "人",
            FLOW,
            "期内因实现就业而注销失业登记的人次",
            events=reemployed,
            region_field="person__community_id",
            person_field="person",
            day_field="ended_on",
            detail=lambda r: f"失业登记 {r.registered_on} 起",
        ),
        Indicator(
            "hard_to_employ_employed",
            "就业困难人员实现就业人数",
            "人",
            FLOW,
            "城镇新就业人次中,登记就业当日具有就业困难人员认定的",
            events=hard_to_employ_employed,
            region_field="person__community_id",
            person_field="person",
            day_field="registered_on",
            detail=lambda r: r.get_kind_display(),
        ),
        Indicator(
            "graduates_employed",
            "高校毕业生实现就业人数",
            "人",
            FLOW,
            "城镇新就业人次中,登记就业当日具有高校毕业生认定的",
            events=graduates_employed,
            region_field="person__community_id",
            person_field="person",
            day_field="registered_on",
            detail=lambda r: r.get_kind_display(),
        ),
        Indicator(
            "registered_unemployed",
            "城镇登记失业人数",
            "人",
            STOCK,
            "期末有效的失业登记人数",
            events=registered_unemployed,
            spells=unemployment_registrations,
            region_field="person__community_id",
            person_field="person",
            day_field="registered_on",
            detail=lambda r: r.get_basis_display(),
        ),
        Indicator(
            "registered_labour_force",
            "登记劳动力人数",
            "人",
            STOCK,
            "期末有效的失业登记、就业登记和灵活就业登记人数",
            events=registered_labour_force,
            spells=labour_force_registrations,
            region_field="person__community_id",
            person_field="person",
            day_field="registered_on",
            detail=lambda r: r.get_kind_display(),
        ),
        Indicator(
            "registered_unemployment_rate",
            "城镇登记失业率",
            "%",
            RATE,
            "城镇登记失业人数 ÷ 登记劳动力人数 × 100",
            parts=("registered_unemployed", "registered_labour_force"),
        ),
        Indicator(
            "graduates_of_year",
            "当年高校毕业生人数",
            "人",
            STOCK,
            "期末所在年度毕业、具有高校毕业生认定的人数",
            events=graduates_of_year,
            region_field="community_id",
            person_field="",
            day_field="",
            detail=lambda r: f"{r.graduation_year}年毕业",
        ),
        Indicator(
            "graduates_of_year_in_work",
            "当年高校毕业生就业人数",
            "人",
            STOCK,
            "当年高校毕业生中期末处于登记就业或灵活就业的人数",
            events=graduates_of_year_in_work,
            region_field="community_id",
            person_field="",
            day_field="",
            detail=lambda r: f"{r.graduation_year}年毕业",
        ),
        Indicator(
            "graduate_employment_rate",
            "高校毕业生就业率",
            "%",
            RATE,
            "当年高校毕业生就业人数 ÷ 当年高校毕业生人数 × 100",
            parts=("graduates_of_year_in_work", "graduates_of_year"),
        ),
        Indicator(
            "certificates_issued",
            "取得职业资格或职业技能等级证书人次",
            "人次",
            FLOW,
            "期内发证的职业资格证书、职业技能等级证书张数",
            events=certificates_issued,
            region_field="person__community_id",
            person_field="person",
            day_field="issued_on",
            detail=lambda r: str(r),
        ),
        Indicator(
            "high_skill_certificates",
            "取得高级工以上证书人次",
            "人次",
            FLOW,
            "期内发证的三级/高级工及以上证书张数",
            events=high_skill_certificates,
            region_field="person__community_id",
            person_field="person",
            day_field="issued_on",
            detail=lambda r: str(r),
        ),
        Indicator(
            "welfare_placements",
            "公益性岗位安置人数",
            "人",
            FLOW,
            "期内上岗的公益性岗位安置人次",
            events=welfare_placements,
            region_field="person__community_id",
            person_field="person",
            day_field="start",
            detail=lambda r: f"至 {r.end}",
        ),
        Indicator(
            "welfare_posts",
            "开发公益性岗位数",
            "个",
            FLOW,
            "期内开始招用的公益性岗位招聘人数之和",
            events=_posts_published("public_welfare"),
            region_field="region_id",
            day_field="valid_from",
            amount_field="headcount",
            detail=lambda r: r.title,
        ),
        Indicator(
            "internship_posts",
            "募集就业见习岗位数",
            "个",
            FLOW,
            "期内开始招用的就业见习岗位招聘人数之和",
            events=_posts_published("internship"),
            region_field="region_id",
            day_field="valid_from",
            amount_field="headcount",
            detail=lambda r: r.title,
        ),
        Indicator(
            "temporary_posts",
            "开发临时性专项岗位数",
            "个",
            FLOW,
            "期内开始招用的临时性专项岗位招聘人数之和",
            events=_posts_published("temporary_special"),
            region_field="region_id",
            day_field="valid_from",
            amount_field="headcount",
            detail=lambda r: r.title,
        ),
        Indicator(
            "posts_collected",
            "征集就业岗位数",
            "个",
            FLOW,
            "期内开始招用的各类岗位招聘人数之和",
            events=_posts_published(None),
            region_field="region_id",
            day_field="valid_from",
            amount_field="headcount",
            detail=lambda r: r.title,
        ),
        Indicator(
            "zero_families_cleared",
            "零就业家庭动态清零户数",
            "户",
            FLOW,
            "期内有成员实现就业而清零的零就业家庭户数",
            events=zero_families_cleared,
            region_field="community_id",
            person_field="cleared_by",
            day_field="cleared_on",
            detail=lambda r: f"{r.detected_on} 发现",
        ),
        Indicator(
            "subsidy_recipients",
            "享受就业补贴人次",
            "人次",
            FLOW,
            "期内支付的补贴笔数(个人和单位)",
            events=subsidy_payments,
            region_field="region_code",
            person_field="application__person",
            day_field="paid_on",
            detail=lambda r: _policy_name(r.policy),
        ),
        Indicator(
            "subsidy_amount",
            "就业补贴支出金额",
            "元",
            FLOW,
            "期内支付的补贴金额之和",
            events=subsidy_payments,
            region_field="region_code",
            person_field="application__person",
            day_field="paid_on",
            amount_field="amount",
            detail=lambda r: _policy_name(r.policy),
        ),
        Indicator(
            "certified_communities",
            "充分就业社区个数",
            "个",
            STOCK,
            "期末所在年度认定的“三公里”充分就业社区个数",
            events=certified_communities,
            region_field="community_id",
            day_field="certified_on",
            detail=lambda r: f"{r.year}年度",
        ),
        Indicator(
            "full_employment_community_share",
            "充分就业社区占比",
            "%",
            SHARE_OF_COMMUNITIES,
            "充分就业社区个数 ÷ 区域内社区(村)个数 × 100",
            parts=("certified_communities",),
        ),
        # Targets of the plans the registry cannot compute: shown as such.
        Indicator(
            "surveyed_unemployment_rate", "城镇调查失业率", "%", NOT_COMPUTED, "", why_not=SURVEY
        ),
        Indicator(
            "urban_employment_share", "城镇就业占比", "%", NOT_COMPUTED, "", why_not=STATISTICS
        ),
        Indicator(
            "average_wage_growth",
            "城镇全部单位就业人员平均工资增长",
            "%",
            NOT_COMPUTED,
            "",
            why_not=STATISTICS,
        ),
        Indicator(
            "schooling_years",
            "劳动年龄人口平均受教育年限",
            "年",
            NOT_COMPUTED,
            "",
            why_not=STATISTICS,
        ),
        Indicator(
            "rural_transfer_rate",
            "农村劳动力转移就业率",
            "%",
            NOT_COMPUTED,
            "",
            why_not="转移就业须按户籍和就业地点统计,登记数据尚无就业地点口径",
        ),
        Indicator(
            "rural_transferred",
            "农牧民转移就业人数",
            "人",
            NOT_COMPUTED,
            "",
            why_not="转移就业须按户籍和就业地点统计,登记数据尚无就业地点口径",
        ),
        Indicator(
            "trainings",
            "职业技能培训人次",
            "人次",
            FLOW,
            "期内结业(合格与不合格)的培训人次,一人参加一个培训班为一人次",
            events=trainings,
            region_field="person__community_id",
            person_field="person",
            day_field="completed_on",
            detail=lambda r: str(r.course),
        ),
        Indicator(
            "subsidised_trainings",
            "补贴性职业技能培训人次",
            "人次",
            FLOW,
            "其中参加补贴性培训班的人次",
            events=subsidised_trainings,
            region_field="person__community_id",
            person_field="person",
            day_field="completed_on",
            detail=lambda r: str(r.course),
        ),
        Indicator(
            "migrant_trainings",
            "农民工(农牧民)职业技能培训人次",
            "人次",
            FLOW,
            "其中结业当日有农民工标识的人次",
            events=migrant_trainings,
            region_field="person__community_id",
            person_field="person",
            day_field="completed_on",
            detail=lambda r: str(r.course),
        ),
        Indicator(
            "startup_trainings",
            "创业培训人次",
            "人次",
            FLOW,
            "期内结业的创业培训(SYB、IYB、创业训练营等)人次",
            events=startup_trainings,
            region_field="person__community_id",
            person_field="person",
            day_field="completed_on",
            detail=lambda r: str(r.course),
        ),
        Indicator(
            "unemployment_insured", "失业保险参保人数", "人", NOT_COMPUTED, "", why_not=INSURANCE
        ),
        Indicator("injury_insured", "工伤保险参保人数", "人", NOT_COMPUTED, "", why_not=INSURANCE),
        Indicator(
            "skilled_workers_total", "技能劳动者总量", "人", NOT_COMPUTED, "", why_not=STATISTICS
        ),
        Indicator(
            "returning_entrepreneurs",
            "返乡入乡创业人数",
            "人",
            FLOW,
            "期内成立、登记为返乡入乡创业的创业主体数(一人一主体)",
            events=_startups_of("returning"),
            region_field="employer__region_id",
            person_field="founder",
            day_field="founded_on",
            detail=lambda r: str(r),
        ),
        Indicator(
            "college_startups",
            "扶持大学生创业人数",
            "人",
            FLOW,
            "期内成立、登记为高校毕业生创业的创业主体数",
            events=_startups_of("graduate"),
            region_field="employer__region_id",
            person_field="founder",
            day_field="founded_on",
            detail=lambda r: str(r),
        ),
        Indicator(
            "startup_loan_amount",
            "发放创业担保贷款金额",
            "元",
            FLOW,
            "期内发放的创业担保贷款金额之和",
            events=startup_loans,
            region_field="borrower__community_id",
            person_field="borrower",
            day_field="issued_on",
            amount_field="amount",
            detail=lambda r: f"{r.bank} {r.amount}元",
        ),
        Indicator(
            "fairs_held",
            "举办招聘会场次",
            "场",
            FLOW,
            "期内举办(举办日期在期内)且未取消的招聘会场次,现场、网络招聘会均计;"
            "按举办单位所在区划计",
            events=fairs_held,
            region_field="region_id",
            day_field="held_on",
            detail=lambda r: f"{r.get_theme_display()} · {r.venue}",
        ),
        Indicator(
            "gig_work",
            "零工就业人次",
            "人次",
            FLOW,
            "期内经零工驿站接单并完工的人次(灵活就业的一部分);按驿站所在区划、完工日期计",
            events=gig_work,
            region_field="gig__station__region_id",
            person_field="person",
            day_field="completed_on",
            detail=lambda r: f"{r.gig.task} · {r.gig.station}",
        ),
        Indicator(
            "fair_intentions",
            "达成就业意向人数",
            "人",
            FLOW,
            "期内举办的招聘会上与用人单位达成就业意向的人数:一人在同一场招聘会与多家"
            "单位达成意向计一人,参加两场计两人;按招聘会举办单位所在区划、举办日期计",
            events=fair_intentions,
            region_field="fair__region_id",
            person_field="person",
            day_field="fair__held_on",
            detail=lambda r: f"{r.fair} · {r.stand.employer.name}",
        ),
        Indicator(
            "brand_businesses",
            "劳务品牌经营主体数",
            "个",
            STOCK,
            "期末纳入劳务品牌、尚未退出的经营主体数;按经营主体所在区划计",
            events=brand_businesses,
            spells=brand_business_spells,
            region_field="region_id",
            day_field="registered_on",
            detail=lambda r: f"{r.brand} · {r.name}",
        ),
        Indicator(
            "brand_jobs",
            "劳务品牌带动就业人数",
            "人",
            STOCK,
            "期末在册品牌经营主体报告的带动就业人数之和;按经营主体所在区划计",
            events=brand_businesses,
            spells=brand_business_spells,
            region_field="region_id",
            day_field="registered_on",
            amount_field="jobs",
            detail=lambda r: f"{r.brand} · {r.name} · {r.jobs}人",
        ),
        Indicator(
            "organised_outbound",
            "有组织劳务输出人数",
            "人",
            FLOW,
            "期内经劳务协作有组织输出到外地务工的人次;按本人所在区划、输出日期计",
            events=organised_outbound,
            region_field="person__community_id",
            person_field="person",
            day_field="left_on",
            detail=lambda r: f"{r.partner} · {r.workplace}",
        ),
        Indicator(
            "arbitration_closure_rate",
            "劳动人事争议仲裁结案率",
            "%",
            NOT_COMPUTED,
            "",
            why_not="来自劳动人事争议仲裁系统,本平台未接入",
        ),
    ]
}

# What the dashboard shows first, in this order.
HEADLINE = (
    "new_urban_jobs",
    "reemployed",
    "hard_to_employ_employed",
    "registered_unemployed",
    "registered_unemployment_rate",
    "graduate_employment_rate",
    "welfare_placements",
    "zero_families_cleared",
    "certificates_issued",
    "subsidy_recipients",
    "subsidy_amount",
    "full_employment_community_share",
)


def get(code: str) -> Indicator:
    return INDICATORS[code]
