"""Key-driver analysis: what share of an outcome's explained variance each driver accounts for, by area.

For each area (council) and the consortium overall, from the *weighted covariance matrix* of the
outcome and drivers (sufficient statistics, one pass of ``np.bincount`` over respondents), never
by refitting on rows: every subset's R² by the sweep operator, then LMG/Shapley shares or
Johnson's relative weights (:mod:`residentsurvey.models._importance`). Weighted R² is that of
``lm(..., weights=w)``.

Intervals for importance come from the design's own delete-one-PSU jackknife (JKn): replicate
*r* drops first-stage PSU *j* of stratum *h* and scales the other PSUs of *h* by
:math:`n_h/(n_h-1)`; each replicate's statistics are the full ones minus and plus PSU and
stratum sums, so no respondent is touched again, and

.. math::  v(\\hat I) = \\sum_h (1-f_h)\\frac{n_h-1}{n_h}\\sum_{j \\in h} (\\hat I_{(hj)} - \\hat I)^2 .

The jackknife keeps the weights of a calibrated design fixed (it does not re-calibrate each
replicate), and strata with one PSU add nothing. Rank intervals of the drivers within an area
simulate the importances as independent normals with these standard errors. Importance is a part
of R² and cannot be negative, so a lower limit below zero is reported as zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis._columns import as_names, numeric_column, require_columns
from ..analysis._domains import make_domains
from ..analysis._pairs import pair_codes
from ..analysis.intervals import check_level
from ..errors import ModelError, ModelWarning, OptionError
from . import _importance

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign

#: Importance measures of :func:`key_drivers`.
KEY_DRIVER_METHODS: dict[str, str] = {
    "shapley": "LMG / Shapley value: each driver's average gain in R² over all orders of entry",
    "relative_weights": "Johnson's relative weights: R² split through orthogonalised drivers",
}

_COLUMNS = ["driver", "importance", "share", "importance_se", "importance_lower", "importance_upper", "rank",
            "rank_lower", "rank_upper", "beta", "performance", "performance_se", "performance_lower",
            "performance_upper", "r2", "n"]


@dataclass(frozen=True)
class KeyDrivers:
    """Key-driver results: the tidy ``table`` and what produced it.

    ``table`` has one row per area and driver: the ``by`` column(s) (the consortium as
    ``overall_label``), ``driver``, ``importance`` (its part of R²; an area's importances add up to
    its ``r2``), ``share`` (importance / R²), ``importance_se``, ``importance_lower``,
    ``importance_upper``, ``rank`` (1 = most important) with ``rank_lower`` and ``rank_upper``,
    ``beta`` (standardised coefficient of the full model), ``performance`` (the driver's own weighted
    mean, e.g. the share satisfied with the service, over everyone who answered it) with its
    design-based ``performance_se`` and limits, ``r2`` and ``n`` (respondents with the outcome and
    every driver).
    """

    table: pd.DataFrame
    outcome: str
    drivers: tuple[str, ...]
    by: tuple[str, ...]
    method: str
    level: float
    excluded: dict[str, int]
    interval_method: str

    def _repr_html_(self) -> str:
        return (f"<p>Key drivers of {self.outcome} ({KEY_DRIVER_METHODS[self.method]}); intervals: "
                f"{self.interval_method}; left out: {self.excluded or 'none'}</p>"
                + self.table.to_html(index=False, float_format=lambda v: f"{v:.3g}"))


def _moments(z: np.ndarray, w: np.ndarray, code: np.ndarray, count: int) -> np.ndarray:
    """Weighted sums (count, q+1, q+1) of [1, z] [1, z]^T per code: sum w, sum w z, sum w z z^T.

    For each column a, a sparse (codes x rows) matrix holding :math:`w_i z_{ia}` times the columns
    from a on: one pass over the respondents per column, in compiled code.
    """
    from scipy import sparse

    n = len(z)
    order = np.argsort(code, kind="stable")  # rows by code: the CSR layout without a sort per column
    full = np.concatenate([np.ones((n, 1)), z[order]], axis=1)
    ws = w[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=count))])
    rows = np.arange(n)
    q = full.shape[1]
    out = np.empty((count, q, q))
    for a in range(q):  # loops over variables, not respondents
        groups = sparse.csr_matrix((ws * full[:, a], rows, indptr), shape=(count, n))
        block = groups @ full[:, a:]
        out[:, a, a:] = block
        out[:, a:, a] = block
    return out


def _covariance(moments: np.ndarray) -> np.ndarray:
    total = moments[:, 0, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = moments[:, 0, 1:] / total[:, None]
        return moments[:, 1:, 1:] / total[:, None, None] - mean[:, :, None] * mean[:, None, :]


def _measure(moments: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                              np.ndarray]:
    """(importance, r2, beta, constant drivers, degenerate drivers) for a batch of moment matrices."""
    cov = _covariance(moments)
    # drivers first, outcome last (the sweep leaves the outcome's residual in the last entry)
    order = list(range(1, cov.shape[1])) + [0]
    cov = cov[:, order][:, :, order]
    corr, constant = _importance.correlation(np.nan_to_num(cov))
    p = corr.shape[1] - 1
    if method == "shapley":
        r2_all, degenerate = _importance.subset_r2(corr)
        r2 = r2_all[-1]
        importance = _importance.shapley(r2_all, p)
    else:  # relative weights add up to R² by construction; no subsets needed
        importance = _importance.relative_weights(corr)
        r2 = importance.sum(axis=1)
        degenerate = np.zeros(importance.shape, dtype=bool)
    beta = _importance.standardised_coefficients(corr)
    return importance, r2, beta, constant[:, :p], degenerate & ~constant[:, :p]


def _jackknife(design: "SurveyDesign", z: np.ndarray, w: np.ndarray, area: np.ndarray, n_areas: int,
               moments: np.ndarray, importance: np.ndarray, method: str) -> np.ndarray:
    """Delete-one-PSU jackknife variance of the importances, (areas + 1, p) with the overall last."""
    stage = design._structure.first
    rows = np.flatnonzero(np.isfinite(area))
    psu, stratum = stage.unit_codes[rows], stage.stratum[rows]
    a = area[rows].astype(np.int64)
    n_psu = len(stage.unit_stratum)
    # areas + 1 "area" codes: every row also belongs to the overall (code n_areas)
    psu_area, n_pa, pa_psu, pa_area = pair_codes(psu, n_psu, a, n_areas)
    st_area, n_sa, sa_stratum, sa_area = pair_codes(stratum, stage.n_strata, a, n_areas)
    t_pa = _moments(z[rows], w[rows], psu_area, n_pa)
    t_sa = _moments(z[rows], w[rows], st_area, n_sa)
    t_psu = _moments(z[rows], w[rows], psu, n_psu)
    t_st = _moments(z[rows], w[rows], stratum, stage.n_strata)
    n_h = stage.n_units.astype(float)
    f_h = np.where(np.isfinite(stage.popsize), n_h / stage.popsize, 0.0)
    multiplier = np.where(n_h > 1, (1 - f_h) * (n_h - 1) / n_h, 0.0)
    # the (stratum, area) pair of each (psu, area) pair, by sorted keys
    sa_key = sa_stratum.astype(np.int64) * n_areas + sa_area
    order = np.argsort(sa_key)
    pa_key = stage.unit_stratum[pa_psu].astype(np.int64) * n_areas + pa_area
    pa_sa = order[np.searchsorted(sa_key[order], pa_key)]
    h_pa = stage.unit_stratum[pa_psu]
    scale = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    # replicates for PSUs present in an area
    rep = [moments[pa_area] - t_sa[pa_sa] + scale[h_pa][:, None, None] * (t_sa[pa_sa] - t_pa)]
    rep_area, rep_weight = [pa_area], [multiplier[h_pa]]
    # PSUs of a stratum absent from an area the stratum reaches: one replicate, counted (n_h - present) times
    present = np.bincount(pa_sa, minlength=n_sa)
    absent = n_h[sa_stratum] - present
    keep = (absent > 0) & (n_h[sa_stratum] > 1)
    if keep.any():
        rep.append(moments[sa_area[keep]] + (scale[sa_stratum[keep]] - 1)[:, None, None] * t_sa[keep])
        rep_area.append(sa_area[keep])
        rep_weight.append(multiplier[sa_stratum[keep]] * absent[keep])
    # the overall: one replicate per PSU
    overall = moments[:n_areas].sum(axis=0)
    h = stage.unit_stratum
    rep.append(overall[None] - t_st[h] + scale[h][:, None, None] * (t_st[h] - t_psu))
    rep_area.append(np.full(n_psu, n_areas))
    rep_weight.append(multiplier[h])
    replicates = np.concatenate(rep)
    where = np.concatenate(rep_area)
    weight = np.concatenate(rep_weight)
    live = weight > 0
    replicates, where, weight = replicates[live], where[live], weight[live]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rep_importance = _measure(replicates, method)[0]
    deviation = (rep_importance - importance[where]) ** 2 * weight[:, None]
    p = importance.shape[1]
    return np.stack([np.bincount(where, weights=deviation[:, j], minlength=n_areas + 1) for j in range(p)], axis=1)


def _rank_intervals(importance: np.ndarray, se: np.ndarray, level: float, draws: int = 1000,
                    seed: int = 2026) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ranks (1 = most important) and simulated rank intervals within each area, all areas at once."""
    rank = (importance[:, None, :] > importance[:, :, None]).sum(axis=2) + 1
    rng = np.random.default_rng(seed)
    p = importance.shape[1]
    below = np.zeros((p,) + importance.shape)  # below[r-1]: share of draws with rank <= r
    for _ in range(0, draws, 100):  # batches of draws bound the memory
        sims = importance[None] + np.nan_to_num(se)[None] * rng.standard_normal((100, *importance.shape))
        ranks = (sims[:, :, None, :] > sims[:, :, :, None]).sum(axis=3) + 1
        below += (ranks[None] <= np.arange(1, p + 1)[:, None, None, None]).sum(axis=1)
    below /= draws
    alpha = (1 - level) / 2
    lower = (below < alpha).sum(axis=0) + 1          # smallest r with P(rank <= r) >= alpha
    upper = (below < 1 - alpha).sum(axis=0) + 1      # smallest r with P(rank <= r) >= 1 - alpha
    return rank, np.minimum(lower, rank), np.maximum(np.minimum(upper, p), rank)


