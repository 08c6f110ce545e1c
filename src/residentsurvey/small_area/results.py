"""The result of :func:`fay_herriot`: estimates, the linking model, and how it was fitted."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .diagnostics import FayHerriotDiagnostics, diagnose

__all__ = ["FayHerriot", "ESTIMATE_COLUMNS"]

ESTIMATE_COLUMNS = ("area", "n", "direct", "direct_se", "direct_ci_lower", "direct_ci_upper", "estimate", "mse",
                    "rmse", "ci_lower", "ci_upper", "shrinkage", "synthetic", "method", "sampling_variance")


@dataclass(frozen=True)
class _ModelScale:
    """What the diagnostics need, on the model's scale (areas with respondents only)."""

    area: np.ndarray
    y: np.ndarray
    X: np.ndarray
    vardir: np.ndarray
    mse_ratio: np.ndarray


@dataclass(frozen=True)
class FayHerriot:
    """Small-area estimates from a Fay-Herriot model, each next to its direct estimate.

    Attributes
    ----------
    estimates
        One row per area of ``auxiliary`` (areas with respondents first, in ``direct``'s order, then the
        rest): ``area`` (named as the ``area`` argument), ``n`` (respondents, 0 where none),
        ``direct``, ``direct_se``, ``direct_ci_lower``, ``direct_ci_upper`` (blank where no respondents),
        ``estimate`` (the model estimate, benchmarked if asked), ``mse``, ``rmse``, ``ci_lower``,
        ``ci_upper``, ``shrinkage`` (:math:`D/(A+D)`: 0 keeps the direct estimate, 1 is the synthetic
        one), ``synthetic`` (:math:`x^\\top\\hat\\beta`), ``method`` (``"eblup"``, or ``"synthetic"`` for
        an area without respondents), ``sampling_variance`` (the :math:`D` the model used, on the
        model's scale), plus ``unbenchmarked`` when benchmarked.
    coefficients
        ``term``, ``estimate``, ``se``, ``z``, ``p_value`` of the linking model (on the model's scale).
    model_variance
        :math:`\\hat A`, the variance of the area effects (on the model's scale).
    method, transform, backtransform, formula, level
        How the model was fitted.
    iterations, converged
        Fisher-scoring steps (function evaluations for the adjusted likelihoods) and whether it converged.
    benchmark
        ``None`` or ``"council (ratio)"`` / ``"council (difference)"``.
    notes
        Plain-English notes on anything the analyst should know (a zero variance, smoothed variances).
    """

    estimates: pd.DataFrame = field(repr=False)
    coefficients: pd.DataFrame = field(repr=False)
    model_variance: float
    method: str
    transform: str
    backtransform: str | None
    formula: str
    level: float
    iterations: int
    converged: bool
    loglike: float
    benchmark: str | None
    notes: tuple[str, ...]
    _model: _ModelScale = field(repr=False)

    def diagnostics(self) -> FayHerriotDiagnostics:
        """Standardised residuals, normality checks, R² of the linking model and the MSE gained over direct.

        Returns
        -------
        FayHerriotDiagnostics
        """
        beta = self.coefficients["estimate"].to_numpy()
        m = self._model
        return diagnose(m.area, m.y, m.X, m.vardir, self.model_variance, beta, m.mse_ratio, self.loglike,
                        name=str(self.estimates.columns[0]))

    def summary(self) -> str:
        """A few lines describing the fit, for a notebook or a log."""
        d = self.diagnostics()
        est = self.estimates
        sampled = int((est["method"] == "eblup").sum())
        lines = [f"Fay-Herriot model {self.formula} ({self.method.upper()}, transform {self.transform}"
                 + (f", {self.benchmark} benchmark" if self.benchmark else "") + ")",
                 f"areas: {len(est)} ({sampled} with respondents, {len(est) - sampled} synthetic only)",
                 f"area-effect variance A = {self.model_variance:.6g}; R² of the linking model {d.r_squared:.3f}",
                 f"MSE below the direct variance in {d.share_improved:.0%} of sampled areas "
                 f"(mean gain {d.mse_gain:.0%})"]
        return "\n".join(lines + list(self.notes))
