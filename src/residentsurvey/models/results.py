"""The result of a design-based GLM: coefficients, their design covariance, and what to do with them.

Named as statsmodels users expect (``params``, ``bse``, ``conf_int()``, ``cov_params()``,
``summary()``) plus the tidy ``coefficients`` table of this library. Tests are t tests on R's
residual degrees of freedom, as ``summary(svyglm(...))``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..analysis.intervals import check_level
from ..errors import ModelError, OptionError
from ._coefficients import CoefficientAccessors, coefficient_table

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign
    from ._frame import ModelFrame

def model_matrix_for(frame: "ModelFrame", formula: str, data: pd.DataFrame) -> np.ndarray:
    """The fit's model matrix for new rows; an unseen category or a missing value is an error, not a NaN."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # formulaic only warns when it turns an unseen category into NaN
            matrix = frame.spec.get_model_matrix(data, na_action="raise")
    except Exception as e:
        raise ModelError(f"newdata cannot be put through the formula {formula!r}: {e} It needs every column the "
                         "right-hand side uses, no missing values, and only categories seen in the fit.") from e
    return np.asarray(matrix, dtype=float)


#: What :meth:`GLMResults.predict` returns: the linear predictor or the mean of the outcome.
PREDICTION_TYPES: dict[str, str] = {"link": "the linear predictor (log-odds, log-rate)",
                                    "response": "the outcome's mean (a share, a rate)"}


