"""Checks of a fitted Fay-Herriot model, as emdi's ``summary.fh``: residuals, normality, R², MSE gained."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["FayHerriotDiagnostics", "diagnose"]


@dataclass(frozen=True)
class FayHerriotDiagnostics:
    """What to look at before publishing modelled estimates.

    Attributes
    ----------
    residuals
        One row per area with respondents: the area (named as in ``estimates``), ``residual`` (:math:`y - x^\\top\\hat\\beta`),
        ``standardised_residual`` (divided by :math:`\\sqrt{\\hat A + D}`, about N(0, 1) if the model
        holds), ``random_effect`` (:math:`\\hat u = \\gamma (y - x^\\top\\hat\\beta)`) and
        ``standardised_random_effect`` (:math:`\\hat u` over its standard deviation).
    normality
        One row each for the standardised residuals and random effects: ``skewness``, ``kurtosis``
        (excess), Shapiro-Wilk ``shapiro_w`` and ``shapiro_p``.
    r_squared
        Share of the variation of the direct estimates across areas explained by the covariates,
        beyond the sampling noise (Lahiri and Suntornchost 2015, as emdi; may be below 0 or above 1
        when the sampling variance is large).
    mse_gain
        Mean over areas with respondents of :math:`1 - \\mathrm{mse} / \\mathrm{se}_{direct}^2`, the share
        of the direct estimate's variance removed by the model.
    share_improved
        Share of those areas whose model MSE is smaller than their direct variance.
    loglike, aic, bic
        Log-likelihood at the estimates, and the information criteria with ``p + 1`` parameters (as sae).
    """

    residuals: pd.DataFrame
    normality: pd.DataFrame
    r_squared: float
    mse_gain: float
    share_improved: float
    loglike: float
    aic: float
    bic: float


def _normality(name: str, values: np.ndarray) -> dict[str, object]:
    from scipy import stats

    ok = len(values) >= 3 and np.ptp(values) > 0
    w, p = stats.shapiro(values) if ok else (np.nan, np.nan)
    return {"quantity": name, "skewness": float(stats.skew(values)) if ok else np.nan,
            "kurtosis": float(stats.kurtosis(values)) if ok else np.nan, "shapiro_w": float(w), "shapiro_p": float(p)}


def diagnose(area: np.ndarray, y: np.ndarray, X: np.ndarray, vardir: np.ndarray, A: float, beta: np.ndarray,
             mse_ratio: np.ndarray, loglike: float, name: str = "area") -> FayHerriotDiagnostics:
    """Diagnostics from the fitted model on the areas with respondents (on the model's scale)."""
    m, p = X.shape
    resid = y - X @ beta
    total = A + vardir
    gamma = A / total
    effect = gamma * resid
    sd_effect = np.sqrt(np.where(A > 0, A * gamma, np.nan))
    residuals = pd.DataFrame({name: area, "residual": resid, "standardised_residual": resid / np.sqrt(total),
                              "random_effect": effect, "standardised_random_effect": effect / sd_effect})
    normality = pd.DataFrame([_normality("standardised_residual", residuals["standardised_residual"].to_numpy()),
                              _normality("standardised_random_effect",
                                         residuals["standardised_random_effect"].dropna().to_numpy())])
    hat = X @ np.linalg.lstsq(X, y, rcond=None)[0]
    msr = ((y - hat) ** 2).sum() / (m - p) - vardir.mean()
    mst = ((y - y.mean()) ** 2).sum() / (m - 1) - vardir.mean()
    r_squared = float(1.0 - msr / mst) if mst != 0 else np.nan
    return FayHerriotDiagnostics(residuals, normality, r_squared, float(np.nanmean(1.0 - mse_ratio)),
                                 float(np.mean(mse_ratio[np.isfinite(mse_ratio)] < 1.0)), loglike, -2 * loglike + 2 * (p + 1),
                                 -2 * loglike + (p + 1) * np.log(m))
