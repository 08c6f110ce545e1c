"""Replicate weights built from a design's strata and PSUs, with R's ``as.svrepdesign`` conventions.

Replicate *r* gives respondent *i* the weight :math:`w_{ir} = w_i \\, m_{r}(p_i)`, a multiplier of
the full-sample weight that depends only on the respondent's first-stage PSU :math:`p_i`
(R's ``combined.weights=FALSE``). The variance of a statistic is then (R's ``svrVar``)

.. math::  v = s \\sum_r c_r (\\hat\\theta_r - \\bar\\theta)^2

with ``scale`` *s*, ``rscales`` :math:`c_r` and :math:`\\bar\\theta` the mean of the replicates with
:math:`c_r > 0` (or the full-sample estimate when ``mse=True``). Per method (R survey 4.1):

==============  =====================================================  ===========================  ==========
method          replicate r                                            scale                        rscales
==============  =====================================================  ===========================  ==========
``jk1``         drop PSU r, others x n/(n-1) (unstratified)             (1 - f)(n - 1)/n             1
``jkn``         drop PSU r of stratum h, its others x n_h/(n_h-1)       1                            (1 - f_h)(n_h - 1)/n_h
``brr``         one PSU of each stratum x 2, the other x 0 (Hadamard)   1/R                          1
``fay``         one PSU x (2 - rho), the other x rho                    1/(R (1 - rho)^2)            1
``bootstrap``   n_h PSUs drawn with replacement (counts)                n̄/((n̄ - 1)(R - 1))          1
``subbootstrap`` n_h - 1 draws, counts x n_h/(n_h - 1) (Rao-Wu)         1/(R - 1)                    1
==============  =====================================================  ===========================  ==========

f is the first-stage sampling fraction (from ``fpc``; 0 without), n̄ the harmonic mean of PSUs
per stratum. ``jkn`` drops strata taken whole (f_h = 1) and treats single-PSU strata by the design's
``lonely_psu`` rule as R's ``jknweights`` does; the bootstrap with ``fpc`` draws n_h PSUs without
replacement from N_h copies (R's ``bootweights``). Only first-stage information is used (R drops
later-stage fpc with a warning, and so do we).

Storage never needs rows x replicates: jackknife replicates are kept as "delete PSU p of stratum h"
so replicate totals come from PSU and stratum totals; other methods keep a PSUs x replicates
multiplier matrix. Only replicate weights given row by row (from a file, or after the weighting
chain is re-run per replicate) are held as a rows x replicates matrix.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..errors import DesignError, DesignWarning, OptionError
from ._structure import Stage
from .hadamard import hadamard

#: Replicate methods of ``design.replicate(method=...)``, as R's ``as.svrepdesign(type=...)``.
REPLICATE_METHODS: dict[str, str] = {
    "jk1": "delete-one-PSU jackknife for an unstratified design (R type='JK1')",
    "jkn": "delete-one-PSU jackknife within strata (R type='JKn')",
    "brr": "balanced repeated replication, 2 PSUs per stratum, Hadamard-balanced half-samples (R type='BRR')",
    "fay": "Fay's BRR: the half-samples weighted 2 - rho and rho (R type='Fay')",
    "bootstrap": "with-replacement bootstrap of n_h PSUs per stratum (R type='bootstrap')",
    "subbootstrap": "Rao-Wu bootstrap of n_h - 1 PSUs per stratum (R type='subbootstrap')",
}

#: Methods a file's replicate weights can be declared with (``rs.ReplicateDesign(method=...)``), as R's ``svrepdesign(type=...)``.
FILE_REPLICATE_METHODS: dict[str, str] = {
    **REPLICATE_METHODS,
    "other": "any other replicate scheme: give scale= and rscales= (R type='other')",
}

#: Largest respondents x replicates matrix materialised (8 bytes each: 2 GB).
ROW_WEIGHTS_LIMIT = 250_000_000

#: Default bootstrap replicates, as R's ``bootweights(replicates=50)``.
DEFAULT_BOOTSTRAP_REPLICATES = 50


@dataclass(frozen=True)
class Jackknife:
    """Delete-one-PSU replicates in closed form: replicate total = a T + b S[h] + c Z[p].

    T is the full-sample total, S[h] the total of stratum h and Z[p] of PSU p. Deleting PSU p of
    stratum h with n_h PSUs is a = 1, b = n_h/(n_h - 1) - 1, c = -n_h/(n_h - 1); R's
    lonely-PSU "adjust" replicate (stratum h zeroed, every other weight x H/(H - 1)) is a = H/(H - 1),
    b = -a, c = 0.
    """

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    stratum: np.ndarray   # stratum of each replicate
    psu: np.ndarray       # deleted PSU of each replicate (any PSU where c = 0)


@dataclass(frozen=True)
class ReplicateWeights:
    """A design's replicate weights, in the most compact form their structure allows.

    Exactly one of ``jackknife`` (with ``psu``), ``multipliers`` (with ``psu``) or ``rows`` is
    set: replicate weight of row i in replicate r is ``w[i] * multiplier(psu[i], r)`` for the
    first two, ``rows[i, r]`` for the third.
    """

    method: str
    scale: float
    rscales: np.ndarray
    mse: bool
    fay_rho: float = 0.0
    psu: np.ndarray | None = None            # row -> PSU code
    psu_stratum: np.ndarray | None = None    # PSU -> stratum code
    n_strata: int = 0
    jackknife: Jackknife | None = None
    multipliers: np.ndarray | None = None    # (PSUs, replicates)
    rows: np.ndarray | None = field(default=None, repr=False)  # (rows, replicates) full replicate weights
    degf: int | None = None                  # known rank - 1 (None: compute it)

    @property
    def count(self) -> int:
        """Number of replicates."""
        return len(self.rscales)

    def psu_multipliers(self) -> np.ndarray:
        """(PSUs, replicates) multipliers (dense; for export and rank, not for estimation)."""
        if self.multipliers is not None:
            return self.multipliers
        jk = self.jackknife
        n_psu = len(self.psu_stratum)
        out = np.broadcast_to(jk.a, (n_psu, len(jk.a))).copy()
        in_stratum = self.psu_stratum[:, None] == jk.stratum[None, :]
        out += np.where(in_stratum, jk.b[None, :], 0.0)
        out[jk.psu, np.arange(len(jk.a))] += jk.c
        return out

    def row_weights(self, w: np.ndarray) -> np.ndarray:
        """(rows, replicates) replicate weights, materialised (re-weighting, quantiles, export)."""
        if self.rows is not None:
            return self.rows
        size = len(w) * self.count
        if size > ROW_WEIGHTS_LIMIT:
            raise DesignError(
                f"this needs every replicate weight of every respondent: {len(w):,} x {self.count:,} = {size:,} numbers "
                f"({size * 8 / 1e9:.1f} GB). Use fewer replicates for re-weighting, quantiles or export (e.g. "
                "method='bootstrap' with replicates=200); means, totals, shares and ratios need no such matrix."
            )
        return w[:, None] * self.psu_multipliers()[self.psu]


def _fpc_fraction(stage: Stage, method: str) -> np.ndarray:
    """Per stratum, the finite population correction 1 - f (1 without fpc)."""
    popsize = stage.popsize
    if not np.isfinite(popsize).any():
        return np.ones(stage.n_strata)
    if method in ("brr", "fay", "subbootstrap"):
        warnings.warn(f"the finite population correction is dropped for method={method!r} (as R's as.svrepdesign "
                      "does): replicates treat PSUs as drawn with replacement.", DesignWarning, stacklevel=4)
        return np.ones(stage.n_strata)
    return np.where(np.isfinite(popsize), (popsize - stage.n_units) / popsize, 1.0)


def _jk1(stage: Stage, correction: np.ndarray) -> tuple[Jackknife, float, np.ndarray]:
    if stage.n_strata > 1:
        raise DesignError("method='jk1' is for unstratified designs (as R's as.svrepdesign: \"Can't use JK1 for a "
                          "stratified design\"); use method='jkn' for a stratified design.")
    n = int(stage.n_units[0])
    if n < 2:
        raise DesignError("method='jk1' needs at least 2 PSUs; the design has 1.")
    k = n / (n - 1)
    ones = np.ones(n)
    jk = Jackknife(a=ones, b=ones * (k - 1), c=-k * ones, stratum=np.zeros(n, dtype=np.int64),
                   psu=np.arange(n, dtype=np.int64))
    if correction[0] == 0:  # every PSU taken: R drops the replicates (survey.drop.replicates)
        return Jackknife(*(np.zeros(0, dtype=x.dtype) for x in (jk.a, jk.b, jk.c, jk.stratum, jk.psu))), 0.0, np.zeros(0)
    return jk, float(correction[0] * (n - 1) / n), np.ones(n)


def _jkn(stage: Stage, correction: np.ndarray, lonely_psu: str, stratum_label) -> tuple[Jackknife, float, np.ndarray]:
    n_h = stage.n_units
    kept = (correction > 0) & (n_h > 1)
    lonely = (n_h == 1) & (correction > 0)
    if lonely.any() and lonely_psu == "fail":
        h = int(np.flatnonzero(lonely)[0])
        raise DesignError(f"stratum {stratum_label(h)} has only one PSU, so the jackknife cannot delete it. Build the "
                          "design with lonely_psu='adjust', 'average', 'certainty' or 'remove' (as R's "
                          "options(survey.lonely.psu=...)), or merge the stratum with a similar one.")
    psu_stratum = stage.unit_stratum
    order = np.argsort(psu_stratum, kind="stable")
    deleted = order[kept[psu_stratum[order]]]
    h = psu_stratum[deleted]
    k = n_h[h] / (n_h[h] - 1)
    a, b, c = np.ones(len(deleted)), k - 1, -k
    rscales = correction[h] * (n_h[h] - 1) / n_h[h]
    strata, psus = h, deleted
    if lonely.any() and lonely_psu == "adjust":
        H = stage.n_strata
        extra = np.flatnonzero(lonely)
        k_adj = np.full(len(extra), H / (H - 1))
        first_psu = np.array([int(np.flatnonzero(psu_stratum == s)[0]) for s in extra], dtype=np.int64)
        a, b, c = np.concatenate([a, k_adj]), np.concatenate([b, -k_adj]), np.concatenate([c, np.zeros(len(extra))])
        strata, psus = np.concatenate([h, extra]), np.concatenate([deleted, first_psu])
        rscales = np.concatenate([rscales, np.full(len(extra), (H - 1) / H)])
    if len(a) == 0:
        raise DesignError("every stratum was sampled whole (fpc equal to the PSUs sampled): there is no sampling "
                          "variance to replicate.")
    scale = 1.0
    if lonely.any() and lonely_psu == "average":
        scale = len(psu_stratum) / len(a)  # R's jknweights: PSUs / replicates kept
    return Jackknife(a, b, c, strata.astype(np.int64), psus.astype(np.int64)), scale, rscales


def _brr(stage: Stage, rho: float, stratum_label, stratum_text: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    n_h = stage.n_units
    bad = np.flatnonzero(n_h != 2)
    if len(bad):
        h = int(bad[0])
        raise DesignError(
            f"method='brr'/'fay' needs exactly 2 PSUs in every stratum; stratum {stratum_label(h)} has {int(n_h[h])} "
            f"({len(bad)} such strata in all). Pair PSUs into strata of two (or merge/split strata), or use "
            "method='jkn' or 'bootstrap', which take any number of PSUs per stratum."
        )
    H = stage.n_strata
    matrix = hadamard(H)
    # strata in R's order (their labels sorted as text), PSUs within a stratum in label order
    rank = np.empty(H, dtype=np.int64)
    rank[np.argsort(stratum_text, kind="stable")] = np.arange(H)
    psu_stratum = stage.unit_stratum
    order = np.lexsort((np.arange(len(psu_stratum)), psu_stratum))
    first = np.zeros(len(psu_stratum), dtype=bool)
    first[order[0::2]] = True
    signs = matrix[1 + rank[psu_stratum], :]  # (PSUs, replicates): 1 or 0
    chosen = np.where(first[:, None], signs == 1, signs == 0)
    multipliers = np.where(chosen, 2 - rho, rho)
    R = matrix.shape[1]
    return multipliers, 1 / (R * (1 - rho) ** 2), np.ones(R)


def _bootstrap(stage: Stage, replicates: int, rng: np.random.Generator, sub: bool,
               stratum_label) -> tuple[np.ndarray, float, np.ndarray]:
    psu_stratum = stage.unit_stratum
    n_h = stage.n_units
    P = len(psu_stratum)
    order = np.argsort(psu_stratum, kind="stable")
    start = np.concatenate([[0], np.cumsum(n_h)[:-1]])
    counts = np.zeros((P, replicates))
    if sub:
        lonely = np.flatnonzero(n_h < 2)
        if len(lonely):
            raise DesignError(f"method='subbootstrap' draws n_h - 1 PSUs per stratum, so stratum "
                              f"{stratum_label(int(lonely[0]))} with one PSU would get no weight; merge it with a "
                              "similar stratum or use method='bootstrap'.")
        # draw slots: every PSU but the first of its stratum stands for one draw
        slot_stratum = psu_stratum[order][np.ones(P, dtype=bool) & (np.arange(P) != start[psu_stratum[order]])]
    else:
        slot_stratum = psu_stratum[order]
    draws = start[slot_stratum][:, None] + np.floor(rng.random((len(slot_stratum), replicates)) * n_h[slot_stratum][:, None]).astype(np.int64)
    drawn = order[draws]  # (slots, replicates) PSU codes
    flat = drawn + P * np.arange(replicates)[None, :]
    counts = np.ascontiguousarray(np.bincount(flat.ravel(), minlength=P * replicates).reshape(replicates, P).T,
                                  dtype=float)  # rows are PSUs: gathered by PSU, so kept contiguous
    if sub:
        counts *= (n_h / (n_h - 1))[psu_stratum][:, None]
        return counts, 1 / (replicates - 1), np.ones(replicates)
    finite = np.isfinite(stage.popsize)
    if finite.any():
        # R's bootweights with fpc: n_h PSUs without replacement from N_h copies (each PSU repeated in turn)
        for h in np.flatnonzero(finite):
            members = order[start[h]:start[h] + n_h[h]]
            population = int(round(stage.popsize[h]))
            copies = np.full(len(members), population // len(members))
            copies[: population % len(members)] += 1
            counts[members, :] = rng.multivariate_hypergeometric(copies, int(n_h[h]), size=replicates).T
    nbar = 1 / np.mean(1 / n_h)
    with np.errstate(divide="ignore"):
        scale = nbar / ((nbar - 1) * (replicates - 1))
    return counts, float(scale), np.ones(replicates)


def build_replicates(stage: Stage, *, method: str, replicates: int | None, seed: int | None, fay_rho: float,
                     mse: bool, lonely_psu: str, stratum_label, stratum_text: np.ndarray,
                     stratified: bool) -> ReplicateWeights:
    """Replicate weights for a design's first stage (see the module docstring)."""
    if method not in REPLICATE_METHODS:
        raise OptionError.unknown("method", method, REPLICATE_METHODS)
    if not isinstance(mse, (bool, np.bool_)):
        raise DesignError(f"mse must be True or False; got {mse!r}.")
    boot = method in ("bootstrap", "subbootstrap")
    if replicates is not None and not boot:
        raise DesignError(f"replicates={replicates!r} applies only to the bootstrap methods; method={method!r} makes "
                          "one replicate per PSU (jackknife) or per Hadamard column (BRR/Fay). Leave it out.")
    if boot:
        replicates = DEFAULT_BOOTSTRAP_REPLICATES if replicates is None else replicates
        if not isinstance(replicates, (int, np.integer)) or isinstance(replicates, bool) or replicates < 2:
            raise DesignError(f"replicates must be a whole number of at least 2; got {replicates!r}.")
    if method in ("jkn", "brr", "fay") and not stratified:
        raise DesignError(f"method={method!r} needs a stratified design (as R: \"Must use JK1 or bootstrap for an "
                          "unstratified design\"); use method='jk1' or 'bootstrap'.")
    rho = 0.0
    if method == "fay":
        if not isinstance(fay_rho, (int, float)) or not 0 < fay_rho < 1:
            raise DesignError(f"fay_rho must be strictly between 0 and 1 for method='fay'; got {fay_rho!r}.")
        rho = float(fay_rho)
    correction = _fpc_fraction(stage, method)
    psu = stage.unit_codes
    common = dict(method=method, mse=bool(mse), fay_rho=rho, psu=psu, psu_stratum=stage.unit_stratum,
                  n_strata=stage.n_strata)
    if method == "jk1":
        jk, scale, rscales = _jk1(stage, correction)
        return ReplicateWeights(scale=scale, rscales=rscales, jackknife=jk, degf=max(len(rscales) - 1, 0), **common)
    if method == "jkn":
        jk, scale, rscales = _jkn(stage, correction, lonely_psu, stratum_label)
        return ReplicateWeights(scale=scale, rscales=rscales, jackknife=jk, **common)
    if method in ("brr", "fay"):
        multipliers, scale, rscales = _brr(stage, rho, stratum_label, stratum_text)
        return ReplicateWeights(scale=scale, rscales=rscales, multipliers=multipliers, degf=stage.n_strata, **common)
    rng = np.random.default_rng(seed)
    multipliers, scale, rscales = _bootstrap(stage, int(replicates), rng, method == "subbootstrap", stratum_label)
    return ReplicateWeights(scale=scale, rscales=rscales, multipliers=multipliers, **common)
