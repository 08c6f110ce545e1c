"""Compile a design's strata, clusters and finite population corrections into integer codes, once.

The variance of any estimator is then a handful of ``np.bincount`` calls over these codes
(see :mod:`residentsurvey.analysis.variance`). The rules follow R's ``survey`` package
(``svydesign`` and ``svyrecvar``, version 4.1):

* stage k's units are nested in stage k-1's units; stage k's strata are nested in
  stage k-1's units (a stage without strata has one stratum per containing unit);
* stage-1 PSUs must lie in one stratum unless ``nest=True`` (then PSU labels are
  only unique within a stratum);
* ``fpc`` values above 1 are population counts of units, values of at most 1 are
  sampling fractions; it must be constant within a stratum and at least the number
  of units sampled;
* later stages add variance only when ``fpc`` is given, multiplied by the sampling
  fractions of the stages above (Särndal et al. 1992, result 4.3.1);
* a stratum whose units were all taken (fpc equal to the number sampled) adds nothing;
* a stratum with one PSU is treated according to ``lonely_psu``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import DesignError, LonelyPSUError, OptionError
from ._columns import first_offender, numeric_column
from ._pairs import pair_codes

#: How a stratum with a single PSU is handled, as R's ``options(survey.lonely.psu=...)``.
LONELY_PSU_RULES: dict[str, str] = {
    "fail": "raise an error naming the stratum",
    "remove": "the stratum adds no variance",
    "certainty": "the PSU is taken with certainty: the stratum adds no variance",
    "adjust": "the PSU total is centred at zero (the overall mean of the scores) instead of its stratum mean",
    "average": "the stratum is left out and the variance scaled up by (strata)/(strata with two or more PSUs)",
}

_CERTAIN = 1e-7  # R: all(f < 1e-7) marks a fully enumerated stratum


@dataclass(frozen=True)
class Stage:
    """One sampling stage, compiled.

    ``unit`` numbers each row's sampling unit at this stage (None when every row is its own
    unit); ``unit_stratum`` gives each unit's stratum; per stratum, ``n_units`` is the number
    of units sampled, ``popsize`` the number in the population (inf without fpc), ``factor``
    the multiplier of the stratum's sum of squared deviations of unit totals (0 for strata
    that add nothing), ``centre`` whether unit totals are centred at the stratum mean,
    ``excluded`` whether lonely_psu="average" leaves the stratum out, and ``container`` the
    stage-(k-1) unit the stratum lies in (0 at stage 1).
    """

    number: int
    stratum: np.ndarray
    unit: np.ndarray | None
    unit_stratum: np.ndarray
    n_units: np.ndarray
    popsize: np.ndarray
    factor: np.ndarray
    centre: np.ndarray
    excluded: np.ndarray
    container: np.ndarray
    n_containers: int

    @property
    def n_strata(self) -> int:
        return len(self.n_units)

    @property
    def unit_codes(self) -> np.ndarray:
        """Unit code of each row (row numbers when every row is its own unit)."""
        return np.arange(len(self.stratum), dtype=np.int64) if self.unit is None else self.unit


@dataclass(frozen=True)
class Structure:
    """All stages of a design, plus the probabilities implied by fpc."""

    stages: tuple[Stage, ...]
    fpc_kind: str  # "none", "counts" or "fractions"
    prob_from_fpc: np.ndarray | None

    @property
    def first(self) -> Stage:
        return self.stages[0]


def _codes(data: pd.DataFrame, name: str, role: str) -> np.ndarray:
    column = data[name]
    missing = column.isna().to_numpy()
    if missing.any():
        position, label = first_offender(data, missing)
        raise DesignError(
            f"{role} column {name!r} is missing at row {position} (index {label!r}) and "
            f"{int(missing.sum())} row(s) in all; every respondent needs a {role} value."
        )
    codes, _ = pd.factorize(column, sort=True)
    return codes.astype(np.int64)


def _label(data: pd.DataFrame, names: list[str], row: int) -> str:
    return ", ".join(f"{name}={shown(data[name].iloc[row])}" for name in names)


def _per_stratum_constant(values: np.ndarray, stratum: np.ndarray, n_strata: int, data: pd.DataFrame,
                          name: str, stratum_names: list[str]) -> np.ndarray:
    """The single value of ``values`` in each stratum; an error naming the stratum when it varies."""
    first = np.full(n_strata, np.nan)
    first[stratum[::-1]] = values[::-1]
    varies = values != first[stratum]
    if varies.any():
        position = int(np.flatnonzero(varies)[0])
        where = _label(data, stratum_names, position) if stratum_names else "the whole sample"
        raise DesignError(
            f"fpc column {name!r} varies within a stratum ({where}): row {position} holds {shown(values[position])} "
            f"but another row of that stratum holds {shown(first[stratum[position]])}. "
            "The fpc must be the same for every row of a stratum."
        )
    return first


def compile_structure(
    data: pd.DataFrame,
    *,
    strata: list[str],
    psu: list[str],
    fpc: list[str],
    nest: bool,
    lonely_psu: str,
) -> Structure:
    """Compile the columns named by a design into a :class:`Structure` (see the module docstring)."""
    if lonely_psu not in LONELY_PSU_RULES:
        raise OptionError.unknown("lonely_psu", lonely_psu, LONELY_PSU_RULES)
    n = len(data)
    n_stages = max(len(psu), 1)
    if len(strata) > n_stages:
        raise DesignError(
            f"strata names {len(strata)} columns {strata} but the design has {n_stages} stage(s) "
            f"(psu={psu or None}); give at most one strata column per stage."
        )
    if fpc and len(fpc) != n_stages:
        raise DesignError(
            f"fpc names {len(fpc)} column(s) {fpc} but psu names {n_stages} stage(s) {psu}; give one fpc column "
            "per stage (as R's svydesign requires), or none for with-replacement variance."
        )
    fpc_values = [numeric_column(data, name, "fpc") for name in fpc]
    for name, values in zip(fpc, fpc_values):
        bad = np.isnan(values) | (values <= 0)
        if bad.any():
            position, label = first_offender(data, bad)
            raise DesignError(
                f"fpc column {name!r} must be a positive number on every row; row {position} (index {label!r}) "
                f"holds {shown(data[name].iloc[position])}."
            )
    fpc_kind = "none"
    if fpc_values:
        # as R's as.fpc: population counts if any value exceeds 1 (then none may be below 1), else fractions
        every = np.concatenate(fpc_values)
        fpc_kind = "counts" if (every > 1).any() else "fractions"
        if fpc_kind == "counts" and (every < 1).any():
            raise DesignError(
                f"fpc columns {fpc} mix sampling fractions (values below 1) and population counts (values above 1); "
                "give every stage in the same form."
            )

    stages: list[Stage] = []
    prob = np.ones(n)
    multiplier_of_container = np.ones(1)
    container = np.zeros(n, dtype=np.int64)
    n_containers = 1
    previous_unit: np.ndarray | None = None
    for k in range(n_stages):
        stratum_name = strata[k] if k < len(strata) else None
        # strata at this stage, nested in the containing unit
        if stratum_name is None:
            stratum, n_strata = container, n_containers
            stratum_container = np.arange(n_containers, dtype=np.int64)
        else:
            raw = _codes(data, stratum_name, "strata")
            stratum, n_strata, stratum_container, _ = pair_codes(container, n_containers, raw, int(raw.max()) + 1)
        # units at this stage, nested in the containing unit
        if not psu:
            unit = None
            unit_stratum = stratum
            n_units = np.bincount(stratum, minlength=n_strata)
        else:
            raw = _codes(data, psu[k], "psu")
            if k == 0 and nest:
                raw, _, _, _ = pair_codes(stratum, n_strata, raw, int(raw.max()) + 1)
            elif k > 0:
                raw, _, _, _ = pair_codes(previous_unit, int(previous_unit.max()) + 1, raw, int(raw.max()) + 1)
            n_raw = int(raw.max()) + 1
            pairs, n_pairs, unit_of_pair, stratum_of_pair = pair_codes(raw, n_raw, stratum, n_strata)
            if n_pairs != n_raw:
                twice = np.flatnonzero(np.bincount(unit_of_pair, minlength=n_raw) > 1)[0]
                rows = np.flatnonzero(raw == twice)
                in_strata = sorted({_label(data, strata[: k + 1], r) for r in rows})[:2]
                raise DesignError(
                    f"PSU {data[psu[k]].iloc[rows[0]]!r} (column {psu[k]!r}) appears in more than one stratum "
                    f"({'; '.join(in_strata)}). PSUs must be nested in strata: pass nest=True if PSU labels "
                    "are only unique within a stratum, or fix the labels."
                )
            unit = raw
            unit_stratum = np.empty(n_raw, dtype=np.int64)
            unit_stratum[unit_of_pair] = stratum_of_pair
            n_units = np.bincount(unit_stratum, minlength=n_strata)
        # finite population correction
        if fpc_values:
            value = _per_stratum_constant(fpc_values[k], stratum, n_strata, data, fpc[k],
                                          strata[: k + 1] + psu[:k])
            popsize = n_units / value if fpc_kind == "fractions" else value
            over = popsize < n_units - 1e-9 * n_units
            if over.any():
                h = int(np.flatnonzero(over)[0])
                row = int(np.flatnonzero(stratum == h)[0])
                raise DesignError(
                    f"fpc column {fpc[k]!r} implies more than 100% sampling at stage {k + 1} in stratum "
                    f"({_label(data, strata[: k + 1] + psu[:k], row) or 'whole sample'}): {int(n_units[h])} units sampled "
                    f"but a population of {popsize[h]:g}. Give population counts of units (or sampling fractions)."
                )
            f = np.clip((popsize - n_units) / popsize, 0.0, 1.0)
            prob = prob * (n_units / popsize)[stratum]
        else:
            popsize = np.full(n_strata, np.inf)
            f = np.ones(n_strata)
        factor, centre, excluded = _stratum_factors(
            data, stratum, n_units, f, lonely_psu, k + 1, strata[: k + 1] + psu[:k],
        )
        factor = factor * multiplier_of_container[stratum_container]
        stages.append(Stage(k + 1, stratum, unit, unit_stratum, n_units, popsize, factor, centre, excluded,
                            stratum_container, n_containers))
        if not fpc_values or unit is None:
            break  # later stages add variance only with fpc (R: svyrecvar's multistage)
        # what stage k+1 inherits: its containers are this stage's units
        previous_unit = unit
        unit_multiplier = (multiplier_of_container[stratum_container] * n_units / popsize)[unit_stratum]
        multiplier_of_container = unit_multiplier
        container, n_containers = unit, len(unit_stratum)
    prob_from_fpc = prob if fpc_values else None
    return Structure(tuple(stages), fpc_kind, prob_from_fpc)


def _stratum_factors(
    data: pd.DataFrame,
    stratum: np.ndarray,
    n_units: np.ndarray,
    f: np.ndarray,
    lonely_psu: str,
    stage: int,
    label_columns: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-stratum variance multipliers, centring and exclusion flags, as R's ``onestrat``.

    The lonely-average rescaling depends on which strata a domain reaches, so it is applied
    when a variance is computed (:func:`residentsurvey.analysis.variance.domain_variance`).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_units > 1, f * n_units / np.maximum(n_units - 1, 1), f)
    certain = f < _CERTAIN
    lonely = (n_units == 1) & ~certain
    centre = np.ones(len(n_units), dtype=bool)
    excluded = np.zeros(len(n_units), dtype=bool)
    if lonely.any():
        if lonely_psu == "fail":
            h = int(np.flatnonzero(lonely)[0])
            row = int(np.flatnonzero(stratum == h)[0])
            where = _label(data, label_columns, row) or "the whole sample"
            others = f" ({int(lonely.sum())} such strata in all)" if lonely.sum() > 1 else ""
            raise LonelyPSUError(
                f"Stratum ({where}) has only one PSU at stage {stage}{others}, so its variance cannot be "
                "estimated. Choose lonely_psu='adjust', 'average', 'certainty' or 'remove' "
                "(as R's options(survey.lonely.psu=...)), or merge the stratum with a similar one."
            )
        if lonely_psu in ("remove", "certainty"):
            scale = np.where(lonely, 0.0, scale)
        elif lonely_psu == "adjust":
            centre = ~lonely
        elif lonely_psu == "average":
            excluded = lonely
            scale = np.where(lonely, 0.0, scale)
    return np.where(certain, 0.0, scale), centre, excluded
