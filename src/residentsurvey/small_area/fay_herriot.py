"""``rs.fay_herriot``: ward and neighbourhood estimates from direct survey estimates and area covariates."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import ConvergenceWarning, ModelVarianceWarning, OptionError, SmallAreaError
from . import transform as tf
from ._formula import design_matrix, parse_formula
from ._inputs import bad_values, check_tables, list_areas
from .benchmark import BENCHMARK_METHODS, benchmark_factors
from .fit import FH_METHODS, fit_model
from .mse import eblup_mse, synthetic_mse
from .results import FayHerriot, _ModelScale

__all__ = ["fay_herriot", "BENCHMARKS"]

BENCHMARKS = {"council": "population-weighted mean of each council's areas equals the council's direct estimate"}


def _option(name: str, value: object, registry: dict[str, str]) -> str:
    if value not in registry:
        raise OptionError.unknown(name, value, registry)
    return str(value)


def _sampling_variance(direct: pd.DataFrame, area: str, transform: str, smooth: bool) -> tuple[np.ndarray, list[str]]:
    """The sampling variance of each direct estimate on the model's scale, and notes on any smoothing."""
    n = pd.to_numeric(direct["n"], errors="coerce").to_numpy(float) if "n" in direct else None
    if transform == "arcsin":
        bad_values(direct, area, "n", ~(n > 0), "a positive number of respondents", "Areas without respondents "
                   "belong in auxiliary only; they get synthetic estimates.")
        deff = pd.to_numeric(direct["deff"], errors="coerce").to_numpy(float)
        usable = np.isfinite(deff) & (deff > 0)
        if not smooth:
            bad_values(direct, area, "deff", ~usable, "a positive design effect (it is blank or 0 where every "
                       "respondent gave the same answer)", "Pass smooth_variance=True to use the pooled design "
                       "effect of all areas instead.")
            return tf.arcsin_variance(n, deff), []
        pooled = tf.pooled_deff(n, deff, usable)
        return tf.arcsin_variance(n, np.full(len(n), pooled)), [
            f"Sampling variances smoothed: every area's design effect replaced by the pooled {pooled:.3f} "
            f"(respondent-weighted mean over {int(usable.sum())} areas)."]
    se = pd.to_numeric(direct["se"], errors="coerce").to_numpy(float)
    usable = np.isfinite(se) & (se > 0)
    if not smooth:
        bad_values(direct, area, "se", ~usable, "a positive standard error", "Drop areas with too few respondents "
                   "from direct (they get synthetic estimates), or pass smooth_variance=True with an 'n' column.")
        return se**2, []
    if n is None:
        raise SmallAreaError("smooth_variance=True needs an 'n' column (respondents) in direct, as "
                             "design.mean(..., by=area) gives.")
    bad_values(direct, area, "n", ~(n > 0), "a positive number of respondents", "Areas without respondents belong "
               "in auxiliary only.")
    usable &= n >= 2
    if usable.sum() < 3:
        raise SmallAreaError(f"smooth_variance=True needs at least 3 areas with a positive se and n >= 2; found "
                             f"{int(usable.sum())}.")
    smoothed, a, b = tf.gvf_variance(n, se**2, usable)
    return smoothed, [f"Sampling variances smoothed by the generalised variance function log(se^2) = {a:.3f} "
                      f"{b:+.3f} log(n), fitted on {int(usable.sum())} areas; raw standard errors stay in direct_se."]


