"""Re-identification risk on quasi-identifiers, as R's sdcMicro ``freqCalc`` and ``indivRisk``.

Keys are integer codes, one column per quasi-identifier, with ``-1`` for a missing (suppressed)
value. As in sdcMicro, a missing value stands for any category: two records match when every
key agrees or is missing in either record.
"""

from __future__ import annotations

import numpy as np

__all__ = ["frequencies", "individual_risk"]

_CHUNK = 2_000_000  # pairwise comparisons per block (keys x keys x variables booleans)


def frequencies(codes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample frequency ``fk`` and estimated population frequency ``Fk`` of each record's key.

    ``fk`` counts the records matching the record's key (itself included), ``Fk`` sums their
    weights: sdcMicro's ``freqCalc(x, keyVars, w)$fk`` and ``$Fk``, missing values matching anything.

    Examples
    --------
    >>> codes = np.array([[0, 1], [0, 1], [0, -1], [1, 0]])
    >>> fk, Fk = frequencies(codes, np.array([10.0, 20.0, 5.0, 7.0]))
    >>> fk.tolist(), Fk.tolist()
    ([3, 3, 3, 1], [35.0, 35.0, 35.0, 7.0])
    """
    codes = np.asarray(codes, dtype=np.int64)
    if codes.ndim != 2 or len(codes) == 0:
        return np.zeros(len(codes), dtype=np.int64), np.zeros(len(codes))
    keys, inverse = np.unique(codes, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse, minlength=len(keys)).astype(np.float64)
    total = np.bincount(inverse, weights=weights, minlength=len(keys))
    if not (keys < 0).any():
        return count[inverse].astype(np.int64), total[inverse]
    fk = np.empty(len(keys))
    Fk = np.empty(len(keys))
    step = max(1, _CHUNK // max(1, len(keys) * keys.shape[1]))
    wild = keys < 0
    for start in range(0, len(keys), step):
        block, bwild = keys[start:start + step, None, :], wild[start:start + step, None, :]
        match = ((block == keys[None, :, :]) | bwild | wild[None, :, :]).all(axis=2)
        fk[start:start + step] = match @ count
        Fk[start:start + step] = match @ total
    return fk[inverse].astype(np.int64), Fk[inverse]


def individual_risk(fk: np.ndarray, Fk: np.ndarray) -> np.ndarray:
    """Individual re-identification risk, sdcMicro's ``indivRisk(method="approx")``.

    With p = fk / Fk: for fk = 1, (p / (1 - p)) log(1 / p); for fk = 2,
    p / (1 - p) - (p / (1 - p))² log(1 / p); for fk > 2, p / (fk - (1 - p)) (Benedetti and
    Franconi 1998; Franconi and Polettini 2004). Where Fk = fk (weights of one: the sample is
    the population) the risk is 1 / fk, as sdcMicro 5.8 sets it. Agrees with sdcMicro 5.8.0's
    own code (``tests/publish/test_risk_reference.py``).

    Examples
    --------
    >>> individual_risk(np.array([1, 2, 5, 3]), np.array([10.0, 20.0, 50.0, 3.0])).round(4).tolist()
    [0.2558, 0.0827, 0.0244, 0.3333]
    """
    fk = np.asarray(fk, dtype=np.float64)
    p = fk / np.asarray(Fk, dtype=np.float64)
    whole = p >= 1
    p = np.where(whole, 0.5, p)  # placeholder, replaced below
    odds = p / (1 - p)
    one = odds * np.log(1 / p)
    two = odds - odds ** 2 * np.log(1 / p)
    more = p / (fk - (1 - p))
    risk = np.where(fk == 1, one, np.where(fk == 2, two, more))
    return np.where(whole, 1 / np.maximum(fk, 1), risk)
