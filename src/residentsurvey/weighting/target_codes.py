"""Targets by label, returns by code: ``rs.targets_as_codes`` puts population targets in the returns' codes.

Population estimates are published by label (``age_band:sex`` = ``16-34:Female``); returns hold
codes (:mod:`residentsurvey.returns.labels`). This translates each target category of a
question variable into the code of the questionnaire's frame, so targets given by label, by
code, or a mix of both, match returns read from any file.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..errors import CalibrationError
from ..questionnaire.model import Questionnaire
from ..returns.labels import code_of, target_labels


def _split(category: object, frames: list[Mapping[int, str] | None]) -> list[object] | None:
    """The parts of an interaction category, one per variable, matching each frame (labels may hold ':')."""
    if len(frames) == 1:
        frame = frames[0]
        if frame is None:
            return [category]
        code = code_of(category, frame)
        return None if code is None else [code]
    pieces = str(category).split(":")
    for cut in range(1, len(pieces)):
        head = ":".join(pieces[:cut])
        first = [head] if frames[0] is None else ([code_of(head, frames[0])] if code_of(head, frames[0]) is not None
                                                  else None)
        if first is None:
            continue
        rest = _split(":".join(pieces[cut:]), frames[1:])
        if rest is not None:
            return first + rest
    return None


def targets_as_codes(targets: pd.DataFrame, questionnaire: Questionnaire | Mapping[str, Mapping[int, str]]
                     ) -> pd.DataFrame:
    """Population targets with the categories of question variables as the questionnaire's codes.

    Parameters
    ----------
    targets
        Tidy targets (``by`` columns, ``variable``, ``category``, ``total``), categories given by
        label (``"16-34:Female"``), by code (``"1:2"``, ``2``) or a mix. Not changed.
    questionnaire
        The questionnaire the returns follow (or ``{column: {code: label}}``, e.g. a .sav
        file's own value labels). Variables that are not its single-choice or scale questions
        (the council, a sample field, a numeric total) are left as they are.

    Returns
    -------
    pandas.DataFrame
        The targets with each such ``category`` as the code (an ``int``), or for an interaction
        ``"a:b"`` the codes joined by ``":"`` (``"1:2"``), the form
        :meth:`~residentsurvey.SurveyDesign.calibrate` matches against returns in codes
        (:func:`~residentsurvey.to_codes`).

    Raises
    ------
    CalibrationError
        If a category is neither a label nor a code of its question's frame; the message names
        the targets row, the variable, the category and the valid labels.

    Examples
    --------
    >>> import pandas as pd, residentsurvey as rs
    >>> q = rs.load_questionnaire("core-v1")
    >>> targets = pd.DataFrame({"council": ["Eastmere"] * 3, "variable": ["age_band:sex", "age_band:sex", "tenure"],
    ...                         "category": ["16-34:Female", "75+:2", "owner"], "total": [10, 20, 30]})
    >>> rs.targets_as_codes(targets, q)["category"].tolist()
    ['1:1', '4:2', 1]
    """
    if not isinstance(targets, pd.DataFrame) or not {"variable", "category"} <= set(targets.columns):
        raise CalibrationError("targets must be a DataFrame with columns variable, category and total (and any by "
                               "columns).")
    frames = target_labels(questionnaire) if isinstance(questionnaire, Questionnaire) else {
        str(k): dict(v) for k, v in questionnaire.items()}
    out = targets.copy()
    categories = out["category"].astype(object).tolist()
    for row, (variable, category) in enumerate(zip(out["variable"].astype(str), categories)):
        parts = variable.split(":")
        wanted = [frames.get(p) for p in parts]
        if all(w is None for w in wanted) or category is None or (isinstance(category, float) and pd.isna(category)):
            continue
        found = _split(category if len(parts) == 1 else str(category), wanted)
        if found is None:
            valid = "; ".join(f"{p}: " + ", ".join(f"{c}={label!r}" for c, label in w.items())
                              for p, w in zip(parts, wanted) if w is not None)
            raise CalibrationError(
                f"targets row {row} (variable {variable!r}) has category {category!r}, which is neither a label nor a "
                f"code of the questionnaire's frame ({valid}). Spell the category as in the questionnaire, "
                "joining an interaction's parts with ':'."
            )
        categories[row] = found[0] if len(found) == 1 else ":".join(str(p) for p in found)
    out["category"] = pd.Series(categories, index=out.index, dtype=object)
    return out
