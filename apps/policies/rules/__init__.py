"""The employment subsidies as rules as code (OpenFisca): entities, variables with their
formulas, dated parameters, YAML tests.

`CountryTaxBenefitSystem` is the national base: the common subsidies with defaults a region
sets. A region's own policies and amounts are overlays in `regions/*.yaml` (the division
codes they cover, then each parameter path with dated values; null ends a value), applied
province → city → county by `system_for(region_code)`. A policy is in force in a region on
a date when its amount parameter has a value there and then."""

from __future__ import annotations

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from .entities import entities
from .variables import community, enterprise, person

RULES_DIR = Path(__file__).resolve().parent
PARAMETERS_DIR = RULES_DIR / "parameters"
REGIONS_DIR = RULES_DIR / "regions"


class CountryTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self, parameters_dir: Path = PARAMETERS_DIR) -> None:
        super().__init__(entities)
        for module in (person, enterprise, community):
            self.add_variables(
                *(
                    v
                    for v in vars(module).values()
                    if isinstance(v, type)
                    and issubclass(v, Variable)
                    and v.__module__ == module.__name__
                )
            )
        self.load_parameters(str(parameters_dir))


from .system import RulesError, region_overlays, system_for  # noqa: E402

__all__ = ["CountryTaxBenefitSystem", "RulesError", "region_overlays", "system_for"]
