"""The questionnaire as frozen dataclasses: questions, code frames, modules, indicators.

A :class:`Questionnaire` is what a YAML file in ``questionnaires/`` says, checked and
immutable. It never changes once loaded; a new wave's questionnaire is a new file (a new
version), and :meth:`Questionnaire.diff` says what changed and whether trends survive it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..errors import QuestionnaireError
from .registries import (MISSING_KINDS, MODES, POLARITIES, QUESTION_TYPES, SOURCE_BODIES, STATUSES, UNITS, VERDICTS,
                         VERIFICATION, worst)
from .routing import Condition, all_of

__all__ = ["Code", "Source", "Previous", "Question", "Module", "Indicator", "SampleField", "Questionnaire",
           "QUESTION_TYPES", "MISSING_KINDS", "SOURCE_BODIES", "VERIFICATION", "STATUSES", "MODES", "VERDICTS", "POLARITIES",
           "UNITS", "worst"]

@dataclass(frozen=True)
class Code:
    """One entry of a code frame: ``code``, ``label`` and, for non-answers, the ``missing`` kind."""

    code: int
    label: str
    missing: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a question's wording comes from and how far it was checked."""

    body: str
    reference: str = ""
    verified: str = "verified"
    note: str = ""


@dataclass(frozen=True)
class Previous:
    """How a question relates to a question of an earlier version: its id there, a recode map, notes."""

    version: int
    id: str
    recode: tuple[tuple[int, int], ...] | None = None
    wording: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Question:
    """One question: wording, type, code frame, routing and provenance.

    ``codes`` holds the code frame (labels only, for ``scale``); ``range`` the valid
    numbers of ``numeric`` and ``scale`` questions. ``asked_if`` is the routing declared
    on the question; :meth:`Questionnaire.asked_if` adds the module's council.
    """

    id: str
    wording: str | None
    type: str
    module: str
    codes: tuple[Code, ...] = ()
    range: tuple[float, float] | None = None
    integer: bool = True
    required: bool = False
    asked_if: Condition | None = None
    instrument: str | None = None
    instrument_item: str | None = None
    grid: str | None = None
    source: Source | None = None
    previous: Previous | None = None
    note: str = ""
    line: int = field(default=0, compare=False)

    @property
    def labels(self) -> dict[int, str]:
        """``{code: label}`` for every code of the frame."""
        return {c.code: c.label for c in self.codes}

    @property
    def missing_codes(self) -> dict[int, str]:
        """``{code: kind}`` for codes meaning don't know, refused or not applicable."""
        return {c.code: c.missing for c in self.codes if c.missing}

    @property
    def substantive_codes(self) -> tuple[int, ...]:
        """Codes that are answers (not missing kinds); for ``scale``, every whole number in range."""
        if self.type == "scale" and self.range is not None:
            return tuple(range(int(self.range[0]), int(self.range[1]) + 1))
        return tuple(c.code for c in self.codes if not c.missing)

    @property
    def columns(self) -> tuple[str, ...]:
        """Column(s) this question occupies in a returns file."""
        if self.type == "multiple":
            return tuple(f"{self.id}_{c.code}" for c in self.codes)
        return (self.id,)

    def value_labels(self) -> dict[int, str]:
        """Labels for a labelled file: the code frame, with every scale point labelled."""
        if self.type == "scale":
            points = {code: str(code) for code in self.substantive_codes}
            return points | self.labels
        return self.labels

    def fill(self, values: Mapping[str, str]) -> str:
        """The wording with template placeholders replaced, e.g. ``{"[name of council]": "Eastmere"}``.

        Examples
        --------
        >>> from residentsurvey.questionnaire import load_questionnaire
        >>> q = load_questionnaire("core-v1").question("q_trust")
        >>> q.fill({"[name of council]": "Eastmere Council"})
        'How much do you trust Eastmere Council?'
        """
        text = self.wording or ""
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return text


