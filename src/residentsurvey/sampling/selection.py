"""Selecting addresses from a frame: stratified simple random, systematic and PPS systematic of clusters.

Every method works on the whole frame at once (sorting and cumulative sums, no loop over
addresses) and returns the selected rows with their inclusion probabilities and design weights,
ready for :class:`residentsurvey.SurveyDesign`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from ..errors import SamplingError
from . import _checks

__all__ = ["SELECTION_METHODS", "inclusion_probabilities", "select_sample"]

Sizes = int | pd.Series | pd.DataFrame | Mapping[object, int]
_ADDED = ("inclusion_probability", "design_weight", "stratum_population", "stratum_sample", "cluster_probability",
          "addresses_in_cluster", "addresses_taken", "clusters_in_stratum", "clusters_sampled")


@dataclass(frozen=True)
class _Frame:
    """The frame reduced to integer codes: stratum of each row, population and sample size per stratum."""

    codes: np.ndarray
    labels: pd.Index
    n: np.ndarray
    size: np.ndarray
    order: np.ndarray          # rows sorted by stratum, then by the systematic sort order
    cluster: np.ndarray | None  # cluster code of each row (PPS)
    measure: np.ndarray | None  # size measure of each cluster (PPS)
    take: int | None


Draw = tuple[np.ndarray | None, np.ndarray, dict[str, np.ndarray]]


def _rank_within(order: np.ndarray, codes: np.ndarray, groups: int) -> np.ndarray:
    """Position of each row within its group, following ``order`` (rows sorted by group first)."""
    starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=groups))[:-1]])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts[codes[order]]
    return rank


def _hits(upper: np.ndarray, width: np.ndarray, start: np.ndarray, interval: np.ndarray) -> np.ndarray:
    """Selection points ``start + j·interval`` falling in (upper - width, upper] of each unit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        hits = np.floor((upper - start) / interval) - np.floor((upper - width - start) / interval)
    return np.where(np.isfinite(interval), hits, 0).astype(np.int64)


def _srs(f: _Frame, rng: np.random.Generator | None) -> Draw:
    """Stratified simple random sampling without replacement: :math:`\\pi_i = n_h / N_h`."""
    pi = (f.n / f.size)[f.codes]
    if rng is None:
        return None, pi, {}
    order = np.lexsort((rng.random(len(f.codes)), f.codes))
    chosen = _rank_within(order, f.codes, len(f.labels)) < f.n[f.codes]
    return chosen, pi, {}


def _systematic(f: _Frame, rng: np.random.Generator | None) -> Draw:
    """Systematic sampling with a random start and fractional interval :math:`N_h/n_h` in each stratum.

    Rows are taken in frame order, or in ``sort_by`` order (implicit stratification);
    :math:`\\pi_i = n_h / N_h` exactly.
    """
    pi = (f.n / f.size)[f.codes]
    if rng is None:
        return None, pi, {}
    with np.errstate(divide="ignore"):
        interval = np.where(f.n > 0, f.size / np.maximum(f.n, 1), np.inf)
    start = (1.0 - rng.random(len(f.labels))) * np.where(np.isfinite(interval), interval, 0)
    position = _rank_within(f.order, f.codes, len(f.labels)) + 1.0
    chosen = _hits(position, np.ones(len(position)), start[f.codes], interval[f.codes]) > 0
    return chosen, pi, {}


