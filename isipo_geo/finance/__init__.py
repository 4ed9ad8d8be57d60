"""Finance: what closing the utility gaps costs, and how a budget covers it.

- :mod:`~isipo_geo.finance.money` — currencies (toman, rial) and scales, exact decimals;
- :mod:`~isipo_geo.finance.costs` — unit costs (the shipped TOML or the user's);
- :mod:`~isipo_geo.finance.deficits` — the report's national deficits, a registry's per-estate
  deficits, allocation among provinces;
- :mod:`~isipo_geo.finance.registry_figures` — a registry's per-estate deficits, and a user's
  registry read once for funding and maps;
- :mod:`~isipo_geo.finance.needs` — deficits × unit costs → needs per estate, province, nation;
- :mod:`~isipo_geo.finance.rows` — the funding rows those needs are given as (read-only mappings);
- :mod:`~isipo_geo.finance.budget` — budget prioritisation over the costed gaps;
- :mod:`~isipo_geo.finance.criteria` — what counts: criteria values per gap, explained scores;
- :mod:`~isipo_geo.finance.mcda` — weighted sum, AHP weights, TOPSIS;
- :mod:`~isipo_geo.finance.portfolio` — whole-gap portfolios: greedy and the integer programme;
- :mod:`~isipo_geo.finance.montecarlo` — P10/P50/P90 of needs from low/central/high unit costs;
- :mod:`~isipo_geo.finance.inputs` — the user's weights, priority, criteria and AHP files.

May import the base modules (errors, io, names, provinces), the registry and the report; never
maps, raster, units or the CLI.
"""

from isipo_geo.finance.budget import (
    PLAN_COLUMNS,
    PROVINCE_COLUMNS,
    RULES,
    YEAR_COLUMNS,
    BudgetPlan,
    budget_plan,
    parse_years,
    prioritise,
)
from isipo_geo.finance.deficits import (
    ALLOCATION_KEYS,
    REGISTRY_DEFICITS,
    REPORT_YEAR,
    SCENARIOS,
    Deficit,
    allocate_exact,
    combine_deficits,
    national_deficits,
    province_weights,
    registry_deficits,
)
from isipo_geo.finance.inputs import read_priority, read_weights
from isipo_geo.finance.needs import (
    OUTPUT_COLUMNS,
    add_totals,
    compare_scenarios,
    cost_deficits,
    data_sources,
    escalation_factor,
    funding_rows,
    funding_table,
    province_wide,
)
from isipo_geo.finance.registry_figures import RegistryFigures, read_registry_once
from isipo_geo.finance.rows import FundingRow

__all__ = [
    "ALLOCATION_KEYS",
    "OUTPUT_COLUMNS",
    "PLAN_COLUMNS",
    "PROVINCE_COLUMNS",
    "YEAR_COLUMNS",
    "BudgetPlan",
    "FundingRow",
    "RegistryFigures",
    "budget_plan",
    "REGISTRY_DEFICITS",
    "REPORT_YEAR",
    "RULES",
    "SCENARIOS",
    "Deficit",
    "add_totals",
    "allocate_exact",
    "combine_deficits",
    "compare_scenarios",
    "cost_deficits",
    "data_sources",
    "escalation_factor",
    "funding_rows",
    "funding_table",
    "national_deficits",
    "parse_years",
    "prioritise",
    "province_wide",
    "province_weights",
    "read_priority",
    "read_registry_once",
    "read_weights",
    "registry_deficits",
]
