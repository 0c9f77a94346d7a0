"""Community-level facts and the award paid to full-employment communities."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from ..entities import Community


class certified_full_employment(Variable):
    value_type = bool
    entity = Community
    definition_period = DateUnit.YEAR
    label = "本年度认定为“三公里”充分就业社区"


class full_employment_community_award(Variable):
    value_type = float
    entity = Community
    definition_period = DateUnit.YEAR
    unit = "currency-CNY"
    label = "“三公里”充分就业社区奖补"
    reference = "界首市就业促进行动方案 三.(一)"

    def formula(community, period, parameters):
        p = parameters(period).full_employment_community_award
        return community("certified_full_employment", period) * p.amount
