"""The weighting chain re-run in every replicate at once: calibration and trimming of a weights matrix.

Each column of a (respondents x replicates) weight matrix is calibrated to the same targets as
the full sample, as R's ``calibrate()``, ``rake()`` and ``postStratify()`` do on a
``svyrep.design`` (each replicate calibrated from its own replicate weights). Nothing loops over
replicates or groups: sums per calibration cell are sparse-indicator products with the whole
matrix, and Newton's method solves one small system per (replicate, group) as a stack.
"""

from __future__ import annotations

import numpy as np

from ..errors import CalibrationError
from ._model import Model, Term
from .calfun import lookup_method
from .targets import CalibrationTargets


def _indicator(key: np.ndarray, size: int, values: np.ndarray | None = None):
    from scipy import sparse

    n = len(key)
    data = np.ones(n) if values is None else values
    return sparse.csr_matrix((data, (key, np.arange(n))), shape=(size, n))


def _model_matrix(model: Model):
    """Sparse (rows x groups*columns) model matrix, each row's columns in its own group's block."""
    from scipy import sparse

    n, p = len(model.group), model.n_columns
    rows, cols, vals = [], [], []
    for t in model.terms:
        rows.append(np.arange(n))
        if t.codes is not None:
            cols.append(model.group * p + t.offset + t.codes)
            vals.append(np.ones(n))
        else:
            cols.append(model.group * p + t.offset)
            vals.append(t.values)
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(n, model.n_groups * p))


def _errors(x, targets: CalibrationTargets, w: np.ndarray) -> np.ndarray:
    """(groups*columns, replicates) relative misfit of every target in every replicate."""
    wanted = targets.totals.reshape(-1)[:, None]
    return np.abs(x.T @ w - wanted) / np.maximum(np.abs(wanted), 1.0)


def _fail(targets: CalibrationTargets, errors: np.ndarray, method: str, max_iter: int, tol: float) -> None:
    errors = np.where(np.isfinite(errors), errors, np.inf)
    cell, replicate = np.unravel_index(int(np.argmax(errors)), errors.shape)
    from .calibrate import _column_name

    p = targets.totals.shape[1]
    group, column = divmod(int(cell), p)
    raise CalibrationError(
        f"{method} calibration of replicate {int(replicate) + 1} did not converge in {max_iter} iterations: "
        f"{targets.group_name(group)}, {_column_name(targets, column)} is still {errors[cell, replicate]:.3g} "
        f"(relative) from its target (tolerance {tol:g}). The replicate lost most of a sparse category: merge "
        "sparse categories, or raise max_iter."
    )


def _ipf_many(model: Model, targets: CalibrationTargets, w: np.ndarray, max_iter: int, tol: float, x) -> np.ndarray:
    keys = [model.group * t.width + t.codes for t in model.terms]
    sums = [_indicator(key, model.n_groups * t.width) for key, t in zip(keys, model.terms)]
    wanted = [targets.totals[:, t.offset:t.offset + t.width].reshape(-1)[:, None] for t in model.terms]
    w = w.copy()
    for _ in range(max_iter):
        worst = 0.0  # largest misfit found this sweep, each margin measured just before it is adjusted
        for key, total, target in zip(keys, sums, wanted):
            achieved = total @ w
            worst = max(worst, float((np.abs(achieved - target) / np.maximum(np.abs(target), 1.0)).max()))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(achieved > 0, target / achieved, 1.0)
            w *= factor[key]
        if worst <= tol and _errors(x, targets, w).max() <= tol:
            return w
    _fail(targets, _errors(x, targets, w), "raking", max_iter, tol)
    raise AssertionError("unreachable")  # pragma: no cover


def _gram_many(model: Model, v: np.ndarray) -> np.ndarray:
    """(replicates, groups, p, p): Σ_i v_ir m_i m_i^T per group, for every column r of ``v``."""
    g, p = model.n_groups, model.n_columns
    out = np.zeros((g * p * p, v.shape[1]))
    for a in model.terms:
        for b in model.terms:
            col_a = a.offset + (a.codes if a.codes is not None else 0)
            col_b = b.offset + (b.codes if b.codes is not None else 0)
            value = (a.values if a.codes is None else 1.0) * (b.values if b.codes is None else 1.0)
            key = ((model.group * p + col_a) * p + col_b).astype(np.int64)
            values = np.broadcast_to(np.asarray(value, dtype=float), key.shape).copy()
            out += _indicator(key, g * p * p, values) @ v
    return out.reshape(g, p, p, -1).transpose(3, 0, 1, 2)