def key_drivers(design: "SurveyDesign", outcome: str, drivers: Sequence[str], *, by: str | Sequence[str] | None =
                "council", method: str = "shapley", level: float = 0.95, intervals: bool = True,
                overall_label: str = "All") -> KeyDrivers:
    """What drives an outcome, by area: each driver's share of explained variance, with intervals.

    Parameters
    ----------
    design
        A :class:`~residentsurvey.SurveyDesign` (its weights are used; calibrated weights stay fixed).
    outcome
        Numeric outcome column (e.g. satisfaction with the local area, 1-5, or 0/1 satisfied).
    drivers
        Numeric driver columns (ratings of services, perceptions; 0/1 for "satisfied").
    by
        Area column(s) (default ``"council"``), or None for the whole sample only.
    method
        ``"shapley"`` (LMG, as R's ``relaimpo::calc.relimp(type="lmg")``) or ``"relative_weights"``
        (Johnson 2000): see :data:`KEY_DRIVER_METHODS`.
    level
        Confidence level of the intervals.
    intervals
        Compute jackknife standard errors, intervals and rank intervals (the point estimates alone are
        faster).
    overall_label
        Value shown in the ``by`` column(s) for the consortium as a whole.

    Returns
    -------
    KeyDrivers
        ``.table`` (see :class:`KeyDrivers`), plus the outcome, drivers, method, level and the
        respondents left out (missing the outcome or a driver) in ``.excluded``.

    Notes
    -----
    Respondents missing the outcome or any driver are left out of that area's importances (and
    counted); ``performance`` uses everyone who answered the driver. A driver that is constant in
    an area, or collinear with others there, gets no importance in that area (its gain is zero)
    and a :class:`~residentsurvey.ModelWarning` names it and the area. Agrees with R: the LMG shares
    of ``mpg ~ am + vs + cyl`` on ``mtcars`` (0.1774892, 0.2027032, 0.3817849; R² 0.7619773) and
    weighted LMG equal to LMG of ``lm(..., weights=w)`` (``tests/data/r/make_models_reference.R``).

    Examples
    --------
    >>> import residentsurvey as rs
    >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    >>> kd = rs.key_drivers(design, "ons_life_satisfaction", ["ons_happy", "ons_worthwhile"], by="council")
    >>> table = kd.table
    >>> bool(((table.groupby("council")["importance"].sum() - table.groupby("council")["r2"].first()).abs() < 1e-12).all())
    True
    """
    if method not in KEY_DRIVER_METHODS:
        raise OptionError.unknown("method", method, KEY_DRIVER_METHODS)
    if hasattr(design, "_replicates") and intervals:
        raise ModelError("key_drivers() intervals from replicate weights are not available yet: give the Taylor "
                         "design (SurveyDesign), whose own delete-one-PSU jackknife gives the intervals, or "
                         "intervals=False.")
    level = check_level(level)
    names = as_names(drivers, "drivers")
    if not names:
        raise ModelError("drivers is empty; name at least one driver column.")
    if outcome in names:
        raise ModelError(f"the outcome {outcome!r} is also listed as a driver; a driver cannot explain itself.")
    if len(names) > 20:
        raise ModelError(f"{len(names)} drivers: Shapley importance needs 2^p subsets; use at most 20 drivers "
                         "(group related items into indices first).")
    require_columns(design.data, [outcome, *names], "variable")
    columns = [numeric_column(design.data, name, "variable") for name in [outcome, *names]]
    z = np.column_stack(columns)
    w = design._weight_array
    complete = ~np.isnan(z).any(axis=1)
    domains = make_domains(design.data, by)
    count = domains.count
    use = complete & (w > 0)
    code = np.where(use, domains.codes, count)  # left-out rows go to a spare code
    z0 = np.where(np.isnan(z), 0.0, z)
    moments = _moments(z0, np.where(use, w, 0.0), code, count + 1)[:count]
    has_by = bool(domains.columns)
    if has_by:  # the consortium overall, as one more area (its sums are the areas' sums)
        moments = np.concatenate([moments, moments.sum(axis=0, keepdims=True)])
    importance, r2, beta, constant, degenerate = _measure(moments, method)
    n = np.bincount(domains.codes[use], minlength=count)
    n = np.append(n, use.sum()) if has_by else n
    labels = _labels(domains, overall_label)
    _warn(labels, names, constant, degenerate, n)
    if intervals:
        area = np.where(use, domains.codes, np.nan).astype(float)
        full = moments if has_by else np.concatenate([moments, moments])
        var = _jackknife(design, z0, np.where(use, w, 0.0), area, count, full,
                         importance if has_by else np.concatenate([importance, importance]), method)
        se = np.sqrt(var if has_by else var[:1])
        interval_method = "delete-one-PSU jackknife (JKn) from the design" + (
            ", calibrated weights held fixed" if design.calibration is not None else "")
    else:
        se = np.full_like(importance, np.nan)
        interval_method = "none (intervals=False)"
    from scipy import stats

    q = stats.norm.ppf(0.5 + level / 2)
    if intervals:
        rank, rank_lower, rank_upper = _rank_intervals(importance, se, level)
    else:
        rank = (importance[:, None, :] > importance[:, :, None]).sum(axis=2) + 1
        rank_lower = rank_upper = np.full(rank.shape, np.nan)
    perf = _performance(design, names, by, level)
    p = len(names)
    table = labels.loc[labels.index.repeat(p)].reset_index(drop=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = importance / r2[:, None]
    body = pd.DataFrame({
        "driver": np.tile(np.array(names, dtype=object), len(labels)),
        "importance": importance.ravel(), "share": share.ravel(), "importance_se": se.ravel(),
        "importance_lower": np.maximum(importance - q * se, 0.0).ravel(),
        "importance_upper": (importance + q * se).ravel(),
        "rank": rank.ravel(), "rank_lower": rank_lower.ravel(), "rank_upper": rank_upper.ravel(),
        "beta": beta.ravel(),
        "performance": perf[0].ravel(), "performance_se": perf[1].ravel(),
        "performance_lower": perf[2].ravel(), "performance_upper": perf[3].ravel(),
        "r2": np.repeat(r2, p), "n": np.repeat(n, p).astype("int64"),
    })
    for column in ("rank_lower", "rank_upper"):
        body[column] = pd.array(np.where(np.isnan(body[column].to_numpy(dtype=float)), None,
                                         body[column].to_numpy(dtype=float)), dtype="Int64")
    table = pd.concat([table, body], axis=1)
    excluded = {"missing the outcome or a driver": int((~complete).sum()), "zero weight": int((complete & (w == 0)).sum())}
    return KeyDrivers(table, outcome, tuple(names), domains.columns, method, level,
                      {k: v for k, v in excluded.items() if v}, interval_method)


def _labels(domains, overall_label: str) -> pd.DataFrame:
    """One label row per area, the overall last (no by: one row and no columns)."""
    if not domains.columns:
        return pd.DataFrame(index=range(1))
    overall = pd.DataFrame({c: [overall_label] for c in domains.columns})
    return pd.concat([domains.labels.astype(object), overall], ignore_index=True)


def _performance(design: "SurveyDesign", names: list[str], by, level: float) -> tuple[np.ndarray, ...]:
    """Each driver's weighted mean (design-based SE and limits) per area, and overall (last row)."""
    parts = []
    for group in ([by, None] if as_names(by, "by") else [None]):
        table = design.mean(names, by=group, level=level)
        count = len(table) // len(names)
        parts.append(np.stack([table[c].to_numpy(dtype=float).reshape(len(names), count).T
                               for c in ("estimate", "se", "ci_lower", "ci_upper")]))
    stacked = np.concatenate(parts, axis=1)
    return tuple(stacked)


def _warn(labels: pd.DataFrame, names: list[str], constant: np.ndarray, degenerate: np.ndarray,
          n: np.ndarray) -> None:
    def area(i: int) -> str:
        if labels.shape[1] == 0:
            return "the whole sample"
        return ", ".join(f"{c}={labels.iloc[i][c]}" for c in labels.columns)

    for flags, what in ((constant, "is constant"), (degenerate, "is collinear with other drivers")):
        hits = np.argwhere(flags & (n[:, None] > 0))
        if len(hits):
            shown = "; ".join(f"{names[j]!r} in {area(i)}" for i, j in hits[:5])
            more = f" and {len(hits) - 5} more" if len(hits) > 5 else ""
            warnings.warn(f"driver {what} within its area, so it gets no importance there: {shown}{more}. "
                          "Drop or combine the driver, or analyse a larger area.", ModelWarning, stacklevel=3)
    empty = np.flatnonzero(n == 0)
    if len(empty):
        warnings.warn(f"no respondent has the outcome and every driver in {area(int(empty[0]))}"
                      f"{' and ' + str(len(empty) - 1) + ' more areas' if len(empty) > 1 else ''}; "
                      "its importances are missing.", ModelWarning, stacklevel=3)
