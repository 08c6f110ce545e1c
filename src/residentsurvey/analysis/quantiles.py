"""Weighted quantiles for every domain and every set of weights at once, as R's ``qrule="math"``.

Within a domain, values are sorted and weights accumulated; the quantile for probability p is
the first value whose cumulative weight reaches p of the domain's total (the lower value
when the cumulative weight hits p exactly). Rows with zero weight are skipped, as R drops them.
``weights`` may be one column or a (rows x replicates) matrix: nothing loops over domains,
replicates or rows.
"""

from __future__ import annotations

import numpy as np


def sort_order(values: np.ndarray, domain: np.ndarray) -> np.ndarray:
    """Row order by domain, then value (missing values last)."""
    return np.lexsort((values, domain))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, domain: np.ndarray, n_domains: int,
                      p: float | np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """Quantile ``p`` of ``values`` in each domain: shape (domains,) or (domains, replicates) for 2-D weights.

    ``p`` is one probability or one per domain (NaN gives NaN). Missing values must carry zero
    weight. A domain with no positive weight gives NaN.

    Examples
    --------
    >>> weighted_quantile(np.array([3.0, 1.0, 2.0, 4.0]), np.ones(4), np.zeros(4, dtype=int), 1, 0.5).tolist()
    [2.0]
    """
    order = sort_order(values, domain) if order is None else order
    x = values[order]
    d = domain[order]
    w = weights[order]
    flat = w.ndim == 1
    if flat:
        w = w[:, None]
    n = len(x)
    counts = np.bincount(d, minlength=n_domains)
    ends = np.cumsum(counts)
    starts = ends - counts
    # R accumulates cumsum() and sum() in long double and rounds each to double; so do we, so that a
    # cumulative weight hitting p exactly (common with equal weights) is seen as R sees it
    cumulative = np.cumsum(w, axis=0, dtype=np.longdouble)
    before = np.where(starts[:, None] > 0, cumulative[np.maximum(starts - 1, 0)], 0.0)   # (D, R)
    totals = (np.where(counts[:, None] > 0, cumulative[np.maximum(ends - 1, 0)], 0.0) - before).astype(float)
    within = (cumulative - before[d]).astype(float)
    p = np.broadcast_to(np.asarray(p, dtype=float), (n_domains,))[:, None]
    reached = within <= (p * totals)[d]
    # the prefix of rows within the target is contiguous within a domain: count it per domain
    from scipy import sparse

    indicator = sparse.csr_matrix((np.ones(n), (d, np.arange(n))), shape=(n_domains, n))
    prefix = np.asarray(indicator @ reached.astype(float)).astype(np.int64)   # (D, R)
    rows = np.arange(n)[:, None]
    positive = w > 0
    last_positive = np.maximum.accumulate(np.where(positive, rows, -1), axis=0)
    next_positive = np.minimum.accumulate(np.where(positive, rows, n)[::-1], axis=0)[::-1]
    end_of_prefix = starts[:, None] + prefix - 1                                  # (D, R) row index or start-1
    replicate = np.arange(w.shape[1])[None, :]
    low = np.where(end_of_prefix >= starts[:, None], last_positive[np.maximum(end_of_prefix, 0), replicate], -1)
    low = np.where(low >= starts[:, None], low, -1)
    following = np.minimum(np.where(low >= 0, low + 1, starts[:, None]), n - 1)
    up = next_positive[following, replicate]
    up = np.where((up < ends[:, None]) & (up < n), up, low)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = p - within[np.maximum(low, 0), replicate] / totals
    pick = np.where((low >= 0) & (gap == 0), low, up)
    result = np.where((totals > 0) & (pick >= 0) & ~np.isnan(p), x[np.clip(pick, 0, n - 1)], np.nan)
    return result[:, 0] if flat else result