def _pps_systematic(f: _Frame, rng: np.random.Generator | None) -> Draw:
    """PPS systematic sampling of clusters, then all (or ``take``) addresses of each selected cluster.

    Clusters whose :math:`n_h M_c / M_h` reaches 1 are taken with certainty and the rest
    re-apportioned, until none does; then :math:`\\pi_c = n'_h M_c / M'_h` over the remaining
    clusters and sizes, in cluster order within the stratum. An address's probability is
    :math:`\\pi_c` times :math:`m_c / A_c` when ``take`` draws :math:`m_c = \\min(take, A_c)` of
    the cluster's :math:`A_c` addresses by simple random sampling.
    """
    assert f.cluster is not None and f.measure is not None
    clusters = len(f.measure)
    stratum_of = np.zeros(clusters, dtype=np.int64)
    stratum_of[f.cluster] = f.codes
    strata = len(f.labels)
    certain = np.zeros(clusters, dtype=bool)
    while True:
        left = f.n - np.bincount(stratum_of[certain], minlength=strata)
        mass = np.bincount(stratum_of[~certain], weights=f.measure[~certain], minlength=strata)
        with np.errstate(divide="ignore", invalid="ignore"):
            pi_c = np.where(certain, 1.0, np.where(left[stratum_of] > 0, left[stratum_of] * f.measure / mass[stratum_of], 0.0))
        new = ~certain & (pi_c >= 1 - 1e-12)
        if not new.any():
            break
        certain |= new
    addresses = np.bincount(f.cluster, minlength=clusters)
    taken = addresses if f.take is None else np.minimum(addresses, f.take)
    pi = (pi_c * taken / addresses)[f.cluster]
    extra = {
        "cluster_probability": pi_c[f.cluster],
        "addresses_in_cluster": addresses[f.cluster],
        "addresses_taken": taken[f.cluster],
        "clusters_in_stratum": np.bincount(stratum_of, minlength=strata)[f.codes],
        "clusters_sampled": f.n[f.codes],
    }
    if rng is None:
        return None, pi, extra
    order = np.lexsort((np.arange(clusters), stratum_of))  # clusters by stratum, then by label
    measure = np.where(certain, 0.0, f.measure)
    upper = np.empty(clusters)
    cumulative = np.cumsum(measure[order])
    first = np.concatenate([[0], np.cumsum(np.bincount(stratum_of, minlength=strata))[:-1]])
    before = np.concatenate([[0.0], cumulative])[first]  # cumulative size before each stratum
    upper[order] = cumulative - before[stratum_of[order]]
    with np.errstate(divide="ignore", invalid="ignore"):
        interval = np.where(left > 0, mass / np.maximum(left, 1), np.inf)
    start = (1.0 - rng.random(strata)) * np.where(np.isfinite(interval), interval, 0)
    chosen_cluster = certain | (_hits(upper, measure, start[stratum_of], interval[stratum_of]) > 0)
    chosen = chosen_cluster[f.cluster]
    if f.take is not None:
        within = np.lexsort((rng.random(len(f.cluster)), f.cluster))
        chosen &= _rank_within(within, f.cluster, clusters) < taken[f.cluster]
    return chosen, pi, extra


SELECTION_METHODS: dict[str, Callable[[_Frame, np.random.Generator | None], Draw]] = {
    "srs": _srs,
    "systematic": _systematic,
    "pps_systematic": _pps_systematic,
}


def _read(frame: pd.DataFrame | str | PathLike[str]) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame):
        if len(frame) == 0:
            raise SamplingError("the address frame has no rows.")
        return frame
    try:
        return _read(pd.read_csv(frame))
    except (OSError, pd.errors.ParserError) as error:
        raise SamplingError(f"{frame}: cannot read the address frame as CSV ({error}).") from error


def _column(frame: pd.DataFrame, name: str, role: str) -> pd.Series:
    if name not in frame.columns:
        raise SamplingError(f"{role} column {name!r} is not in the address frame; columns are {_checks.names(frame.columns)}.")
    return frame[name]


def _sizes(n: Sizes, labels: pd.Index, strata: str | None, units: str) -> np.ndarray:
    if isinstance(n, pd.DataFrame):
        key = strata if strata in n.columns else n.columns[0]
        if "n" not in n.columns:
            raise SamplingError("n as a table needs an 'n' column and a stratum column, as allocate() returns.")
        n = pd.Series(n["n"].to_numpy(), index=n[key].to_numpy())
    if strata is None:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise SamplingError(f"without strata, n must be the number of {units} to select; got {type(n).__name__}.")
        return np.array([_checks.count(n, "n")])
    if isinstance(n, (int, np.integer)) and not isinstance(n, bool):
        raise SamplingError(f"with strata={strata!r}, give n per stratum: a mapping, a Series or the table from allocate().")
    sizes = _checks.per_unit(n, labels, "n", default=None)
    if not np.all(sizes == np.floor(sizes)) or (sizes < 0).any():
        raise SamplingError("n must be whole numbers of at least 0 in every stratum.")
    return sizes.astype(np.int64)


