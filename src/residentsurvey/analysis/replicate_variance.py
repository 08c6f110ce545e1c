"""Replicate variance: every statistic recomputed with each replicate's weights, all domains at once.

For a ratio of totals (means, totals, shares, ratios) the replicate totals of every domain come
from one product: PSU-by-domain totals times the PSU multipliers, or for the jackknife
:math:`T_r = a_r T + b_r S_{h_r} + c_r Z_{p_r}` from PSU and stratum totals, so no
rows x replicates matrix is formed. Replicate weights held row by row (from a file, or
re-calibrated per replicate) are used through a sparse domain indicator. The variance is R's
``svrVar``:

.. math::  v = s \\sum_r c_r (\\hat\\theta_r - \\bar\\theta)^2,

:math:`\\bar\\theta` the mean of the replicates with :math:`c_r > 0`, or the full-sample estimate
when ``mse=True``. A replicate where a domain's denominator is zero (every respondent of the
domain in the deleted PSU) gives no estimate and is left out for that domain, as R's
``svrVar`` drops NA replicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._engine import Ratio
from ._pairs import pair_codes
from .replicate import ReplicateWeights

if TYPE_CHECKING:
    from ._domains import Domains

_DENSE_RANK_LIMIT = 2000  # above this many replicates, jackknife ranks come from counting PSUs and strata


@dataclass(frozen=True)
class _Cells:
    """The (PSU, domain) cells that occur, and each cell's replicate multipliers: shared by every variable."""

    cell: np.ndarray
    domain: np.ndarray
    multipliers: np.ndarray  # (cells, replicates)


def _cells(rep: ReplicateWeights, domain: np.ndarray, n_domains: int) -> _Cells:
    cell, _, cell_psu, cell_domain = pair_codes(rep.psu, len(rep.psu_stratum), domain, n_domains)
    return _Cells(cell, cell_domain, rep.multipliers[cell_psu])


def replicate_totals(rep: ReplicateWeights, w: np.ndarray, values: np.ndarray, domain: np.ndarray,
                     n_domains: int, cells: _Cells | None = None) -> np.ndarray:
    """(replicates, domains) totals of ``values`` with each replicate's weights (``cells``: precomputed)."""
    values = np.asarray(values, dtype=float)
    if rep.rows is not None:
        if n_domains == 1:
            return (values @ rep.rows)[:, None]
        from scipy import sparse

        indicator = sparse.csr_matrix((values, (domain, np.arange(len(values)))), shape=(n_domains, len(values)))
        return np.asarray((indicator @ rep.rows).T)
    n_psu = len(rep.psu_stratum)
    if rep.multipliers is not None:
        # (PSU, domain) cells that occur: PSUs nested in councils make this about one cell per PSU
        from scipy import sparse

        cells = _cells(rep, domain, n_domains) if cells is None else cells
        n_cells = len(cells.domain)
        z = np.bincount(cells.cell, weights=w * values, minlength=n_cells)
        spread = sparse.csr_matrix((z, (cells.domain, np.arange(n_cells))), shape=(n_domains, n_cells))
        return np.asarray((spread @ cells.multipliers).T)
    z = np.bincount(rep.psu * n_domains + domain, weights=w * values, minlength=n_psu * n_domains)
    z = z.reshape(n_psu, n_domains)
    jk = rep.jackknife
    key = (rep.psu_stratum[:, None] * n_domains + np.arange(n_domains)[None, :]).ravel()
    s = np.bincount(key, weights=z.ravel(), minlength=rep.n_strata * n_domains).reshape(rep.n_strata, n_domains)
    total = z.sum(axis=0)
    return jk.a[:, None] * total[None, :] + jk.b[:, None] * s[jk.stratum] + jk.c[:, None] * z[jk.psu]


