"""Enterprise-level facts and the subsidies paid to employers."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Enterprise

ETERNITY, YEAR = DateUnit.ETERNITY, DateUnit.YEAR
# Sums name the role: OpenFisca pads the result to every enterprise only then (an
# enterprise without employees would otherwise shorten the array).
EMPLOYEE = Enterprise.EMPLOYEE


def _input(name: str, value_type, label: str, period=YEAR) -> type:
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
        },
    )


# --- Inputs: the employer's file and its yearly figures ---------------------------------

industry_code = _input("industry_code", str, "行业代码 (GB/T 4754-2017)", ETERNITY)
is_sme = _input("is_sme", bool, "中小微企业", ETERNITY)
blacklisted = _input("blacklisted", bool, "列入欠薪黑名单")
insured_employees = _input("insured_employees", int, "参加失业保险职工人数")
headcount_start = _input("headcount_start", int, "年初参保职工人数")
headcount_end = _input("headcount_end", int, "年末参保职工人数")
stopped_by_epidemic = _input("stopped_by_epidemic", bool, "因疫情防控停产停业")
lockdown_days = _input("lockdown_days", int, "所在县(市、区)静态管理天数")
received_retention_aid = _input(
    "received_retention_aid", bool, "已享受过一次性留工培训补助", ETERNITY
)
apprentices_intermediate = _input("apprentices_intermediate", int, "中级工学徒人数")
apprentices_senior = _input("apprentices_senior", int, "高级工及以上学徒人数")
gig_stations_certified = _input("gig_stations_certified", int, "本年度认定的零工驿站数")


class in_good_standing(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "未列入欠薪黑名单"

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


class lockdown_long_enough(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "所在县(市、区)因疫情防控实施静态管理7日以上"

    def formula(enterprise, period, parameters):
        p = parameters(period).retention_training_aid
        return enterprise("lockdown_days", period) >= p.min_lockdown_days


class not_yet_received_retention_aid(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "此前未享受过留工培训补助(同一企业只能享受一次)"

    def formula(enterprise, period):
        return numpy.logical_not(enterprise("received_retention_aid", period))


class retention_training_aid(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "一次性留工培训补助"
    reference = "界首市就业促进行动方案 三.(三)"

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


class in_hard_hit_industry(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "属餐饮、零售、旅游、民航、公路水路铁路运输等特困行业"

    def formula(enterprise, period, parameters):
        industries = parameters(period).stabilisation_subsidy.hard_hit_industries
        codes = enterprise("industry_code", period).astype(str)
        hit = numpy.zeros(codes.shape, dtype=bool)
        for code in industries:
            if industries[code]:
                hit |= numpy.char.startswith(codes, code.lstrip("_"))
        return hit


class kept_staff(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "不裁员或少裁员"

    def formula(enterprise, period, parameters):
        p = parameters(period).stabilisation_subsidy
        start = enterprise("headcount_start", period)
        lost = numpy.clip(start - enterprise("headcount_end", period), 0, None)
        allowed = numpy.where(
            start <= p.small_enterprise_headcount, p.small_max_layoff_rate, p.max_layoff_rate
        )
        return (start > 0) * (lost <= allowed * start)


class stabilisation_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "一次性稳定就业补贴"
    reference = "界首市就业促进行动方案 三.(四)"

    def formula(enterprise, period, parameters):
        p = parameters(period).stabilisation_subsidy
        eligible = (
            enterprise("in_hard_hit_industry", period)
            * enterprise("kept_staff", period)
            * enterprise("in_good_standing", period)
        )
        amount = enterprise("insured_employees", period) * p.amount_per_employee
        return eligible * numpy.minimum(amount, p.cap)


# --- Temporary special posts (临时性专项岗位奖补, 002 三.(五)) -------------------------


class temporary_post_placements(Variable):
    value_type = int
    entity = Enterprise
    definition_period = YEAR
    label = "本年度临时性专项岗位安置人数"

    def formula(enterprise, period):
        return enterprise.sum(enterprise.members("placed_in_temporary_post", period), role=EMPLOYEE)


class has_temporary_post_placements(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "以临时性专项岗位安置失业人员"

    def formula(enterprise, period):
        return enterprise("temporary_post_placements", period) > 0


class temporary_post_award(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "临时性专项岗位一次性奖补"
    reference = "界首市就业促进行动方案 三.(五)"

    def formula(enterprise, period, parameters):
        p = parameters(period).temporary_post_award
        return enterprise("temporary_post_placements", period) * p.amount_per_person


# --- Enterprise apprenticeships (企业新型学徒制培训补贴, 004 四.(四)4) ----------------


class has_apprentices(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "本年度开展企业新型学徒制培训"

    def formula(enterprise, period):
        return (
            enterprise("apprentices_intermediate", period)
            + enterprise("apprentices_senior", period)
        ) > 0


class apprenticeship_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "企业新型学徒制培训补贴"
    reference = "雄安就社领发〔2022〕1号 四.(四)4"

    def formula(enterprise, period, parameters):
        p = parameters(period).apprenticeship_subsidy
        amount = (
            enterprise("apprentices_intermediate", period) * p.intermediate
            + enterprise("apprentices_senior", period) * p.senior
        )
        return amount * enterprise("in_good_standing", period)


# --- Hiring hard-to-employ people (社会保险补贴、岗位补贴) -------------------------------


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

    def formula(enterprise, period):
        return enterprise("hard_to_employ_months", period) > 0


class social_insurance_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "社会保险补贴(吸纳就业困难人员)"
    reference = "财社〔2017〕164号 第五条"

    def formula(enterprise, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = enterprise("hard_to_employ_months", period)
        return months * p.social_insurance_monthly * enterprise("in_good_standing", period)


class post_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "岗位补贴(吸纳就业困难人员)"
    reference = "界首市就业促进行动方案 三.(二); 财社〔2017〕164号 第五条"

    def formula(enterprise, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = enterprise("hard_to_employ_months", period)
        return months * p.post_monthly * enterprise("in_good_standing", period)


# --- Internships (就业见习补贴) --------------------------------------------------------


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

    def formula(enterprise, period):
        return enterprise("internship_months", period) > 0


class internship_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "就业见习补贴"
    reference = "财社〔2017〕164号 第五条"

    def formula(enterprise, period, parameters):
        p = parameters(period).internship_subsidy
        months = enterprise("internship_months", period)
        return months * p.monthly * enterprise("in_good_standing", period)


# --- Gig stations (零工驿站一次性补贴, 004 四.(一)2) -----------------------------------


class operates_certified_gig_station(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = YEAR
    label = "本年度认定的零工驿站运营机构"

    def formula(enterprise, period):
        return enterprise("gig_stations_certified", period) > 0


class gig_station_subsidy(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    unit = "currency-CNY"
    label = "零工驿站一次性补贴"
    reference = "雄安就社领发〔2022〕1号 四.(一)2"

    def formula(enterprise, period, parameters):
        p = parameters(period).gig_station_subsidy
        return enterprise("gig_stations_certified", period) * p.amount_per_station
