"""Localities (社区/村, and streets/townships where a post or a person is recorded only at
that level): facts, and the awards paid to them.

Every condition says where it comes from (``reference``) and how the platform knows it
(``documentation``); docs/policies.md's fidelity table is generated from them."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Community

YEAR = DateUnit.YEAR

FULL_EMPLOYMENT = "002 三.(一):“对认定的“三公里”充分就业社区按照不低于6000元/年的标准给予奖补”"
TEMPORARY_POSTS = (
    "002 三.(五):“对临时性专项岗位安置因疫等原因失业人员就业的,根据安置人数,由省财政给予岗位"
    "所在地3000元/人的一次性奖补”"
)
TEMPORARY_POSTS_2022 = (
    "002 二.(一)3:“2022年,……在街道(乡镇)、社区(行政村)开发疫情防控员、平安信息员等临时性"
    "专项岗位360个,安置有就业意愿的因疫等原因失业人员”"
)


class certified_full_employment(Variable):
    value_type = bool
    entity = Community
    definition_period = YEAR
    label = "本年度认定为“三公里”充分就业社区"
    reference = [FULL_EMPLOYMENT]
    documentation = "管理后台登记的充分就业社区认定(年度)"


class full_employment_community_award(Variable):
    value_type = float
    entity = Community
    definition_period = YEAR
    unit = "currency-CNY"
    label = "“三公里”充分就业社区奖补"
    reference = [FULL_EMPLOYMENT]
    documentation = "每个认定社区每年标准(参数,不低于6000元)"

    def formula(community, period, parameters):
        p = parameters(period).full_employment_community_award
        return community("certified_full_employment", period) * p.amount


class temporary_post_hires(Variable):
    value_type = int
    entity = Community
    definition_period = YEAR
    label = "本年度临时性专项岗位录用人数"
    documentation = "本年度录用到位于此地的临时性专项岗位的人数"


class temporary_post_hires_unemployed(Variable):
    value_type = int
    entity = Community
    definition_period = YEAR
    label = "其中上岗时为失业人员的人数"
    documentation = "本年度录用到位于此地的临时性专项岗位、上岗当日有有效失业登记的人数"


class placed_unemployed_in_temporary_posts(Variable):
    value_type = bool
    entity = Community
    definition_period = YEAR
    label = "以临时性专项岗位安置因疫等原因失业人员"
    reference = [TEMPORARY_POSTS, TEMPORARY_POSTS_2022]
    documentation = (
        "录用到位于此地(岗位工作地点)的临时性专项岗位、上岗当日有有效失业登记的人员(失业登记"
        "即“有就业意愿的失业人员”;失业原因不限:“因疫等原因”)"
    )

    def formula(community, period):
        return community("temporary_post_hires_unemployed", period) > 0


class temporary_post_award(Variable):
    value_type = float
    entity = Community
    definition_period = YEAR
    unit = "currency-CNY"
    label = "临时性专项岗位一次性奖补"
    reference = [TEMPORARY_POSTS]
    documentation = "付给岗位所在地(岗位工作地点所在的社区或街道):安置的失业人员数 × 每人标准(参数)"

    def formula(community, period, parameters):
        p = parameters(period).temporary_post_award
        placed = community("temporary_post_hires_unemployed", period)
        return (
            community("placed_unemployed_in_temporary_posts", period) * placed * p.amount_per_person
        )
