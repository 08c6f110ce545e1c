"""Calibration of weights to population targets: raking, linear (GREG) and bounded logit.

Calibrated weights :math:`w_i = d_i \\, F(m_i^\\top \\lambda_c)` meet every target
:math:`\\sum_{i \\in c} w_i m_i = t_c` of their group *c* (Deville and Särndal 1992). λ is found
by Newton's method for all groups at once (per-group Gram matrices from ``np.bincount``, solved
as a stack with the Moore-Penrose inverse, as R's ``grake``); raking to categorical margins
without bounds uses iterative proportional fitting, which reaches the same weights.
Convergence means every target is met to ``tol`` relative; anything else is an error naming the
group, variable and category, never a silent stop.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import CalibrationError, NegativeWeightWarning
from ._model import Model, Term
from .calfun import lookup_method
from .targets import POPULATION, CalibrationTargets, calibration_targets


@dataclass(frozen=True)
class CalibrationRecord:
    """What a calibration did, kept by the calibrated design for its variance and its report.

    ``model`` holds the calibration variables as codes, ``base_weights`` the weights before
    calibration (d) and ``weights`` after (w = g d).
    """

    method: str
    targets: CalibrationTargets
    bounds: tuple[float, float] | None
    model: Model
    base_weights: np.ndarray
    weights: np.ndarray
    iterations: int
    max_error: float
    trimming: dict | None = None

    @property
    def ratios(self) -> np.ndarray:
        """g = w / d (1 where d is 0)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.base_weights > 0, self.weights / self.base_weights, 1.0)

    @property
    def negative_weights(self) -> np.ndarray:
        """How many calibrated weights are negative in each calibration group (in the order of ``targets.groups``)."""
        return np.bincount(self.model.group, weights=self.weights < 0, minlength=self.model.n_groups).astype(np.int64)

    @property
    def zero_weights(self) -> np.ndarray:
        """How many weights are zero after calibration in each group: those respondents are in no estimate's base."""
        return np.bincount(self.model.group, weights=self.weights == 0, minlength=self.model.n_groups).astype(np.int64)


def build_model(data: pd.DataFrame, targets: CalibrationTargets) -> Model:
    """Match the data to the targets: group codes per row and one term per margin, with errors naming the culprit."""
    for name in targets.by:
        if name not in data.columns:
            raise CalibrationError(f"by column {name!r} of the targets is not in the data.")
    if targets.by:
        keys = data[list(targets.by)].astype(object).reset_index(drop=True)
        groups = targets.groups.astype(object).assign(_group=np.arange(len(targets.groups)))
        matched = keys.merge(groups, on=list(targets.by), how="left")["_group"]
        if matched.isna().any():
            row = int(np.flatnonzero(matched.isna().to_numpy())[0])
            values = ", ".join(f"{k}={v!r}" for k, v in keys.iloc[row].items())
            n_bad = int((keys == keys.iloc[row]).all(axis=1).sum())
            raise CalibrationError(
                f"{n_bad} respondent(s) have {values} (first at row {row}), which has no targets. "
                "Add targets for that group, or correct the respondents' value."
            )
        codes = matched.to_numpy(dtype=np.int64)
    else:
        codes = np.zeros(len(data), dtype=np.int64)
    n_groups = len(targets.groups)
    terms = []
    for margin, offset in zip(targets.margins, targets.offsets):
        if margin.variable == POPULATION:
            terms.append(Term(int(offset), 1, values=np.ones(len(data))))
            continue
        column = _column(data, margin.variable)
        missing = column.isna().to_numpy()
        if missing.any():
            where = _where(targets, codes, np.flatnonzero(missing)[0])
            raise CalibrationError(
                f"{int(missing.sum())} respondent(s) have no value for calibration variable {margin.variable!r} "
                f"(first in {where}, row {int(np.flatnonzero(missing)[0])}). Impute it, or calibrate without that "
                "variable: calibration cannot weight a respondent whose category is unknown."
            )
        if margin.categories is None:
            values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
            if np.isnan(values).any():
                raise CalibrationError(f"calibration variable {margin.variable!r} has a numeric total but non-numeric values.")
            terms.append(Term(int(offset), 1, values=values))
        else:
            level = pd.Index(margin.categories).get_indexer(column.astype(object))
            if (level < 0).any():
                row = int(np.flatnonzero(level < 0)[0])
                raise CalibrationError(
                    f"{int((level < 0).sum())} respondent(s) have {margin.variable}={column.iloc[row]!r} "
                    f"(first in {_where(targets, codes, row)}, row {row}) but the targets have no such category "
                    f"(they have {list(margin.categories)}). Add the category to the targets or recode the respondents."
                )
            terms.append(Term(int(offset), margin.width, codes=level.astype(np.int64)))
    return Model(tuple(terms), codes, n_groups, targets.totals.shape[1])


