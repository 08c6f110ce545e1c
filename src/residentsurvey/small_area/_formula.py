"""The linking model's right-hand side: a small formula language and the design matrix it builds.

``"~ x1 + x2"`` uses numeric columns as they are; ``C(x)`` (or R's ``as.factor(x)``) and any
text, categorical or boolean column become treatment-coded indicators with the first level as
reference, as R's ``model.matrix``; ``- 1`` or ``+ 0`` drops the intercept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import SmallAreaError

__all__ = ["LinkingFormula", "parse_formula", "design_matrix"]

_FACTOR = re.compile(r"^(?:C|as\.factor|factor)\((?P<name>[^()]+)\)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True)
class LinkingFormula:
    """A parsed right-hand side: the covariate columns, which are factors, and the intercept."""

    text: str
    columns: tuple[str, ...]
    factors: tuple[bool, ...]
    intercept: bool


def parse_formula(formula: str) -> LinkingFormula:
    """Parse ``"~ x1 + C(x2)"`` (a response before ``~`` is ignored: the response is the direct estimate).

    >>> parse_formula("~ deprivation + C(band) - 1")
    LinkingFormula(text='~ deprivation + C(band) - 1', columns=('deprivation', 'band'), factors=(False, True), intercept=False)
    """
    if not isinstance(formula, str) or "~" not in formula:
        raise SmallAreaError(f"formula must be a string such as '~ x1 + x2'; got {formula!r}.")
    rhs = formula.split("~", 1)[1]
    tokens = re.split(r"\s*([+-])\s*", " + " + rhs.strip())
    columns: list[str] = []
    factors: list[bool] = []
    intercept = True
    for sign, term in zip(tokens[1::2], tokens[2::2]):
        term = term.strip()
        if term in ("0", "1"):
            intercept = (term == "1") == (sign == "+")
            continue
        if sign == "-":
            raise SmallAreaError(f"formula {formula!r}: only '- 1' may be subtracted; found '- {term}'.")
        match = _FACTOR.match(term)
        name = match.group("name").strip() if match else term
        if not _NAME.match(name):
            raise SmallAreaError(f"formula {formula!r}: term {term!r} is not a column name, C(name) or "
                                 "as.factor(name); compute transformed covariates as columns of auxiliary first.")
        if name not in columns:
            columns.append(name)
            factors.append(match is not None)
    if not columns and not intercept:
        raise SmallAreaError(f"formula {formula!r} has no terms and no intercept.")
    return LinkingFormula(formula, tuple(columns), tuple(factors), intercept)


def design_matrix(spec: LinkingFormula, auxiliary: pd.DataFrame, area: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """The design matrix of every row of ``auxiliary`` (intercept first) and the names of its columns.

    Missing covariate values are an error naming the areas and the column.
    """
    missing = [c for c in spec.columns if c not in auxiliary.columns]
    if missing:
        raise SmallAreaError(f"formula {spec.text!r} uses {', '.join(map(repr, missing))}, not a column of "
                             f"auxiliary (its columns: {', '.join(map(str, auxiliary.columns))}).")
    parts: list[np.ndarray] = [np.ones((len(auxiliary), 1))] if spec.intercept else []
    names: list[str] = ["(Intercept)"] if spec.intercept else []
    full_levels = not spec.intercept  # as R: without an intercept the first factor keeps all its levels
    for column, factor in zip(spec.columns, spec.factors):
        values = auxiliary[column]
        gaps = values.isna().to_numpy()
        if gaps.any():
            areas = auxiliary.loc[gaps, area].astype(str).tolist()
            raise SmallAreaError(f"auxiliary column {column!r} is missing for {len(areas)} area(s): "
                                 f"{', '.join(areas[:10])}{' ...' if len(areas) > 10 else ''}; every area needs "
                                 "every covariate (fill them in, or drop the term from the formula).")
        categorical = (factor or isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == bool
                       or not pd.api.types.is_numeric_dtype(values))
        if categorical:
            cat = values.astype("category")
            levels = list(cat.cat.categories)
            codes = cat.cat.codes.to_numpy()
            first, full_levels = (0 if full_levels else 1), False
            for k in range(first, len(levels)):
                parts.append((codes == k).astype(float)[:, None])
                names.append(f"{column}[{levels[k]}]")
        else:
            parts.append(values.to_numpy(dtype=float)[:, None])
            names.append(column)
    return np.hstack(parts), tuple(names)
