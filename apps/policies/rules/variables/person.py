"""Person-level facts (inputs from the registry) and the subsidies paid to persons.

Every condition says where it comes from (``reference``) and how the platform knows it
(``documentation``); docs/policies.md's fidelity table is generated from them."""

import datetime

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Person
from .common import NO_DATE, at_training_standard, has_date, months_in_period, year_of

ETERNITY, YEAR = DateUnit.ETERNITY, DateUnit.YEAR


# --- Inputs: what the registry knows about the person --------------------------------


class graduation_year(Variable):
    value_type = int
    entity = Person
    definition_period = ETERNITY
    label = "高校毕业年份"
    documentation = "0 for a person without a college degree."


class first_business_date(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "首次创办经营实体的成立日期"


class is_registered_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "本年度有失业登记"


def _group_flag(name: str, label: str) -> type:
    return type(
        name,
        (Variable,),
        {
            "value_type": bool,
            "entity": Person,
            "definition_period": YEAR,
            "label": label,
            "__module__": __name__,
        },
    )


is_migrant_worker = _group_flag("is_migrant_worker", "农民工")
is_poverty_alleviated = _group_flag("is_poverty_alleviated", "脱贫劳动力")
is_monitored = _group_flag("is_monitored", "防返贫监测对象")
is_disabled = _group_flag("is_disabled", "残疾人")
is_low_income = _group_flag("is_low_income", "城乡低保家庭成员")
is_hard_to_employ = _group_flag("is_hard_to_employ", "就业困难人员")
is_zero_employment_family = _group_flag("is_zero_employment_family", "零就业家庭成员")


def _certificate_count(level: int, label: str) -> type:
    return type(
        f"new_certificates_level_{level}",
        (Variable,),
        {
            "value_type": int,
            "entity": Person,
            "definition_period": YEAR,
            "label": f"本年度取得{label}职业资格/技能等级证书数",
            "__module__": __name__,
        },
    )


new_certificates_level_1 = _certificate_count(1, "一级/高级技师")
new_certificates_level_2 = _certificate_count(2, "二级/技师")
new_certificates_level_3 = _certificate_count(3, "三级/高级工")
new_certificates_level_4 = _certificate_count(4, "四级/中级工")
new_certificates_level_5 = _certificate_count(5, "五级/初级工")


class employment_start(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位就业登记的起始日期"


class employment_end(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位就业登记的终止日期"
    documentation = "No date (1970-01-01) while the employment lasts."


class welfare_post_start(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位公益性岗位上岗日期"


class welfare_post_end(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位公益性岗位退出或期满日期"
    documentation = "No date (1970-01-01) while the placement lasts."


class internship_start(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位参加就业见习的起始日期"


class internship_end(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = ETERNITY
    default_value = NO_DATE
    label = "在本单位就业见习的结束日期"
    documentation = "The internship post's end of validity, or when the person left it."


# --- One-off startup subsidy for graduates (一次性创业补贴, 004 四.(二)2) ---------------


STARTUP = "004 四.(二)2:“毕业学年及5年内高校毕业生初次创业,给予一次性创业补贴1万元”"


class graduate_within_startup_window(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "毕业学年及毕业5年内的高校毕业生创业"
    reference = [STARTUP]
    documentation = (
        "人员登记的高校毕业年份与其创办的用人单位的成立日期:成立于毕业学年(毕业前一年9月1日起)"
        "至毕业年份后第5个自然年年底(“5年内”按自然年计,是平台的解读;地方另有口径时调整参数"
        " years_after_graduation)"
    )

    def formula(person, period, parameters):
        p = parameters(period).startup_subsidy
        graduated = person("graduation_year", period)
        founded = person("first_business_date", period)
        # 毕业学年: the final academic year, from 1 September before graduation.
        school_year_start = (
            (graduated - 1970 - 1).astype("datetime64[Y]").astype("datetime64[M]")
            + numpy.timedelta64(8, "M")
        ).astype("datetime64[D]")
        return (
            (graduated > 0)
            * has_date(founded)
            * (founded >= school_year_start)
            * (year_of(founded) <= graduated + p.years_after_graduation)
        )


class first_business_this_year(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "本年度初次创办经营实体"
    reference = [STARTUP]
    documentation = "以该人员为创办人的用人单位中最早的成立日期在本年度(“初次”:此前没有)"

    def formula(person, period, parameters):
        founded = person("first_business_date", period)
        return has_date(founded) * (year_of(founded) == period.start.year)


class startup_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    unit = "currency-CNY"
    label = "一次性创业补贴"
    reference = [STARTUP]
    documentation = "每人一次性标准(参数)"

    def formula(person, period, parameters):
        return parameters(period).startup_subsidy.amount * (
            person("graduate_within_startup_window", period)
            * person("first_business_this_year", period)
        )


# --- Job-seeking and startup subsidy for graduates of hard-up families (求职创业补贴) ---


JOB_SEEKING = (
    "财社〔2017〕164号 第五条:对毕业年度内有就业创业意愿并积极求职创业的低保家庭、贫困残疾人"
    "家庭、建档立卡贫困家庭和特困人员中的高校毕业生,残疾及获得国家助学贷款的高校毕业生给予"
    "一次性求职创业补贴(全国规定,种子未写;平台按此意转述,未核对原文)"
)


class graduating_this_year(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "毕业年度高校毕业生"
    reference = [JOB_SEEKING]
    documentation = "人员登记的高校毕业年份为本年度"

    def formula(person, period):
        return person("graduation_year", period) == period.start.year


class from_hard_up_family(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "低保、脱贫、监测、零就业家庭或残疾"
    reference = [JOB_SEEKING]
    documentation = (
        "本年度有效的重点群体标识:城乡低保家庭成员、脱贫劳动力(原建档立卡贫困家庭)、残疾人;"
        "防返贫监测对象和零就业家庭成员是平台的解读(须经本地区确认);获得国家助学贷款的平台"
        "未登记,由经办人员凭证明认定"
    )

    def formula(person, period):
        return (
            person("is_low_income", period)
            + person("is_poverty_alleviated", period)
            + person("is_monitored", period)
            + person("is_zero_employment_family", period)
            + person("is_disabled", period)
        ) > 0


class job_seeking_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    unit = "currency-CNY"
    label = "求职创业补贴"
    reference = [JOB_SEEKING]
    documentation = "每人一次性标准(参数,省定)"

    def formula(person, period, parameters):
        return parameters(period).job_seeking_subsidy.amount * (
            person("graduating_this_year", period) * person("from_hard_up_family", period)
        )


# --- Vocational training subsidy by certificate level (职业培训补贴) -------------------


TRAINING = (
    "002 三.(三):“聚焦脱贫劳动力、农民工、失业人员等重点群体就业需求,精准开展就业技能培训,"
    "按规定给予培训补贴”"
)


class in_training_group(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "属培训补贴对象(脱贫劳动力、农民工、失业人员、毕业年度高校毕业生等)"
    reference = [
        TRAINING,
        "“等重点群体”:平台的解读,纳入登记失业人员、毕业年度高校毕业生和防返贫监测对象"
        "(须经本地区按其培训补贴对象口径确认)",
    ]
    documentation = (
        "本年度有效的重点群体标识(脱贫劳动力、防返贫监测对象、农民工)、本年度的失业登记,"
        "或高校毕业年份为本年度"
    )

    def formula(person, period):
        return (
            person("is_poverty_alleviated", period)
            + person("is_monitored", period)
            + person("is_migrant_worker", period)
            + person("is_registered_unemployed", period)
            + person("graduating_this_year", period)
        ) > 0


class new_certificates(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "本年度取得证书数"

    def formula(person, period):
        return sum(person(f"new_certificates_level_{k}", period) for k in range(1, 6))


class has_new_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "本年度经培训取得职业资格/技能等级证书"
    reference = [TRAINING + "(“按规定”:取得证书后按证书等级补贴)"]
    documentation = "人员的技能证书中发证日期在本年度的(“经培训”由培训机构证明,经办人员核查)"

    def formula(person, period):
        return person("new_certificates", period) > 0


class training_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    unit = "currency-CNY"
    label = "职业培训补贴"
    reference = [TRAINING]
    documentation = "本年度各等级证书数 × 该等级标准(参数,省定)之和"

    def formula(person, period, parameters):
        total = at_training_standard(person, "new_certificates_level", period, parameters)
        return total * person("in_training_group", period) * person("has_new_certificate", period)


# --- What each person brings to their enterprise's subsidies ---------------------------


class hard_to_employ_subsidised_months(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "就业困难人员本年度可补贴月数"

    def formula(person, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = months_in_period(
            person("employment_start", period),
            person("employment_end", period),
            period,
            max_months=p.max_months,
        )
        return months * person("is_hard_to_employ", period)


class internship_subsidised_months(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "就业见习本年度可补贴月数"

    def formula(person, period, parameters):
        p = parameters(period).internship_subsidy
        return months_in_period(
            person("internship_start", period),
            person("internship_end", period),
            period,
            max_months=p.max_months,
        )


class welfare_post_subsidised_months(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "公益性岗位安置本年度可补贴月数"

    def formula(person, period, parameters):
        p = parameters(period).hard_to_employ_hiring
        months = months_in_period(
            person("welfare_post_start", period),
            person("welfare_post_end", period),
            period,
            max_months=p.max_months,
        )
        placed = person("is_hard_to_employ", period) + person("is_zero_employment_family", period)
        return months * (placed > 0)
