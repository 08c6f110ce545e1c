"""Means, totals, ratios and proportions for every domain at once, as tidy tables.

Each estimator is a ratio of weighted totals :math:`\\hat R = \\hat Y / \\hat X` (a total has
:math:`\\hat X = 1`). Its linearised score for respondent *i* in domain *d* is

.. math::  u_i = w_i \\, a_i \\, (y_i - \\hat R_d x_i) / \\hat X_d

with :math:`a_i = 1` when *i* is in the domain and has a value (R's ``na.rm=TRUE``), else 0.
The standard error is the design variance of :math:`\\sum u_i`
(:func:`residentsurvey.analysis.variance.domain_variance`), which is what R's ``svyby``,
``svymean``, ``svytotal``, ``svyratio`` and ``svyciprop`` compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DesignError
from ._columns import as_names, numeric_column, require_columns
from ._domains import Domains, make_domains
from ._engine import Ratio, VarianceEngine
from .intervals import MEAN_CI_METHODS, PROPORTION_CI_METHODS, IntervalInputs, check_level, lookup
from .calibrated import CalibratedLayout

if TYPE_CHECKING:
    from .design import SurveyDesign

@dataclass(frozen=True)
class _Context:
    """What one estimator call shares across its variables: domains, cell plan, weights, row counts."""

    design: "SurveyDesign"
    domains: Domains
    engine: VarianceEngine
    n_rows: np.ndarray

    @property
    def calibrated(self) -> CalibratedLayout | None:
        return self.engine.calibrated

    @property
    def w(self) -> np.ndarray:
        return self.design._weight_array

    def count(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` in each domain."""
        return np.bincount(self.domains.codes, weights=values, minlength=self.domains.count)

    def count_rows(self, mask: np.ndarray) -> np.ndarray:
        """Number of rows where ``mask`` holds, in each domain."""
        return np.bincount(self.domains.codes[mask], minlength=self.domains.count).astype(float)

    def spread(self, per_domain: np.ndarray) -> np.ndarray:
        """Each row's domain value."""
        return np.take(per_domain, self.domains.codes)

    def variance(self, scores: np.ndarray, base: np.ndarray | None, ratio: Ratio | None = None) -> np.ndarray:
        """Variance of each domain's statistic: from ``scores`` (Taylor) or by recomputing ``ratio`` per replicate.

        The design chooses the method (see :mod:`residentsurvey.analysis._engine`).
        """
        return self.engine.variance(scores, base, ratio)

    def degrees_of_freedom(self) -> np.ndarray:
        return self.engine.degrees_of_freedom()


def _context(design: "SurveyDesign", by: str | list[str] | None) -> _Context:
    """The domains and variance plan of ``by``, built once per design and ``by`` and then reused.

    They depend on the sampling structure, the calibration and the ``by`` columns only (not on
    the weights or the variables), so designs made by ``with_columns`` share them for every
    ``by`` whose columns they did not replace.
    """
    plans = getattr(design, "_plans", None)   # a ReplicateDesign keeps none: its engine holds its replicates
    key = tuple(as_names(by, "by"))
    shared = plans is not None and not design._added.intersection(key)
    cached = plans.get(key) if shared else None
    if cached is None:
        cached = _plan(design, by)
        if shared:
            plans[key] = cached
    return _Context(design, *cached)


def _plan(design: "SurveyDesign", by: str | list[str] | None) -> tuple[Domains, VarianceEngine, np.ndarray]:
    domains = make_domains(design.data, by)
    n_rows = np.bincount(domains.codes, minlength=domains.count).astype(float)
    return domains, design._variance_engine(domains), n_rows


@dataclass(frozen=True)
class _Parts:
    """One variable's ratio estimator in every domain: estimates, row scores and base sizes."""

    estimate: np.ndarray
    scores: np.ndarray
    base: np.ndarray
    wa: np.ndarray
    sum_w: np.ndarray
    n: np.ndarray
    n_obs: np.ndarray
    ratio: Ratio


def _ratio_parts(ctx: _Context, y: np.ndarray, x: np.ndarray | None) -> _Parts:
    """Estimate, score and base sizes of sum(w y)/sum(w x) per domain (x=None: a mean; see module notes).

    Written for speed: this runs once per variable over every respondent.
    """
    missing = np.isnan(y) if x is None else np.isnan(y) | np.isnan(x)
    wa = np.where(missing, 0.0, ctx.w)
    y0 = np.where(missing, 0.0, y)
    numerator = ctx.count(wa * y0)
    sum_w = ctx.count(wa)
    x0 = None if x is None else np.where(missing, 0.0, x)
    denominator = sum_w if x0 is None else ctx.count(wa * x0)
    defined = denominator != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(defined, 1.0 / denominator, 0.0)
    estimate = np.where(defined, numerator * inverse, np.nan)
    fitted = ctx.spread(np.where(defined, estimate, 0.0))
    if x0 is not None:
        fitted = fitted * x0
    scores = wa * (y0 - fitted) * ctx.spread(inverse)
    base = ~missing
    n = ctx.n_rows - ctx.count_rows(missing)
    n_obs = n - ctx.count_rows(base & (ctx.w == 0)) if ctx.design._has_zero_weights else n
    ratio = Ratio(y0, base if x0 is None else x0, scores, base)  # a mean's denominator: 1 in the base
    return _Parts(estimate, scores, base, wa, sum_w, n, n_obs, ratio)


