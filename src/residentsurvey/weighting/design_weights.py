"""Design weights from inclusion probabilities, and nonresponse adjustment by weighting classes.

The design weight of a sampled unit is :math:`d_i = 1/\\pi_i`. Within weighting class *k*, each
respondent's weight is multiplied by :math:`\\sum_{i \\in s_k} d_i / \\sum_{i \\in r_k} d_i`
(sampled over responding), so respondents carry the nonrespondents of their class
(Kalton and Flores-Cervantes 2003, §2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import CalibrationError


def design_weights(probabilities: Sequence[float] | np.ndarray | pd.Series) -> pd.Series | np.ndarray:
    """Inverse inclusion probabilities, checked to lie in (0, 1].

    Examples
    --------
    >>> design_weights(pd.Series([0.5, 0.25])).tolist()
    [2.0, 4.0]
    """
    values = pd.Series(probabilities)
    p = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(p) | (p <= 0) | (p > 1)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise CalibrationError(
            f"inclusion probabilities must lie in (0, 1]; position {position} holds {shown(values.iloc[position])} "
            f"({int(bad.sum())} such value(s))."
        )
    weights = 1.0 / p
    return pd.Series(weights, index=values.index, name="design_weight") if isinstance(probabilities, pd.Series) else weights


def nonresponse_adjustment(
    sample: pd.DataFrame,
    *,
    weights: str,
    responded: str,
    classes: str | list[str],
) -> pd.DataFrame:
    """Weights adjusted for nonresponse within weighting classes, for every sampled unit.

    Parameters
    ----------
    sample
        The issued sample, respondents and nonrespondents, one row each.
    weights
        Column of design weights.
    responded
        Boolean column: True for respondents.
    classes
        Column(s) defining the weighting classes (e.g. council and age band).

    Returns
    -------
    pandas.DataFrame
        ``sample`` with two new columns: ``nr_factor`` (the class's adjustment) and
        ``nr_weight`` (design weight times the factor for respondents; 0 for
        nonrespondents, who are kept and counted, not dropped). ``attrs["classes"]`` has one
        row per class: sampled, responded, response rate (unweighted and weighted) and factor.

    Raises
    ------
    CalibrationError
        A class with sampled units but no respondents (named), which no factor can fix:
        merge it with a neighbouring class.

    Examples
    --------
    >>> s = pd.DataFrame({"w": [10.0, 10, 10, 10], "r": [True, False, True, True], "k": ["a", "a", "b", "b"]})
    >>> nonresponse_adjustment(s, weights="w", responded="r", classes="k")["nr_weight"].tolist()
    [20.0, 0.0, 10.0, 10.0]
    """
    names = [classes] if isinstance(classes, str) else list(classes)
    for column in [weights, responded, *names]:
        if column not in sample.columns:
            raise CalibrationError(f"column {column!r} is not in the sample.")
    d = pd.to_numeric(sample[weights], errors="coerce").to_numpy(dtype=float)
    if np.isnan(d).any() or (d < 0).any():
        raise CalibrationError(f"weights column {weights!r} must hold non-negative numbers for every sampled unit.")
    flags = sample[responded]
    if flags.isna().any() or not set(pd.unique(flags)) <= {True, False, 0, 1}:
        raise CalibrationError(f"responded column {responded!r} must be True or False for every sampled unit.")
    r = flags.astype(bool).to_numpy()
    codes, labels = pd.MultiIndex.from_frame(sample[names].astype(object)).factorize(sort=True)
    k = len(labels)
    sampled_w = np.bincount(codes, weights=d, minlength=k)
    responded_w = np.bincount(codes, weights=d * r, minlength=k)
    summary = pd.DataFrame(list(labels), columns=names)
    summary["sampled"] = np.bincount(codes, minlength=k)
    summary["responded"] = np.bincount(codes, weights=r, minlength=k).astype(int)
    summary["response_rate"] = summary["responded"] / summary["sampled"]
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["weighted_response_rate"] = responded_w / sampled_w
        factor = np.where(responded_w > 0, sampled_w / responded_w, np.nan)
    summary["factor"] = factor
    empty = (responded_w == 0) & (sampled_w > 0)
    if empty.any():
        row = summary.iloc[int(np.flatnonzero(empty)[0])]
        where = ", ".join(f"{name}={row[name]!r}" for name in names)
        raise CalibrationError(
            f"weighting class ({where}) has {int(row['sampled'])} sampled unit(s) but no respondent, so its "
            "nonrespondents cannot be carried by anyone. Merge it with a neighbouring class."
        )
    result = sample.copy()
    result["nr_factor"] = factor[codes]
    result["nr_weight"] = np.where(r, d * factor[codes], 0.0)
    result.attrs["classes"] = summary
    return result