def _newton_many(model: Model, targets: CalibrationTargets, d: np.ndarray, method: str,
                 bounds: tuple[float, float] | None, max_iter: int, tol: float, x) -> np.ndarray:
    calfun, lower, upper = lookup_method(method, bounds)
    g, p = model.n_groups, model.n_columns
    n_rep = d.shape[1]
    wanted = targets.totals.reshape(-1)[:, None]
    scale = np.maximum(np.abs(wanted), 1.0)
    lam = np.zeros((g * p, n_rep))

    def state(lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = x @ lam
        return u, wanted - x.T @ (d * calfun.g(u, lower, upper))

    u, misfit = state(lam)
    for _ in range(max_iter + 1):
        size = np.abs(misfit) / scale
        if np.all(size <= tol):
            return d * calfun.g(u, lower, upper)
        gram = _gram_many(model, d * calfun.dg(u, lower, upper))                     # (R, G, p, p)
        rhs = misfit.reshape(g, p, n_rep).transpose(2, 0, 1)[..., None]             # (R, G, p, 1)
        step = (np.linalg.pinv(gram, rcond=1e-12, hermitian=True) @ rhs)[..., 0]    # (R, G, p)
        step = step.transpose(1, 2, 0).reshape(g * p, n_rep)
        worst = size.reshape(g, p, n_rep).max(axis=1)                                # (G, R)
        for _ in range(40):  # backtrack per (group, replicate) while the step makes things worse
            trial_u, trial_misfit = state(lam + step)
            trial = (np.abs(trial_misfit) / scale).reshape(g, p, n_rep).max(axis=1)
            bad = ~np.isfinite(trial) | (trial > worst * (1 + 1e-12) + tol)
            if not bad.any():
                break
            step = step * np.where(np.repeat(bad, p, axis=0), 0.5, 1.0)
        lam = lam + step
        u, misfit = trial_u, trial_misfit
    _fail(targets, np.abs(misfit) / scale, method, max_iter, tol)
    raise AssertionError("unreachable")  # pragma: no cover


def _collapse(model: Model) -> tuple[Model, np.ndarray, int]:
    """Respondents with the same group and categories share their calibration factor: one row per such cell.

    Returns the model over cells, each respondent's cell and the number of cells.
    """
    from ..analysis._pairs import pair_codes

    cell, n_cells = model.group, model.n_groups
    of_cell = []  # for each term, the category of each cell
    for t in model.terms:
        cell, n_cells, previous, category = pair_codes(cell, n_cells, t.codes, t.width)
        of_cell = [codes[previous] for codes in of_cell] + [category]
    group = np.zeros(n_cells, dtype=np.int64)
    group[cell] = model.group
    terms = tuple(Term(t.offset, t.width, codes=codes) for t, codes in zip(model.terms, of_cell))
    return Model(terms, group, model.n_groups, model.n_columns), cell, n_cells


def calibrate_replicates(model: Model, targets: CalibrationTargets, weights: np.ndarray, *, method: str,
                         bounds: tuple[float, float] | None, max_iter: int = 100, tol: float = 1e-10) -> np.ndarray:
    """Calibrate every column of ``weights`` (respondents x replicates) to ``targets``; returns the new matrix.

    Uses the same model (calibration variables and groups) as the full sample's calibration
    record, iterative proportional fitting for unbounded raking to categorical margins (as the
    full sample does) and Newton's method otherwise. With categorical margins only, respondents
    of the same group and categories get the same factor, so the work is done on those cells
    (a few hundred per council set) and the factors are spread back to the respondents.
    """
    categorical = all(t.codes is not None for t in model.terms)
    if categorical:
        cells, cell, n_cells = _collapse(model)
        start = _indicator(cell, n_cells) @ weights
        done = calibrate_replicates_rows(cells, targets, start, method=method, bounds=bounds, max_iter=max_iter,
                                         tol=tol)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(start > 0, done / start, 1.0)
        return weights * factor[cell]
    return calibrate_replicates_rows(model, targets, weights, method=method, bounds=bounds, max_iter=max_iter, tol=tol)


def calibrate_replicates_rows(model: Model, targets: CalibrationTargets, weights: np.ndarray, *, method: str,
                              bounds: tuple[float, float] | None, max_iter: int = 100,
                              tol: float = 1e-10) -> np.ndarray:
    """As :func:`calibrate_replicates`, row by row of ``model`` (respondents, or cells of respondents)."""
    x = _model_matrix(model)
    if method == "raking" and bounds is None and all(t.codes is not None for t in model.terms):
        return _ipf_many(model, targets, weights, max_iter, tol, x)
    return _newton_many(model, targets, weights, method, bounds, max_iter, tol, x)


def trim_replicates(weights: np.ndarray, *, upper: float | None, lower: float | None, relative: bool,
                    groups: np.ndarray | None, max_iter: int = 100) -> np.ndarray:
    """Cap every column of ``weights`` as :func:`residentsurvey.trim_weights` caps one, keeping group totals."""
    w = np.array(weights, dtype=float)
    codes = np.zeros(len(w), dtype=np.int64) if groups is None else np.unique(groups, return_inverse=True)[1].ravel()
    k = int(codes.max()) + 1
    sums = _indicator(codes, k)
    totals = sums @ w                                   # (groups, replicates)
    counts = np.bincount(codes, minlength=k)[:, None]
    mean = totals / counts if relative else np.ones_like(totals)
    hi = np.full_like(totals, np.inf) if upper is None else upper * mean
    lo = np.zeros_like(totals) if lower is None else lower * mean
    for _ in range(max_iter):
        capped = np.clip(w, lo[codes], hi[codes])
        fixed = (w >= hi[codes]) | (w <= lo[codes])
        excess = sums @ (w - capped)
        if np.all(np.abs(excess) <= 1e-12 * np.maximum(totals, 1)):
            return capped
        free = sums @ np.where(fixed, 0.0, capped)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(free > 0, 1 + excess / free, 1.0)
        w = np.where(fixed, capped, capped * factor[codes])
    raise CalibrationError(f"trimming the replicate weights did not settle in {max_iter} rounds; the caps may be "
                           "too tight for the weights.")