def _srs_variance(ctx: _Context, y: np.ndarray, parts: _Parts, replace: bool) -> np.ndarray:
    """Variance of a mean under simple random sampling of the same size, as R's ``deff=TRUE``.

    s^2 is R's ``svyvar`` (weighted, times n/(n-1)); without replacement the factor is
    (N - n)/(N n) with N the sum of weights, with replacement 1/n.
    """
    n_obs, sum_w = parts.n_obs, parts.sum_w
    deviation = np.where(parts.base, y - ctx.spread(parts.estimate), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = ctx.count(parts.wa * deviation**2) / sum_w * n_obs / (n_obs - 1)
        return s2 / n_obs if replace else s2 * (sum_w - n_obs) / (sum_w * n_obs)


def _check_deff(deff: object) -> None:
    if not (isinstance(deff, (bool, np.bool_)) or deff == "replace"):
        raise DesignError(f"deff={deff!r} must be True, False or 'replace' (as R's deff= argument).")


def _numeric(design: "SurveyDesign", names: list[str], role: str) -> list[np.ndarray]:
    require_columns(design.data, names, role)
    return [numeric_column(design.data, name, role) for name in names]


def _table(ctx: _Context, blocks: list[dict[str, object]], attrs: dict[str, object]) -> pd.DataFrame:
    """Stack per-variable blocks (each one row per domain, or per domain and category) into one table.

    Every block has the same keys; a key's value is a scalar (repeated) or one value per row.
    """
    repeat = int(blocks[0].get("_repeat", 1))
    rows_per_block = ctx.domains.count * repeat
    positions = np.tile(np.repeat(np.arange(ctx.domains.count), repeat), len(blocks))
    columns: dict[str, object] = {
        name: labels.iloc[positions].reset_index(drop=True) for name, labels in ctx.domains.labels.items()
    }
    for key in blocks[0]:
        if key == "_repeat":
            continue
        parts = [np.broadcast_to(np.asarray(block[key], dtype=object if isinstance(block[key], str) else None),
                                 (rows_per_block,)) for block in blocks]
        columns[key] = np.concatenate(parts)
    table = pd.DataFrame(columns)
    table["n"] = table["n"].astype("int64")
    # a domain with nobody in the base has no estimate (not a total of zero with no error)
    empty = table["n"].to_numpy() == 0
    if empty.any():
        numbers = [c for c in ("estimate", "se", "ci_lower", "ci_upper", "deff") if c in table]
        table.loc[empty, numbers] = np.nan
    table.attrs.update(attrs)
    return table


def _intervals(method: str, registry: dict, estimate: np.ndarray, se: np.ndarray, level: float,
               df: np.ndarray | None = None, se_logit: np.ndarray | None = None,
               **sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Limits from the interval ``method`` of ``registry``; sizes the method does not need may be left out.

    ``se_logit``: the standard error of logit(estimate) where the design computes it directly
    (replicate weights); None uses the delta method.
    """
    function = lookup(registry, method)
    count = len(estimate)
    filler = np.full(count, np.nan)
    inputs = IntervalInputs(
        estimate=estimate, se=se, level=level,
        df=filler if df is None else df,
        n_rows=sizes.get("n_rows", filler), n_base=sizes.get("n_base", filler), n_kish=sizes.get("n_kish", filler),
        se_logit=se_logit,
    )
    return function(inputs)


def mean_or_total(design: "SurveyDesign", variables: str | list[str], *, by, ci_method: str, level: float,
                  deff: bool | str, statistic: str) -> pd.DataFrame:
    """Shared body of :meth:`SurveyDesign.mean` and :meth:`SurveyDesign.total`."""
    names = as_names(variables, "variables")
    if not names:
        raise DesignError("variables is empty; name at least one column to estimate.")
    level = check_level(level)
    lookup(MEAN_CI_METHODS, ci_method)
    _check_deff(deff)
    values = _numeric(design, names, "variable")
    ctx = _context(design, by)
    df = ctx.degrees_of_freedom() if ci_method == "t" else None
    blocks = []
    for name, y in zip(names, values):
        parts = _ratio_parts(ctx, y, None)
        if statistic == "mean":
            estimate, scores, ratio = parts.estimate, parts.scores, parts.ratio
        else:
            estimate = ctx.count(parts.wa * np.where(parts.base, y, 0.0))
            scores = parts.wa * np.where(parts.base, y, 0.0)
            ratio = Ratio(parts.ratio.numerator, None, scores, parts.base)
        se = np.sqrt(ctx.variance(scores, parts.base, ratio))
        lower, upper = _intervals(ci_method, MEAN_CI_METHODS, estimate, se, level, df)
        block: dict[str, object] = {
            "variable": name, "estimate": estimate, "se": se, "ci_lower": lower, "ci_upper": upper, "n": parts.n,
        }
        if deff:
            srs = _srs_variance(ctx, y, parts, deff == "replace")
            if statistic == "total":
                srs = srs * parts.sum_w ** 2
            with np.errstate(divide="ignore", invalid="ignore"):
                block["deff"] = se**2 / srs
        blocks.append(block)
    return _table(ctx, blocks, {"statistic": statistic, "level": level, "ci_method": ci_method, "by": list(ctx.domains.columns)})


def ratio(design: "SurveyDesign", numerator: str | list[str], denominator: str, *, by, ci_method: str,
          level: float) -> pd.DataFrame:
    """Body of :meth:`SurveyDesign.ratio`."""
    names = as_names(numerator, "numerator")
    level = check_level(level)
    lookup(MEAN_CI_METHODS, ci_method)
    values = _numeric(design, names, "numerator")
    (x,) = _numeric(design, [denominator], "denominator")
    ctx = _context(design, by)
    df = ctx.degrees_of_freedom() if ci_method == "t" else None
    blocks = []
    for name, y in zip(names, values):
        parts = _ratio_parts(ctx, y, x)
        se = np.sqrt(ctx.variance(parts.scores, parts.base, parts.ratio))
        lower, upper = _intervals(ci_method, MEAN_CI_METHODS, parts.estimate, se, level, df)
        blocks.append({
            "numerator": name, "denominator": denominator, "variable": f"{name}/{denominator}",
            "estimate": parts.estimate, "se": se, "ci_lower": lower, "ci_upper": upper, "n": parts.n,
        })
    return _table(ctx, blocks, {"statistic": "ratio", "level": level, "ci_method": ci_method, "by": list(ctx.domains.columns)})


def _categories(column: pd.Series) -> pd.Index:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.categories
    return pd.Index(pd.unique(column.dropna())).sort_values()


def proportion(design: "SurveyDesign", variable: str, *, by, ci_method: str, level: float,
               deff: bool | str) -> pd.DataFrame:
    """Body of :meth:`SurveyDesign.proportion`."""
    if not isinstance(variable, str):
        raise DesignError(f"proportion() takes one column name; got {variable!r}. Call it once per variable.")
    require_columns(design.data, [variable], "variable")
    level = check_level(level)
    lookup(PROPORTION_CI_METHODS, ci_method)
    _check_deff(deff)
    column = design.data[variable]
    categories = _categories(column)
    if len(categories) == 0:
        raise DesignError(f"variable {variable!r} has no non-missing values, so it has no categories to estimate.")
    ctx = _context(design, by)
    present = column.notna().to_numpy()
    codes = pd.Categorical(column, categories=categories).codes if not isinstance(
        column.dtype, pd.CategoricalDtype) else column.cat.codes.to_numpy()
    G, K = ctx.domains.count, len(categories)
    df = ctx.degrees_of_freedom()
    # R's svyciprop("beta") counts the domain's rows, or every row of a calibrated design (which R subsets
    # by zeroing weights rather than dropping rows)
    n_rows = np.full(G, float(design.n)) if ctx.calibrated is not None else ctx.n_rows
    w_base = np.where(present, ctx.w, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_kish = ctx.count(w_base) ** 2 / ctx.count(w_base**2)
    columns: dict[str, list[np.ndarray]] = {k: [] for k in ("estimate", "se", "ci_lower", "ci_upper", "n", "deff")}
    for k in range(K):
        indicator = np.where(present, (codes == k).astype(float), np.nan)
        parts = _ratio_parts(ctx, indicator, None)
        se = np.sqrt(ctx.variance(parts.scores, parts.base, parts.ratio))
        se_logit = ctx.engine.link_se(parts.ratio, parts.estimate, "logit") if ci_method == "logit" else None
        lower, upper = _intervals(ci_method, PROPORTION_CI_METHODS, parts.estimate, se, level, df,
                                  n_rows=n_rows, n_base=parts.n_obs, n_kish=n_kish, se_logit=se_logit)
        columns["estimate"].append(parts.estimate)
        columns["se"].append(se)
        columns["ci_lower"].append(lower)
        columns["ci_upper"].append(upper)
        columns["n"].append(parts.n)
        if deff:
            with np.errstate(divide="ignore", invalid="ignore"):
                columns["deff"].append(se**2 / _srs_variance(ctx, indicator, parts, deff == "replace"))
    # one row per domain and category: domain-major, categories in their order
    block: dict[str, object] = {"_repeat": K, "variable": variable,
                                "category": np.tile(np.asarray(categories, dtype=object), G)}
    for key, parts_list in columns.items():
        if parts_list:
            block[key] = np.column_stack(parts_list).reshape(-1)
    table = _table(ctx, [block], {"statistic": "proportion", "level": level, "ci_method": ci_method,
                                  "by": list(ctx.domains.columns)})
    if isinstance(column.dtype, pd.CategoricalDtype):
        table["category"] = pd.Categorical(table["category"], categories=categories, ordered=column.cat.ordered)
    return table
