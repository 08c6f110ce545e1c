"""Expressing an older wave's returns in a newer questionnaire's terms, where the diff allows it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import OptionError, QuestionnaireError, ReturnsError
from .diff import counterpart, diff, full_recode, recode_map
from .model import Questionnaire
from .values import as_codes

#: What :func:`harmonise` does with a requested item that is not comparable.
NOT_COMPARABLE_ACTIONS: dict[str, str] = {
    "raise": "refuse with a QuestionnaireError naming every such item and why",
    "drop": "leave the item out of the result (listed in attrs['harmonised']['dropped'])",
}


def harmonise(df: pd.DataFrame, from_q: Questionnaire, to_q: Questionnaire, *, items: Sequence[str] | None = None,
              not_comparable: str = "raise") -> pd.DataFrame:
    """Return ``df`` (returns on ``from_q``) in the terms of ``to_q``, applying declared recode maps.

    Parameters
    ----------
    df
        Returns collected with questionnaire ``from_q``. Never changed.
    from_q, to_q
        The questionnaire of the returns and the one to express them in (usually newer).
    items
        Question ids of ``to_q`` to carry over; default every question of ``to_q`` that has a
        counterpart in ``from_q``.
    not_comparable
        ``"raise"`` (default) refuses when any requested item is not comparable;
        ``"drop"`` leaves such items out. See :data:`NOT_COMPARABLE_ACTIONS`.

    Returns
    -------
    pandas.DataFrame
        A new frame: the columns of ``df`` that are not ``from_q`` questions (sample fields,
        weights, ...) unchanged, then each carried item under its ``to_q`` id — copied when
        comparable, recoded when comparable after recoding. ``attrs["questionnaire"]`` is
        ``to_q``'s name, ``attrs["harmonised"]`` records the source version, the verdict per
        item and what was dropped; value and variable labels are ``to_q``'s.

    Raises
    ------
    QuestionnaireError
        If a requested item is not comparable (with ``not_comparable="raise"``) or unknown.
    ReturnsError
        If a needed column is missing, or holds a code the recode map does not cover.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.questionnaire import harmonise, load_questionnaire
    >>> v1, v2 = load_questionnaire("core-v1"), load_questionnaire("core-v2")
    >>> wave1 = rs.demo_consortium(wave=1)
    >>> in_v2 = harmonise(wave1, v1, v2, not_comparable="drop")
    >>> sorted(in_v2["q_safe_after_dark"].dropna().unique().tolist())
    [1, 2, 3, 4, 9]
    >>> in_v2.attrs["harmonised"]["dropped"]
    ['q_informed', 'volunteered_formal_12m']
    """
    if not isinstance(df, pd.DataFrame):
        raise ReturnsError(f"harmonise needs the returns as a pandas DataFrame; got {type(df).__name__}.")
    for name, q in (("from_q", from_q), ("to_q", to_q)):
        if not isinstance(q, Questionnaire):
            raise QuestionnaireError(f"{name} must be a Questionnaire (rs.load_questionnaire(...)); got {type(q).__name__}.")
    if not_comparable not in NOT_COMPARABLE_ACTIONS:
        raise OptionError.unknown("not_comparable", not_comparable, NOT_COMPARABLE_ACTIONS)
    changes = diff(from_q, to_q)
    items_only = changes[changes["level"] == "item"]
    overall = items_only.drop_duplicates("id").set_index("id")["overall"].to_dict()
    wanted = list(items) if items is not None else [q.id for q in to_q.questions if counterpart(from_q, q) is not None]
    refused: list[str] = []
    for item in wanted:
        q = to_q.question(item)
        if overall.get(q.id) == "not comparable":
            reasons = items_only[(items_only["id"] == q.id) & (items_only["verdict"] == "not comparable")]
            refused.append(f"{q.id} ({'; '.join(reasons['change'])})")
    if refused and not_comparable == "raise":
        raise QuestionnaireError(
            f"cannot express {from_q.name} returns in {to_q.name} terms: {len(refused)} item(s) are not comparable: "
            f"{', '.join(refused)}. Pass items=[...] with comparable items only, or not_comparable='drop'.")
    question_columns = set(from_q.item_columns)
    out = {c: df[c] for c in df.columns if c not in question_columns}
    record: dict[str, str] = {}
    dropped: list[str] = []
    for item in wanted:
        q = to_q.question(item)
        if overall.get(q.id) == "not comparable":
            dropped.append(q.id)
            continue
        old = counterpart(from_q, q)
        if old is None:  # cannot happen: an item without a counterpart is "added", hence not comparable
            raise QuestionnaireError(f"{q.id} has no counterpart in {from_q.name}.")
        missing = [c for c in old.columns if c not in df.columns]
        if missing:
            raise ReturnsError(f"the returns have no column {missing[0]!r} (question {old.id} of {from_q.name}), "
                               f"needed for {q.id} in {to_q.name}.")
        if overall[q.id] == "comparable after recoding":
            if q.type == "multiple":
                raise ReturnsError(f"{q.id}: recoding multiple-choice questions is not supported; recode it by hand.")
            out[q.id] = _recode(df[old.id], old, q, from_q)
        else:
            for old_column, new_column in zip(old.columns, q.columns):
                out[new_column] = df[old_column].copy()
        record[q.id] = overall[q.id]
    result = pd.DataFrame(out, index=df.index)
    result.attrs = {**df.attrs, "questionnaire": to_q.name, "questionnaire_sha256": to_q.sha256,
                    "harmonised": {"from": from_q.name, "from_sha256": from_q.sha256, "items": record,
                                   "dropped": dropped},
                    "value_labels": {q.id: q.value_labels() for q in to_q.questions if q.id in record},
                    "variable_labels": {q.id: q.wording or "" for q in to_q.questions if q.id in record}}
    return result


def _recode(column: pd.Series, old, new, from_q: Questionnaire) -> pd.Series:
    mapping, _ = full_recode(old, new, recode_map(from_q, new) or {})
    codes, unreadable = as_codes(column, old)
    known = np.isin(codes, list(mapping))
    bad = unreadable | (~np.isnan(codes) & ~known)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ReturnsError(f"{old.id}: row {row} holds {_plain(column.iloc[row])!r}, which the recode map to {new.id} does not "
                           f"cover ({int(bad.sum())} row(s) in all); validate the returns against the questionnaire first.")
    recoded = pd.array([mapping[int(c)] if not np.isnan(c) else pd.NA for c in codes], dtype="Int64")
    return pd.Series(recoded, index=column.index, name=new.id)


def _plain(value: object) -> object:
    """numpy scalars as Python values, for messages."""
    return value.item() if isinstance(value, np.generic) else value
