"""Wards of the demo consortium: a ward for every few postcode sectors, and census-like ward covariates.

Wards are derived deterministically from the frame of :mod:`residentsurvey.datasets` (no random
draw is added, so the demo population and returns are unchanged): within each council x deprivation
stratum, consecutive sectors are grouped about four to a ward. A ward whose sectors were not sampled
has no respondents, as happens in real surveys.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .datasets import _AGE_BANDS, _COUNCILS, _COUNCIL_NAMES, _IMD_BANDS, _categorical, _check, _frame

__all__ = ["demo_wards", "demo_ward_lookup"]

_SECTORS_PER_WARD = 4


@functools.lru_cache(maxsize=4)
def _ward_of_sector(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sector its ward number (0, 1, ... across the consortium); per ward its label and stratum."""
    stratum = _frame(seed).sector_stratum
    sectors = np.bincount(stratum)
    wards = np.maximum(1, np.rint(sectors / _SECTORS_PER_WARD).astype(np.int64))
    rank = np.arange(len(stratum)) - np.searchsorted(stratum, stratum)
    offset = np.concatenate([[0], np.cumsum(wards)[:-1]])
    ward = offset[stratum] + rank * wards[stratum] // sectors[stratum]
    ward_stratum = np.repeat(np.arange(len(wards)), wards)
    council = ward_stratum // 3
    number = np.arange(len(ward_stratum)) - np.searchsorted(council, council)
    codes = np.array([c.code for c in _COUNCILS])
    labels = np.char.add(np.char.add(codes[council], "-W"), np.char.zfill((number + 1).astype(str), 2))
    return ward, labels.astype(object), ward_stratum


def demo_ward_lookup(*, seed: int = 2026) -> pd.DataFrame:
    """Return the ward of every postcode sector of the demo consortium.

    Parameters
    ----------
    seed : int, default 2026
        Seed of the population (as in :func:`residentsurvey.demo_population`).

    Returns
    -------
    pandas.DataFrame
        One row per sector: ``sector`` (as in the returns), ``council`` (categorical) and ``ward``
        (str, e.g. ``"NB-W07"``). Merge it into the returns or the population on ``sector``.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> returns = rs.demo_consortium().merge(rs.demo_ward_lookup()[["sector", "ward"]], on="sector", how="left")
    >>> int(returns["ward"].isna().sum()), returns["ward"].nunique()
    (0, 76)
    """
    _check(seed)
    f = _frame(int(seed))
    ward, labels, _ = _ward_of_sector(int(seed))
    return pd.DataFrame({"sector": pd.array(f.sector_label, dtype="str"),
                         "council": _categorical(f.sector_stratum // 3, _COUNCIL_NAMES),
                         "ward": pd.array(labels[ward], dtype="str")})


def demo_wards(*, seed: int = 2026) -> pd.DataFrame:
    """Return the wards of the demo consortium with census-like covariates, one row each.

    Parameters
    ----------
    seed : int, default 2026
        Seed of the population (as in :func:`residentsurvey.demo_population`).

    Returns
    -------
    pandas.DataFrame
        ``council`` (categorical), ``ward`` (str), ``imd_band`` (the deprivation band of its
        sectors), ``sectors``, ``adults`` (its population aged 16+), and the shares of its adults
        who are owner-occupiers (``share_owner``), social renters (``share_social_rent``), aged
        16-34 (``share_16_34``), aged 75+ (``share_75_plus``) and not White (``share_non_white``),
        counted from the whole population as a census would.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> wards = rs.demo_wards()
    >>> len(wards), int(wards["adults"].sum())
    (93, 638000)
    >>> wards.groupby("council", observed=True).size()["Eastmere"]
    np.int64(12)
    """
    _check(seed)
    f = _frame(int(seed))
    ward_of_sector, labels, ward_stratum = _ward_of_sector(int(seed))
    ward = ward_of_sector[f.sector]
    k = len(labels)
    adults = np.bincount(ward, minlength=k)

    def share(mask: np.ndarray) -> np.ndarray:
        return np.bincount(ward, weights=mask.astype(float), minlength=k) / adults

    return pd.DataFrame({
        "council": _categorical(ward_stratum // 3, _COUNCIL_NAMES),
        "ward": pd.array(labels, dtype="str"),
        "imd_band": _categorical(ward_stratum % 3, _IMD_BANDS),
        "sectors": np.bincount(ward_of_sector, minlength=k),
        "adults": adults,
        "share_owner": share(f.tenure == 0),
        "share_social_rent": share(f.tenure == 1),
        "share_16_34": share(f.age == _AGE_BANDS.index("16-34")),
        "share_75_plus": share(f.age == _AGE_BANDS.index("75+")),
        "share_non_white": share(f.ethnicity != 0),
    })
