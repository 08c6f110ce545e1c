"""The cost-sharing statement: every council's share under every method, as a table, a workbook and a chart."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import CostShareError
from .core import CORE_LIMIT, core_check
from .model import Consortium
from .sharing import SHARING_METHODS, share_costs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["cost_statement", "write_statement", "plot_statement"]

_MONEY = ["shared_pence", "council_fee_pence", "module_pence", "booster_pence", "total_pence", "stand_alone_pence",
          "saving_pence"]


def cost_statement(consortium: Consortium, *, methods: Sequence[str] | None = None, samples: int = 10_000,
                   seed: int = 0) -> pd.DataFrame:
    """Every council's share of the invoice under each method, with the core check of each method.

    Parameters
    ----------
    consortium
        The councils and the cost model.
    methods
        Names from ``SHARING_METHODS`` (default: all of them, in registry order).
    samples, seed
        As :func:`share_costs`.

    Returns
    -------
    pandas.DataFrame
        The :func:`share_costs` tables of the methods stacked (one row per method and council),
        plus ``pays_more_than_alone`` (the council would be better off commissioning alone),
        ``in_core`` (no group of councils pays more under that method than it would alone;
        missing beyond 20 councils), ``worst_coalition`` (the group most overcharged, if any) and
        ``description`` (how the method splits the shared costs).
        ``attrs["invoice_pence"]`` is the invoice.

    Examples
    --------
    >>> from residentsurvey.costshare import Consortium, CostModel, CouncilDemand, cost_statement
    >>> consortium = Consortium(CostModel(setup_pence=600_000, per_address_pence=100),
    ...                         (CouncilDemand("Big", 300_000, 3_000, 1_000), CouncilDemand("Small", 60_000, 3_000, 1_000)))
    >>> statement = cost_statement(consortium, methods=["equal", "population"])
    >>> statement[["method", "council", "total_pence", "stand_alone_pence", "in_core"]].to_dict("records")[2]
    {'method': 'population', 'council': 'Big', 'total_pence': 1000000, 'stand_alone_pence': 900000, 'in_core': False}
    """
    names = list(SHARING_METHODS) if methods is None else list(methods)
    if not names:
        raise CostShareError("methods is empty; name at least one sharing method.")
    tables = []
    for method in names:
        table = share_costs(consortium, method=method, samples=samples, seed=seed)
        table["pays_more_than_alone"] = table["total_pence"] > table["stand_alone_pence"]
        if len(consortium.councils) <= CORE_LIMIT:
            violations = core_check(consortium, table)
            table["in_core"] = violations.attrs["in_core"]
            table["worst_coalition"] = violations["coalition"].iloc[0] if len(violations) else ""
        else:
            table["in_core"] = pd.NA
            table["worst_coalition"] = pd.NA
        table["description"] = f"{table.attrs['basis']}: {table.attrs['description']}"
        tables.append(table)
    statement = pd.concat(tables, ignore_index=True)
    statement = statement[["method", *[c for c in statement.columns if c != "method"]]]
    statement.attrs.update(invoice_pence=tables[0].attrs["invoice_pence"], methods=names)
    return statement


def _wide(statement: pd.DataFrame) -> pd.DataFrame:
    """Councils down, methods across, in pounds: the summary sheet."""
    wide = statement.pivot(index="council", columns="method", values="total_pence") / 100
    wide = wide[[m for m in statement["method"].unique()]]
    wide.loc["Total"] = wide.sum()
    return wide


def write_statement(statement: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a :func:`cost_statement` as an Excel workbook, or as CSV when openpyxl is not installed.

    The workbook has three sheets: ``Shares`` (councils by method, in pounds), ``Detail`` (the
    statement, in pence) and ``Methods`` (how each method splits the shared costs, and whether
    its shares are in the core). Without openpyxl, or when ``path`` does not end in ``.xlsx``,
    the detail is written as CSV (to ``path`` with a ``.csv`` suffix).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    required = {"method", "council", "total_pence", "description", "in_core"}
    if not isinstance(statement, pd.DataFrame) or not required <= set(statement.columns):
        raise CostShareError("statement must be the table cost_statement() returns.")
    path = Path(path)
    if path.suffix.lower() == ".xlsx" and importlib.util.find_spec("openpyxl") is not None:
        methods = statement.drop_duplicates("method")[["method", "description", "in_core", "worst_coalition"]]
        with pd.ExcelWriter(path, engine="openpyxl") as book:
            _wide(statement).to_excel(book, sheet_name="Shares", float_format="%.2f")
            statement.to_excel(book, sheet_name="Detail", index=False)
            methods.to_excel(book, sheet_name="Methods", index=False)
        return path
    path = path.with_suffix(".csv")
    statement.to_csv(path, index=False)
    return path


def plot_statement(statement: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """Bar chart of each council's share under each method, in pounds, with its stand-alone cost marked.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if not isinstance(statement, pd.DataFrame) or not {"method", "council", "total_pence"} <= set(statement.columns):
        raise CostShareError("statement must be the table cost_statement() returns.")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    wide = statement.pivot(index="council", columns="method", values="total_pence") / 100
    councils = list(dict.fromkeys(statement["council"]))
    methods = list(dict.fromkeys(statement["method"]))
    wide = wide.loc[councils, methods]
    width = 0.8 / len(methods)
    x = np.arange(len(councils))
    for k, method in enumerate(methods):
        ax.bar(x + (k - (len(methods) - 1) / 2) * width, wide[method], width, label=method)
    alone = statement.drop_duplicates("council").set_index("council").loc[councils, "stand_alone_pence"] / 100
    ax.scatter(x, alone, marker="_", s=600, color="black", label="alone", zorder=3)
    ax.set_xticks(x, councils)
    ax.set_ylabel("share of the invoice (£)")
    ax.set_title(f"Cost shares: invoice £{statement.attrs.get('invoice_pence', 0) / 100:,.2f}")
    ax.legend(ncols=min(len(methods) + 1, 4), fontsize="small")
    return ax