@dataclass(frozen=True)
class Module:
    """A block of questions: the consortium ``core``, or owned by one council (asked only there)."""

    id: str
    owner: str
    title: str = ""
    questions: tuple[Question, ...] = ()
    licence: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A named derived measure the analysis layer estimates.

    ``kind`` comes from :data:`~residentsurvey.questionnaire.INDICATOR_KINDS`: ``share``
    (share of respondents answering one of ``codes``), ``mean`` (mean of a numeric or scale
    item) or ``scale`` (a statistic of an instrument's score, computed by the scales module).
    ``exclude`` are codes left out of the base (default: the item's missing codes); ``base``
    is ``"valid"`` (answers other than ``exclude``) or ``"all"`` (every respondent asked).
    ``routed_out`` says what happens to respondents the routing skipped: ``"exclude"`` them
    from the base, or ``"count_as_other"`` (in the base, not among ``codes``).

    ``polarity`` (from :data:`~residentsurvey.questionnaire.POLARITIES`) says which direction is
    better, so ranks put the best first and reports say "better" or "worse"; ``unit`` (from
    :data:`~residentsurvey.questionnaire.UNITS`, or ``score_<low>_<high>``) says what the number
    is measured in. Both are declared in the questionnaire file or, for a published file that
    cannot change, in its annotations file (see docs/questionnaire.md); undeclared, polarity is
    ``"neutral"`` and the unit is ``percent`` for shares, the item's range for means of a scale
    item (``score_0_10``), else ``""``.
    """

    id: str
    label: str
    kind: str
    item: str | None = None
    codes: tuple[int, ...] = ()
    exclude: tuple[int, ...] | None = None
    base: str = "valid"
    routed_out: str = "exclude"
    instrument: str | None = None
    statistic: str | None = None
    score: str | None = None
    bands: tuple[str, ...] = ()
    note: str = ""
    line: int = field(default=0, compare=False)
    polarity: str = "neutral"
    unit: str = ""


@dataclass(frozen=True)
class SampleField:
    """A column from the sample frame or the contractor (weights, strata, mode), not a question."""

    id: str
    description: str = ""
    numeric: bool = False


_SLUG = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Questionnaire:
    """One version of a questionnaire, as loaded from YAML by :func:`load_questionnaire`.

    Attributes
    ----------
    id, version
        The questionnaire and its version; ``name`` is ``"<id>-v<version>"``.
    sha256
        Hash of the file's bytes (and of the file it is ``based_on``): results record it.
    annotations_sha256
        Hash of the annotations file that added display metadata (indicator ``polarity`` and
        ``unit``) to a published file without changing it, or ``""`` when there is none.
    respondent_id, mode_field, council_field, version_field
        Names of the returns columns holding these (``version_field`` optional).

    Examples
    --------
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> q = load_questionnaire("core-v1")
    >>> q.name, q.status
    ('core-v1', 'published')
    >>> q.question("q_satisfied_area").labels[1]
    'Very satisfied'
    """

    id: str
    version: int
    title: str
    date: str
    status: str
    respondent_id: str
    mode_field: str | None
    council_field: str | None
    version_field: str | None
    sample_fields: tuple[SampleField, ...]
    templates: tuple[tuple[str, str], ...]
    modules: tuple[Module, ...]
    indicators: tuple[Indicator, ...]
    based_on: str | None = None
    sha256: str = ""
    path: str | None = field(default=None, compare=False)
    annotations_sha256: str = ""

    @property
    def name(self) -> str:
        """``"<id>-v<version>"``, the name :func:`load_questionnaire` resolves."""
        return f"{self.id}-v{self.version}"

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in questionnaire order."""
        return tuple(q for module in self.modules for q in module.questions)

    def question(self, question_id: str) -> Question:
        """The question with this id (a :class:`QuestionnaireError` lists close ids if there is none)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise QuestionnaireError(_unknown("question", question_id, [q.id for q in self.questions], self.name))

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (a :class:`QuestionnaireError` lists close ids if there is none)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise QuestionnaireError(_unknown("indicator", indicator_id, [i.id for i in self.indicators], self.name))

    def module_of(self, question_id: str) -> Module:
        """The module holding a question."""
        owner = self.question(question_id).module
        return next(m for m in self.modules if m.id == owner)

    def asked_if(self, question_id: str) -> Condition | None:
        """Full routing of a question: its own ``asked_if`` and, in a council module, the council."""
        q = self.question(question_id)
        module = self.module_of(question_id)
        council = None
        if module.owner != "core" and self.council_field:
            council = Condition("in", self.council_field, (module.owner,))
        return all_of(council, q.asked_if)

    @property
    def grids(self) -> dict[str, tuple[str, ...]]:
        """``{grid: question ids}`` for questions laid out as one grid (checked for straight-lining)."""
        out: dict[str, tuple[str, ...]] = {}
        for q in self.questions:
            if q.grid:
                out[q.grid] = out.get(q.grid, ()) + (q.id,)
        return out

    @property
    def item_columns(self) -> dict[str, Question]:
        """``{column: question}`` for every column the questions occupy in a returns file."""
        return {column: q for q in self.questions for column in q.columns}

    @property
    def expected_columns(self) -> tuple[str, ...]:
        """Every column a returns file should have: respondent id, sample fields, then questions."""
        front = [self.respondent_id] + [f.id for f in self.sample_fields]
        return tuple(dict.fromkeys(front + list(self.item_columns)))

    def instrument_items(self, instrument: str) -> tuple[str, ...]:
        """Ids of the questions that belong to an instrument (e.g. ``"swemwbs"``), in order."""
        return tuple(q.id for q in self.questions if q.instrument == instrument)

    def diff(self, other: "Questionnaire") -> pd.DataFrame:
        """Every change from this version to ``other``, with comparability verdicts.

        See :func:`residentsurvey.questionnaire.diff.diff`.

        Examples
        --------
        >>> from residentsurvey.questionnaire import load_questionnaire
        >>> v1, v2 = load_questionnaire("core-v1"), load_questionnaire("core-v2")
        >>> changes = v1.diff(v2)
        >>> changes.loc[changes["id"] == "q_safe_day", ["change", "verdict"]].values.tolist()
        [['removed', 'not comparable']]
        """
        from .diff import diff

        return diff(self, other)

    def __repr__(self) -> str:
        return (f"<Questionnaire {self.name} ({self.status}, {self.date}): {len(self.questions)} questions in "
                f"{len(self.modules)} modules, {len(self.indicators)} indicators, sha256 {self.sha256[:12]}>")


def close_matches(name: str, valid: list[str]) -> list[str]:
    """Up to three names of ``valid`` close to ``name`` (for "did you mean" hints), best first.

    Examples
    --------
    >>> close_matches("q_trsut", ["q_trust", "q_safe_day", "council"])
    ['q_trust']
    """
    return difflib.get_close_matches(name, valid, n=3)


def did_you_mean(name: str, valid: list[str]) -> str:
    """``" Did you mean 'a', 'b'?"`` for the names of ``valid`` close to ``name``, or ``""``."""
    close = close_matches(name, valid)
    return f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _unknown(what: str, name: str, valid: list[str], where: str) -> str:
    return f"{where} has no {what} {name!r}.{did_you_mean(name, valid)} It has {len(valid)}: {', '.join(valid[:40])}."


def is_slug(value: object) -> bool:
    """True for lower-case identifiers such as ``q_satisfied_area``."""
    return isinstance(value, str) and _SLUG.fullmatch(value) is not None