def svr_variance(thetas: np.ndarray, estimate: np.ndarray, *, scale: float, rscales: np.ndarray,
                 mse: bool) -> np.ndarray:
    """R's ``svrVar`` for each column of ``thetas`` (replicates x statistics); NaN replicates left out per column."""
    thetas = np.asarray(thetas, dtype=float)
    if thetas.ndim == 1:
        thetas = thetas[:, None]
    estimate = np.broadcast_to(np.asarray(estimate, dtype=float), thetas.shape[1:])
    if thetas.shape[0] == 0:
        return np.where(np.isnan(estimate), np.nan, 0.0)
    ok = ~np.isnan(thetas)
    c = np.asarray(rscales, dtype=float)[:, None]
    if mse:
        centre = estimate
    else:
        positive = ok & (c > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(positive, thetas, 0.0).sum(axis=0) / positive.sum(axis=0)
    deviation = np.where(ok, thetas - centre[None, :], 0.0)
    v = scale * (c * deviation**2).sum(axis=0)
    return np.where(ok.any(axis=0) & ~np.isnan(estimate), v, np.nan)


@dataclass(frozen=True)
class ReplicateEngine:
    """The replicate implementation of the variance interface (see :mod:`._engine`)."""

    replicates: ReplicateWeights
    w: np.ndarray
    domains: "Domains"
    calibrated: None = None
    keeps_all_rows: bool = False  # R subsets a replicate design by dropping rows
    linearised: bool = False

    def _cells(self) -> _Cells | None:
        if self.replicates.multipliers is None:
            return None
        known = self.__dict__.setdefault("_known", {})  # derived from frozen fields, computed once
        if "cells" not in known:
            known["cells"] = _cells(self.replicates, self.domains.codes, self.domains.count)
        return known["cells"]

    def _ratio_replicates(self, ratio: Ratio) -> np.ndarray:
        codes, count, cells = self.domains.codes, self.domains.count, self._cells()
        top = replicate_totals(self.replicates, self.w, ratio.numerator, codes, count, cells)
        if ratio.denominator is None:
            return top
        bottom = replicate_totals(self.replicates, self.w, ratio.denominator, codes, count, cells)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bottom != 0, top / bottom, np.nan)

    def _full(self, ratio: Ratio) -> np.ndarray:
        codes, count = self.domains.codes, self.domains.count
        top = np.bincount(codes, weights=self.w * ratio.numerator, minlength=count)
        if ratio.denominator is None:
            return top
        bottom = np.bincount(codes, weights=np.where(ratio.denominator, self.w, 0.0) if ratio.denominator.dtype == bool
                             else self.w * ratio.denominator, minlength=count)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bottom != 0, top / bottom, np.nan)

    def _svr(self, thetas: np.ndarray, estimate: np.ndarray) -> np.ndarray:
        rep = self.replicates
        return svr_variance(thetas, estimate, scale=rep.scale, rscales=rep.rscales, mse=rep.mse)

    def variance(self, scores: np.ndarray, base: np.ndarray | None, ratio: Ratio | None = None) -> np.ndarray:
        if ratio is None:
            from ..errors import DesignError

            raise DesignError("this statistic has no replicate-weight variance yet: it is only available on a "
                              "SurveyDesign (Taylor linearisation).")
        return self._svr(self._ratio_replicates(ratio), self._full(ratio))

    def contrast_variance(self, ratio: Ratio, coefficients: np.ndarray) -> float:
        thetas = self._ratio_replicates(ratio)
        used = coefficients != 0
        contrast = thetas[:, used] @ coefficients[used]
        estimate = self._full(ratio)[used] @ coefficients[used]
        return float(self._svr(contrast, np.array([estimate]))[0])

    def combinations_variance(self, ratio: Ratio, whole: Ratio, matrix: np.ndarray,
                              whole_weights: np.ndarray) -> np.ndarray:
        thetas = self._ratio_replicates(ratio)
        full = self._full(ratio)
        empty = np.isnan(full)  # domains without respondents: no estimate, and no part in any combination
        thetas, full = np.where(empty[None, :], 0.0, thetas), np.where(empty, 0.0, full)
        overall = ReplicateEngine(self.replicates, self.w, make_domains_whole(len(self.w)))
        whole_thetas, whole_full = overall._ratio_replicates(whole)[:, 0], overall._full(whole)[0]
        combined = thetas @ matrix.T + whole_thetas[:, None] * whole_weights[None, :]
        return self._svr(combined, matrix @ full + whole_weights * whole_full)

    def link_se(self, ratio: Ratio, estimate: np.ndarray, link: str) -> np.ndarray | None:
        """Replicate SE of logit(estimate), as R's ``svyciprop(method="logit")`` gets it from ``svyglm`` on replicates."""
        thetas = self._ratio_replicates(ratio)
        with np.errstate(divide="ignore", invalid="ignore"):
            transformed = np.log(thetas / (1 - thetas))
            full = np.log(estimate / (1 - estimate))
        return np.sqrt(self._svr(np.where(np.isfinite(transformed), transformed, np.nan), full))

    def degrees_of_freedom(self) -> np.ndarray:
        return replicate_degf(self.replicates, self.w, self.domains.codes, self.domains.count)


def make_domains_whole(n: int) -> "Domains":
    """The whole sample as one domain."""
    import pandas as pd

    from ._domains import Domains

    return Domains((), np.zeros(n, dtype=np.int64), pd.DataFrame(index=range(1)))


def _rank(matrix: np.ndarray) -> int:
    """Column rank as R's ``qr(tol=1e-5)`` finds it, from the small Gram matrix."""
    if matrix.size == 0:
        return 0
    norms = np.sqrt((matrix**2).sum(axis=0))
    scaled = matrix / np.where(norms > 0, norms, 1.0)
    gram = scaled.T @ scaled if scaled.shape[1] <= scaled.shape[0] else scaled @ scaled.T
    eigen = np.linalg.eigvalsh(gram)
    return int((eigen > max(eigen.max(), 1e-300) * 1e-10).sum())


def replicate_degf(rep: ReplicateWeights, w: np.ndarray, domain: np.ndarray, n_domains: int) -> np.ndarray:
    """Per domain, the rank of its rows' replicate weights minus one (R's ``degf`` of the domain's subset)."""
    out = np.zeros(n_domains)
    if rep.rows is not None:
        order = np.argsort(domain, kind="stable")
        bounds = np.searchsorted(domain[order], np.arange(n_domains + 1))
        for d in range(n_domains):  # one rank per domain (councils), not per respondent
            out[d] = _rank(rep.rows[order[bounds[d]:bounds[d + 1]]]) - 1
        return out
    cell, n_cells, cell_psu, cell_domain = pair_codes(rep.psu, len(rep.psu_stratum), domain, n_domains)
    if rep.jackknife is not None and rep.count > _DENSE_RANK_LIMIT:
        # rank of delete-one-PSU replicates: PSUs minus strata (plus one), as for R's JKn
        _, _, _, stratum_domain = pair_codes(rep.psu_stratum[cell_psu], rep.n_strata, cell_domain, n_domains)
        return (np.bincount(cell_domain, minlength=n_domains) - np.bincount(stratum_domain, minlength=n_domains)).astype(float)
    if n_domains == 1 and rep.degf is not None:
        return np.array([float(rep.degf)])
    multipliers = rep.psu_multipliers()
    for d in range(n_domains):  # one rank per domain (councils), not per respondent
        out[d] = _rank(multipliers[cell_psu[cell_domain == d]].T) - 1
    return out