def _prepare(frame: pd.DataFrame, n: Sizes, *, method: str, strata: str | None, sort_by: str | Sequence[str] | None,
             cluster: str | None, size: str | None, take: int | None) -> _Frame:
    if method != "pps_systematic" and (cluster is not None or size is not None or take is not None):
        raise SamplingError(f"cluster, size and take are for method='pps_systematic', not {method!r}.")
    if method != "systematic" and sort_by is not None:
        raise SamplingError(f"sort_by is for method='systematic', not {method!r}.")
    if strata is None:
        codes, labels = np.zeros(len(frame), dtype=np.int64), pd.Index([None])
    else:
        codes, labels = pd.factorize(_column(frame, strata, "strata"), sort=True)
        if (codes < 0).any():
            raise SamplingError(f"strata column {strata!r} is missing at row {int(np.flatnonzero(codes < 0)[0])}.")
        labels = pd.Index(labels)
    keys: list[np.ndarray] = [np.arange(len(frame))]
    for name in reversed([sort_by] if isinstance(sort_by, str) else list(sort_by or [])):
        keys.append(pd.factorize(_column(frame, name, "sort_by"), sort=True)[0])
    order = np.lexsort(keys + [codes])
    cluster_codes = measure = None
    units = "addresses"
    if method == "pps_systematic":
        if cluster is None:
            raise SamplingError("method='pps_systematic' needs cluster: the column naming each address's cluster "
                                "(e.g. postcode sector).")
        cluster_codes, cluster_labels = pd.factorize(_column(frame, cluster, "cluster"), sort=True)
        if (cluster_codes < 0).any():
            raise SamplingError(f"cluster column {cluster!r} is missing at row {int(np.flatnonzero(cluster_codes < 0)[0])}.")
        clusters = len(cluster_labels)
        low = np.full(clusters, len(labels), dtype=np.int64)
        high = np.full(clusters, -1, dtype=np.int64)
        np.minimum.at(low, cluster_codes, codes)
        np.maximum.at(high, cluster_codes, codes)
        split = low != high
        if split.any():
            c = int(np.flatnonzero(split)[0])
            found = labels[np.unique(codes[cluster_codes == c])]
            raise SamplingError(f"cluster {cluster_labels[c]!r} is in several strata ({_checks.names(found)}); "
                                "clusters must nest within strata.")
        if size is None:
            measure = np.bincount(cluster_codes).astype(float)
        else:
            values = pd.to_numeric(_column(frame, size, "size"), errors="coerce").to_numpy(dtype=float)
            low = np.full(len(cluster_labels), np.inf)
            high = np.full(len(cluster_labels), -np.inf)
            np.minimum.at(low, cluster_codes, values)
            np.maximum.at(high, cluster_codes, values)
            bad = ~(low > 0) | (low != high)
            if bad.any():
                c = int(np.flatnonzero(bad)[0])
                raise SamplingError(f"size column {size!r} must be one positive number per cluster; cluster "
                                    f"{cluster_labels[c]!r} has values from {low[c]:g} to {high[c]:g}.")
            measure = low
        if take is not None:
            take = _checks.count(take, "take", low=1)
        units = "clusters"
        population = np.bincount(low, minlength=len(labels))
    else:
        population = np.bincount(codes, minlength=len(labels))
    sizes = _sizes(n, labels, strata, units)
    over = sizes > population
    if over.any():
        h = int(np.flatnonzero(over)[0])
        where = f"stratum {labels[h]!r}" if strata is not None else "the frame"
        raise SamplingError(f"{where}: cannot select {sizes[h]:,} {units} from {population[h]:,}; the target cannot "
                            f"be met within the frame. Lower n there or add {units} to the frame.")
    return _Frame(codes=codes, labels=labels, n=sizes, size=population, order=order, cluster=cluster_codes,
                  measure=measure, take=take)


def inclusion_probabilities(frame: pd.DataFrame | str | PathLike[str], n: Sizes, *, method: str = "srs",
                            strata: str | None = None, cluster: str | None = None, size: str | None = None,
                            take: int | None = None) -> pd.Series:
    """Probability that each address of the frame is selected, without selecting.

    Arguments as :func:`select_sample`. The probabilities of a stratum sum to its sample size
    (``srs``, ``systematic``), or to the expected number of addresses (``pps_systematic``,
    whose cluster probabilities sum to the clusters sampled).

    Examples
    --------
    >>> import pandas as pd
    >>> from residentsurvey.sampling import inclusion_probabilities
    >>> frame = pd.DataFrame({"council": ["A"] * 4 + ["B"] * 6})
    >>> inclusion_probabilities(frame, {"A": 2, "B": 3}, strata="council").tolist()
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    """
    data = _read(frame)
    draw = _checks.option(SELECTION_METHODS, "method", method)
    prepared = _prepare(data, n, method=method, strata=strata, sort_by=None, cluster=cluster, size=size, take=take)
    _, pi, _ = draw(prepared, None)  # type: ignore[operator]
    return pd.Series(pi, index=data.index, name="inclusion_probability")


