"""Instruments as data: the items, ranges, reverse coding, missing-item rules, conversions and bands of a scale.

An instrument file (YAML, in ``questionnaires/instruments/``) declares one or more *scores*::

    id: swemwbs
    copyright: "... © NHS Health Scotland, University of Warwick and University of Edinburgh ..."
    scores:
      - id: swemwbs
        items: [swemwbs_1, ..., swemwbs_7]
        item_range: [1, 5]
        combine: sum            # single | sum | mean | likert
        missing: {rule: complete}          # or {rule: prorate, max_missing: 1}
        conversion: {7: 7.00, ..., 35: 35.00}
        band_on: metric
        bands: [{label: Low wellbeing, min: 7, below: 21}, ...]

``combine: likert`` turns one coded item into 1 (``positive`` codes), 0 (``negative``) or
missing (``excluded`` codes such as "don't know"). ``reverse`` lists items scored the other way
round (x becomes min + max - x). ``rescale: [0, 100]`` maps a mean onto 0-100. Bands are
inclusive ``min``..``max`` or half-open ``min``..``below``; ``harmonised`` gives a second label
(ONS's Poor/Fair/Good/Very good). Loading checks all of it and names the file and key path.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ScaleError
from ..questionnaire.load import SHIPPED

INSTRUMENTS = SHIPPED / "instruments"
COMBINE = ("single", "sum", "mean", "likert")
MISSING_RULES = ("complete", "prorate")


@dataclass(frozen=True)
class Band:
    """A labelled range of a score: ``low <= x <= high`` (or ``< high`` when ``open_high``)."""

    label: str
    low: float
    high: float
    open_high: bool = False
    harmonised: str | None = None

    def contains(self, value: float) -> bool:
        return self.low <= value < self.high if self.open_high else self.low <= value <= self.high


@dataclass(frozen=True)
class Score:
    """One score of an instrument (see the module docstring for the fields)."""

    id: str
    label: str
    items: tuple[str, ...]
    combine: str
    item_range: tuple[float, float] | None = None
    reverse: tuple[str, ...] = ()
    excluded: tuple[int, ...] = ()
    codes: dict | None = None
    positive: tuple[int, ...] = ()
    negative: tuple[int, ...] = ()
    missing_rule: str = "complete"
    max_missing: int = 0
    conversion: dict | None = None
    rescale: tuple[float, float] | None = None
    band_on: str = "score"
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Instrument:
    """A scale or set of scores, declared as data and never edited once published."""

    id: str
    name: str
    version: int
    scores: tuple[Score, ...]
    source: str = ""
    copyright: str | None = None
    licence: str | None = None
    bands_note: str | None = None
    path: str | None = None

    @property
    def items(self) -> tuple[str, ...]:
        """Every item of every score, in order, without repeats."""
        return tuple(dict.fromkeys(item for score in self.scores for item in score.items))


def _fail(where: str, message: str) -> ScaleError:
    return ScaleError(f"{where}: {message}")


def _number_pair(value: object, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
            and value[0] < value[1]):
        raise _fail(where, f"expected [low, high] with low < high, found {value!r}")
    return float(value[0]), float(value[1])


def _codes(value: object, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not (isinstance(value, list) and all(isinstance(v, int) for v in value)):
        raise _fail(where, f"expected a list of integer codes, found {value!r}")
    return tuple(value)


def _bands(raw: object, where: str) -> tuple[Band, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(where, f"expected a list of bands, found {raw!r}")
    bands = []
    for i, band in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(band, dict) or "label" not in band or "min" not in band or ("max" in band) == ("below" in band):
            raise _fail(at, f"a band needs label, min and one of max (inclusive) or below (exclusive); found {band!r}")
        high = band.get("max", band.get("below"))
        if not (isinstance(band["min"], (int, float)) and isinstance(high, (int, float)) and band["min"] <= high):
            raise _fail(at, f"band limits must be numbers with min <= max; found {band!r}")
        bands.append(Band(str(band["label"]), float(band["min"]), float(high), "below" in band, band.get("harmonised")))
    for i, (a, b) in enumerate(zip(bands, bands[1:])):
        if b.low < a.high or (b.low == a.high and not a.open_high):
            raise _fail(f"{where}[{i + 1}]", f"band {b.label!r} overlaps band {a.label!r}; bands must be in order and not overlap")
    return tuple(bands)


def _score(raw: object, where: str) -> Score:
    if not isinstance(raw, dict):
        raise _fail(where, f"expected a mapping, found {raw!r}")
    known = {"id", "label", "items", "combine", "item_range", "range", "reverse", "excluded", "codes", "positive",
             "negative", "missing", "conversion", "rescale", "band_on", "bands"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(where, f"unknown key(s) {unknown}; known keys are {sorted(known)}")
    for key in ("id", "items", "combine"):
        if key not in raw:
            raise _fail(where, f"missing required key {key!r}")
    items = raw["items"]
    if not (isinstance(items, list) and items and all(isinstance(i, str) for i in items)):
        raise _fail(f"{where}.items", f"expected a non-empty list of item ids, found {items!r}")
    combine = raw["combine"]
    if combine not in COMBINE:
        raise _fail(f"{where}.combine", f"{combine!r} is not one of {list(COMBINE)}")
    if combine in ("single", "likert") and len(items) != 1:
        raise _fail(f"{where}.items", f"combine: {combine} takes exactly one item, found {len(items)}")
    item_range = raw.get("item_range", raw.get("range"))
    item_range = _number_pair(item_range, f"{where}.item_range") if item_range is not None else None
    if combine != "likert" and item_range is None:
        raise _fail(where, "item_range: [low, high] is required (the valid range of every item)")
    reverse = tuple(raw.get("reverse") or ())
    if not set(reverse) <= set(items):
        raise _fail(f"{where}.reverse", f"{sorted(set(reverse) - set(items))} are not items of this score")
    missing = raw.get("missing") or {"rule": "complete"}
    if not isinstance(missing, dict) or missing.get("rule") not in MISSING_RULES:
        raise _fail(f"{where}.missing", f"expected {{rule: complete}} or {{rule: prorate, max_missing: k}}, found {missing!r}")
    max_missing = int(missing.get("max_missing", 0)) if missing["rule"] == "prorate" else 0
    if missing["rule"] == "prorate" and not 0 < max_missing < len(items):
        raise _fail(f"{where}.missing.max_missing", f"must be between 1 and {len(items) - 1}, found {max_missing}")
    conversion = raw.get("conversion")
    if conversion is not None:
        if not (isinstance(conversion, dict) and all(isinstance(k, int) and isinstance(v, (int, float))
                                                      for k, v in conversion.items())):
            raise _fail(f"{where}.conversion", "expected a mapping of integer raw scores to numbers")
        values = [conversion[k] for k in sorted(conversion)]
        if any(b <= a for a, b in zip(values, values[1:])):
            raise _fail(f"{where}.conversion", "metric values must increase with the raw score")
    positive, negative = _codes(raw.get("positive"), f"{where}.positive"), _codes(raw.get("negative"), f"{where}.negative")
    if combine == "likert" and not (positive and negative):
        raise _fail(where, "combine: likert needs positive and negative codes")
    if set(positive) & set(negative):
        raise _fail(where, f"codes {sorted(set(positive) & set(negative))} are both positive and negative")
    band_on = raw.get("band_on", "score")
    if band_on not in ("score", "raw", "metric"):
        raise _fail(f"{where}.band_on", f"{band_on!r} is not one of ['score', 'raw', 'metric']")
    rescale = _number_pair(raw["rescale"], f"{where}.rescale") if raw.get("rescale") is not None else None
    return Score(
        id=str(raw["id"]), label=str(raw.get("label", raw["id"])), items=tuple(items), combine=combine,
        item_range=item_range, reverse=reverse, excluded=_codes(raw.get("excluded"), f"{where}.excluded"),
        codes=raw.get("codes"), positive=positive, negative=negative, missing_rule=missing["rule"],
        max_missing=max_missing, conversion=dict(conversion) if conversion else None, rescale=rescale,
        band_on=band_on, bands=_bands(raw.get("bands"), f"{where}.bands"),
    )


def parse_instrument(document: object, *, source: str = "<instrument>") -> Instrument:
    """Build an :class:`Instrument` from a parsed YAML document, checking every field."""
    if not isinstance(document, dict):
        raise _fail(source, "an instrument file must be a mapping with id, name and scores")
    for key in ("id", "name", "scores"):
        if key not in document:
            raise _fail(source, f"missing required key {key!r}")
    scores = document["scores"]
    if not isinstance(scores, list) or not scores:
        raise _fail(f"{source} scores", "expected a non-empty list of scores")
    parsed = tuple(_score(raw, f"{source} scores[{i}]") for i, raw in enumerate(scores))
    ids = [s.id for s in parsed]
    if len(set(ids)) != len(ids):
        raise _fail(f"{source} scores", f"score ids must be unique, found {ids}")
    return Instrument(
        id=str(document["id"]), name=str(document["name"]), version=int(document.get("version", 1)), scores=parsed,
        source=str(document.get("source", "")), copyright=document.get("copyright"), licence=document.get("licence"),
        bands_note=document.get("bands_note"), path=source,
    )


@functools.lru_cache(maxsize=64)
def _load(path: str) -> Instrument:
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = yaml.safe_load(text)
    except OSError as error:
        raise ScaleError(f"{path}: cannot read the instrument file ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise ScaleError(f"{path}: not valid YAML ({error}).") from error
    return parse_instrument(document, source=Path(path).name)


def shipped_instruments() -> list[str]:
    """Names of the instruments shipped with residentsurvey."""
    return sorted(p.stem for p in INSTRUMENTS.glob("*.yaml"))


def load_instrument(name_or_path: str | Path | Instrument) -> Instrument:
    """An instrument by shipped name (``"swemwbs"``, ``"ons4"``, ...) or from a YAML file.

    Examples
    --------
    >>> load_instrument("swemwbs").scores[0].conversion[35]
    35.0
    """
    if isinstance(name_or_path, Instrument):
        return name_or_path
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return _load(str(path.resolve()))
    shipped = INSTRUMENTS / f"{name_or_path}.yaml"
    if not shipped.exists():
        raise ScaleError(
            f"no instrument called {str(name_or_path)!r}; shipped instruments are {shipped_instruments()}, "
            "or give the path of a .yaml file."
        )
    return _load(str(shipped))