def fay_herriot(direct: pd.DataFrame, auxiliary: pd.DataFrame, *, formula: str, area: str = "area",
                method: str = "reml", transform: str | None = None, backtransform: str = "bc",
                benchmark: str | None = None, benchmark_method: str = "ratio",
                council_estimates: pd.DataFrame | None = None, council: str = "council",
                population: str = "population", smooth_variance: bool = False, level: float = 0.95,
                max_iter: int = 100, precision: float = 1e-4) -> FayHerriot:
    """Area-level (Fay-Herriot) small-area estimates: direct estimates borrowing strength from covariates.

    Parameters
    ----------
    direct
        One row per area with respondents: ``area``, ``estimate``, ``se`` (and ``n``; with
        ``transform="arcsin"`` also ``deff``), normally ``design.mean(y, by=area)`` or
        ``design.proportion(y, by=area, deff=True)`` filtered to one category. ``ci_lower`` and
        ``ci_upper``, if present, are kept as the direct interval.
    auxiliary
        One row per area, areas without respondents included, with the covariates of ``formula``.
    formula
        Right-hand side of the linking model, ``"~ x1 + x2"``; ``C(x)`` or ``as.factor(x)`` (and any
        text or categorical column) is treatment-coded; ``- 1`` drops the intercept.
    area
        The column naming the area in both tables.
    method
        ``"reml"`` (default), ``"ml"`` (as R's ``sae::eblupFH``), ``"amrl"`` or ``"ampl"`` (Li-Lahiri
        adjusted likelihood, never a zero variance); see :data:`FH_METHODS`.
    transform
        ``None`` or ``"none"`` (model the estimates as they are) or ``"arcsin"`` for shares (as
        ``emdi::fh``): the model is fitted to :math:`\\arcsin\\sqrt{p}` with variance
        :math:`\\mathrm{deff}/(4n)` and brought back to [0, 1].
    backtransform
        With ``"arcsin"``: ``"bc"`` (bias-corrected, default) or ``"naive"``.
    benchmark
        ``None``, or ``"council"``: ward estimates scaled (``benchmark_method="ratio"``) or shifted
        (``"difference"``) so that within each council their mean weighted by ``population`` equals
        the council's estimate in ``council_estimates`` (columns ``council`` and ``estimate``, e.g.
        ``design.mean(y, by="council")``). ``auxiliary`` then needs the ``council`` and ``population``
        columns.
    smooth_variance
        Replace raw sampling variances by a generalised variance function, ``log se² = a + b log n``
        (or, with ``"arcsin"``, the pooled design effect), so tiny areas do not carry erratic variances;
        areas with a zero or blank ``se`` are then allowed.
    level
        Confidence level of the intervals.
    max_iter, precision
        Fisher scoring's limits (R sae's ``MAXITER`` and ``PRECISION``, the relative change in ``A``).

    Returns
    -------
    FayHerriot
        ``estimates``, ``coefficients``, ``model_variance``, ``diagnostics()``.

    Raises
    ------
    SmallAreaError
        An area of ``direct`` missing from ``auxiliary``, duplicate areas, a missing or non-positive
        ``se`` (or ``n``/``deff``), a missing covariate, a formula term not in ``auxiliary``, as many
        coefficients as areas, or a council without a benchmark.
    OptionError
        An unknown ``method``, ``transform``, ``backtransform``, ``benchmark`` or ``benchmark_method``.

    Warns
    -----
    ModelVarianceWarning
        If the area-effect variance is estimated as zero (every estimate is then synthetic).
    ConvergenceWarning
        If Fisher scoring stops at ``max_iter``.

    Notes
    -----
    With :math:`\\gamma_d = \\hat A / (\\hat A + D_d)`, the EBLUP is
    :math:`x_d^\\top\\hat\\beta + \\gamma_d (y_d - x_d^\\top\\hat\\beta)`; its MSE is Prasad-Rao's
    :math:`g_1 + g_2 + 2 g_3` (REML), Datta-Lahiri's with the bias term for ML (see
    :mod:`residentsurvey.small_area.mse`). Intervals are estimate :math:`\\pm z \\sqrt{\\mathrm{mse}}`
    (back-transformed end points with ``"arcsin"``). Agrees with R ``sae`` 1.3 ``eblupFH``/``mseFH``
    on the ``milk`` data to 7 significant digits (``tests/small_area/test_reference.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> import residentsurvey as rs
    >>> direct = pd.DataFrame({"ward": list("ABCDEF"), "estimate": [6.1, 7.9, 6.0, 7.4, 5.2, 7.6],
    ...                        "se": [0.4, 0.3, 0.5, 0.35, 0.45, 0.3], "n": [40, 60, 25, 50, 30, 70]})
    >>> auxiliary = pd.DataFrame({"ward": list("ABCDEFG"), "owners": [0.4, 0.7, 0.5, 0.8, 0.3, 0.6, 0.55]})
    >>> sae = rs.fay_herriot(direct, auxiliary, formula="~ owners", area="ward")
    >>> sae.estimates[["ward", "method"]].tail(2).to_numpy().tolist()
    [['F', 'eblup'], ['G', 'synthetic']]
    >>> list(sae.coefficients["term"])
    ['(Intercept)', 'owners']
    >>> round(sae.model_variance, 4), round(float(sae.estimates["shrinkage"].iloc[0]), 3)
    (0.1966, 0.449)
    """
    from scipy.stats import norm

    method = _option("method", method, FH_METHODS)
    transform = _option("transform", "none" if transform is None else transform, tf.TRANSFORMS)
    if transform == "arcsin":
        backtransform = _option("backtransform", backtransform, tf.BACKTRANSFORMS)
    if benchmark is not None:
        _option("benchmark", benchmark, BENCHMARKS)
        benchmark_method = _option("benchmark_method", benchmark_method, BENCHMARK_METHODS)
    if not 0 < level < 1:
        raise SmallAreaError(f"level must be between 0 and 1; got {level!r}.")
    spec = parse_formula(formula)
    needed = ["estimate"] + (["n", "deff"] if transform == "arcsin" else ["se"])
    position = check_tables(direct, auxiliary, area, needed)

    raw = pd.to_numeric(direct["estimate"], errors="coerce").to_numpy(float)
    bad_values(direct, area, "estimate", ~np.isfinite(raw), "a number", "Areas without an estimate belong in "
               "auxiliary only; they get synthetic estimates.")
    if transform == "arcsin":
        bad_values(direct, area, "estimate", (raw < 0) | (raw > 1), "a share between 0 and 1",
                   "Pass shares (design.proportion), not percentages.")
    vardir, notes = _sampling_variance(direct, area, transform, smooth_variance)
    y = tf.arcsin(raw) if transform == "arcsin" else raw

    X_all, terms = design_matrix(spec, auxiliary, area)
    X = X_all[position]
    m, p = X.shape
    if p >= m:
        raise SmallAreaError(f"formula {formula!r} has {p} coefficients but only {m} areas have direct estimates; "
                             "a Fay-Herriot model needs more areas than coefficients (use fewer covariates).")
    if np.linalg.matrix_rank(X) < p:
        raise SmallAreaError(f"the covariates of formula {formula!r} are linearly dependent over the {m} areas with "
                             f"direct estimates (terms: {', '.join(terms)}); drop a redundant term.")

    fit = fit_model(y, X, vardir, method=method, max_iter=max_iter, precision=precision)
    if not fit.converged:
        warnings.warn(f"Fisher scoring for the area-effect variance ({method}) stopped after {max_iter} steps "
                      "without converging; raise max_iter or try method='amrl'.", ConvergenceWarning, stacklevel=2)
    if fit.boundary:
        message = ("The area-effect variance was estimated as zero: the covariates explain all the variation between "
                   "areas beyond sampling noise, so every estimate is the synthetic one and its MSE may be too small. "
                   "method='amrl' (Li-Lahiri adjusted likelihood) always gives a positive variance.")
        warnings.warn(message, ModelVarianceWarning, stacklevel=2)
        notes.append(message)

    A = fit.model_variance
    outside = np.setdiff1d(np.arange(len(auxiliary)), position)
    synthetic_in, synthetic_out = X @ fit.beta, X_all[outside] @ fit.beta
    gamma = A / (A + vardir)
    theta = np.concatenate([synthetic_in + gamma * (y - synthetic_in), synthetic_out])
    mse_in, g1, _ = eblup_mse(fit, X, vardir)
    mse_theta = np.concatenate([mse_in, synthetic_mse(fit, X_all[outside], X, vardir)])
    synthetic = np.concatenate([synthetic_in, synthetic_out])
    z = float(norm.ppf(0.5 + level / 2))
    half = z * np.sqrt(mse_theta)
    if transform == "arcsin":
        spread = np.concatenate([g1, np.full(len(outside), A)])
        estimate = (tf.back_bias_corrected(theta, spread) if backtransform == "bc" else tf.back_naive(theta))
        mse, lower, upper = tf.back_mse(theta, mse_theta), tf.back_naive(theta - half), tf.back_naive(theta + half)
        synthetic = tf.back_naive(synthetic)
    else:
        estimate, mse, lower, upper = theta, mse_theta, theta - half, theta + half
        backtransform = None

    rows = np.concatenate([position, outside])
    n = (pd.to_numeric(direct["n"], errors="coerce").to_numpy(float) if "n" in direct else np.full(m, np.nan))
    se = (pd.to_numeric(direct["se"], errors="coerce").to_numpy(float) if "se" in direct else np.full(m, np.nan))
    d_lower, d_upper = raw - z * se, raw + z * se
    if "ci_lower" in direct and "ci_upper" in direct:
        given_lower, given_upper = direct["ci_lower"].to_numpy(float), direct["ci_upper"].to_numpy(float)
        blank_ci = ~(np.isfinite(given_lower) & np.isfinite(given_upper))
        d_lower, d_upper = np.where(blank_ci, d_lower, given_lower), np.where(blank_ci, d_upper, given_upper)
        if blank_ci.any() and np.isfinite(se[blank_ci]).any():
            notes.append(f"Direct intervals blank in direct for {int(blank_ci.sum())} area(s) "
                         f"({list_areas(direct.loc[blank_ci, area])}) are shown as estimate ± {z:.2f} se.")
    blank = np.full(len(outside), np.nan)
    table = pd.DataFrame({
        area: auxiliary[area].to_numpy()[rows],
        "n": pd.array(np.concatenate([n, np.zeros(len(outside))]).round(), dtype="Int64"),
        "direct": np.concatenate([raw, blank]), "direct_se": np.concatenate([se, blank]),
        "direct_ci_lower": np.concatenate([d_lower, blank]), "direct_ci_upper": np.concatenate([d_upper, blank]),
        "estimate": estimate, "mse": mse, "rmse": np.sqrt(mse), "ci_lower": lower, "ci_upper": upper,
        "shrinkage": np.concatenate([1.0 - gamma, np.ones(len(outside))]), "synthetic": synthetic,
        "method": ["eblup"] * m + ["synthetic"] * len(outside),
        "sampling_variance": np.concatenate([vardir, blank])})

    label = None
    if benchmark is not None:
        table, label = _benchmark(table, auxiliary.iloc[rows], council_estimates, council=council,
                                  population=population, how=benchmark_method, proportion=transform == "arcsin",
                                  notes=notes)

    se_beta = np.sqrt(np.diag(fit.cov_beta))
    coefficients = pd.DataFrame({"term": list(terms), "estimate": fit.beta, "se": se_beta, "z": fit.beta / se_beta,
                                 "p_value": 2 * norm.sf(np.abs(fit.beta / se_beta))})
    direct_var = se**2 if transform == "none" else vardir
    ratio = np.divide(mse_in, direct_var, out=np.full(m, np.nan), where=direct_var > 0)
    model_scale = _ModelScale(direct[area].to_numpy(), y, X, vardir, ratio)
    return FayHerriot(table, coefficients, A, method, transform, backtransform, spec.text, level, fit.iterations,
                      fit.converged, fit.loglike, label, tuple(notes), model_scale)


