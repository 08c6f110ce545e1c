"""Loading questionnaires from YAML: ``rs.load_questionnaire("core-v1")`` or a path.

Shipped questionnaires live in the package (``residentsurvey/questionnaires_data/``, which
the repository's ``questionnaires/`` folder links to), so names resolve after ``pip install``.
Every check happens here, once; errors give ``file:line key.path: message``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import replace
from os import PathLike
from pathlib import Path as FilePath

from ..errors import QuestionnaireError
from ._annotations import annotate, annotations_path
from ._fields import Fields
from ._indicators import parse_indicators
from ._questions import parse_question
from ._yaml import Path, parse_located
from .model import STATUSES, Module, Question, Questionnaire, SampleField, _unknown
from .routing import Condition

#: Folder of the questionnaires shipped with the package.
SHIPPED = FilePath(__file__).resolve().parent.parent / "questionnaires_data"
_DOCUMENT_KEYS = ("format", "id", "version", "title", "date", "status", "respondent_id", "mode_field",
                  "council_field", "version_field", "based_on", "sample_fields", "templates", "modules",
                  "indicators", "note")
_PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")


def available_questionnaires() -> list[str]:
    """Names of the questionnaires shipped with residentsurvey (``"core-v1"``, ...).

    Examples
    --------
    >>> from residentsurvey.questionnaire import available_questionnaires
    >>> "core-v1" in available_questionnaires()
    True
    """
    return sorted(p.stem for p in SHIPPED.glob("*.yaml"))


def load_questionnaire(path_or_name: str | PathLike[str]) -> Questionnaire:
    """Load and check a questionnaire from a YAML file or by the name of a shipped one.

    Parameters
    ----------
    path_or_name
        A path to a ``.yaml`` file, or a shipped name such as ``"core-v1"`` (see
        :func:`available_questionnaires`).

    Returns
    -------
    Questionnaire
        Frozen; ``sha256`` is the hash of the file's bytes (and of its ``based_on`` file).

    Raises
    ------
    QuestionnaireError
        If the file is missing or unreadable, is not valid YAML, or breaks any rule of the
        format; the message gives the file, the line and the key path, e.g.
        ``core-v2.yaml:41 modules[0].questions[3].codes: code 9 used twice.``

    Examples
    --------
    >>> from residentsurvey.questionnaire import load_questionnaire
    >>> q = load_questionnaire("core-v2")
    >>> q.name, len(q.questions) > 20
    ('core-v2', True)
    """
    path = _resolve(path_or_name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise QuestionnaireError(f"{path}: cannot read the questionnaire file ({error.strerror}).") from error
    return _cached(str(path), data)


@functools.lru_cache(maxsize=32)
def _cached(path: str, data: bytes) -> Questionnaire:
    return from_text(data, name=FilePath(path).name, directory=FilePath(path).parent, path=path)


def _resolve(path_or_name: str | PathLike[str], directory: FilePath | None = None) -> FilePath:
    if not isinstance(path_or_name, (str, PathLike)):
        raise QuestionnaireError(f"expected a questionnaire name such as 'core-v1' or a path to a .yaml file; "
                                 f"got {type(path_or_name).__name__}.")
    text = str(path_or_name)
    looks_like_path = isinstance(path_or_name, PathLike) or text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text
    if looks_like_path:
        path = FilePath(text)
        if not path.exists():
            raise QuestionnaireError(f"{path}: no such questionnaire file.")
        return path
    for folder in ([directory] if directory else []) + [SHIPPED]:
        if (folder / f"{text}.yaml").is_file():
            return folder / f"{text}.yaml"
    raise QuestionnaireError(_unknown("shipped questionnaire", text, available_questionnaires(), "residentsurvey")
                             + " Give a path to load your own file.")


def from_text(data: bytes | str, *, name: str = "<questionnaire>", directory: FilePath | None = None,
              path: str | None = None) -> Questionnaire:
    """Parse and check questionnaire YAML given as text (``name`` is used in error messages)."""
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuestionnaireError(f"{name}: is not UTF-8 text (byte {error.start}); save it as UTF-8.") from error
    source = parse_located(text, name)
    f = Fields(source)
    doc = f.mapping(source.value, (), required=("id", "version", "title", "date", "status", "modules"),
                    allowed=_DOCUMENT_KEYS)
    if "format" in doc and doc["format"] != 1:
        raise f.error(("format",), f"this is format {doc['format']!r}; residentsurvey reads format 1.")
    base = None
    if "based_on" in doc:
        base_name = f.text(doc["based_on"], ("based_on",), what="a questionnaire name such as core-v2")
        try:
            base = load_questionnaire(_resolve(base_name, directory))
        except QuestionnaireError as error:
            raise f.error(("based_on",), f"cannot load {base_name!r}: {error}") from error
    qid = f.slug(doc["id"], ("id",), what="a questionnaire id")
    version = f.integer(doc["version"], ("version",), what="a whole-number version")
    if version < 1:
        raise f.error(("version",), f"versions count from 1; found {version}.")
    fields = _top_fields(f, doc, base)
    sample = _sample_fields(f, doc, fields, base)
    templates = _templates(f, doc, base)
    modules = _modules(f, doc, base, fields["council_field"])
    questionnaire_parts = dict(
        id=qid, version=version, title=f.text(doc["title"], ("title",)), date=f.date(doc["date"], ("date",)),
        status=f.choice(doc["status"], ("status",), STATUSES, what="status"), **fields,
        sample_fields=sample, templates=templates,
        based_on=base.name if base else None,
        sha256=hashlib.sha256((base.sha256 if base else "").encode() + raw_bytes).hexdigest(), path=path,
    )
    q = Questionnaire(modules=modules, indicators=(), **questionnaire_parts)
    _check_questions(f, q, base, version)
    own = parse_indicators(f, doc, q, base)
    q = Questionnaire(modules=modules, indicators=(base.indicators if base else ()) + own, **questionnaire_parts)
    if directory is None:
        return replace(q, annotations_sha256=base.annotations_sha256 if base else "")
    return annotate(q, len(own), annotations_path(directory, q.name), base)


def _top_fields(f: Fields, doc: dict, base: Questionnaire | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in ("respondent_id", "mode_field", "council_field", "version_field"):
        inherited = getattr(base, key) if base else None
        if key in doc:
            value = f.slug(doc[key], (key,), what="a column name")
            if base and value != inherited:
                raise f.error((key,), f"{key} is {inherited!r} in {base.name}, which this file is based on; "
                                      "leave it out to inherit it.")
            out[key] = value
        else:
            out[key] = inherited
    if out["respondent_id"] is None:
        raise f.error((), "missing required key 'respondent_id' (the column holding each respondent's id).")
    return out


def _sample_fields(f: Fields, doc: dict, fields: dict, base: Questionnaire | None) -> tuple[SampleField, ...]:
    found = {s.id: s for s in (base.sample_fields if base else ())}
    listed: set[str] = set()
    for i, item in enumerate(f.sequence(doc.get("sample_fields", []), ("sample_fields",), what="sample fields",
                                        empty=True)):
        path = ("sample_fields", i)
        if isinstance(item, dict):
            raw = f.mapping(item, path, required=("id",), allowed=("id", "description", "numeric"))
            field = SampleField(f.slug(raw["id"], (*path, "id"), what="a column name"),
                                f.text(raw["description"], (*path, "description")) if "description" in raw else "",
                                f.boolean(raw.get("numeric", False), (*path, "numeric")))
        else:
            field = SampleField(f.slug(item, path, what="a column name"))
        if field.id == fields["respondent_id"]:
            raise f.error(path, f"{field.id!r} is the respondent id; it need not be listed as a sample field.")
        if field.id in listed:
            raise f.error(path, f"sample field {field.id!r} is listed twice.")
        listed.add(field.id)
        found[field.id] = field
    for key in ("mode_field", "council_field", "version_field"):
        if fields[key] and fields[key] not in found:
            found[fields[key]] = SampleField(fields[key], key.replace("_field", ""))
    return tuple(found.values())


def _templates(f: Fields, doc: dict, base: Questionnaire | None) -> tuple[tuple[str, str], ...]:
    found = dict(base.templates) if base else {}
    raw = doc.get("templates", {})
    if not isinstance(raw, dict):
        raise f.error(("templates",), "expected a mapping of placeholder to what fills it, e.g. "
                                      "'[name of council]': the council's name.")
    for key, value in raw.items():
        path = ("templates", key)
        if not isinstance(key, str) or not _PLACEHOLDER.fullmatch(key):
            raise f.error(path, f"placeholders are written in square brackets, e.g. '[name of council]'; found {key!r}.")
        found[key] = f.text(value, path, what="what fills the placeholder")
    return tuple(found.items())


def _modules(f: Fields, doc: dict, base: Questionnaire | None, council_field: str | None) -> tuple[Module, ...]:
    modules = list(base.modules) if base else []
    for i, raw_module in enumerate(f.sequence(doc["modules"], ("modules",), what="modules")):
        path = ("modules", i)
        raw = f.mapping(raw_module, path, required=("id", "owner", "questions"),
                        allowed=("id", "owner", "title", "licence", "questions", "note"))
        mid = f.slug(raw["id"], (*path, "id"), what="a module id")
        if mid in [m.id for m in modules]:
            raise f.error((*path, "id"), f"module id {mid!r} is used twice.")
        owner = f.text(raw["owner"], (*path, "owner"), what="'core' or the name of the council that owns the module")
        if owner != "core" and council_field is None:
            raise f.error((*path, "owner"), f"module {mid!r} belongs to {owner!r}, so the questionnaire needs "
                                            "council_field: the column naming each respondent's council.")
        licence = f.text(raw["licence"], (*path, "licence")) if "licence" in raw else None
        items = f.sequence(raw["questions"], (*path, "questions"), what="questions")
        questions = tuple(parse_question(f, q, (*path, "questions", j), module=mid, licensed=licence is not None)
                          for j, q in enumerate(items))
        modules.append(Module(mid, owner, f.text(raw["title"], (*path, "title")) if "title" in raw else "",
                              questions, licence))
    return tuple(modules)


def _check_questions(f: Fields, q: Questionnaire, base: Questionnaire | None, version: int) -> None:
    offset = len(base.modules) if base else 0
    samples = {q.respondent_id} | {s.id for s in q.sample_fields}
    placeholders = dict(q.templates)
    seen: dict[str, Question] = {}
    columns: dict[str, str] = {}
    own: dict[str, Path] = {}
    for i, module in enumerate(q.modules):
        for j, question in enumerate(module.questions):
            path: Path = ("modules", i - offset, "questions", j) if i >= offset else ()
            if path:
                own.setdefault(question.id, path)
            if question.id in seen or question.id in samples:
                what = "a sample field" if question.id in samples else \
                    f"another question (line {seen[question.id].line})"
                raise f.error((*path, "id"), f"question id {question.id!r} is already used by {what}.")
            for column in question.columns:
                if column in columns or (column in samples and column != question.id):
                    raise f.error((*path, "id"), f"column {column!r} of question {question.id!r} clashes with "
                                                 f"{columns.get(column, 'a sample field')!r}.")
                columns[column] = question.id
            if path:
                _check_question(f, question, path, seen, samples, placeholders, version)
            seen[question.id] = question
    for grid, ids in q.grids.items():
        first = q.question(ids[0])
        for other in ids[1:]:
            o = q.question(other)
            if (o.type, o.codes, o.range) != (first.type, first.codes, first.range) or first.type not in ("single", "scale"):
                raise f.error((*own.get(other, ()), "grid"), f"grid {grid!r} mixes {ids[0]!r} and {other!r}, whose "
                                                           "types or code frames differ; a grid shares one scale.")
        if len(ids) < 2:
            raise f.error((*own.get(ids[0], ()), "grid"), f"grid {grid!r} has only one question; a grid needs two or more.")


def _check_question(f: Fields, question: Question, path: Path, seen: dict[str, Question], samples: set[str],
                    placeholders: dict[str, str], version: int) -> None:
    if question.wording:
        for placeholder in _PLACEHOLDER.findall(question.wording):
            if placeholder not in placeholders:
                raise f.error((*path, "wording"), f"placeholder {placeholder} is not declared under templates "
                                                  f"(declared: {', '.join(placeholders) or 'none'}).")
    if question.asked_if is not None:
        _check_condition(f, question.asked_if, (*path, "asked_if"), seen, samples)
    if question.previous and question.previous.version >= version:
        raise f.error((*path, "previous", "version"), f"previous version {question.previous.version} must be "
                                                      f"earlier than this questionnaire's version {version}.")


def _check_condition(f: Fields, c: Condition, path: Path, earlier: dict[str, Question], samples: set[str]) -> None:
    if c.parts:
        key = c.op
        for i, part in enumerate(c.parts):
            _check_condition(f, part, (*path, key, i) if key != "not" else (*path, key), earlier, samples)
        return
    item = c.item or ""
    if item in samples:
        return
    if item not in earlier:
        raise f.error((*path, "item"), f"routing refers to {item!r}, which is neither an earlier question nor a "
                                       "sample field; a question can only depend on answers given before it.")
    target = earlier[item]
    if c.op == "answered":
        return
    valid = set(target.labels) | set(target.substantive_codes)
    for i, value in enumerate(c.values):
        if target.type == "text" or isinstance(value, bool) or not isinstance(value, int) or value not in valid:
            raise f.error((*path, c.op, i), f"{value!r} is not a code of {item!r} (codes: "
                                            f"{', '.join(map(str, sorted(valid))) or 'none, it is free text'}).")
