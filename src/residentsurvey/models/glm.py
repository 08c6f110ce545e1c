"""Design-based generalised linear models: R's ``svyglm`` on Taylor designs.

The coefficients solve the weighted estimating equations
:math:`\\sum_i w_i x_i (y_i - \\mu_i)\\dot\\mu_i / V(\\mu_i) = 0` (IRLS). Their variance is the
sandwich :math:`A^{-1} V A^{-1}` of R's ``survey:::svy.varcoef``: :math:`A = X^\\top W X` is the
weighted information and :math:`V` the design covariance of the totals of the
estimating-function scores :math:`U_i = w_i x_i (y_i - \\mu_i)\\dot\\mu_i / V(\\mu_i)`, computed stage
by stage over strata, clusters and fpc, and on calibration residuals for a calibrated design
(:func:`residentsurvey.analysis.score_covariance.score_covariance`). A subset is a domain: its
scores are zero outside it and the whole design stays. Degrees of freedom are R's residual df,
``degf(design) + 1 - coefficients``.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from ..analysis.intervals import check_level
from ..analysis.score_covariance import score_covariance
from ..analysis.variance import degrees_of_freedom
from ..errors import ModelError, ModelWarning
from ._checks import check_df, check_estimable
from ._frame import Subset, model_frame
from ._irls import irls
from .families import family as get_family
from .results import GLMResults

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign


def fit_glm(design: "SurveyDesign", formula: str, *, family: str = "gaussian", subset: Subset = None,
            level: float = 0.95) -> GLMResults:
    """Body of :meth:`SurveyDesign.glm` (see there)."""
    fam = get_family(family)
    replicated = is_replicate(design)
    level = check_level(level)
    frame = model_frame(design, formula, subset)
    base = frame.base
    X, y, w = frame.X[base], frame.y[base], design._weight_array[base]
    if not fam.valid(y):
        raise ModelError(f"family={family!r} needs an outcome that is {fam.expects}; {frame.outcome!r} is not "
                         f"(range {y.min():g} to {y.max():g}) in {frame.domain_label}.")
    check_estimable(frame, X, w)
    df = check_df(frame, design_degf(design, base), X.shape[1])
    scale = w.mean()  # R fits with weights / mean(weights); the sandwich does not depend on it
    fit = irls(X, y, w / scale, fam)
    _warn_fit(frame, fam.name, fit, X)
    if replicated:
        cov = _replicate_cov(design, base, X, y, fam, fit.beta)
    else:
        d = fam.mu_eta(fit.eta)
        u = np.zeros_like(frame.X)
        u[base] = X * (w * (y - fit.mu) * d / fam.variance(fit.mu))[:, None]
        a_inv = np.linalg.inv(fit.information * scale)
        cov = a_inv @ score_covariance(design, u) @ a_inv
    return GLMResults(formula=formula, family=fam.name, link=fam.link, names=frame.names, params=fit.beta,
                      cov=cov, df=float(df), n=frame.n, excluded=frame.excluded, domain=frame.domain_label,
                      level=level, converged=fit.converged, iterations=fit.iterations, _design=design,
                      _frame=frame)


def is_replicate(design) -> bool:
    """Whether ``design`` carries replicate weights (a :class:`~residentsurvey.ReplicateDesign`)."""
    return hasattr(design, "_replicates")


def design_degf(design, base: np.ndarray) -> float:
    """R's ``degf`` of the domain's subset design: PSUs minus strata (Taylor), replicate rank minus one."""
    domain = base.astype(np.int64)  # 1 in the fit, 0 outside
    if is_replicate(design):
        from ..analysis.replicate_variance import replicate_degf

        return float(replicate_degf(design._replicates, design._weight_array, domain, 2)[1])
    return float(degrees_of_freedom(design._structure, np.zeros(design.n, dtype=np.int64), 1, base)[0])


def _replicate_cov(design, base: np.ndarray, X: np.ndarray, y: np.ndarray, fam, beta: np.ndarray) -> np.ndarray:
    r"""Covariance of the coefficients from refitting in every replicate, as R's ``svyglm`` on a ``svrepdesign``.

    :math:`s \sum_r c_r (\hat\beta_r - \bar\beta)(\hat\beta_r - \bar\beta)^\top` (centred on the full
    estimate with ``mse``), R's ``svrVar``; each replicate's IRLS starts from the full-sample fit.
    """
    rep = design._replicates
    weights = rep.row_weights(design._weight_array)[base]
    thetas = np.full((weights.shape[1], len(beta)), np.nan)
    for r in range(weights.shape[1]):  # one refit per replicate, as R
        w_r = weights[:, r]
        try:
            thetas[r] = irls(X, y, w_r / w_r.mean(), fam, start=beta).beta
        except np.linalg.LinAlgError:
            pass  # a replicate without the rows a coefficient needs: left out, as R's svrVar drops NaN
    ok = ~np.isnan(thetas).any(axis=1)
    c = np.asarray(rep.rscales, dtype=float)
    centre = beta if rep.mse else thetas[ok & (c > 0)].mean(axis=0)
    deviation = thetas[ok] - centre
    return rep.scale * (deviation * c[ok, None]).T @ deviation


def _warn_fit(frame, family: str, fit, X: np.ndarray) -> None:
    where = f"in {frame.domain_label}"
    if family == "binomial":
        edge = (fit.mu < 1e-8) | (fit.mu > 1 - 1e-8)
        if edge.any():
            spread = np.abs(fit.beta) * X.std(axis=0)
            spread[np.ptp(X, axis=0) == 0] = 0
            j = int(np.argmax(spread))
            warnings.warn(
                f"{int(edge.sum())} fitted probabilities are numerically 0 or 1 in {frame.formula!r} {where}: "
                f"the outcome is (quasi-)perfectly separated, most likely by term {frame.names[j]!r}. Its "
                "coefficient and standard error are not meaningful; merge categories or drop the term.",
                ModelWarning, stacklevel=4)
            return
    if not fit.converged:
        warnings.warn(f"{frame.formula!r} did not converge in {fit.iterations} iterations {where}; "
                      "the coefficients may be unreliable. Check for separation or very sparse categories.",
                      ModelWarning, stacklevel=4)