def _benchmark(table: pd.DataFrame, aux: pd.DataFrame, targets: pd.DataFrame | None, *, council: str,
               population: str, how: str, proportion: bool, notes: list[str]) -> tuple[pd.DataFrame, str]:
    """Scale or shift each council's area estimates (and interval end points) onto its direct estimate."""
    missing = [c for c in (council, population) if c not in aux.columns]
    if missing:
        raise SmallAreaError(f"benchmark='council' needs auxiliary column(s) {', '.join(map(repr, missing))}: "
                             "each area's council and its population (pass council=... and population=...).")
    if not isinstance(targets, pd.DataFrame) or not {council, "estimate"} <= set(targets.columns):
        raise SmallAreaError(f"benchmark='council' needs council_estimates, a table with columns {council!r} and "
                             "'estimate' (e.g. design.mean(y, by='council')).")
    weights = pd.to_numeric(aux[population], errors="coerce").to_numpy(float)
    if not (np.isfinite(weights) & (weights > 0)).all():
        bad = aux.loc[~(weights > 0), table.columns[0]]
        raise SmallAreaError(f"auxiliary column {population!r} must be a positive population for every area; "
                             f"it is not for {list_areas(bad)}.")
    codes, councils = pd.factorize(aux[council].astype(str), sort=True)
    lookup = targets.assign(_key=targets[council].astype(str)).drop_duplicates("_key").set_index("_key")["estimate"]
    absent = [c for c in councils if c not in lookup.index]
    if absent:
        raise SmallAreaError(f"council_estimates has no estimate for council(s) {list_areas(absent)}; "
                             "every council with areas needs one.")
    target = lookup.reindex(councils).to_numpy(float)
    factor = benchmark_factors(table["estimate"].to_numpy(), codes, weights, target, how)
    out = table.copy()
    out.insert(out.columns.get_loc("estimate") + 1, "unbenchmarked", table["estimate"])
    for column in ("estimate", "ci_lower", "ci_upper"):
        out[column] = table[column] * factor if how == "ratio" else table[column] + factor
    if proportion:
        outside = int(((out["estimate"] < 0) | (out["estimate"] > 1)).sum())
        if outside:
            notes.append(f"Benchmarking moved {outside} area estimate(s) outside [0, 1]; consider "
                         "benchmark_method='difference' or no benchmark.")
    return out, f"council ({how})"
