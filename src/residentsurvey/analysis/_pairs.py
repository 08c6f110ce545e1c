"""Codes for pairs of integer codes, without a Python loop and without sorting when the pair space is small."""

from __future__ import annotations

import numpy as np

# Use a dense lookup table when the pair space is at most this many cells (or twice the rows).
_DENSE_LIMIT = 1 << 22


def pair_codes(a: np.ndarray, n_a: int, b: np.ndarray, n_b: int) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """Number the distinct pairs ``(a[i], b[i])`` that occur.

    Returns ``(codes, n_pairs, a_of_pair, b_of_pair)`` where ``codes[i]`` numbers row i's pair,
    pairs are numbered in lexicographic order of ``(a, b)``, and ``a_of_pair``/``b_of_pair`` give
    each pair's components.
    """
    key = a.astype(np.int64) * n_b + b
    space = n_a * n_b
    if space <= max(_DENSE_LIMIT, 2 * len(key)):
        present = np.bincount(key, minlength=space) > 0
        occupied = np.flatnonzero(present)
        lookup = np.empty(space, dtype=np.int64)
        lookup[occupied] = np.arange(len(occupied), dtype=np.int64)
        codes = lookup[key]
    else:
        occupied, codes = np.unique(key, return_inverse=True)
        codes = codes.astype(np.int64).reshape(-1)
    return codes, len(occupied), occupied // n_b, occupied % n_b
