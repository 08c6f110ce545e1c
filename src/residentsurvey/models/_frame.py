"""The model frame: a formula evaluated on a design's data, the domain (subset) and who is left out.

Formulas are Wilkinson formulas read by formulaic (``y ~ x + C(tenure) + x:C(tenure)``,
transforms such as ``np.log(x)``, backticks for names that are not identifiers). The
formula is evaluated on the whole data, so categories keep their levels in every domain; rows
outside the domain, or missing a value the model uses, get zero rows of the model matrix
(they stay in the design for the variance, as R's ``svyglm`` on ``subset(design, ...)``).
Every left-out row is counted by reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import ModelError

if TYPE_CHECKING:
    from ..analysis.design import SurveyDesign

Subset = str | np.ndarray | pd.Series | Sequence[bool] | None


@dataclass(frozen=True)
class ModelFrame:
    """A formula evaluated on a design: outcome and model matrix (zero outside the base), and exclusions."""

    formula: str
    outcome: str
    y: np.ndarray                 # one value per design row, 0 outside the base
    X: np.ndarray                 # (design rows, coefficients), 0 outside the base
    base: np.ndarray              # rows in the domain, complete, with non-zero weight
    domain: np.ndarray            # rows in the domain (subset)
    names: tuple[str, ...]        # coefficient names
    term_columns: dict[str, tuple[int, ...]]  # term label -> coefficient positions
    spec: Any                     # formulaic ModelSpec of the right-hand side, for new data
    excluded: dict[str, int]      # reason -> rows of the domain left out
    domain_label: str

    @property
    def n(self) -> int:
        """Respondents in the fit."""
        return int(self.base.sum())


def _domain(design: "SurveyDesign", subset: Subset) -> tuple[np.ndarray, str, int]:
    """Boolean domain mask, its description, and rows with a missing subset value (left out)."""
    data = design.data
    n = design.n
    if subset is None:
        return np.ones(n, dtype=bool), "the whole sample", 0
    if isinstance(subset, str):
        if subset in data.columns:
            column = data[subset]
            label = f"{subset} is true"
        else:
            try:
                column = data.reset_index(drop=True).eval(subset)
            except Exception as e:  # pandas raises many types for a bad query
                raise ModelError(
                    f"subset={subset!r} is neither a column of the data nor a query pandas can evaluate ({e}); "
                    "give a boolean column name, a boolean mask or a query such as \"council == 'Northbridge'\"."
                ) from e
            label = subset
    else:
        column = pd.Series(np.asarray(subset)) if not isinstance(subset, pd.Series) else subset
        label = "the subset given"
        if len(column) != n:
            raise ModelError(f"subset has {len(column)} values but the design has {n} rows; give one boolean per row.")
    values = pd.Series(np.asarray(column), dtype="object")
    missing = values.isna().to_numpy()
    kinds = {type(v) for v in values[~missing]}
    if not kinds <= {bool, np.bool_}:
        bad = int(np.flatnonzero(~missing & ~values.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy())[0])
        raise ModelError(
            f"subset ({label}) must be true/false for every row; row {bad} holds {shown(values.iloc[bad])}. "
            "Compare the column with a value (e.g. \"tenure == 'Owner'\") to make a boolean."
        )
    mask = np.where(missing, False, values.to_numpy()).astype(bool)
    return mask, label, int(missing.sum())


def model_frame(design: "SurveyDesign", formula: str, subset: Subset) -> ModelFrame:
    """Evaluate ``formula`` on the design's data within the domain ``subset`` (see the module notes)."""
    from formulaic import model_matrix

    if not isinstance(formula, str) or "~" not in formula:
        raise ModelError(f"formula must be a string such as 'y ~ x + C(group)'; got {formula!r}.")
    domain, label, subset_missing = _domain(design, subset)
    data = design.data.reset_index(drop=True)
    try:
        matrices = model_matrix(formula, data, na_action="drop")
    except Exception as e:  # formulaic's errors name the unknown term or the syntax fault
        raise ModelError(f"formula {formula!r} cannot be evaluated on the design's data: {e}") from e
    lhs, rhs = matrices.lhs, matrices.rhs
    if lhs.shape[1] != 1:
        raise ModelError(
            f"the outcome of {formula!r} gives {lhs.shape[1]} columns ({', '.join(map(str, lhs.columns))}); "
            "use one numeric outcome (for a category, a 0/1 or true/false column, e.g. I(tenure == 'Owner'))."
        )
    complete = np.zeros(design.n, dtype=bool)
    complete[rhs.index.to_numpy()] = True
    y = np.zeros(design.n)
    try:
        y[lhs.index.to_numpy()] = lhs.iloc[:, 0].to_numpy(dtype=float)
    except (TypeError, ValueError) as e:
        raise ModelError(f"the outcome {lhs.columns[0]!r} is not numeric; give numbers, or true/false.") from e
    X = np.zeros((design.n, rhs.shape[1]))
    X[rhs.index.to_numpy()] = rhs.to_numpy(dtype=float)
    positive = design._weight_array != 0
    base = domain & complete & positive
    excluded = {
        "outside the subset": int((~domain).sum()) - subset_missing,
        "subset value missing": subset_missing,
        "missing a value the model uses": int((domain & ~complete).sum()),
        "zero weight": int((domain & complete & ~positive).sum()),
    }
    term_columns = {str(term): tuple(range(s.start, s.stop)) for term, s in rhs.model_spec.term_slices.items()}
    return ModelFrame(formula, str(lhs.columns[0]), y, X, base, domain, tuple(map(str, rhs.columns)), term_columns,
                      rhs.model_spec, {k: v for k, v in excluded.items() if v}, label)
