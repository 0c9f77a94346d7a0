"""Enterprise-level facts and the subsidies paid to employers.

Every condition says where it comes from (``reference``: the phrase of the seed, or the
national document where the seed defers to national rules) and how the platform knows it
(``documentation``); docs/policies.md's fidelity table is generated from them."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Enterprise
from .common import at_training_standard

ETERNITY, YEAR = DateUnit.ETERNITY, DateUnit.YEAR
# Sums name the role: OpenFisca pads the result to every enterprise only then (an
# enterprise without employees would otherwise shorten the array).
EMPLOYEE = Enterprise.EMPLOYEE


def _input(
    name: str, value_type, label: str, period=YEAR, *, source: str = "", known: str = ""
) -> type:
    """A fact the registry supplies; one that is a condition says where it comes from and
    how the platform knows it."""
    return type(
        name,
        (Variable,),
        {
            "value_type": value_type,
            "entity": Enterprise,
            "definition_period": period,
            "label": label,
            "__module__": __name__,
            **({"max_length": 8} if value_type is str else {}),
            **({"reference": [source]} if source else {}),
            **({"documentation": known} if known else {}),
        },
    )


# --- Inputs: the employer's file and its yearly figures ---------------------------------

industry_code = _input("industry_code", str, "行业代码 (GB/T 4754-2017)", ETERNITY)
_RETENTION_PHRASE = (
    "002 三.(三):“……可对因疫情防控停产停业的中小微企业,依据参加失业保险职工人数,"
    "按500元/人标准发放一次性留工培训补助”"
)
is_sme = _input(
    "is_sme",
    bool,
    "中小微企业",
    ETERNITY,
    source=_RETENTION_PHRASE,
    known="用人单位登记的企业规模为中型、小型或微型",
)
blacklisted = _input("blacklisted", bool, "列入欠薪黑名单")
insured_employees = _input("insured_employees", int, "参加失业保险职工人数")
headcount_start = _input("headcount_start", int, "年初参保职工人数")
headcount_end = _input("headcount_end", int, "年末参保职工人数")
stopped_by_epidemic = _input(
    "stopped_by_epidemic",
    bool,
    "因疫情防控停产停业",
    source=_RETENTION_PHRASE,
    known="单位年度情况“因疫情防控停产停业”(经办人员在管理后台录入)",
)
lockdown_days = _input("lockdown_days", int, "所在县(市、区)静态管理天数")
received_retention_aid = _input(
    "received_retention_aid", bool, "已享受过一次性留工培训补助", ETERNITY
)
received_stabilisation_subsidy = _input(
    "received_stabilisation_subsidy", bool, "已享受过一次性稳定就业补贴", ETERNITY
)
gig_station_claimed = _input(
    "gig_station_claimed", float, "本年度认定的零工驿站申请补贴金额合计(元)"
)
apprentice_months_intermediate = _input(
    "apprentice_months_intermediate", int, "中级工学徒本年度培训人月数"
)
apprentice_months_senior = _input(
    "apprentice_months_senior", int, "高级工及以上学徒本年度培训人月数"
)
# Each certified station's claim, largest first (004 certifies 3-5 stations in all).
MAX_GIG_STATIONS = 8
for _k in range(1, MAX_GIG_STATIONS + 1):
    globals()[f"gig_station_claim_{_k}"] = _input(
        f"gig_station_claim_{_k}", float, f"本年度认定的第{_k}家零工驿站申请补贴金额(元)"
    )
gig_stations_certified = _input("gig_stations_certified", int, "本年度认定的零工驿站数")


GOOD_STANDING_SOURCE = (
    "国办发〔2016〕1号 关于全面治理拖欠农民工工资问题的意见:拖欠工资的失信用人单位在"
    "政府资金支持等方面依法依规予以限制(全国规定,种子未写)"
)


class in_good_standing(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "未列入欠薪黑名单"
    reference = [GOOD_STANDING_SOURCE]
    documentation = "用人单位登记的欠薪黑名单(本年度内在列即不享受;导入或管理后台维护)"

    def formula(enterprise, period):
        return numpy.logical_not(enterprise("blacklisted", period))


class has_insured_employees(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "有参加失业保险的职工"

    def formula(enterprise, period):
        return enterprise("insured_employees", period) > 0


# --- One-off job-retention training aid (一次性留工培训补助, 002 三.(三)) -------------
RETENTION = (
    "002 三.(三):“2022年,因疫情防控实施静态管理7日以上的县(市、区),可对因疫情防控停产停业"
    "的中小微企业,依据参加失业保险职工人数,按500元/人标准发放一次性留工培训补助,同一企业只能"
    "享受一次”"
)


class lockdown_long_enough(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "所在县(市、区)因疫情防控实施静态管理7日以上"
    reference = [RETENTION]
    documentation = "单位年度情况“所在县(市、区)静态管理天数”不少于参数所定天数(7日)"

    def formula(enterprise, period, parameters):
        p = parameters(period).retention_training_aid
        return enterprise("lockdown_days", period) >= p.min_lockdown_days


class not_yet_received_retention_aid(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "此前未享受过留工培训补助(同一企业只能享受一次)"
    reference = [RETENTION]
    documentation = "平台内该单位没有已审核通过或已支付的一次性留工培训补助申请"

    def formula(enterprise, period):
        return numpy.logical_not(enterprise("received_retention_aid", period))


class retention_training_aid(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "一次性留工培训补助"
    reference = [RETENTION]
    documentation = "参加失业保险职工人数 × 每人标准(参数)"

    def formula(enterprise, period, parameters):
        p = parameters(period).retention_training_aid
        eligible = (
            enterprise("is_sme", period)
            * enterprise("stopped_by_epidemic", period)
            * enterprise("lockdown_long_enough", period)
            * enterprise("not_yet_received_retention_aid", period)
            * enterprise("in_good_standing", period)
        )
        return eligible * enterprise("insured_employees", period) * p.amount_per_insured


# --- One-off stabilisation subsidy for hard-hit industries (阶段性稳就业补贴, 002 三.(四))
STABILISATION = (
    "002 三.(四):“对在疫情防控期间保持正常生产、不裁员或少裁员的餐饮、零售、旅游、民航、"
    "公路水路铁路运输等特困行业企业,按500元/人标准发放一次性稳定就业补贴,最高不超过50万元”"
)


class in_hard_hit_industry(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "属餐饮、零售、旅游、民航、公路水路铁路运输等特困行业"
    reference = [STABILISATION]
    documentation = "用人单位登记的行业代码(GB/T 4754-2017)以参数所列特困行业代码开头"

    def formula(enterprise, period, parameters):
        industries = parameters(period).stabilisation_subsidy.hard_hit_industries
        codes = enterprise("industry_code", period).astype(str)
        hit = numpy.zeros(codes.shape, dtype=bool)
        for code in industries:
            if industries[code]:
                hit |= numpy.char.startswith(codes, code.lstrip("_"))
        return hit


class kept_normal_production(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "疫情防控期间保持正常生产"
    reference = [STABILISATION]
    documentation = "单位年度情况“因疫情防控停产停业”为否(经办人员在管理后台录入)"

    def formula(enterprise, period):
        return numpy.logical_not(enterprise("stopped_by_epidemic", period))


class kept_staff(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "不裁员或少裁员"
    reference = [
        STABILISATION,
        "种子未定义“少裁员”:平台借用人社部发〔2022〕23号失业保险稳岗返还的口径(裁员率不高于上年度"
        "全国城镇调查失业率控制目标5.5%,30人(含)以下企业不高于20%),须经本地区确认",
    ]
    documentation = (
        "单位年度情况的年初、年末参保职工人数:减少人数不超过年初人数乘以裁员率上限(年初无人的"
        "新设单位没有裁员)"
    )

    def formula(enterprise, period, parameters):
        p = parameters(period).stabilisation_subsidy
        start = enterprise("headcount_start", period)
        lost = numpy.clip(start - enterprise("headcount_end", period), 0, None)
        allowed = numpy.where(
            start <= p.small_enterprise_headcount, p.small_max_layoff_rate, p.max_layoff_rate
        )
        return lost <= allowed * start  # a new enterprise (none at the start) laid none off


class not_yet_received_stabilisation_subsidy(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "此前未享受过一次性稳定就业补贴"
    reference = [STABILISATION + "(“一次性”)"]
    documentation = "平台内该单位没有已审核通过或已支付的一次性稳定就业补贴申请"

    def formula(enterprise, period):
        return numpy.logical_not(enterprise("received_stabilisation_subsidy", period))


class stabilisation_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "一次性稳定就业补贴"
    reference = [STABILISATION]
    documentation = (
        "“人”按参加失业保险的职工人数计(单位年度情况;补贴按可核验的参保职工核定,种子未另作"
        "规定)× 每人标准,不超过每户上限(参数)"
    )

    def formula(enterprise, period, parameters):
        p = parameters(period).stabilisation_subsidy
        eligible = (
            enterprise("in_hard_hit_industry", period)
            * enterprise("kept_normal_production", period)
            * enterprise("kept_staff", period)
            * enterprise("not_yet_received_stabilisation_subsidy", period)
            * enterprise("in_good_standing", period)
        )
        amount = enterprise("insured_employees", period) * p.amount_per_employee
        return eligible * numpy.minimum(amount, p.cap)


# --- Enterprise apprenticeships (企业新型学徒制培训补贴, 004 四.(四)4) ----------------
APPRENTICESHIP = (
    "004 四.(四)4:“大力开展企业新型学徒制培训,中级工每人每年的补贴标准原则上5000元/年,高级工、"
    "技师、高级技师6000元/年”"
)


class has_apprentices(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "本年度开展企业新型学徒制培训"
    reference = [APPRENTICESHIP]
    documentation = "管理后台登记的学徒,培训期在本年度内"

    def formula(enterprise, period):
        return (
            enterprise("apprentice_months_intermediate", period)
            + enterprise("apprentice_months_senior", period)
        ) > 0


class apprenticeship_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "企业新型学徒制培训补贴"
    reference = [APPRENTICESHIP]
    documentation = (
        "“每人每年”按培训期在本年度内的月数折算(不足一月按一月):中级工学徒人月数 × 中级"
        "标准 ÷ 12 + 高级工及以上学徒人月数 × 高级标准 ÷ 12(参数);跨年的培训期分在两年,"
        "合计不超过一年的标准"
    )

    def formula(enterprise, period, parameters):
        p = parameters(period).apprenticeship_subsidy
        amount = (
            enterprise("apprentice_months_intermediate", period) * p.intermediate
            + enterprise("apprentice_months_senior", period) * p.senior
        ) / 12
        return (
            numpy.round(amount, 2)
            * enterprise("has_apprentices", period)
            * enterprise("in_good_standing", period)
        )


# --- Hiring hard-to-employ people (社会保险补贴、岗位补贴) -------------------------------
HIRING = (
    "财社〔2017〕164号 就业补助资金管理办法 第五条:招用就业困难人员并缴纳社会保险费的单位给予"
    "社会保险补贴,通过公益性岗位安置就业困难人员的给予岗位补贴,期限最长不超过3年"
    "(全国规定;002 三.(二)“按规定给予……社保补贴和岗位补贴”)"
)


class hard_to_employ_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = YEAR
    label = "吸纳就业困难人员本年度可补贴人月数"

    def formula(enterprise, period):
        return enterprise.sum(
            enterprise.members("hard_to_employ_subsidised_months", period), role=EMPLOYEE
        )


class hires_hard_to_employ(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "吸纳就业困难人员就业并办理就业登记"
    reference = [HIRING]
    documentation = (
        "就业困难人员(重点群体标识)在本单位的就业登记;每人自登记起最多计参数所定月数(36个月)"
    )

    def formula(enterprise, period):
        return enterprise("hard_to_employ_months", period) > 0


class social_insurance_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "社会保险补贴(吸纳就业困难人员)"
    reference = [HIRING]
    documentation = "可补贴人月数 × 每人每月标准(参数,省定)"

    def formula(enterprise, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = enterprise("hard_to_employ_months", period)
        return (
            months
            * p.social_insurance_monthly
            * enterprise("hires_hard_to_employ", period)
            * enterprise("in_good_standing", period)
        )


class welfare_post_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = YEAR
    label = "公益性岗位安置就业困难人员本年度可补贴人月数"

    def formula(enterprise, period):
        return enterprise.sum(
            enterprise.members("welfare_post_subsidised_months", period), role=EMPLOYEE
        )


class places_hard_to_employ_in_welfare_posts(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "通过公益性岗位安置就业困难人员"
    reference = [
        HIRING,
        "002 三.(二):“对经营实体开发公益性岗位,组织公益性岗位对接,服务就业困难人员到岗就业,"
        "按规定给予经营实体公益性岗位社保补贴和岗位补贴”",
    ]
    documentation = (
        "公益性岗位安置记录(上岗、续签、退出)中本单位岗位上的就业困难人员或零就业家庭成员;"
        "每人自上岗起最多计参数所定月数(36个月)"
    )

    def formula(enterprise, period):
        return enterprise("welfare_post_months", period) > 0


class post_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "公益性岗位补贴"
    reference = [HIRING]
    documentation = "公益性岗位安置人月数 × 每人每月标准(参数,省定)"

    def formula(enterprise, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = enterprise("welfare_post_months", period)
        return (
            months
            * p.post_monthly
            * enterprise("places_hard_to_employ_in_welfare_posts", period)
            * enterprise("in_good_standing", period)
        )


# --- Internships (就业见习补贴) --------------------------------------------------------
INTERNSHIP = (
    "财社〔2017〕164号 第五条:组织离校未就业高校毕业生和16-24岁失业青年参加就业见习的单位给予"
    "就业见习补贴(全国规定,种子未写标准)"
)


class internship_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = YEAR
    label = "本年度见习人月数"

    def formula(enterprise, period):
        return enterprise.sum(
            enterprise.members("internship_subsidised_months", period), role=EMPLOYEE
        )


class hosts_interns(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "组织未就业高校毕业生等参加就业见习"
    reference = [INTERNSHIP]
    documentation = "录用到本单位就业见习岗位的人员,自上岗起最多计参数所定月数(12个月)"

    def formula(enterprise, period):
        return enterprise("internship_months", period) > 0


class internship_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "就业见习补贴"
    reference = [INTERNSHIP]
    documentation = "见习人月数 × 每人每月标准(参数,省定)"

    def formula(enterprise, period, parameters):
        p = parameters(period).internship_subsidy
        months = enterprise("internship_months", period)
        return (
            months
            * p.monthly
            * enterprise("hosts_interns", period)
            * enterprise("in_good_standing", period)
        )


# --- Gig stations (零工驿站一次性补贴, 004 四.(一)2) -----------------------------------
GIG_STATIONS = "004 四.(一)2:“2022年认定3-5家“零工驿站”,给予每家一次性不超过20万元补贴资金”"


class operates_certified_gig_station(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "本年度认定的零工驿站运营机构"
    reference = [GIG_STATIONS]
    documentation = "服务站点(类型:零工驿站)登记的运营机构与本年度认定日期"

    def formula(enterprise, period):
        return enterprise("gig_stations_certified", period) > 0


class gig_station_claim_declared(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "已申报驿站补贴金额"
    reference = [GIG_STATIONS + "(“不超过”:按申请金额核定)"]
    documentation = "服务站点登记的“申请补贴金额”(运营机构申请后由经办人员录入)"

    def formula(enterprise, period):
        return enterprise("gig_station_claimed", period) > 0


class gig_station_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "零工驿站一次性补贴"
    reference = [GIG_STATIONS]
    documentation = "每家驿站按其申请金额核定,不超过每家上限(参数):各家较少者之和"

    def formula(enterprise, period, parameters):
        p = parameters(period).gig_station_subsidy
        per_station = sum(
            numpy.minimum(enterprise(f"gig_station_claim_{k}", period), p.max_per_station)
            for k in range(1, MAX_GIG_STATIONS + 1)
        )
        eligible = enterprise("operates_certified_gig_station", period) * enterprise(
            "gig_station_claim_declared", period
        )
        return eligible * per_station


# --- Training subsidy paid to the enterprise (职业培训补贴直补企业, 003 二.(二)7) ---------
DIRECT_TRAINING = (
    "003 二.(二)7:“开展培训补贴资金直补企业工作,自主培训的企业在自主评价后,取得职业技能等级"
    "证书的,职业培训补贴直接支付给企业”"
)
for _k in range(1, 6):
    globals()[f"own_certificates_level_{_k}"] = _input(
        f"own_certificates_level_{_k}", int, f"本企业职工本年度经自主评价取得{_k}级证书数"
    )


class own_certificates(Variable):
    value_type = int
    entity = Enterprise
    definition_period = YEAR
    label = "本企业职工本年度经自主评价取得职业技能等级证书数"

    def formula(enterprise, period):
        return sum(enterprise(f"own_certificates_level_{k}", period) for k in range(1, 6))


class trains_own_staff(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "自主培训并经自主评价,职工本年度取得职业技能等级证书"
    reference = [DIRECT_TRAINING]
    documentation = (
        "企业作为备案的培训机构(企业自主培训)和职业技能等级认定机构,本年度为发证当日在本企业"
        "就业登记的职工颁发的职业技能等级证书(平台的认定记录)"
    )

    def formula(enterprise, period):
        return enterprise("own_certificates", period) > 0


class enterprise_training_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "职业培训补贴(直补企业)"
    reference = [DIRECT_TRAINING]
    documentation = (
        "本企业职工本年度经自主评价取得的各等级证书数 × 职业培训补贴该等级标准(参数)之和;"
        "这些证书不再计入职工个人的职业培训补贴"
    )

    def formula(enterprise, period, parameters):
        total = at_training_standard(enterprise, "own_certificates_level", period, parameters)
        return total * enterprise("trains_own_staff", period)
