"""Cost sharing: the contractor's cost model, the cost game of a consortium and fair ways to split the invoice."""

from .core import core_check
from .game import CostGame, invoice_game, shared_cost_game
from .model import Consortium, CostModel, CouncilDemand, Module, ReturnTier
from .money import format_pence, round_table_to_pence, round_to_pence, to_pence
from .plan import ConsortiumPlan, PlanResult, read_plan, run_plan
from .shapley import SHAPLEY_METHODS, shapley_value
from .sharing import SHARING_METHODS, direct_costs, share_costs
from .statement import cost_statement, plot_statement, write_statement

__all__ = [
    "CostModel",
    "ReturnTier",
    "Module",
    "CouncilDemand",
    "Consortium",
    "CostGame",
    "shared_cost_game",
    "invoice_game",
    "SHAPLEY_METHODS",
    "shapley_value",
    "SHARING_METHODS",
    "share_costs",
    "direct_costs",
    "core_check",
    "to_pence",
    "format_pence",
    "round_to_pence",
    "round_table_to_pence",
    "cost_statement",
    "write_statement",
    "plot_statement",
    "ConsortiumPlan",
    "PlanResult",
    "read_plan",
    "run_plan",
]