def select_sample(frame: pd.DataFrame | str | PathLike[str], n: Sizes, *, seed: int, method: str = "srs",
                  strata: str | None = None, sort_by: str | Sequence[str] | None = None, cluster: str | None = None,
                  size: str | None = None, take: int | None = None) -> pd.DataFrame:
    """Select a sample of addresses from a frame, reproducibly from ``seed``.

    Parameters
    ----------
    frame
        The address frame, one row per address: a DataFrame or the path of a CSV file.
    n
        Sample size: a number (no strata), or one per stratum as a mapping, a Series or the
        table :func:`allocate` returns. For ``"pps_systematic"``, clusters per stratum.
    seed
        Seed of the random draw; the same seed gives the same sample.
    method
        ``"srs"`` (stratified simple random sampling without replacement, default),
        ``"systematic"`` or ``"pps_systematic"`` (see ``SELECTION_METHODS``).
    strata
        Stratum column (e.g. council, or council × deprivation band).
    sort_by
        For ``"systematic"``: column(s) to order each stratum by (implicit stratification,
        e.g. postcode). Default: frame order.
    cluster
        For ``"pps_systematic"``: the cluster column (e.g. postcode sector). Clusters are
        taken in label order within each stratum.
    size
        For ``"pps_systematic"``: column holding each cluster's measure of size (constant
        within a cluster). Default: its number of addresses.
    take
        For ``"pps_systematic"``: addresses drawn at random from each selected cluster.
        Default: all of them.

    Returns
    -------
    pandas.DataFrame
        The selected rows in frame order, with ``inclusion_probability`` and ``design_weight``
        (its inverse), and for ``"srs"`` and ``"systematic"`` ``stratum_population`` and
        ``stratum_sample`` (:math:`N_h`, :math:`n_h`, for ``fpc=``); for ``"pps_systematic"``
        ``cluster_probability``, ``addresses_in_cluster``, ``addresses_taken``,
        ``clusters_in_stratum`` and ``clusters_sampled``. ``attrs`` records method, seed and strata.

    Notes
    -----
    ``srs``: :math:`\\pi_i = n_h/N_h`, by sorting on uniform keys within each stratum.
    ``systematic``: points :math:`r_h + jk_h` with :math:`k_h = N_h/n_h` and
    :math:`r_h \\sim U(0, k_h]`, so :math:`\\pi_i = n_h/N_h` exactly (Cochran 1977, ch. 8).
    ``pps_systematic``: the same on cumulated cluster sizes, :math:`\\pi_c = n_h M_c/M_h` with
    certainty clusters removed first (Särndal, Swensson and Wretman 1992, §3.6).

    A stratified SRS or systematic sample is a :class:`~residentsurvey.SurveyDesign` with
    ``weights="design_weight", strata=strata, fpc="stratum_population"``; a PPS sample with
    ``psu=cluster`` and no fpc (the usual with-replacement approximation).

    Examples
    --------
    >>> import pandas as pd
    >>> from residentsurvey.sampling import select_sample
    >>> frame = pd.DataFrame({"address": range(10), "council": ["A"] * 4 + ["B"] * 6})
    >>> sample = select_sample(frame, {"A": 2, "B": 3}, strata="council", seed=1)
    >>> sample.groupby("council")["design_weight"].sum().tolist()
    [4.0, 6.0]
    """
    data = _read(frame)
    draw = _checks.option(SELECTION_METHODS, "method", method)
    seed = _checks.count(seed, "seed")
    clash = [name for name in _ADDED if name in data.columns]
    if clash:
        raise SamplingError(f"the address frame already has column(s) {_checks.names(clash)}, which the sample adds; "
                            "rename or drop them.")
    prepared = _prepare(data, n, method=method, strata=strata, sort_by=sort_by, cluster=cluster, size=size, take=take)
    chosen, pi, extra = draw(prepared, np.random.default_rng(seed))  # type: ignore[operator]
    rows = np.flatnonzero(chosen)
    added: dict[str, np.ndarray] = {}
    if method != "pps_systematic":
        added["stratum_population"] = prepared.size[prepared.codes[rows]]
        added["stratum_sample"] = prepared.n[prepared.codes[rows]]
    added.update({name: values[rows] for name, values in extra.items()})
    added["inclusion_probability"] = pi[rows]
    added["design_weight"] = 1.0 / pi[rows]
    picked = data.iloc[rows]
    sample = pd.concat([picked, pd.DataFrame(added, index=picked.index)], axis=1)
    sample.attrs.update(method=method, seed=seed, strata=strata, cluster=cluster)
    return sample