def _column(data: pd.DataFrame, variable: str) -> pd.Series:
    """A calibration variable: a column, or an interaction ``"a:b"`` of columns labelled "value_a:value_b"."""
    if variable in data.columns:
        return data[variable]
    parts = variable.split(":")
    if len(parts) > 1 and all(part in data.columns for part in parts):
        combined = data[parts[0]].astype(object).astype(str)
        for part in parts[1:]:
            combined = combined + ":" + data[part].astype(object).astype(str)
        missing = data[parts].isna().any(axis=1)
        return combined.mask(missing)
    raise CalibrationError(
        f"targets name variable {variable!r}, which is not a column of the data"
        + (" (nor an interaction of columns)" if ":" in variable else "") + "."
    )


def _where(targets: CalibrationTargets, codes: np.ndarray, row: int) -> str:
    return targets.group_name(int(codes[row]))


def _column_name(targets: CalibrationTargets, column: int) -> str:
    k = int(np.searchsorted(targets.offsets, column, side="right") - 1)
    margin = targets.margins[k]
    if margin.categories is None:
        return f"variable {margin.variable!r} (total)"
    return f"variable {margin.variable!r}, category {margin.categories[column - targets.offsets[k]]!r}"


def _check_reachable(model: Model, targets: CalibrationTargets, d: np.ndarray) -> None:
    """A positive target needs respondents (with positive weight) in its cell."""
    present = model.totals((d > 0).astype(float))
    impossible = (present == 0) & (targets.totals > 0)
    if impossible.any():
        group, column = np.argwhere(impossible)[0]
        raise CalibrationError(
            f"{targets.group_name(int(group))}: the target for {_column_name(targets, int(column))} is "
            f"{targets.totals[group, column]:,.6g} but no respondent is in that category, so no weighting can meet it. "
            "Merge the category with a neighbouring one (in the targets and the data), or drop that margin."
        )


def _errors(model: Model, targets: CalibrationTargets, w: np.ndarray) -> np.ndarray:
    achieved = model.totals(w)
    return np.abs(achieved - targets.totals) / np.maximum(np.abs(targets.totals), 1.0)


