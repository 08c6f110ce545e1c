"""Annotations: display metadata for a published questionnaire, kept beside it so its hash never changes.

A published questionnaire is never edited (results record its sha256), yet an indicator's
``polarity`` (which direction is better) and ``unit`` only say how to read its numbers: they
change no question, no code frame and no indicator definition. A file written before those fields
existed gets them from ``annotations/<name>.yaml`` beside it::

    annotates: core-v1
    sha256: 50ad1265f799...       # the questionnaire content the annotations were written for
    indicators:
      satisfied_area: {polarity: higher_is_better}
      mean_anxious: {polarity: lower_is_better, unit: score_0_10}

The file must name the questionnaire and its exact content hash (so annotations cannot drift onto
another version), may only describe that file's own indicators (inherited ones are annotated
where they are declared), and may only set ``polarity`` and ``unit``. The questionnaire's
``sha256`` is unchanged; its ``annotations_sha256`` records the annotations file.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path as FilePath

from ..errors import QuestionnaireError
from ._fields import Fields
from ._indicators import with_display
from ._yaml import parse_located
from .model import Questionnaire

#: Folder, beside the questionnaire files, that holds annotations files.
ANNOTATIONS_FOLDER = "annotations"


def annotations_path(directory: FilePath, name: str) -> FilePath:
    """Where the annotations of questionnaire ``name`` (e.g. ``"core-v1"``) in ``directory`` live."""
    return directory / ANNOTATIONS_FOLDER / f"{name}.yaml"


def annotate(q: Questionnaire, own: int, path: FilePath, base: Questionnaire | None) -> Questionnaire:
    """``q`` with the annotations of ``path`` applied to its own indicators (the last ``own`` of them)."""
    inherited = base.annotations_sha256 if base else ""
    if not path.is_file():
        return replace(q, annotations_sha256=inherited)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise QuestionnaireError(f"{path}: cannot read the annotations file ({error.strerror}).") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuestionnaireError(f"{path.name}: is not UTF-8 text (byte {error.start}); save it as UTF-8.") from error
    f = Fields(parse_located(text, f"{ANNOTATIONS_FOLDER}/{path.name}"))
    doc = f.mapping(f.source.value, (), required=("annotates", "sha256", "indicators"),
                    allowed=("annotates", "sha256", "indicators", "note"))
    named = f.text(doc["annotates"], ("annotates",), what="the questionnaire's name, e.g. core-v1")
    if named != q.name:
        raise f.error(("annotates",), f"this file annotates {named!r} but sits beside {q.name!r}; rename it "
                                      f"{q.name}.yaml or correct annotates.")
    written_for = f.text(doc["sha256"], ("sha256",), what="the questionnaire's sha256")
    if written_for != q.sha256:
        raise f.error(("sha256",), f"the annotations were written for content sha256 {written_for[:12]}..., but "
                                   f"{q.name} now has sha256 {q.sha256[:12]}...; check every annotation against the "
                                   "questionnaire, then set sha256 to the new value.")
    entries = f.mapping(doc["indicators"], ("indicators",), allowed=[i.id for i in q.indicators])
    own_ids = [i.id for i in q.indicators[len(q.indicators) - own:]]
    indicators = list(q.indicators)
    for key, raw in entries.items():
        where = ("indicators", key)
        if key not in own_ids:
            raise f.error(where, f"{key!r} is inherited from {q.based_on}; annotate it in that questionnaire's "
                                 "annotations file.")
        f.mapping(raw, where, allowed=("polarity", "unit"))
        index = [i.id for i in indicators].index(key)
        indicators[index] = with_display(f, indicators[index], raw, where, q)
    missing = [i for i in own_ids if i not in entries]
    if missing:
        raise f.error(("indicators",), f"no annotation for {', '.join(map(repr, missing))}; every indicator of "
                                       f"{q.name} needs one (at least its polarity), so that none is read the wrong way.")
    digest = hashlib.sha256(inherited.encode() + data).hexdigest()
    return replace(q, indicators=tuple(indicators), annotations_sha256=digest)
