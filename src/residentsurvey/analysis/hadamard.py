"""Hadamard matrices for balanced repeated replication, chosen as R's ``survey::hadamard()`` chooses them.

BRR with H strata needs a Hadamard matrix with more than H rows (row 1, all ones, is skipped).
``hadamard(n)`` returns the same 0/1 matrix as R survey 4.1's ``hadamard(n)``, so BRR and Fay
replicates match R's replicate for replicate:

* sizes 4 and 16 are Sylvester matrices (``[[H, H], [H, 1 - H]]`` from ``[[1]]``);
* sizes 28 and 36 are the two matrices R ships precomputed (from N. J. A. Sloane's library of
  Hadamard matrices), reproduced in ``_PRECOOKED`` below;
* otherwise the smallest of {4, 16, 28, 36} x 2^k above n, or, when that is more than 4 rows
  too big, a Paley construction from a prime p = 3 (mod 4): entry (i, j) of the core is 0 when
  (i + j) mod p is a quadratic residue (or 0), bordered by a row and column of ones.
"""

from __future__ import annotations

import numpy as np

_SIZES = (4, 16, 28, 36)

# R survey 4.1 hadamard.list[[3]] and [[4]] (28 x 28 and 36 x 36), one string of 0/1 per row
_PRECOOKED: dict[int, tuple[str, ...]] = {
    28: (
        "1111111111111111111111111111",
        "1001110001110001110001111000",
        "1000001111001101001101111000",
        "1000001110110010111001100110",
        "1001101000001111100011010110",
        "1001010100101100010110101110",
        "1000110011010010001110011110",
        "0101100010101010011111110000",
        "0100010110110101100111010100",
        "0100011011001011110010101100",
        "0101011000010111011101001010",
        "0100101101100100111010011010",
        "0101100101011001101100100110",
        "0010110100011110101011101000",
        "0011011001100110101100110100",
        "0010101100111011010100011100",
        "0011000111010111010010110010",
        "0011001011111000100111001010",
        "0010110011101101011001000110",
        "1110101001010100010111100100",
        "1111000101100011001011001100",
        "1111000010011100111000011100",
        "1110010101001010110101010010",
        "1110011000111001001010110010",
        "1110100010100111100100101010",
        "1101111111111110000000000000",
        "1011111110000001111110000000",
        "0111111110000000000001111110",
    ),
    36: (
        "111111111111111111111111111111111111",
        "010111000111110111001000010101100100",
        "101110001111101110010000101011001000",
        "011100011111011100100001010110010010",
        "111000111110111001000010101100100100",
        "110001111101110010000101011001001010",
        "100011111011100100001010110010010110",
        "000111110111001000010101100100101110",
        "001111101110010000101011001001011100",
        "011111011100100001010110010010111000",
        "111110111001000010101100100101110000",
        "111101110010000101011001001011100010",
        "111011100100001010110010010111000110",
        "110111001000010101100100101110001110",
        "101110010000101011001001011100011110",
        "011100100001010110010010111000111110",
        "111001000010101100100101110001111100",
        "110010000101011001001011100011111010",
        "100100001010110010010111000111110110",
        "001000010101100100101110001111101110",
        "010000101011001001011100011111011100",
        "100001010110010010111000111110111000",
        "000010101100100101110001111101110010",
        "000101011001001011100011111011100100",
        "001010110010010111000111110111001000",
        "010101100100101110001111101110010000",
        "101011001001011100011111011100100000",
        "010110010010111000111110111001000010",
        "101100100101110001111101110010000100",
        "011001001011100011111011100100001010",
        "110010010111000111110111001000010100",
        "100100101110001111101110010000101010",
        "001001011100011111011100100001010110",
        "010010111000111110111001000010101100",
        "100101110001111101110010000101011000",
        "001011100011111011100100001010110010",
    ),
}


def _primes_3_mod_4(limit: int) -> np.ndarray:
    sieve = np.ones(limit + 1, dtype=bool)
    sieve[:2] = False
    for k in range(2, int(limit**0.5) + 1):
        if sieve[k]:
            sieve[k * k::k] = False
    primes = np.flatnonzero(sieve)
    return primes[primes % 4 == 3]


_SMALL_PRIMES = _primes_3_mod_4(7919)  # the primes R's paley() knows


def _doubled(h: np.ndarray, times: int) -> np.ndarray:
    for _ in range(times):
        h = np.block([[h, h], [h, 1 - h]])
    return h


def _precooked(size: int) -> np.ndarray:
    if size in _PRECOOKED:
        return np.array([[int(c) for c in row] for row in _PRECOOKED[size]], dtype=np.int8)
    return _doubled(np.ones((1, 1), dtype=np.int8), int(np.log2(size)))


def _paley_prime(p: int) -> np.ndarray:
    residues = np.zeros(p, dtype=bool)
    residues[0] = True
    residues[(np.arange(1, (p - 1) // 2 + 1) ** 2) % p] = True
    core = np.where(residues[np.add.outer(np.arange(p), np.arange(p)) % p], 0, 1).astype(np.int8)
    return np.block([[np.ones((1, 1), dtype=np.int8), np.ones((1, p), dtype=np.int8)],
                     [np.ones((p, 1), dtype=np.int8), core]])


def _paley(n: int, nmax: int) -> np.ndarray | None:
    """R's ``paley(n, nmax)``: a Paley matrix (doubled when that fits better) with more than n rows, or None."""
    nceil = nn = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in _SMALL_PRIMES:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = _doubled(m, 1)
                nn *= 2
            return m
    if n > _SMALL_PRIMES.max():
        return None
    p = int(_SMALL_PRIMES[_SMALL_PRIMES >= n].min())
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3, 2 * (nceil + 3))
    if p > nmax:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> np.ndarray:
    """A 0/1 Hadamard matrix with more than ``n`` rows, the one R's ``survey::hadamard(n)`` returns.

    Examples
    --------
    >>> hadamard(3).tolist()
    [[1, 1, 1, 1], [1, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1]]
    >>> hadamard(10).shape
    (12, 12)
    """
    m = n - n % 4
    sizes = np.array(_SIZES)
    precooked = np.flatnonzero((m < sizes) & (m + 4 >= sizes))
    if len(precooked):
        return _precooked(int(sizes[precooked.min()]))
    if np.all(m < sizes):
        return _precooked(4)
    doublings = np.maximum(0, np.ceil(np.log2((n + 1) / sizes))).astype(int)
    fitted = sizes * 2**doublings
    best = int(np.argmin(fitted - n))
    h = _paley(n, int(fitted[best])) if fitted[best] - n > 4 else None
    if h is None:
        h = _doubled(_precooked(int(sizes[best])), int(doublings[best]))
    return h