def _start(model: Model, targets: CalibrationTargets, d: np.ndarray, method: str,
           lower: float, upper: float) -> np.ndarray:
    """λ that scales each group's weights to its population (when a categorical margin gives it).

    Newton's method from λ = 0 can overshoot badly when the targets are many times the weights'
    totals (R's grake rescales the weights for the same reason); starting at the right scale avoids it.
    """
    lam = np.zeros((model.n_groups, model.n_columns))
    first = next((t for t in model.terms if t.codes is not None), None)
    if first is None:
        return lam
    population = targets.totals[:, first.offset:first.offset + first.width].sum(axis=1)
    current = np.bincount(model.group, weights=d, minlength=model.n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.clip(np.where(current > 0, population / current, 1.0), lower * (1 + 1e-9), upper * (1 - 1e-9))
    if method == "raking":
        u = np.log(scale)
    elif method == "linear":
        u = scale - 1
    else:  # logit: invert g(u) = scale
        a = (upper - lower) / ((upper - 1) * (1 - lower))
        u = np.log((scale - lower) * (upper - 1) / ((upper - scale) * (1 - lower))) / a
    lam[:, first.offset:first.offset + first.width] = u[:, None]
    return lam


def _newton(model: Model, targets: CalibrationTargets, d: np.ndarray, method: str,
            bounds: tuple[float, float] | None, max_iter: int, tol: float) -> tuple[np.ndarray, int]:
    calfun, lower, upper = lookup_method(method, bounds)
    scale = np.maximum(np.abs(targets.totals), 1.0)

    def misfit_of(lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = model.predict(lam)
        return u, targets.totals - model.totals(d * calfun.g(u, lower, upper))

    lam = _start(model, targets, d, method, lower, upper)
    u, misfit = misfit_of(lam)
    for iteration in range(1, max_iter + 1):
        size = np.abs(misfit) / scale
        if np.all(size <= tol):
            return d * calfun.g(u, lower, upper), iteration - 1
        gram = model.gram(d * calfun.dg(u, lower, upper))
        step = (np.linalg.pinv(gram, rcond=1e-12, hermitian=True) @ misfit[:, :, None])[:, :, 0]
        # backtrack (per group) while the step makes the group's largest misfit worse or the weights infinite
        worst = size.max(axis=1)
        for _ in range(40):
            trial_u, trial_misfit = misfit_of(lam + step)
            trial_worst = np.abs(trial_misfit / scale).max(axis=1)
            bad = ~np.isfinite(trial_worst) | (trial_worst > worst * (1 + 1e-12) + tol)
            if not bad.any():
                break
            step[bad] /= 2
        lam = lam + step
        u, misfit = trial_u, trial_misfit
    w = d * calfun.g(u, lower, upper)
    _fail(model, targets, w, method, bounds, max_iter, tol)
    raise AssertionError("unreachable")  # pragma: no cover


def _ipf(model: Model, targets: CalibrationTargets, d: np.ndarray, max_iter: int, tol: float) -> tuple[np.ndarray, int]:
    """Raking by iterated post-stratification to each categorical margin in turn."""
    w = d.copy()
    keys = [model.group * t.width + t.codes for t in model.terms]
    wanted = [targets.totals[:, t.offset:t.offset + t.width].reshape(-1) for t in model.terms]
    for iteration in range(1, max_iter + 1):
        for key, target in zip(keys, wanted):
            achieved = np.bincount(key, weights=w, minlength=len(target))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(achieved > 0, target / achieved, 1.0)
            w = w * factor[key]
        if _errors(model, targets, w).max() <= tol:
            return w, iteration
    _fail(model, targets, w, "raking", None, max_iter, tol)
    raise AssertionError("unreachable")  # pragma: no cover


def _fail(model: Model, targets: CalibrationTargets, w: np.ndarray, method: str,
          bounds: tuple[float, float] | None, max_iter: int, tol: float) -> None:
    errors = np.where(np.isfinite(w).all(), _errors(model, targets, w), np.inf)
    group, column = np.unravel_index(int(np.nanargmax(errors)), errors.shape)
    hint = (f"The bounds {bounds} may be too tight for these targets: widen them" if bounds is not None
            else f"Raise max_iter (now {max_iter}), or merge sparse categories")
    raise CalibrationError(
        f"{method} calibration did not converge in {max_iter} iterations: {targets.group_name(int(group))}, "
        f"{_column_name(targets, int(column))} is still {errors[group, column]:.3g} (relative) from its target "
        f"{targets.totals[group, column]:,.6g} (tolerance {tol:g}). {hint}."
    )


def calibrate_weights(
    data: pd.DataFrame,
    targets: pd.DataFrame | CalibrationTargets,
    *,
    weights: str | np.ndarray | pd.Series | None = None,
    method: str = "raking",
    by: str | list[str] | None = None,
    bounds: tuple[float, float] | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> pd.Series:
    """Calibrated weights for ``data``, meeting every target of its group.

    Parameters
    ----------
    data
        One row per respondent, with the calibration variables and the ``by`` column(s).
    targets
        Tidy table (``by`` columns, ``variable``, ``category``, ``total``), see
        :func:`residentsurvey.calibration_targets`.
    weights
        Starting weights: a column name or values (design or nonresponse-adjusted weights).
        None: all 1.
    method
        ``"raking"`` (default), ``"linear"`` (GREG) or ``"logit"``; see ``CALIBRATION_METHODS``.
    by
        Column(s) whose groups are calibrated separately to their own targets, e.g. ``"council"``.
    bounds
        (lower, upper) on the ratio of calibrated to starting weights.
    max_iter, tol
        Iteration limit and relative tolerance on every target.

    Returns
    -------
    pandas.Series
        The calibrated weights, aligned with ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"sex": ["F", "F", "M"], "age": ["young", "old", "old"]})
    >>> targets = pd.DataFrame({"variable": ["sex", "sex", "age", "age"], "category": ["F", "M", "young", "old"],
    ...                         "total": [60.0, 40.0, 30.0, 70.0]})
    >>> calibrate_weights(data, targets).round(6).tolist()
    [30.0, 30.0, 40.0]
    """
    return pd.Series(
        calibration_record(data, targets, weights=weights, method=method, by=by, bounds=bounds,
                           max_iter=max_iter, tol=tol).weights,
        index=data.index, name="calibrated_weight",
    )


def calibration_record(
    data: pd.DataFrame,
    targets: pd.DataFrame | CalibrationTargets,
    *,
    weights: str | np.ndarray | pd.Series | None = None,
    method: str = "raking",
    by: str | list[str] | None = None,
    bounds: tuple[float, float] | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> CalibrationRecord:
    """As :func:`calibrate_weights`, returning the full :class:`CalibrationRecord`."""
    if not isinstance(targets, CalibrationTargets):
        targets = calibration_targets(targets, by=by)
    elif by is not None and tuple([by] if isinstance(by, str) else by) != targets.by:
        raise CalibrationError(f"by={by!r} differs from the targets' by={list(targets.by)}.")
    lookup_method(method, bounds)
    if weights is None:
        d = np.ones(len(data))
    elif isinstance(weights, str):
        if weights not in data.columns:
            raise CalibrationError(f"weights column {weights!r} is not in the data.")
        d = pd.to_numeric(data[weights], errors="coerce").to_numpy(dtype=float)
    else:
        d = np.asarray(weights, dtype=float)
    _check_starting_weights(d, data, weights)
    return _solve(build_model(data, targets), targets, d, method, bounds, max_iter, tol)


def recalibrate(record: CalibrationRecord, weights: np.ndarray, *, max_iter: int = 100,
                tol: float = 1e-10) -> CalibrationRecord:
    """``record``'s calibration (same targets, method, bounds) again from new starting weights.

    The calibration model (the respondents' categories as codes) depends on the data and the
    targets only, so it is reused rather than rebuilt: trimming alternates trim and re-calibration
    up to a hundred times.
    """
    d = np.asarray(weights, dtype=float)
    return _solve(record.model, record.targets, d, record.method, record.bounds, max_iter, tol)


def _solve(model: Model, targets: CalibrationTargets, d: np.ndarray, method: str,
           bounds: tuple[float, float] | None, max_iter: int, tol: float) -> CalibrationRecord:
    _check_reachable(model, targets, d)
    categorical = all(t.codes is not None for t in model.terms)
    if method == "raking" and bounds is None and categorical:
        w, iterations = _ipf(model, targets, d, max_iter, tol)
    else:
        w, iterations = _newton(model, targets, d, method, bounds, max_iter, tol)
    max_error = float(_errors(model, targets, w).max())
    record = CalibrationRecord(method, targets, bounds, model, d, w, iterations, max_error)
    if (w < 0).any():
        warnings.warn(_negative_message(record), NegativeWeightWarning, stacklevel=4)
    return record


def _check_starting_weights(d: np.ndarray, data: pd.DataFrame, weights: object) -> None:
    """One finite, non-negative starting weight per respondent; otherwise an error naming the first offender."""
    source = f"weights column {weights!r}" if isinstance(weights, str) else "the starting weights"
    if len(d) != len(data):
        raise CalibrationError(f"{source} has {len(d)} values for {len(data)} respondents; give one per respondent.")
    for bad, what in ((~np.isfinite(d), "missing or not a number"), (d < 0, "negative")):
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = data[weights].iloc[row] if isinstance(weights, str) else d[row]
            raise CalibrationError(
                f"{source} is {what} for {int(bad.sum())} respondent(s) (first at row {row}, value {shown(value)}). "
                "Calibration starts from a non-negative weight for every respondent: fix those weights, give 0 to "
                "respondents who should count in no estimate, or leave them out of the data."
            )


def _negative_message(record: CalibrationRecord) -> str:
    """Which groups have negative calibrated weights, how many, the smallest, and what to do about it."""
    w, group = record.weights, record.model.group
    negative = record.negative_weights
    sizes = np.bincount(group, minlength=record.model.n_groups)
    smallest = np.full(record.model.n_groups, np.inf)
    np.minimum.at(smallest, group, w)
    groups = np.flatnonzero(negative)
    parts = [f"{negative[k]} of {sizes[k]} in {record.targets.group_name(int(k))} (smallest {smallest[k]:,.4g})"
             for k in groups]
    where = ": " + "; ".join(parts) if record.targets.by else f" (smallest {smallest[0]:,.4g})"
    return (
        f"{record.method} calibration made {int(negative.sum())} of {len(w)} weights negative{where}. "
        "Estimates and standard errors are still those of R's calibrate(), but a respondent with a negative weight "
        "counts against their group's totals, and a negative weight cannot be published. Bound the ratio of "
        "calibrated to starting weights, e.g. bounds=(0.3, 3), or calibrate with method='logit', bounds=(0.3, 3) "
        "(or merge sparse categories)."
    )
