"""Proportional-odds (ordinal logistic) regression on a survey design, as R's ``svyolr``.

For an outcome with ordered categories :math:`1..K` and linear predictor :math:`\\eta_i = x_i^\\top\\beta`
(no intercept), :math:`P(Y_i \\le k) = F(\\zeta_k - \\eta_i)` with *F* the logistic distribution
(R's ``polr`` convention: a positive coefficient moves respondents to *higher* categories). The
weighted log-likelihood :math:`\\sum_i w_i \\log\\{F(\\zeta_{y_i} - \\eta_i) - F(\\zeta_{y_i-1} - \\eta_i)\\}`
is maximised by Newton's method with its analytic gradient; the variance is the sandwich
:math:`A^{-1} V A^{-1}` with *A* the weighted information and *V* the design covariance of the
score totals, as for :mod:`residentsurvey.models.glm`. p-values use t on the design's degrees of
freedom.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..analysis.intervals import check_level
from ..analysis.score_covariance import score_covariance
from ..analysis.variance import degrees_of_freedom
from ..errors import ConvergenceWarning, DesignError, ModelError, OptionError
from ._checks import check_df, check_estimable
from ._coefficients import CoefficientAccessors, coefficient_table
from ._frame import Subset, model_frame

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign
    from ._frame import ModelFrame

#: Links of :meth:`SurveyDesign.ordinal`.
ORDINAL_LINKS: dict[str, str] = {"logit": "proportional odds (logistic), as R's svyolr(method='logistic')"}


def _cdf(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -700, 700)))


def _pdf(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(np.clip(x, -700, 700)))
    return e / (1.0 + e) ** 2


def _parts(theta: np.ndarray, X: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-row log-likelihood and gradient (rows, parameters) at ``theta`` = (beta, zeta)."""
    p = X.shape[1]
    beta, zeta = theta[:p], theta[p:]
    eta = X @ beta
    cuts = np.concatenate([[-np.inf], zeta, [np.inf]])
    upper, lower = cuts[y + 1] - eta, cuts[y] - eta
    prob = np.maximum(_cdf(upper) - _cdf(lower), 1e-300)
    f_up = np.where(np.isfinite(upper), _pdf(upper), 0.0)
    f_low = np.where(np.isfinite(lower), _pdf(lower), 0.0)
    grad = np.zeros((len(y), p + k - 1))
    grad[:, :p] = X * ((f_low - f_up) / prob)[:, None]
    rows = np.arange(len(y))
    has_up, has_low = y < k - 1, y > 0
    grad[rows[has_up], p + y[has_up]] += f_up[has_up] / prob[has_up]
    grad[rows[has_low], p + y[has_low] - 1] -= f_low[has_low] / prob[has_low]
    return np.log(prob), grad


