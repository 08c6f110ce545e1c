"""A survey design whose variances come from replicate weights (R's ``svyrep.design``).

Built from a :class:`~residentsurvey.SurveyDesign` with ``design.replicate(method)`` or from a
file's replicate-weight columns with ``rs.ReplicateDesign(data, weights=..., replicate_weights=...)``.
It has the same estimators with the same tidy columns; only the variance method differs
(see :mod:`residentsurvey.analysis._engine`). Calibrating or trimming it re-runs the weighting
in every replicate, so the standard errors carry the whole weighting chain.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DesignError, DesignWarning, OptionError
from . import comparisons, estimators
from ._columns import as_names, checked_weights, require_columns
from ._frozen_design import FrozenDesign
from .replicate import FILE_REPLICATE_METHODS, ReplicateWeights
from .replicate_variance import ReplicateEngine, replicate_degf, svr_variance

if TYPE_CHECKING:
    from ..weighting.calibrate import CalibrationRecord
    from ._domains import Domains

Columns = str | Sequence[str] | None

#: Intervals of ``design.quantile(ci_method=...)``, as R's ``svyquantile(interval.type=...)`` on replicate designs.
QUANTILE_CI_METHODS: dict[str, str] = {
    "woodruff": "invert the interval of the share below the quantile (R interval.type='mean')",
    "replicate": "quantile ± t·SE from the quantiles of the replicates (R interval.type='quantile')",
}


@dataclass(frozen=True)
class ReplicateSpec:
    """What a replicate design is: its weights, replicate columns (if from a file) and variance constants."""

    weights: str | None
    replicate_weights: tuple[str, ...]
    method: str
    scale: float
    fay_rho: float
    mse: bool
    source: str  # the R call the replicates correspond to

    def as_r(self, rscales: np.ndarray) -> str:
        """The R ``svrepdesign()`` call that reads these replicate weights back (combined weights)."""
        types = {"jk1": "JK1", "jkn": "JKn", "brr": "BRR", "fay": "Fay", "bootstrap": "bootstrap",
                 "subbootstrap": "bootstrap", "other": "other"}
        columns = self.replicate_weights
        pattern = f'"^{re.escape(columns[0][:-1])}[0-9]+$"' if columns and all(
            c.startswith(columns[0][:-1]) for c in columns) else "~" + "+".join(columns)
        parts = [f"weights=~{self.weights or 'weight'}", f"repweights={pattern}", f'type="{types[self.method]}"',
                 f"scale={self.scale!r}"]
        if not np.allclose(rscales, 1.0):
            parts.append("rscales=rscales")
        if self.method == "fay":
            parts.append(f"rho={self.fay_rho!r}")
        parts += ["combined.weights=TRUE", f"mse={'TRUE' if self.mse else 'FALSE'}", "data=..."]
        return f"svrepdesign({', '.join(parts)})"


class ReplicateDesign(FrozenDesign):
    """A design with replicate weights: the same estimators as :class:`~residentsurvey.SurveyDesign`.

    Parameters
    ----------
    data
        One row per respondent, holding the full-sample and replicate weights.
    weights
        Column of full-sample weights.
    replicate_weights
        The replicate-weight columns: a list of names, or a regular expression matched against
        the column names (as R's ``svrepdesign(repweights="pattern")``). They are *combined*
        weights (each a full replicate weight, not a multiplier), as most files deliver them.
    method
        How the replicates were made, which sets the defaults of ``scale`` and ``rscales`` as R's
        ``svrepdesign(type=)``: ``"jk1"`` (scale (R-1)/R), ``"jkn"`` (needs ``rscales``),
        ``"brr"`` (scale 1/R), ``"fay"`` (needs ``fay_rho``; scale 1/(R(1-rho)^2)), ``"bootstrap"``
        and ``"subbootstrap"`` (scale 1/(R-1)) or ``"other"`` (give both).
    scale, rscales
        Overall and per-replicate multipliers of the squared deviations.
    fay_rho
        Fay's rho, for ``method="fay"``.
    mse
        Centre the squared deviations on the full-sample estimate instead of the replicates' mean.

    Notes
    -----
    :math:`v = s \\sum_r c_r (\\hat\\theta_r - \\bar\\theta)^2` (R's ``svrVar``). Degrees of freedom
    are the rank of the replicate weights minus one (R's ``degf``), per domain for domain
    intervals. Agrees with R survey 4.1's ``svrepdesign`` and ``as.svrepdesign`` estimates
    (``tests/data/r/make_replicate_reference.R``).

    Examples
    --------
    >>> import residentsurvey as rs
    >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    >>> shared = design.replicate("jkn").replicate_weights.add_prefix("rep_")
    >>> data = design.data.join(shared)
    >>> rep = rs.ReplicateDesign(data, weights="design_weight", replicate_weights="^rep_", method="jkn",
    ...                          rscales=design.replicate("jkn").rscales)
    >>> rep.mean("ons_life_satisfaction", by="council").shape
    (5, 7)
    """

    __slots__ = ("data", "spec", "_weight_array", "_has_zero_weights", "_replicates", "_calibration", "_known")

    data: pd.DataFrame
    spec: ReplicateSpec
    _weight_array: np.ndarray
    _replicates: ReplicateWeights

    def __init__(self, data: pd.DataFrame, *, weights: str | None = None,
                 replicate_weights: str | Sequence[str], method: str, scale: float | None = None,
                 rscales: Sequence[float] | np.ndarray | None = None, fay_rho: float | None = None,
                 mse: bool = False) -> None:
        if not isinstance(data, pd.DataFrame) or len(data) == 0:
            raise DesignError("data must be a pandas DataFrame with at least one row (one per respondent).")
        if method not in FILE_REPLICATE_METHODS:
            raise OptionError.unknown("method", method, FILE_REPLICATE_METHODS)
        if not isinstance(mse, (bool, np.bool_)):
            raise DesignError(f"mse must be True or False; got {mse!r}.")
        columns = _replicate_columns(data, replicate_weights, weights)
        if weights is not None:
            require_columns(data, [weights], "weights")
            w = _check_weight_column(data, weights, "weights")
        else:
            warnings.warn("No full-sample weights given: every respondent weighs 1 (as R's svrepdesign assumes).",
                          DesignWarning, stacklevel=2)
            w = np.ones(len(data))
        matrix = np.column_stack([_check_weight_column(data, c, "replicate weights") for c in columns])
        count = matrix.shape[1]
        scale, rscales_array, rho = _defaults(method, count, scale, rscales, fay_rho)
        rep = ReplicateWeights(method=method, scale=scale, rscales=rscales_array, mse=bool(mse), fay_rho=rho,
                               rows=matrix)
        spec = ReplicateSpec(weights, tuple(columns), method, scale, rho, bool(mse),
                             f"svrepdesign(type={method!r}) from columns {columns[0]!r}..{columns[-1]!r}")
        frozen = data.copy(deep=int(pd.__version__.split(".")[0]) < 3)
        self._set(frozen, spec, w, rep, None)

    @classmethod
    def _build(cls, data: pd.DataFrame, spec: ReplicateSpec, w: np.ndarray, rep: ReplicateWeights,
               calibration: "CalibrationRecord | None") -> "ReplicateDesign":
        new = object.__new__(cls)
        new._set(data, spec, np.array(w, dtype=float), rep, calibration)
        return new

    def _set(self, data, spec, w, rep, calibration) -> None:
        w.setflags(write=False)
        for name, value in (("data", data), ("spec", spec), ("_weight_array", w), ("_replicates", rep),
                            ("_has_zero_weights", bool((w == 0).any())), ("_calibration", calibration),
                            ("_known", {})):
            object.__setattr__(self, name, value)

    # ---- what the design is ----------------------------------------------------------

    @property
    def replicate_weights(self) -> pd.DataFrame:
        """The replicate weights, one column per replicate (``replicate_1``, ...), aligned with ``data``.

        This materialises respondents x replicates numbers; estimators never need it.
        """
        matrix = self._replicates.row_weights(self._weight_array)
        names = [f"replicate_{r + 1}" for r in range(matrix.shape[1])]
        return pd.DataFrame(matrix, index=self.data.index, columns=names)

    @property
    def method(self) -> str:
        return self.spec.method

    @property
    def scale(self) -> float:
        return self._replicates.scale

    @property
    def rscales(self) -> np.ndarray:
        """Per-replicate multipliers (a copy)."""
        return np.array(self._replicates.rscales)

    @property
    def mse(self) -> bool:
        return self._replicates.mse

    @property
    def n_replicates(self) -> int:
        return self._replicates.count

    @property
    def degf(self) -> int:
        """Degrees of freedom: rank of the replicate weights minus one (R's ``degf()``), computed when first asked."""
        rep = self._replicates
        if rep.degf is not None:
            return int(rep.degf)
        if "degf" not in self._known:  # a cache of a value derived from immutable state
            self._known["degf"] = int(replicate_degf(rep, self._weight_array, np.zeros(self.n, dtype=np.int64), 1)[0])
        return self._known["degf"]

    def as_r(self, prefix: str | None = None, *, weights: str | None = None) -> str:
        """The R ``svrepdesign()`` call that reads these replicate weights back once exported.

        ``prefix``: the replicate columns are ``prefix1``, ``prefix2``, ... (default: the file's
        columns, or ``replicate_1``, ...); ``weights``: the full-sample weights column (default the
        design's). See ``docs/replicates.md``.
        """
        spec = self.spec if weights is None else replace(self.spec, weights=weights)
        if prefix is not None or not spec.replicate_weights:
            stem = "replicate_" if prefix is None else prefix
            spec = replace(spec, replicate_weights=tuple(f"{stem}{r + 1}" for r in range(self.n_replicates)))
        return spec.as_r(self._replicates.rscales)

    def replicate_scales(self, prefix: str = "replicate_", *, weights: str | None = None) -> pd.DataFrame:
        """What another package needs to use the exported replicate weights: one row per replicate column.

        Columns ``column`` (``prefix1``, ...), ``rscale``, and the design's ``scale``, ``method``,
        ``fay_rho``, ``mse`` and ``r_call`` (the R ``svrepdesign()`` call) repeated on every row.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> table = design.replicate("bootstrap", replicates=10, seed=1).replicate_scales("rep")
        >>> table["column"].tolist()[:2], table["rscale"].unique().tolist()
        (['rep1', 'rep2'], [1.0])
        """
        return pd.DataFrame({
            "column": [f"{prefix}{r + 1}" for r in range(self.n_replicates)],
            "rscale": self._replicates.rscales,
            "scale": self.scale,
            "method": self.method,
            "fay_rho": self.spec.fay_rho,
            "mse": self.mse,
            "r_call": self.as_r(prefix, weights=weights),
        })

    def __repr__(self) -> str:
        parts = [f"{self.n:,} respondents", f"{self.n_replicates} {self.method} replicates",
                 f"scale={self.scale:.6g}", f"mse={self.mse}",
                 *([f"calibrated ({self._calibration.method})"] if self._calibration is not None else []),
                 f"df={self.degf}"]
        return "ReplicateDesign(" + ", ".join(parts) + ")"

    def _variance_engine(self, domains: "Domains") -> ReplicateEngine:
        """How this design computes variances: by replicate weights (see :mod:`._engine`)."""
        return ReplicateEngine(self._replicates, self._weight_array, domains)

    def _derive(self, w: np.ndarray, rep: ReplicateWeights, calibration) -> "ReplicateDesign":
        return ReplicateDesign._build(self.data, self.spec, w, rep, calibration)

    def with_columns(self, columns: pd.DataFrame | dict[str, object]) -> "ReplicateDesign":
        """A new design with extra or replaced columns, weights and replicates kept (see ``SurveyDesign.with_columns``)."""
        frame = pd.DataFrame(columns, index=self.data.index) if isinstance(columns, dict) else columns
        if not frame.index.equals(self.data.index):
            raise DesignError("with_columns() needs columns aligned with the design's data (the same index).")
        data = self.data.copy(deep=False)
        for name in frame.columns:
            data[name] = frame[name]
        return ReplicateDesign._build(data, self.spec, np.array(self._weight_array), self._replicates,
                                      self._calibration)

    # ---- the weighting chain, re-run in every replicate -------------------------------

    def calibrate(self, targets: pd.DataFrame, *, method: str = "raking", by: Columns = None,
                  bounds: tuple[float, float] | None = None, max_iter: int = 100,
                  tol: float = 1e-10) -> "ReplicateDesign":
        """Calibrate the full sample and every replicate to the targets (R's ``calibrate()`` on a ``svyrep.design``).

        Same arguments as :meth:`SurveyDesign.calibrate`. Each replicate is calibrated from its own
        replicate weights, all replicates at once.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> targets = rs.demo_council_populations()
        >>> targets = targets[targets["variable"].isin(["age_band", "tenure"])]
        >>> raked = design.replicate("jkn").calibrate(targets, by="council")
        >>> raked.calibration.max_error < 1e-10
        True
        """
        if self._calibration is not None:
            raise DesignError("this design is already calibrated; calibrate the uncalibrated design to all the "
                              "targets at once.")
        from ..weighting.calibrate import calibration_record
        from ..weighting.replicate_weighting import calibrate_replicates

        record = calibration_record(self.data, targets, weights=self._weight_array, method=method, by=by,
                                    bounds=bounds, max_iter=max_iter, tol=tol)
        matrix = calibrate_replicates(record.model, record.targets, self._replicates.row_weights(self._weight_array),
                                      method=method, bounds=bounds, max_iter=max_iter, tol=tol)
        # R keeps the degf computed when the replicate design was made
        rep = replace(self._replicates, rows=matrix, jackknife=None, multipliers=None, degf=self.degf)
        return self._derive(record.weights, rep, record)

    def adjust_nonresponse(self, *, responded: str, classes: str | Sequence[str]) -> "ReplicateDesign":
        """Weighting-class nonresponse adjustment of the full sample and of every replicate.

        The design holds the issued sample (respondents and nonrespondents). Within each class,
        respondents' weights are multiplied by (sampled weight)/(responding weight), computed
        separately with each replicate's weights; nonrespondents get weight 0 (kept, not dropped),
        as :func:`residentsurvey.nonresponse_adjustment` does for one set of weights.

        Examples
        --------
        >>> import pandas as pd, residentsurvey as rs
        >>> issued = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3], "w": [10.0] * 6, "k": ["a", "b"] * 3,
        ...                        "r": [True, True, False, True, True, True]})
        >>> rep = rs.SurveyDesign(issued, weights="w", psu="psu").replicate("jk1")
        >>> rep.adjust_nonresponse(responded="r", classes="k").weights.tolist()
        [15.0, 10.0, 0.0, 10.0, 15.0, 10.0]
        """
        from ..errors import CalibrationError

        names = as_names(classes, "classes")
        require_columns(self.data, [responded, *names], "nonresponse")
        flags = self.data[responded]
        if flags.isna().any() or not set(pd.unique(flags)) <= {True, False, 0, 1}:
            raise CalibrationError(f"responded column {responded!r} must be True or False for every sampled unit.")
        r = flags.astype(bool).to_numpy()
        codes, labels = pd.MultiIndex.from_frame(self.data[names].astype(object)).factorize(sort=True)
        from scipy import sparse

        k = len(labels)
        sums = sparse.csr_matrix((np.ones(self.n), (codes, np.arange(self.n))), shape=(k, self.n))

        def adjusted(weights: np.ndarray) -> np.ndarray:
            matrix = weights if weights.ndim == 2 else weights[:, None]
            sampled, answered = sums @ matrix, sums @ (matrix * r[:, None])
            empty = (answered == 0) & (sampled > 0)
            if empty.any():
                where = ", ".join(f"{n}={v!r}" for n, v in zip(names, np.atleast_1d(labels[np.argwhere(empty)[0][0]])))
                raise CalibrationError(f"weighting class ({where}) has sampled weight but no responding weight "
                                       f"(in the full sample or a replicate), so its nonrespondents cannot be "
                                       "carried; merge it with a neighbouring class.")
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(answered > 0, sampled / answered, 0.0)
            out = np.where(r[:, None], matrix * factor[codes], 0.0)
            return out if weights.ndim == 2 else out[:, 0]

        w = adjusted(self._weight_array)
        matrix = adjusted(self._replicates.row_weights(self._weight_array))
        rep = replace(self._replicates, rows=matrix, jackknife=None, multipliers=None, degf=self.degf)
        return self._derive(w, rep, self._calibration)

    def trim(self, *, upper: float | None = None, lower: float | None = None, relative: bool = True,
             by: Columns = None, max_rounds: int = 100) -> "ReplicateDesign":
        """Trim the full sample and every replicate (re-calibrating each when calibrated), as :meth:`SurveyDesign.trim`."""
        from ..errors import CalibrationError
        from ..weighting.calibrate import calibration_record
        from ..weighting.replicate_weighting import calibrate_replicates, trim_replicates
        from ..weighting.trimming import trim_weights

        record = self._calibration
        caps = dict(upper=upper, lower=lower, relative=relative, groups=self._trim_groups(by))
        w = trim_weights(self._weight_array, **caps)
        matrix = trim_replicates(self._replicates.row_weights(self._weight_array), **caps)
        if record is not None:
            for _ in range(max_rounds):
                again = calibration_record(self.data, record.targets, weights=w, method=record.method,
                                           bounds=record.bounds)
                w = again.weights
                matrix = calibrate_replicates(record.model, record.targets, matrix, method=record.method,
                                              bounds=record.bounds)
                trimmed, trimmed_matrix = trim_weights(w, **caps), trim_replicates(matrix, **caps)
                if np.allclose(trimmed, w, rtol=1e-6, atol=0) and np.allclose(trimmed_matrix, matrix, rtol=1e-6, atol=0):
                    break
                w, matrix = trimmed, trimmed_matrix
            else:
                raise CalibrationError(f"trimming (upper={upper}, lower={lower}) and re-calibration of the replicates "
                                       f"did not settle in {max_rounds} rounds: the caps conflict with the targets.")
            record = replace(record, weights=w, max_error=again.max_error,
                             trimming={"upper": upper, "lower": lower, "relative": relative})
        return self._derive(w, replace(self._replicates, rows=matrix, jackknife=None, multipliers=None,
                                       degf=self.degf), record)

    # ---- estimators (the same as SurveyDesign's; only the variance differs) -----------

    def mean(self, variables: str | Sequence[str], by: Columns = None, *, ci_method: str = "wald",
             level: float = 0.95, deff: bool | str = False) -> pd.DataFrame:
        """Weighted means with replicate standard errors; arguments and columns as :meth:`SurveyDesign.mean`.

        Agrees with R's ``svymean``/``svyby`` on a ``svyrep.design``.
        """
        return estimators.mean_or_total(self, variables, by=by, ci_method=ci_method, level=level, deff=deff,
                                        statistic="mean")

    def total(self, variables: str | Sequence[str], by: Columns = None, *, ci_method: str = "wald",
              level: float = 0.95, deff: bool | str = False) -> pd.DataFrame:
        """Weighted totals with replicate standard errors; as :meth:`SurveyDesign.total`."""
        return estimators.mean_or_total(self, variables, by=by, ci_method=ci_method, level=level, deff=deff,
                                        statistic="total")

    def proportion(self, variable: str, by: Columns = None, *, ci_method: str = "logit", level: float = 0.95,
                   deff: bool | str = False) -> pd.DataFrame:
        """Shares per category, as :meth:`SurveyDesign.proportion`.

        ``ci_method="logit"`` uses the replicate standard error of logit(p), as R's ``svyciprop``
        does on a replicate design (through ``svyglm``); the other methods use the replicate
        standard error of p, with the replicate design's degrees of freedom.
        """
        return estimators.proportion(self, variable, by=by, ci_method=ci_method, level=level, deff=deff)

    def ratio(self, numerator: str | Sequence[str], denominator: str, by: Columns = None, *,
              ci_method: str = "wald", level: float = 0.95) -> pd.DataFrame:
        """Ratio of weighted totals with replicate standard errors; as :meth:`SurveyDesign.ratio`."""
        return estimators.ratio(self, numerator, denominator, by=by, ci_method=ci_method, level=level)

    def difference(self, variable: str, by: Columns, a: object, b: object, *, ci_method: str = "wald",
                   level: float = 0.95) -> pd.DataFrame:
        """Difference between two domains' means, from the replicates' differences; as :meth:`SurveyDesign.difference`."""
        return comparisons.difference(self, variable, by=by, a=a, b=b, ci_method=ci_method, level=level)

    # ---- any statistic -----------------------------------------------------------------

    def replicate_estimates(self, function: Callable[[pd.DataFrame, np.ndarray], object]) -> "ReplicateEstimates":
        """Apply ``function(data, weights)`` to the full sample and to every replicate.

        ``function`` returns a number, or a 1-D array / Series of numbers (named by its index).
        The result holds the estimates, the replicates' values and their standard errors.

        Examples
        --------
        >>> import numpy as np, residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> rep = design.replicate("jkn")
        >>> def share_over_7(data, w):
        ...     y = data["ons_life_satisfaction"].to_numpy(dtype=float)
        ...     ok = ~np.isnan(y)
        ...     return np.sum(w[ok] * (y[ok] >= 7)) / np.sum(w[ok])
        >>> result = rep.replicate_estimates(share_over_7)
        >>> list(result.table().columns)
        ['statistic', 'estimate', 'se', 'ci_lower', 'ci_upper']
        """
        full = _as_vector(function(self.data, np.array(self._weight_array)))
        matrix = self._replicates.row_weights(self._weight_array)
        values = np.vstack([_as_vector(function(self.data, matrix[:, r])).to_numpy(dtype=float)
                            for r in range(matrix.shape[1])])  # the user's statistic, once per replicate
        rep = self._replicates
        variance = svr_variance(values, full.to_numpy(dtype=float), scale=rep.scale, rscales=rep.rscales, mse=rep.mse)
        return ReplicateEstimates(full, pd.DataFrame(values, columns=full.index), np.sqrt(variance), self.degf)

    def quantile(self, variable: str, q: float | Sequence[float], by: Columns = None, *,
                 ci_method: str = "woodruff", level: float = 0.95) -> pd.DataFrame:
        """Weighted quantiles with intervals, as R's ``svyquantile`` on a replicate design (``qrule="math"``).

        Parameters
        ----------
        variable
            Numeric column; missing values are left out.
        q
            Probabilities, e.g. ``0.5`` or ``[0.25, 0.5, 0.75]``.
        by
            Domains.
        ci_method
            ``"woodruff"`` (default; R's ``interval.type="mean"``: the interval of the share of
            respondents at or below the quantile, mapped back through the weighted CDF) or
            ``"replicate"`` (R's ``interval.type="quantile"``: the quantile ± t·SE of the
            replicates' quantiles; not valid for jackknife replicates, as R warns).
        level
            Confidence level; the critical value is t with the design's degrees of freedom.

        Returns
        -------
        pandas.DataFrame
            The ``by`` columns, ``variable``, ``quantile`` (the probability), ``estimate``, ``se``,
            ``ci_lower``, ``ci_upper``, ``n``. For Woodruff intervals ``se`` is the interval's
            width over 2·t, as R reports it.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> design.replicate("jkn").quantile("ons_life_satisfaction", 0.5, by="council").shape
        (5, 8)
        """
        from .replicate_quantile import quantile_table

        if ci_method not in QUANTILE_CI_METHODS:
            raise OptionError.unknown("ci_method", ci_method, QUANTILE_CI_METHODS)
        return quantile_table(self, variable, q, by=by, ci_method=ci_method, level=level)

    def glm(self, formula: str, *, family: str = "gaussian", subset: "str | np.ndarray | pd.Series | None" = None,
            level: float = 0.95):
        """Design-based GLM with replicate standard errors (refit in every replicate), as R's ``svyglm`` on a
        ``svrepdesign``; arguments and result as :meth:`SurveyDesign.glm <residentsurvey.SurveyDesign.glm>`."""
        from ..models.glm import fit_glm

        return fit_glm(self, formula, family=family, subset=subset, level=level)


@dataclass(frozen=True)
class ReplicateEstimates:
    """A statistic on the full sample and on every replicate, from :meth:`ReplicateDesign.replicate_estimates`."""

    estimate: pd.Series
    replicates: pd.DataFrame   # one row per replicate, one column per element of the statistic
    se: np.ndarray
    degf: int

    def table(self, *, level: float = 0.95, ci_method: str = "wald") -> pd.DataFrame:
        """Tidy table: ``statistic``, ``estimate``, ``se``, ``ci_lower``, ``ci_upper`` (``"wald"`` or ``"t"``)."""
        from .intervals import MEAN_CI_METHODS, check_level
        from .estimators import _intervals

        level = check_level(level)
        estimate = self.estimate.to_numpy(dtype=float)
        df = np.full(len(estimate), float(self.degf))
        lower, upper = _intervals(ci_method, MEAN_CI_METHODS, estimate, self.se, level, df)
        return pd.DataFrame({"statistic": list(self.estimate.index), "estimate": estimate, "se": self.se,
                             "ci_lower": lower, "ci_upper": upper})


def _as_vector(value: object) -> pd.Series:
    if isinstance(value, pd.Series):
        return value.astype(float)
    array = np.atleast_1d(np.asarray(value, dtype=float))
    if array.ndim != 1:
        raise DesignError(f"the statistic must return a number or a 1-D array; it returned shape {array.shape}.")
    return pd.Series(array, index=["statistic"] if len(array) == 1 else range(len(array)))


def _replicate_columns(data: pd.DataFrame, replicate_weights: str | Sequence[str], weights: str | None) -> list[str]:
    if isinstance(replicate_weights, str):
        try:
            pattern = re.compile(replicate_weights)
        except re.error as error:
            raise DesignError(f"replicate_weights={replicate_weights!r} is not a valid regular expression "
                              f"({error}); give a pattern such as '^repwt_' or a list of column names.") from error
        columns = [str(c) for c in data.columns if pattern.search(str(c)) and c != weights]
        if not columns:
            raise DesignError(f"no column matches replicate_weights={replicate_weights!r}; columns available: "
                              f"{', '.join(repr(str(c)) for c in list(data.columns)[:20])}.")
        return columns
    columns = as_names(replicate_weights, "replicate_weights")
    if not columns:
        raise DesignError("replicate_weights is empty; name the replicate-weight columns (or a pattern).")
    require_columns(data, columns, "replicate weights")
    return columns


def _check_weight_column(data: pd.DataFrame, name: str, role: str) -> np.ndarray:
    return checked_weights(data, name, role, "Replicate and full-sample weights must be non-negative numbers on "
                           "every row (R refuses missing replicate weights too): fix the file, or drop those "
                           "respondents before building the design.")


def _defaults(method: str, count: int, scale: float | None, rscales, fay_rho: float | None
              ) -> tuple[float, np.ndarray, float]:
    """scale, rscales and rho with R's ``svrepdesign`` defaults for ``method`` (combined weights)."""
    if rscales is not None:
        rscales = np.atleast_1d(np.asarray(rscales, dtype=float))
        if len(rscales) == 1:
            rscales = np.repeat(rscales, count)
        if len(rscales) != count:
            raise DesignError(f"rscales has {len(rscales)} values but there are {count} replicate-weight columns; "
                              "give one rscale per replicate (or a single value for all).")
        if np.isnan(rscales).any() or (rscales < 0).any():
            raise DesignError("rscales must be non-negative numbers.")
    rho = 0.0
    if method == "fay":
        if fay_rho is None or not 0 < fay_rho < 1:
            raise DesignError(f"method='fay' needs fay_rho= strictly between 0 and 1 (the rho the replicates were made "
                              f"with); got {fay_rho!r}.")
        rho = float(fay_rho)
    elif fay_rho is not None:
        raise DesignError(f"fay_rho applies only to method='fay'; got method={method!r}.")
    if method in ("brr", "fay"):
        if scale is not None:
            raise DesignError(f"method={method!r} fixes scale at 1/(R(1 - rho)^2); leave scale out (or use method='other').")
        scale = 1 / (count * (1 - rho) ** 2)
    elif method in ("bootstrap", "subbootstrap"):
        scale = 1 / (count - 1) if scale is None else scale
    elif method == "jk1" and scale is None:
        warnings.warn(f"scale (n-1)/n not given for method='jk1': assuming n = {count}, the number of replicates "
                      "(as R's svrepdesign guesses).", DesignWarning, stacklevel=4)
        scale = (count - 1) / count
    elif method == "jkn" and rscales is None:
        raise DesignError("method='jkn' needs rscales= (one (1 - f_h)(n_h - 1)/n_h per replicate, for its "
                          "stratum), as R's svrepdesign does for combined JKn weights.")
    elif method == "other" and (scale is None or rscales is None):
        warnings.warn("method='other' without scale= or rscales=: the missing one is set to 1 (as R's svrepdesign).",
                      DesignWarning, stacklevel=4)
    scale = 1.0 if scale is None else float(scale)
    return scale, np.ones(count) if rscales is None else rscales, rho
