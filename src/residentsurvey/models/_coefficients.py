"""What every fitted model shares: its coefficients and their design covariance, read as tables."""

from __future__ import annotations

import numpy as np
import pandas as pd


def coefficient_table(names: tuple[str, ...], params: np.ndarray, cov: np.ndarray, df: float, level: float,
                      exponentiate: slice | None = None) -> pd.DataFrame:
    """``term, estimate, se, statistic, df, p_value, ci_lower, ci_upper`` with t on ``df`` degrees of freedom.

    ``exponentiate`` selects the coefficients reported as :math:`e^\\beta` (limits transformed, se by
    the delta method :math:`e^\\beta se`, statistic and p-value those of :math:`\\beta`).
    """
    from scipy import stats

    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = params / se
    q = stats.t.ppf(0.5 + level / 2, df)
    estimate, lower, upper = params.copy(), params - q * se, params + q * se
    if exponentiate is not None:
        c = exponentiate
        se = se.copy()
        estimate[c], lower[c], upper[c] = np.exp(estimate[c]), np.exp(lower[c]), np.exp(upper[c])
        se[c] = estimate[c] * se[c]
    return pd.DataFrame({"term": list(names), "estimate": estimate, "se": se, "statistic": statistic, "df": df,
                         "p_value": 2 * stats.t.sf(np.abs(statistic), df), "ci_lower": lower, "ci_upper": upper})


class CoefficientAccessors:
    """statsmodels-style accessors over ``names``, ``params_``, ``cov`` and ``tidy()`` of a results class."""

    names: tuple[str, ...]
    params_: np.ndarray
    cov: np.ndarray

    def tidy(self, *, exponentiate: bool = False, level: float | None = None) -> pd.DataFrame:
        raise NotImplementedError

    @property
    def params(self) -> pd.Series:
        """Coefficients, indexed by name."""
        return pd.Series(self.params_, index=list(self.names), name="estimate")

    @property
    def bse(self) -> pd.Series:
        """Design-based standard errors, indexed by name."""
        return pd.Series(np.sqrt(np.diag(self.cov)), index=list(self.names), name="se")

    def cov_params(self) -> pd.DataFrame:
        """Design-based covariance matrix of the coefficients (R's ``vcov()``)."""
        return pd.DataFrame(self.cov, index=list(self.names), columns=list(self.names))

    def conf_int(self, level: float | None = None) -> pd.DataFrame:
        """Confidence limits (t with the model's degrees of freedom), columns ``ci_lower`` and ``ci_upper``."""
        return self.tidy(level=level).set_index("term")[["ci_lower", "ci_upper"]]

    @property
    def coefficients(self) -> pd.DataFrame:
        """Tidy table: ``term, estimate, se, statistic, df, p_value, ci_lower, ci_upper``."""
        return self.tidy()
