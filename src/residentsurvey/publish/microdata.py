"""Safe microdata for partners: k-anonymity on quasi-identifiers, and replicate weights instead of the design.

The steps, each counted in the risk report (nothing is dropped silently):

1. **Direct identifiers removed**: the questionnaire's respondent id, any column named in
   ``direct_identifiers``, and the design's strata, PSU, fpc and starting-weight columns
   (they locate a respondent's postcode sector); ``remove`` names more.
2. **Global recoding**: ``recode={"age_band": {"16-24": "16-34", "25-34": "16-34"}}`` merges
   categories for every record.
3. **Local suppression**: while a record's combination of quasi-identifiers is shared by fewer
   than ``k`` records, its least important quasi-identifier (the last in ``quasi_identifiers``)
   not yet suppressed is set missing. A missing value matches any category (as sdcMicro), so
   each pass can only raise the counts.
4. **Replicate weights**: the calibrated weight and replicate weights from
   ``design.replicate(method)`` (re-calibrated in every replicate) let a partner compute
   standard errors without strata or PSUs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DesignError, OptionError
from ._risk import frequencies, individual_risk

__all__ = ["SafeMicrodata", "safe_microdata", "MICRODATA_FORMATS"]

#: File formats :meth:`SafeMicrodata.write` can produce, by suffix.
MICRODATA_FORMATS: dict[str, str] = {
    ".parquet": "Apache Parquet (categories and missing values kept; read with pandas, R arrow, Stata via R)",
    ".sav": "SPSS .sav labelled from the questionnaire (needs questionnaire=)",
    ".csv": "plain CSV (missing values empty)",
}


@dataclass(frozen=True)
class SafeMicrodata:
    """A partner release of respondent-level data, with what was done to make it safe.

    Attributes
    ----------
    data
        The released records: every kept column, quasi-identifiers recoded and suppressed,
        ``weight`` (the calibrated weight) and ``replicate_1`` ... ``replicate_R``.
    report
        One row per action: ``step`` (``removed``, ``recoded``, ``suppressed``), ``variable``,
        ``records`` affected, ``detail``.
    risk
        One row per record: ``fk`` (records sharing its key), ``Fk`` (their weight), ``risk``
        (individual risk), before and after protection.
    summary
        The headline numbers: records, k, violations before and after, cells suppressed, records
        recoded, expected re-identifications before and after, share of quasi-identifier cells
        changed (information loss).
    method, scale, rscales
        How to use the replicate weights (R: ``svrepdesign(type=method, scale=, rscales=)``).
    """

    data: pd.DataFrame
    report: pd.DataFrame
    risk: pd.DataFrame
    summary: dict = field(default_factory=dict)
    quasi_identifiers: tuple[str, ...] = ()
    k: int = 5
    method: str = "bootstrap"
    scale: float = 1.0
    rscales: tuple[float, ...] = ()

    @property
    def replicate_columns(self) -> list[str]:
        """Names of the replicate-weight columns."""
        return [c for c in self.data.columns if c.startswith("replicate_")]

    def design(self):
        """The released file as a replicate-weight design (what a partner builds from the file).

        Returns
        -------
        residentsurvey.ReplicateDesign
        """
        from ..analysis.replicate_design import ReplicateDesign

        return ReplicateDesign(self.data, weights="weight", replicate_weights=self.replicate_columns,
                               method=self.method, scale=self.scale, rscales=np.array(self.rscales))

    def write(self, path: str | Path, *, questionnaire=None) -> Path:
        """Write the records (``.parquet``, ``.sav`` or ``.csv``) and the risk report beside them.

        The report goes to ``<stem>-risk-report.csv``; the per-record risk is not written (it
        would point at the riskiest records).
        """
        path = Path(path)
        if path.suffix not in MICRODATA_FORMATS:
            raise OptionError(f"cannot write microdata as {path.suffix!r} ({path.name}); choose a file ending in "
                              f"{', '.join(MICRODATA_FORMATS)}.")
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".parquet":
            self.data.to_parquet(path, index=False)
        elif path.suffix == ".csv":
            self.data.to_csv(path, index=False)
        else:
            if questionnaire is None:
                raise DesignError(f"writing {path.name} as SPSS needs questionnaire= for the value labels.")
            from ..errors import ReturnsError
            from ..returns import write_sav

            labels = {"weight": "Calibrated weight"} | {c: f"Replicate weight {c.split('_')[1]} ({self.method})"
                                                        for c in self.replicate_columns}
            try:
                write_sav(self.data, path, questionnaire, variable_labels=labels)
            except ReturnsError as error:
                recoded = sorted(set(self.report.loc[self.report["step"] == "recoded", "variable"]))
                hint = (f" {', '.join(recoded)} were recoded to values the questionnaire {questionnaire.name} has no "
                        "code for: recode to codes of its code frame (e.g. {3: 2}) for a labelled .sav, or write "
                        ".parquet or .csv." if recoded else "")
                raise DesignError(f"cannot write {path.name}: {error}{hint}") from error
        self.report.to_csv(path.with_name(f"{path.stem}-risk-report.csv"), index=False)
        return path


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def safe_microdata(returns: pd.DataFrame, design, *, quasi_identifiers: Sequence[str], k: int = 5,
                   questionnaire=None, direct_identifiers: Sequence[str] = (), remove: Sequence[str] = (),
                   recode: Mapping[str, Mapping[object, object]] | None = None, method: str = "bootstrap",
                   replicates: int | None = 50, seed: int | None = 20261130) -> SafeMicrodata:
    """Respondent-level data a partner can analyse without re-identifying anyone.

    Parameters
    ----------
    returns
        The returns to release (one row per respondent, the same rows as ``design.data``).
    design
        The weighted design of those returns (calibrated or not): the released ``weight`` and
        replicate weights come from it.
    quasi_identifiers
        Columns an intruder could know from elsewhere (council, age band, sex, tenure,
        ethnicity...), most important first: suppression starts from the last.
    k
        Every combination of quasi-identifiers must be shared by at least ``k`` records.
    questionnaire
        Its ``respondent_id`` is removed as a direct identifier.
    direct_identifiers, remove
        More columns to remove: identifiers (names, addresses, postcodes, free text) and
        anything else not to release.
    recode
        Global recoding: ``{column: {old value: new value}}``, applied to every record first.
    method, replicates, seed
        Replicate weights: ``design.replicate(method, replicates=, seed=)``.

    Returns
    -------
    SafeMicrodata

    Raises
    ------
    DesignError
        If a named column is missing, the rows do not match the design's, or there are fewer
        than ``k`` records (no release can then meet the rule).

    Notes
    -----
    Risk follows sdcMicro (Templ, Kowarik and Meindl 2015): ``fk`` and ``Fk`` as ``freqCalc``,
    individual risk as ``indivRisk(method="approx")``; expected re-identifications are the sum of
    individual risks. Information loss is reported as the share of quasi-identifier cells changed
    by recoding or suppression, per variable and overall.
    """
    quasi = list(dict.fromkeys(quasi_identifiers))
    if not quasi:
        raise DesignError("quasi_identifiers is empty; name the columns an intruder could know (council, age band, "
                          "sex, ...).")
    if int(k) != k or k < 1:
        raise DesignError(f"k must be a whole number of at least 1; got {k!r}.")
    k = int(k)
    direct = list(direct_identifiers)
    if questionnaire is not None:
        direct.insert(0, questionnaire.respondent_id)
    named = {"quasi_identifiers": quasi, "direct_identifiers": direct_identifiers, "remove": remove,
             "recode": list(recode or {})}
    for option, columns in named.items():
        lacking = [c for c in columns if c not in returns.columns]
        if lacking:
            raise DesignError(f"{option} names column(s) {lacking} that the returns do not have; the returns have "
                              f"{', '.join(map(str, returns.columns[:30]))}.")
    if len(returns) != len(design.data) or not returns.index.equals(design.data.index):
        raise DesignError(f"the returns ({len(returns)} rows) are not the design's rows ({len(design.data)}); pass "
                          "design.data, or build the design from these returns.")
    if len(returns) < k:
        raise DesignError(f"only {len(returns)} records: no release can have every combination shared by k={k}.")
    clash = [c for c in quasi if c in direct]
    if clash:
        raise DesignError(f"{clash} are both quasi-identifiers and direct identifiers; a direct identifier is removed.")

    spec = design.spec
    structural = [c for c in (*spec.strata, *spec.psu, *spec.fpc, spec.weights or "") if c]
    actions: list[dict] = []
    removed: dict[str, str] = {}
    for column in direct:
        removed.setdefault(column, "direct identifier")
    for column in structural:
        if column in returns.columns and column not in quasi:
            removed.setdefault(column, "design structure (strata, PSU, fpc or starting weight): replaced by "
                                       "replicate weights")
    for column in remove:
        removed.setdefault(column, "removed on request")
    for column, reason in removed.items():
        if column in returns.columns:
            actions.append({"step": "removed", "variable": column, "records": len(returns), "detail": reason})

    released = returns.drop(columns=[c for c in removed if c in returns.columns]).copy()
    weights = design.weights.to_numpy(dtype=float)

    # global recoding
    recoded_records = {}
    for column, mapping in (recode or {}).items():
        before = released[column]
        values = before.astype(object)
        after = values.map(lambda v: mapping.get(v, v))
        changed = int((after != values).fillna(False).sum())
        recoded_records[column] = changed
        released[column] = after.astype("category") if isinstance(before.dtype, pd.CategoricalDtype) else after
        merged = ", ".join(f"{a} -> {b}" for a, b in mapping.items())
        actions.append({"step": "recoded", "variable": column, "records": changed, "detail": merged})

    # local suppression
    codes, levels = zip(*(_codes(released[c]) for c in quasi))
    matrix = np.column_stack(codes)
    already = (matrix < 0).sum(axis=0)
    fk0, Fk0 = frequencies(matrix, weights)
    risk0 = individual_risk(fk0, Fk0)
    order = np.arange(len(quasi))[::-1]  # least important first
    suppressed = np.zeros_like(matrix, dtype=bool)
    fk, Fk = fk0, Fk0
    for _ in range(len(quasi) + 1):
        bad = fk < k
        if not bad.any():
            break
        open_ = matrix[bad][:, order] >= 0
        first = order[np.argmax(open_, axis=1)]
        rows = np.flatnonzero(bad)
        matrix[rows, first] = -1
        suppressed[rows, first] = True
        fk, Fk = frequencies(matrix, weights)
    risk = individual_risk(fk, Fk)
    for j, column in enumerate(quasi):
        hidden = suppressed[:, j]
        if hidden.any():
            values = released[column].astype(object).where(~hidden, None)
            released[column] = (pd.Categorical(values, categories=released[column].cat.categories)
                                if isinstance(released[column].dtype, pd.CategoricalDtype) else
                                released[column].where(~hidden))
            actions.append({"step": "suppressed", "variable": column, "records": int(hidden.sum()),
                            "detail": f"set missing in {int(hidden.sum())} records whose combination was shared by "
                                      f"fewer than {k}"})

    rep = design.replicate(method, replicates=replicates, seed=seed)
    released["weight"] = rep.weights.to_numpy()
    released = pd.concat([released, rep.replicate_weights.set_axis(released.index)], axis=1)

    cells = len(returns) * len(quasi)
    changed = {c: int(suppressed[:, j].sum()) + recoded_records.get(c, 0) for j, c in enumerate(quasi)}
    summary = {
        "records": len(returns), "k": k, "quasi_identifiers": quasi,
        "violations_before": int((fk0 < k).sum()), "violations_after": int((fk < k).sum()),
        "cells_suppressed": int(suppressed.sum()), "records_recoded": int(sum(recoded_records.values())),
        "missing_before": {c: int(a) for c, a in zip(quasi, already)},
        "expected_reidentifications_before": float(risk0.sum()), "expected_reidentifications_after": float(risk.sum()),
        "max_risk_before": float(risk0.max()), "max_risk_after": float(risk.max()),
        "information_loss": {c: changed[c] / len(returns) for c in quasi},
        "information_loss_overall": sum(changed.values()) / cells,
        "columns_removed": [c for c in removed if c in returns.columns],
        "replicates": rep.n_replicates, "method": method,
    }
    report = pd.DataFrame(actions, columns=["step", "variable", "records", "detail"])
    risk_table = pd.DataFrame({"fk_before": fk0, "Fk_before": Fk0, "risk_before": risk0,
                               "fk": fk, "Fk": Fk, "risk": risk}, index=returns.index)
    return SafeMicrodata(released, report, risk_table, summary, tuple(quasi), k, method, float(rep.scale),
                         tuple(float(r) for r in rep.rscales))