@dataclass(frozen=True, eq=False)
class GLMResults(CoefficientAccessors):
    """A fitted design-based GLM (from :meth:`SurveyDesign.glm`).

    Attributes
    ----------
    formula, family, link
        The model as asked.
    names
        Coefficient names (formulaic's: ``Intercept``, ``x``, ``C(tenure)[T.Owner]``).
    params, cov
        Coefficients and their design-based covariance matrix (arrays).
    df
        Residual degrees of freedom, ``degf(design) + 1 - coefficients`` (R's ``svyglm``).
    n, excluded
        Respondents in the fit, and rows of the design left out by reason (outside the subset,
        missing a value, zero weight): nothing is dropped silently.
    domain
        The subset the model was fitted in.
    level
        Default confidence level of the intervals.
    """

    formula: str
    family: str
    link: str
    names: tuple[str, ...]
    params_: np.ndarray = field(repr=False)
    cov: np.ndarray = field(repr=False)
    df: float
    n: int
    excluded: dict[str, int]
    domain: str
    level: float
    converged: bool
    iterations: int
    _design: "SurveyDesign" = field(repr=False)
    _frame: "ModelFrame" = field(repr=False)

    def __init__(self, *, formula, family, link, names, params, cov, df, n, excluded, domain, level, converged,
                 iterations, _design, _frame) -> None:
        values = dict(formula=formula, family=family, link=link, names=tuple(names), params_=np.asarray(params),
                      cov=np.asarray(cov), df=df, n=n, excluded=dict(excluded), domain=domain, level=level,
                      converged=converged, iterations=iterations, _design=_design, _frame=_frame)
        for key, value in values.items():
            object.__setattr__(self, key, value)

    def tidy(self, *, exponentiate: bool = False, level: float | None = None) -> pd.DataFrame:
        """The coefficient table, optionally as odds or rate ratios.

        Parameters
        ----------
        exponentiate
            Report :math:`e^\\beta` and its limits (odds ratios for ``binomial``, rate ratios for
            ``poisson``); ``se`` becomes :math:`e^\\beta \\cdot se` (delta method, as ``broom``) while
            ``statistic`` and ``p_value`` stay those of :math:`\\beta`.
        level
            Confidence level (default: the fit's).
        """
        level = self.level if level is None else check_level(level)
        return coefficient_table(self.names, self.params_, self.cov, self.df, level,
                                 slice(None) if exponentiate else None)

    def summary(self) -> str:
        """A printable summary: the model, the design, who is in the fit, and the coefficient table."""
        left = "; ".join(f"{k}: {v:,}" for k, v in self.excluded.items()) or "none"
        head = [f"Design-based GLM ({self.family}, {self.link} link): {self.formula}",
                f"Fitted in {self.domain}: {self.n:,} respondents; left out: {left}",
                f"Residual df {self.df:g} (PSUs - strata + 1 - coefficients); SEs by Taylor linearisation",
                ""]
        table = self.tidy().set_index("term")
        return "\n".join(head) + table.to_string(float_format=lambda v: f"{v:.6g}")

    def __repr__(self) -> str:
        return f"GLMResults({self.family}: {self.formula}, n={self.n}, df={self.df:g}, in {self.domain})"

    def _repr_html_(self) -> str:
        left = "; ".join(f"{k}: {v:,}" for k, v in self.excluded.items()) or "none"
        caption = html.escape(f"{self.family} ({self.link} link): {self.formula} in {self.domain}; n = {self.n:,}, "
                              f"df = {self.df:g}; left out: {left}")
        table = self.tidy().to_html(index=False, float_format=lambda v: f"{v:.4g}")
        return f"<div><p>{caption}</p>{table}</div>"

    # ---- using the model ---------------------------------------------------------------

    def _matrix(self, data: pd.DataFrame) -> np.ndarray:
        return model_matrix_for(self._frame, self.formula, data)

    def predict(self, newdata: pd.DataFrame, *, se: bool = True, type: str = "link",
                level: float | None = None) -> pd.DataFrame:
        """Predictions for the rows of ``newdata``, with design-based standard errors.

        Parameters
        ----------
        newdata
            Rows with the columns the right-hand side of the formula uses.
        se
            Add ``se``, ``ci_lower`` and ``ci_upper``.
        type
            ``"link"`` (default, as R) or ``"response"`` (se by the delta method, as R's
            ``predict(..., type="response")``; limits are the link limits transformed, so they stay
            inside the outcome's range).
        level
            Confidence level (default: the fit's), normal quantiles as R's ``confint`` on predictions.

        Returns
        -------
        pandas.DataFrame
            Indexed as ``newdata``: ``estimate`` (and ``se``, ``ci_lower``, ``ci_upper``).
        """
        from scipy import stats

        from .families import FAMILIES

        if type not in PREDICTION_TYPES:
            raise OptionError.unknown("type", type, PREDICTION_TYPES)
        level = self.level if level is None else check_level(level)
        X = self._matrix(newdata)
        eta = X @ self.params_
        fam = FAMILIES[self.family]
        out = pd.DataFrame(index=newdata.index)
        out["estimate"] = eta if type == "link" else fam.linkinv(eta)
        if se:
            se_eta = np.sqrt(np.einsum("ij,jk,ik->i", X, self.cov, X))
            q = stats.norm.ppf(0.5 + level / 2)
            lower, upper = eta - q * se_eta, eta + q * se_eta
            if type == "link":
                out["se"], out["ci_lower"], out["ci_upper"] = se_eta, lower, upper
            else:
                out["se"] = se_eta * fam.mu_eta(eta)
                out["ci_lower"], out["ci_upper"] = fam.linkinv(lower), fam.linkinv(upper)
        return out

    def wald_test(self, terms: str | list[str]) -> pd.DataFrame:
        """Wald test that the coefficients of ``terms`` are all zero, as R's ``regTermTest(method="Wald")``.

        ``terms`` are term labels of the formula (``"ell"``, ``"C(stype)"``, ``"ell:meals"``) or
        coefficient names. Returns one row: ``terms``, ``F``, ``df_num``, ``df_den`` (the residual df),
        ``p_value`` (F distribution).
        """
        from .wald import wald_test

        return wald_test(self, terms)

    def predictive_margins(self, variable: str, by: str | list[str] | None = None, *,
                           level: float | None = None) -> pd.DataFrame:
        """Average predicted outcome with ``variable`` set to each of its categories for everyone.

        As R's ``svypredmeans``: predictions on the response scale averaged over the respondents in
        the fit (with their weights), per category of ``variable`` (and within each group of ``by``),
        with standard errors that add the coefficients' uncertainty to the design variance of the
        average. Columns: the ``by`` columns, ``variable``, ``category``, ``estimate``, ``se``,
        ``ci_lower``, ``ci_upper``, ``n``.
        """
        from .margins import predictive_margins

        return predictive_margins(self, variable, by=by, level=self.level if level is None else check_level(level))

    @property
    def design(self) -> "SurveyDesign":
        """The design the model was fitted on."""
        return self._design