def _hessian(theta: np.ndarray, X: np.ndarray, y: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Weighted Hessian by central differences of the analytic gradient (as R's optim(hessian=TRUE))."""
    m = len(theta)
    h = np.empty((m, m))
    for j in range(m):  # loops over parameters, not respondents
        step = 1e-5 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += step
        down[j] -= step
        h[:, j] = (w @ _parts(up, X, y, k)[1] - w @ _parts(down, X, y, k)[1]) / (2 * step)
    return (h + h.T) / 2


@dataclass(frozen=True, eq=False)
class OrdinalResults(CoefficientAccessors):
    """A fitted proportional-odds model (from :meth:`SurveyDesign.ordinal`).

    ``names`` are the coefficients then the cut-points (``"1|2"``, ``"2|3"``, ... as R),
    ``categories`` the outcome's ordered categories, ``df`` the design's degrees of freedom.
    """

    formula: str
    link: str
    names: tuple[str, ...]
    params_: np.ndarray = field(repr=False)
    cov: np.ndarray = field(repr=False)
    categories: tuple[Any, ...]
    n_coefficients: int
    df: float
    n: int
    excluded: dict[str, int]
    domain: str
    level: float
    _design: "SurveyDesign" = field(repr=False)
    _frame: "ModelFrame" = field(repr=False)

    def tidy(self, *, exponentiate: bool = False, level: float | None = None) -> pd.DataFrame:
        """The coefficient table; ``exponentiate=True`` gives odds ratios for the coefficients."""
        level = self.level if level is None else check_level(level)
        return coefficient_table(self.names, self.params_, self.cov, self.df, level,
                                 slice(0, self.n_coefficients) if exponentiate else None)

    def summary(self) -> str:
        """A printable summary: model, domain, who is in the fit, and the coefficient table."""
        left = "; ".join(f"{k}: {v:,}" for k, v in self.excluded.items()) or "none"
        head = [f"Design-based proportional-odds model ({self.link}): {self.formula}",
                f"Categories (lowest first): {', '.join(map(str, self.categories))}",
                f"Fitted in {self.domain}: {self.n:,} respondents; left out: {left}",
                f"t tests on the design's {self.df:g} degrees of freedom; SEs by Taylor linearisation", ""]
        return "\n".join(head) + self.tidy().set_index("term").to_string(float_format=lambda v: f"{v:.6g}")

    def __repr__(self) -> str:
        return f"OrdinalResults({self.formula}, n={self.n}, categories={len(self.categories)}, in {self.domain})"

    def _repr_html_(self) -> str:
        caption = html.escape(f"proportional odds: {self.formula} in {self.domain}; n = {self.n:,}")
        return f"<div><p>{caption}</p>{self.tidy().to_html(index=False, float_format=lambda v: f'{v:.4g}')}</div>"

    def _probabilities(self, X: np.ndarray) -> np.ndarray:
        eta = X @ self.params_[: self.n_coefficients]
        cuts = np.concatenate([[-np.inf], self.params_[self.n_coefficients:], [np.inf]])
        cumulative = _cdf(cuts[None, :] - eta[:, None])
        return np.diff(cumulative, axis=1)

    def predict(self, newdata: pd.DataFrame) -> pd.DataFrame:
        """Predicted probability of each category for each row of ``newdata`` (columns: the categories)."""
        from .results import model_matrix_for

        X = model_matrix_for(self._frame, self.formula, newdata)
        X = X[:, 1:] if self._frame.names[0] == "Intercept" else X
        return pd.DataFrame(self._probabilities(X), index=newdata.index, columns=list(self.categories))

    def predicted_shares(self, by: str | list[str] | None = None) -> pd.DataFrame:
        """Average predicted share of each category (weighted, over the respondents in the fit) beside the
        observed weighted share, per group of ``by``: columns ``by``..., ``category``, ``predicted``, ``observed``.
        """
        from ..analysis._domains import make_domains

        design, frame = self._design, self._frame
        base = frame.base
        X = frame.X[base][:, 1:] if frame.names[0] == "Intercept" else frame.X[base]
        probabilities = self._probabilities(X)
        w = design._weight_array[base]
        domains = make_domains(design.data.loc[base] if not isinstance(base, slice) else design.data, by)
        total = np.bincount(domains.codes, weights=w, minlength=domains.count)
        k = len(self.categories)
        y = frame.y[base].astype(int)
        predicted = np.stack([np.bincount(domains.codes, weights=w * probabilities[:, j], minlength=domains.count)
                              for j in range(k)], axis=1) / total[:, None]
        observed = np.stack([np.bincount(domains.codes, weights=w * (y == j), minlength=domains.count)
                             for j in range(k)], axis=1) / total[:, None]
        table = domains.labels.loc[domains.labels.index.repeat(k)].reset_index(drop=True)
        table["category"] = np.tile(np.array(self.categories, dtype=object), domains.count)
        table["predicted"], table["observed"] = predicted.ravel(), observed.ravel()
        return table


def fit_ordinal(design: "SurveyDesign", formula: str, *, link: str = "logit", subset: Subset = None,
                level: float = 0.95, max_iter: int = 100, tol: float = 1e-10) -> OrdinalResults:
    """Body of :meth:`SurveyDesign.ordinal` (see there)."""
    import warnings

    if link not in ORDINAL_LINKS:
        raise OptionError.unknown("link", link, ORDINAL_LINKS)
    if hasattr(design, "_replicates"):
        raise DesignError("ordinal() on replicate-weight designs is not available yet; use the Taylor design.")
    level = check_level(level)
    if not isinstance(formula, str) or "~" not in formula:
        raise ModelError(f"formula must be a string such as 'satisfaction ~ age_band + C(tenure)'; got {formula!r}.")
    left, right = (part.strip() for part in formula.split("~", 1))
    name = left.strip("`")
    if name not in design.data.columns:
        raise ModelError(f"the outcome {name!r} of {formula!r} is not a column of the design's data.")
    column = design.data[name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = tuple(column.cat.categories)
        codes = column.cat.codes.astype(float).where(column.cat.codes >= 0)
    else:
        values = sorted(column.dropna().unique().tolist())
        codes = column.map({c: float(i) for i, c in enumerate(values)})
        whole = all(isinstance(v, float) and v.is_integer() for v in values)
        categories = tuple(int(v) for v in values) if whole else tuple(values)  # 1.0 -> 1 in labels
    if len(categories) < 3:
        raise ModelError(f"the outcome {name!r} has {len(categories)} categories; an ordinal model needs at least 3 "
                         "(for two, use design.glm(..., family='binomial')).")
    work = design.with_columns(pd.DataFrame({"_ordinal_outcome": codes.to_numpy()}, index=design.data.index))
    frame = model_frame(work, f"_ordinal_outcome ~ {right}", subset)
    if "Intercept" not in frame.names:
        raise ModelError("an ordinal model's cut-points take the intercept's place; leave the intercept in.")
    base = frame.base
    X, y, w = frame.X[base][:, 1:], frame.y[base].astype(int), design._weight_array[base]
    check_estimable(frame, frame.X[base], w)
    k = len(categories)
    seen = np.bincount(y, minlength=k)
    if (seen == 0).any():
        empty = [str(categories[j]) for j in np.flatnonzero(seen == 0)]
        raise ModelError(f"category {', '.join(empty)} of {name!r} has no respondents in {frame.domain_label}; "
                         "merge it with a neighbouring category.")
    p = X.shape[1]
    whole = np.zeros(design.n, dtype=np.int64)
    degf = degrees_of_freedom(design._structure, whole, 1, base)[0]
    check_df(frame, degf, p + k - 1)
    scale = w.mean()
    ws = w / scale
    shares = np.cumsum(np.bincount(y, weights=ws, minlength=k))[:-1] / ws.sum()
    theta = np.concatenate([np.zeros(p), np.log(shares / (1 - shares))])
    loglik = ws @ _parts(theta, X, y, k)[0]
    converged = False
    for _ in range(max_iter):
        gradient = ws @ _parts(theta, X, y, k)[1]
        hessian = _hessian(theta, X, y, ws, k)
        step = np.linalg.solve(hessian, -gradient)
        for _ in range(30):  # halve the step until the likelihood rises and the cut-points stay ordered
            candidate = theta + step
            if np.all(np.diff(candidate[p:]) > 0):
                new = ws @ _parts(candidate, X, y, k)[0]
                if new >= loglik - 1e-12:
                    break
            step /= 2
        theta, change, loglik = candidate, np.max(np.abs(step)), new
        if change < tol * (1 + np.max(np.abs(theta))):
            converged = True
            break
    if not converged:
        warnings.warn(f"{formula!r} did not converge in {max_iter} Newton steps in {frame.domain_label}.",
                      ConvergenceWarning, stacklevel=3)
    information = -_hessian(theta, X, y, ws, k) * scale
    scores = np.zeros((design.n, p + k - 1))
    scores[base] = _parts(theta, X, y, k)[1] * w[:, None]
    a_inv = np.linalg.inv(information)
    cov = a_inv @ score_covariance(design, scores) @ a_inv
    labels = [str(c) for c in categories]
    names = tuple(frame.names[1:]) + tuple(f"{labels[j]}|{labels[j + 1]}" for j in range(k - 1))
    excluded = {key: v for key, v in frame.excluded.items()}
    return OrdinalResults(formula, link, names, theta, cov, categories, p, float(degf), frame.n, excluded,
                          frame.domain_label, level, design, frame)
