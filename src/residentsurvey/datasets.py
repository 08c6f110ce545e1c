"""Synthetic demo data: five councils sharing one postal residents' survey.

The consortium (Northbridge, Eastmere, Southwold Vale, Westhaven, Middleton Cross) is
invented. Every adult in it has true answers to the LGA perception questions, the ONS4
well-being questions and a volunteering question; :func:`demo_consortium` draws a
returns file from that population with a stratified two-stage design, so estimates
made from the returns can be checked against the known truth.

Random streams come from ``np.random.SeedSequence([seed, stream, wave])``: stream 0
builds the frame (sectors, adults, demographics; shared by both waves), stream 1 the
answers of a wave, stream 2 the sample of a wave.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from .errors import ResidentSurveyError

__all__ = ["demo_population", "demo_consortium", "demo_council_populations", "demo_tracking", "DEMO_TRACKING_DESIGN"]

_AGE_BANDS = ("16-34", "35-54", "55-74", "75+")
_SEXES = ("Female", "Male")
_TENURES = ("Owner", "Social rent", "Private rent")
_ETHNICITIES = ("White", "Asian", "Black", "Mixed", "Other")
_IMD_BANDS = ("most deprived", "middle", "least deprived")
_MODES = ("postal", "online")
_WAVES = (1, 2)


@dataclass(frozen=True)
class _Council:
    """A council: adults aged 16+ (unscaled), shares by IMD band, sectors sampled per stratum,
    effects on perceptions of the area (place) and of the council (org), share White and
    tilt of the age profile towards older adults."""

    name: str
    code: str
    adults: int
    band_shares: tuple[float, float, float]
    sectors_sampled: int
    place: float
    org: float
    white: float
    older: float


_COUNCILS = (
    _Council("Northbridge", "NB", 248_000, (0.42, 0.36, 0.22), 12, -0.20, 0.15, 0.70, -0.15),
    _Council("Eastmere", "EM", 62_000, (0.22, 0.38, 0.40), 8, 0.25, -0.30, 0.93, 0.10),
    _Council("Southwold Vale", "SV", 84_000, (0.18, 0.37, 0.45), 9, 0.35, 0.05, 0.96, 0.35),
    _Council("Westhaven", "WH", 103_000, (0.30, 0.40, 0.30), 10, 0.00, -0.10, 0.88, 0.05),
    _Council("Middleton Cross", "MC", 141_000, (0.38, 0.37, 0.25), 11, -0.30, 0.05, 0.80, -0.05),
)
_COUNCIL_NAMES = tuple(c.name for c in _COUNCILS)
_PLACE = np.array([c.place for c in _COUNCILS])
_ORG = np.array([c.org for c in _COUNCILS])

# Demography, indexed by IMD band (most deprived first) or by age band.
_AGE_BY_BAND = np.array([[0.36, 0.33, 0.22, 0.09], [0.29, 0.33, 0.27, 0.11], [0.23, 0.32, 0.31, 0.14]])
_AGE_TILT = np.array([-1.0, -0.3, 0.5, 1.0])
_P_FEMALE = np.array([0.49, 0.505, 0.515, 0.57])
_OWNER_BAND, _OWNER_AGE = np.array([0.42, 0.66, 0.80]), np.array([-0.22, -0.02, 0.10, 0.12])
_SOCIAL_BAND, _SOCIAL_AGE = np.array([0.60, 0.38, 0.22]), np.array([0.0, 0.0, 0.10, 0.20])
_WHITE_BAND, _WHITE_AGE = np.array([-0.08, 0.0, 0.05]), np.array([-0.07, -0.01, 0.05, 0.08])
_NON_WHITE_SPLIT = np.array([0.48, 0.24, 0.17, 0.11])  # Asian, Black, Mixed, Other

# Effects on perceptions (logit scale): IMD band, age band, tenure.
_BAND = np.array([-0.45, 0.0, 0.35])
_AGE = np.array([-0.25, -0.15, 0.15, 0.45])
_TENURE = np.array([0.15, -0.20, -0.10])
_CUTPOINTS = {2: (0.0,), 4: (-1.9, 0.0, 1.7), 5: (-1.9, 0.0, 0.9, 2.0)}  # relative to logit(top)

# Design: average adults per sector, respondents wanted per stratum, planning response rates.
_ADULTS_PER_SECTOR = 1_800
_RESPONDENTS_PER_STRATUM = 420
_PLANNED_RESPONSE = np.array([0.16, 0.26, 0.35])
_ITEM_NONRESPONSE = 0.025
# Response (logit scale): intercept, then effects of age band, tenure, IMD band; women +0.1.
_RESPONSE = (-1.05, np.array([-0.9, -0.4, 0.3, 0.5]), np.array([0.3, -0.4, -0.3]), np.array([-0.35, 0.0, 0.3]))
_ONLINE_BY_AGE = np.array([0.55, 0.45, 0.28, 0.10])

_SATISFIED = ("Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied",
              "Fairly dissatisfied", "Very dissatisfied")
_AGREE5 = ("Strongly agree", "Tend to agree", "Neither agree nor disagree", "Tend to disagree",
           "Strongly disagree")
_AMOUNT = ("A great deal", "A fair amount", "Not very much", "Not at all")
_INFORMED = ("Very well informed", "Fairly well informed", "Not very well informed", "Not well informed at all")
_SAFE = ("Very safe", "Fairly safe", "Neither safe nor unsafe", "Fairly unsafe", "Very unsafe")
_STRONGLY = ("Very strongly", "Fairly strongly", "Not very strongly", "Not at all strongly")
_AGREE4 = ("Definitely agree", "Tend to agree", "Tend to disagree", "Definitely disagree")


@dataclass(frozen=True)
class _Item:
    """A coded item: ``P(code <= k) = logistic(logit(top) + _CUTPOINTS[k] + eta)``, where ``eta`` is
    ``place * (council place + sector) + org * (council org + sector / 2) + band * _BAND + age * _AGE
    + _TENURE + trait + female * is_female + wave2 * (wave - 1)``."""

    name: str
    wording: str
    labels: tuple[str, ...]  # labels of codes 1, 2, ...
    top: float  # baseline share in codes 1-2 (code 1 for a yes/no item)
    place: float
    org: float
    band: float
    age: float
    dont_know: float  # share answering 9 "Don't know"; 0 means the item has no code 9
    wave2: float = 0.0  # shift in wave 2
    female: float = 0.0


_ITEMS = (
    _Item("q_satisfied_area", "Overall, how satisfied or dissatisfied are you with your local area as a "
          "place to live?", _SATISFIED, 0.83, 0.8, 0.2, 0.7, 0.6, 0.01, -0.03),
    _Item("q_satisfied_council", "Overall, how satisfied or dissatisfied are you with the way "
          "[name of council] runs things?", _SATISFIED, 0.60, 0.3, 1.0, 0.5, 0.8, 0.03, -0.10),
    _Item("q_value_for_money", "To what extent do you agree or disagree that [name of council] provides "
          "value for money?", _AGREE5, 0.45, 0.2, 1.0, 0.4, 0.6, 0.06, -0.10),
    _Item("q_trust", "How much do you trust [name of council]?", _AMOUNT, 0.56, 0.2, 1.0, 0.3, 0.5,
          0.05, -0.08),
    _Item("q_informed", "Overall, how well informed do you think [name of council] keeps residents about "
          "the services and benefits it provides?", _INFORMED, 0.53, 0.1, 0.9, 0.2, 0.9, 0.03, -0.05),
    _Item("q_safe_after_dark", "How safe or unsafe do you feel when outside in your local area after "
          "dark?", _SAFE, 0.72, 0.8, 0.0, 1.3, -0.4, 0.02, 0.0, -0.5),
    _Item("q_safe_day", "How safe or unsafe do you feel when outside in your local area during the "
          "day?", _SAFE, 0.92, 0.6, 0.0, 1.0, 0.0, 0.01, 0.0, -0.2),
    _Item("q_belonging", "How strongly do you feel you belong to your immediate neighbourhood?",
          _STRONGLY, 0.62, 0.6, 0.1, 0.6, 1.2, 0.03),
    _Item("q_cohesion", "To what extent do you agree or disagree that this local area is a place where "
          "people from different backgrounds get on well together?", _AGREE4, 0.80, 0.7, 0.1, 0.7, 0.4, 0.04),
    _Item("q_influence", "To what extent do you agree or disagree that you personally can influence "
          "decisions affecting your local area?", _AGREE4, 0.27, 0.1, 0.7, 0.4, 0.2, 0.05, -0.04),
    _Item("volunteered_formal_12m", "In the last 12 months, have you given any unpaid help to groups, clubs "
          "or organisations (for example leading a group, administrative support, mutual aid groups, or "
          "befriending or mentoring people)?", ("Yes", "No"), 0.27, 0.2, 0.0, 0.8, 0.5, 0.0),
)


@dataclass(frozen=True)
class _Wellbeing:
    """An ONS4 item: ``round(mean + sign * effects + sd * N(0, 1))`` clipped to 0-10."""

    name: str
    wording: str
    ends: tuple[str, str]
    mean: float
    sd: float
    sign: float


_ONS4 = (
    _Wellbeing("ons_life_satisfaction", "Overall, how satisfied are you with your life nowadays?",
               ("Not at all satisfied", "Completely satisfied"), 7.62, 1.75, 1.0),
    _Wellbeing("ons_worthwhile", "Overall, to what extent do you feel that the things you do in your life "
               "are worthwhile?", ("Not at all worthwhile", "Completely worthwhile"), 7.95, 1.6, 1.0),
    _Wellbeing("ons_happy", "Overall, how happy did you feel yesterday?",
               ("Not at all happy", "Completely happy"), 7.6, 2.1, 1.0),
    _Wellbeing("ons_anxious", "On a scale where nought is 'not at all anxious' and 10 is 'completely "
               "anxious', overall, how anxious did you feel yesterday?",
               ("Not at all anxious", "Completely anxious"), 2.6, 2.8, -1.0),
)
_WB_AGE = np.array([0.05, -0.20, 0.15, 0.10])
_WB_TENURE = np.array([0.15, -0.35, -0.10])
_ORDINAL = tuple(it.name for it in _ITEMS[:-1])
_ITEM_COLUMNS = _ORDINAL + tuple(w.name for w in _ONS4) + (_ITEMS[-1].name,)

# Wave 2 follows questionnaire core-v2: q_informed and q_cohesion reworded, q_safe_after_dark's
# two "unsafe" codes merged (5 -> 4), q_safe_day dropped, a filter on group involvement routing
# the volunteering question, and SWEMWBS added (item wording licensed, so not reproduced).
_WAVE2_WORDINGS = {
    "q_informed": "How well informed do you feel [name of council] keeps you about the services and benefits "
                  "it provides?",
    "q_cohesion": "To what extent do you agree or disagree that this local area (within 15-20 minutes walking "
                  "distance of your home) is a place where people from different backgrounds get on well together?",
    "involved_groups_12m": "In the last 12 months, have you been involved in any groups, clubs or organisations "
                           "(for example a sports club, a faith group, a tenants' or residents' association, or a "
                           "mutual aid group)?",
}
_SAFE4 = ("Very safe", "Fairly safe", "Neither safe nor unsafe", "Unsafe")
_SWEMWBS_LABELS = ("None of the time", "Rarely", "Some of the time", "Often", "All of the time")
_SWEMWBS = tuple(f"swemwbs_{k}" for k in range(1, 8))
_SWEMWBS_OFFSET = np.array([-0.2, 0.1, -0.4, 0.0, 0.1, 0.0, 0.3])
_SWEMWBS_CUTPOINTS = np.array([-3.4, -2.0, -0.3, 1.9])
_INVOLVED_IF_NOT_VOLUNTEERING = 0.3


def _item_columns(wave: int) -> tuple[str, ...]:
    """Item columns of a wave, in questionnaire order (core-v1 for wave 1, core-v2 for wave 2)."""
    if wave == 1:
        return _ITEM_COLUMNS
    perceptions = tuple(name for name in _ORDINAL if name != "q_safe_day")
    return (perceptions + tuple(w.name for w in _ONS4) + ("involved_groups_12m", _ITEMS[-1].name) + _SWEMWBS)


@dataclass(frozen=True)
class _Frame:
    """The frame of one seed. Per sector (sorted by stratum = 3 * council + band): its stratum,
    size, label ("NB-D1-017") and random effect. Per adult (sorted by sector): sector, council,
    band, age, female, tenure, ethnicity codes and two traits stable between waves."""

    sector_stratum: np.ndarray
    sector_size: np.ndarray
    sector_label: np.ndarray
    sector_effect: np.ndarray
    sector: np.ndarray
    council: np.ndarray
    band: np.ndarray
    age: np.ndarray
    female: np.ndarray
    tenure: np.ndarray
    ethnicity: np.ndarray
    trait: np.ndarray
    wellbeing: np.ndarray


def _draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (each row sums to 1), as int8 codes."""
    cum = np.cumsum(probs, axis=1)[:, :-1]
    return (rng.random(probs.shape[0])[:, None] > cum).sum(axis=1).astype(np.int8)


def _rank_within(groups: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Rank (0, 1, ...) of each element by ``keys`` within its group; ``groups`` must be sorted."""
    order = np.lexsort((keys, groups))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - np.searchsorted(groups, groups)[order]
    return rank


@functools.lru_cache(maxsize=4)
def _frame(seed: int) -> _Frame:
    rng = np.random.default_rng([seed, 0])
    stratum, sizes, labels = [], [], []
    for c, council in enumerate(_COUNCILS):
        in_band = np.round(council.adults * np.array(council.band_shares[:2])).astype(int)
        for b, adults in enumerate(np.append(in_band, council.adults - in_band.sum())):
            n = max(council.sectors_sampled + 6, round(adults / _ADULTS_PER_SECTOR))  # sectors of >= 150
            sizes.append(150 + rng.multinomial(adults - 150 * n, rng.dirichlet(np.full(n, 8.0))))
            stratum.append(np.full(n, 3 * c + b))
            labels += [f"{council.code}-D{b + 1}-{k + 1:03d}" for k in range(n)]
    sector_stratum, sector_size = np.concatenate(stratum), np.concatenate(sizes)
    sector = np.repeat(np.arange(len(sector_size)), sector_size)
    council, band = sector_stratum[sector] // 3, sector_stratum[sector] % 3

    older = np.array([c.older for c in _COUNCILS])
    age_table = _AGE_BY_BAND[None, :, :] * np.exp(older[:, None, None] * _AGE_TILT)
    age = _draw(rng, (age_table / age_table.sum(axis=2, keepdims=True))[council, band])
    female = rng.random(len(sector)) < _P_FEMALE[age]
    owner = np.clip(_OWNER_BAND[band] + _OWNER_AGE[age], 0.05, 0.95)
    social = (1 - owner) * np.clip(_SOCIAL_BAND[band] + _SOCIAL_AGE[age], 0.0, 0.9)
    tenure = _draw(rng, np.column_stack([owner, social, 1 - owner - social]))
    white = np.clip(np.array([c.white for c in _COUNCILS])[council] + _WHITE_BAND[band] + _WHITE_AGE[age],
                    0.3, 0.99)
    ethnicity = _draw(rng, np.column_stack([white, (1 - white)[:, None] * _NON_WHITE_SPLIT]))
    trait = rng.normal(0.0, 0.8, len(sector))
    wellbeing = 0.3 * trait + rng.normal(0.0, 0.6, len(sector))
    sector_effect = rng.normal(0.0, 0.2, len(sector_size))
    return _Frame(sector_stratum, sector_size, np.array(labels, dtype=object), sector_effect, sector,
                  council.astype(np.int8), band.astype(np.int8), age, female, tenure, ethnicity, trait, wellbeing)


@functools.lru_cache(maxsize=4)
def _answers(seed: int, wave: int) -> dict[str, np.ndarray]:
    f, rng = _frame(seed), np.random.default_rng([seed, 1, wave])
    place = _PLACE[f.council] + f.sector_effect[f.sector]
    org = _ORG[f.council] + 0.5 * f.sector_effect[f.sector]
    common = _TENURE[f.tenure] + f.trait
    young_or_old = np.isin(f.age, (0, 3))
    out: dict[str, np.ndarray] = {}
    for it in _ITEMS:
        eta = (it.place * place + it.org * org + it.band * _BAND[f.band] + it.age * _AGE[f.age] + common
               + it.female * f.female + it.wave2 * (wave - 1))
        tau = np.log(it.top / (1 - it.top)) + np.array(_CUTPOINTS[len(it.labels)])
        codes = 1 + ((rng.logistic(size=len(eta)) - eta)[:, None] > tau).sum(axis=1)
        dont_know = rng.random(len(eta)) < it.dont_know * np.where(young_or_old, 1.5, 1.0)
        out[it.name] = np.where(dont_know, np.int8(9), codes).astype(np.int8)
    effects = (0.3 * place + 0.35 * _BAND[f.band] + _WB_AGE[f.age] + _WB_TENURE[f.tenure] + f.wellbeing
               - 0.05 * (wave - 1))
    for w in _ONS4:
        score = w.mean + w.sign * effects + w.sd * rng.standard_normal(len(effects))
        out[w.name] = np.clip(np.rint(score), 0, 10).astype(np.int8)
    if wave == 2:
        _wave2_answers(out, effects, np.random.default_rng([seed, 3, wave]))
    return {name: out[name] for name in _item_columns(wave)}


def _wave2_answers(out: dict[str, np.ndarray], effects: np.ndarray, rng: np.random.Generator) -> None:
    """Wave 2's changes to the answers (see ``_item_columns``); a separate stream leaves the others alone."""
    out["q_safe_after_dark"] = np.where(out["q_safe_after_dark"] == 5, np.int8(4), out["q_safe_after_dark"])
    involved = (out["volunteered_formal_12m"] == 1) | (rng.random(len(effects)) < _INVOLVED_IF_NOT_VOLUNTEERING)
    out["involved_groups_12m"] = np.where(involved, 1, 2).astype(np.int8)
    eta = 1.1 * effects / effects.std()
    for name, offset in zip(_SWEMWBS, _SWEMWBS_OFFSET):
        latent = eta + offset + rng.logistic(size=len(eta))
        out[name] = (1 + (latent[:, None] > _SWEMWBS_CUTPOINTS).sum(axis=1)).astype(np.int8)


def _check(seed: object, wave: object = 1) -> None:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ResidentSurveyError(f"seed must be a non-negative integer; got {seed!r}. Use e.g. seed=2026.")
    if isinstance(wave, bool) or not isinstance(wave, Integral) or wave not in _WAVES:
        raise ResidentSurveyError(f"wave={wave!r} is not available; the demo consortium has waves "
                                  f"{', '.join(map(str, _WAVES))}.")


def _categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(categories))


def _label(df: pd.DataFrame, wave: int = 1) -> pd.DataFrame:
    """Attach value labels, question wordings and don't-know codes to ``df.attrs``."""
    values: dict[str, dict[int, str]] = {}
    for it in _ITEMS:
        values[it.name] = dict(enumerate(it.labels, start=1)) | ({9: "Don't know"} if it.dont_know else {})
    for w in _ONS4:
        values[w.name] = {0: w.ends[0], **{k: str(k) for k in range(1, 10)}, 10: w.ends[1]}
    wordings = {it.name: it.wording for it in _ITEMS} | {w.name: w.wording for w in _ONS4}
    if wave == 2:
        values["q_safe_after_dark"] = dict(enumerate(_SAFE4, start=1)) | {9: "Don't know"}
        values["involved_groups_12m"] = {1: "Yes", 2: "No"}
        wordings |= _WAVE2_WORDINGS
        for k, name in enumerate(_SWEMWBS, start=1):
            values[name] = dict(enumerate(_SWEMWBS_LABELS, start=1))
            wordings[name] = f"SWEMWBS item {k} (wording licensed by its owners, not reproduced)"
    columns = _item_columns(wave)
    df.attrs["value_labels"] = {name: values[name] for name in columns}
    df.attrs["variable_labels"] = {name: wordings[name] for name in columns}
    df.attrs["dont_know_codes"] = {it.name: [9] for it in _ITEMS if it.dont_know and it.name in columns}
    return df


def _people(f: _Frame, rows: np.ndarray) -> dict[str, pd.Categorical]:
    return {"age_band": _categorical(f.age[rows], _AGE_BANDS),
            "sex": _categorical((~f.female[rows]).astype(np.int8), _SEXES),
            "tenure": _categorical(f.tenure[rows], _TENURES),
            "ethnicity": _categorical(f.ethnicity[rows], _ETHNICITIES)}


@functools.lru_cache(maxsize=4)
def _population(seed: int, wave: int) -> pd.DataFrame:
    f, answers = _frame(seed), _answers(seed, wave)
    everyone = np.arange(len(f.sector))
    return _label(pd.DataFrame({
        "council": _categorical(f.council, _COUNCIL_NAMES),
        "imd_band": _categorical(f.band, _IMD_BANDS),
        "sector": pd.array(f.sector_label[f.sector], dtype="str"),
        **_people(f, everyone), **answers}), wave)


def demo_population(*, seed: int = 2026, wave: int = 1) -> pd.DataFrame:
    """Return the synthetic adult population of the demo consortium, with true answers.

    Five invented councils share one residents' survey: Northbridge (248,000 adults),
    Eastmere (62,000), Southwold Vale (84,000), Westhaven (103,000) and Middleton Cross
    (141,000), 638,000 adults aged 16+ in all, one row each (no scaling down). Each
    council is split into three deprivation bands, and each band into postcode sectors
    of varying size (about 1,800 adults on average; at least 14 sectors per band).

    Parameters
    ----------
    seed : int, default 2026
        Seed for every random draw. The same seed always gives the same frame.
    wave : {1, 2}, default 1
        Survey wave. Both waves share the same adults, sectors and demographics; only
        the answers differ. In wave 2 satisfaction with the council, value for money,
        trust and feeling informed are a couple of points lower, and the columns follow
        questionnaire ``core-v2``: ``q_safe_after_dark`` has four points (code 4
        "Unsafe" merges v1's 4 and 5), ``q_safe_day`` is gone, ``involved_groups_12m``
        (1 Yes, 2 No) comes before ``volunteered_formal_12m``, and the seven SWEMWBS items
        ``swemwbs_1`` ... ``swemwbs_7`` (codes 1-5) follow it.

    Returns
    -------
    pandas.DataFrame
        One row per adult: ``council``, ``imd_band``, ``sector`` (str), ``age_band``,
        ``sex``, ``tenure``, ``ethnicity`` (categoricals in a fixed order), then the true
        answers as ``int8`` codes: ``q_satisfied_area``, ``q_satisfied_council``,
        ``q_value_for_money``, ``q_trust``, ``q_informed``, ``q_safe_after_dark``,
        ``q_safe_day``, ``q_belonging``, ``q_cohesion``, ``q_influence`` (9 is "Don't
        know"), ``ons_life_satisfaction``, ``ons_worthwhile``, ``ons_happy``,
        ``ons_anxious`` (0-10) and ``volunteered_formal_12m`` (1 Yes, 2 No). ``attrs``
        as in :func:`demo_consortium`.

    Raises
    ------
    ResidentSurveyError
        If ``seed`` is not a non-negative integer or ``wave`` is not 1 or 2.

    See Also
    --------
    demo_consortium : a returns file sampled from this population.
    demo_council_populations : population totals for weighting.

    Notes
    -----
    Demographics depend on council and deprivation (the most deprived bands are
    younger, rent more and are more ethnically diverse). A coded item with codes
    :math:`1, \\dots, K` (1 most positive) follows a cumulative logit model,
    :math:`P(Y \\le k) = \\operatorname{logit}^{-1}(\\tau_k + \\eta)`, where
    :math:`\\eta` adds effects of council, sector, deprivation, age, tenure, a
    person's general positivity and the wave; don't-know answers are then drawn at
    1-8 % depending on the item. ONS4 scores are rounded normal scores clipped to 0-10.
    The result is cached by ``(seed, wave)``; each call returns a fresh copy.

    Examples
    --------
    >>> from residentsurvey.datasets import demo_population
    >>> pop = demo_population()
    >>> len(pop)
    638000
    >>> pop.groupby("council", observed=True).size()["Eastmere"]
    np.int64(62000)
    """
    _check(seed, wave)
    return _label(_population(int(seed), int(wave)).copy(), int(wave))


def _sample(seed: int, wave: int) -> dict[str, np.ndarray]:
    """Issue the two-stage sample of one wave and simulate who responds, and how."""
    f, rng = _frame(seed), np.random.default_rng([seed, 2, wave])
    sectors_sampled = np.repeat([c.sectors_sampled for c in _COUNCILS], 3)
    chosen = _rank_within(f.sector_stratum, rng.random(len(f.sector_size))) < sectors_sampled[f.sector_stratum]
    band = f.sector_stratum % 3
    wanted = np.ceil(_RESPONDENTS_PER_STRATUM / _PLANNED_RESPONSE[band] / sectors_sampled[f.sector_stratum])
    issued_in_sector = np.where(chosen, np.minimum(wanted.astype(np.int64), f.sector_size), 0)
    candidates = np.flatnonzero(chosen[f.sector])
    rank = _rank_within(f.sector[candidates], rng.random(len(candidates)))
    rows = candidates[rank < issued_in_sector[f.sector[candidates]]]
    n = len(rows)
    base, by_age, by_tenure, by_band = _RESPONSE
    logit = base + by_age[f.age[rows]] + by_tenure[f.tenure[rows]] + by_band[f.band[rows]] + 0.1 * f.female[rows]
    responded = rng.random(n) < 1 / (1 + np.exp(-logit))
    online = rng.random(n) < _ONLINE_BY_AGE[f.age[rows]]
    draws = rng.random((n, len(_ITEM_COLUMNS))) < _ITEM_NONRESPONSE
    missing = {name: draws[:, j] for j, name in enumerate(_ITEM_COLUMNS)}
    added = [name for name in _item_columns(wave) if name not in missing]
    if added:  # drawn after wave 1's items, so those keep the same pattern of item nonresponse
        extra = rng.random((n, len(added))) < _ITEM_NONRESPONSE
        missing |= {name: extra[:, j] for j, name in enumerate(added)}
    return {"rows": rows, "sectors_sampled": sectors_sampled, "issued": issued_in_sector,
            "responded": responded, "online": online, "missing": missing}


def demo_consortium(*, seed: int = 2026, wave: int = 1, include_nonrespondents: bool = False) -> pd.DataFrame:
    """Return a synthetic returns file of the demo consortium's residents' survey.

    The sample is drawn from ``demo_population(seed=seed, wave=wave)`` with a
    stratified two-stage design. Strata are council x deprivation band (15). Stage 1
    selects 8-12 postcode sectors (the PSUs) per stratum by simple random sampling
    without replacement; stage 2 issues adults by SRS within each selected sector,
    boosting the more deprived strata to allow for their lower response. About a
    quarter of issued adults respond (older people and owners more often, deprived
    areas less), giving about 1,250 returns per council and 6,300 in all.

    Parameters
    ----------
    seed : int, default 2026
        Seed of the population and of the sample; see the module docstring.
    wave : {1, 2}, default 1
        Survey wave. Each wave draws a fresh sample from the same frame. Wave 1 follows
        questionnaire ``core-v1``, wave 2 ``core-v2`` (see :func:`demo_population`); in
        wave 2 ``volunteered_formal_12m`` is blank where ``involved_groups_12m`` is 2 (No),
        as its routing says.
    include_nonrespondents : bool, default False
        If true, return the whole issued sample with a boolean ``responded`` column
        after ``design_weight``; non-respondents have missing ``mode`` and items but
        keep their demographics (a convenience for checking weighting methods: a real
        frame would not hold them).

    Returns
    -------
    pandas.DataFrame
        One row per respondent, in the order ``respondent_id`` ("W1-000123", the
        serial number of the issued questionnaire), ``wave``, ``council``, ``stratum``
        ("Northbridge: most deprived"), ``imd_band``, ``sector`` (PSU),
        ``sectors_in_stratum`` (stage-1 fpc), ``adults_in_sector`` (stage-2 fpc),
        ``issued_in_sector``, ``design_weight``, ``mode`` ("postal" or "online", about
        30 % online), ``age_band``, ``sex``, ``tenure``, ``ethnicity``, then the item
        columns of :func:`demo_population` as nullable ``Int64``, about 2.5 % of them
        missing (item nonresponse). ``attrs["value_labels"]`` maps each item to
        ``{code: label}``, ``attrs["variable_labels"]`` to its question wording
        (``[name of council]`` left as a template) and ``attrs["dont_know_codes"]``
        maps each item with a don't-know option to ``[9]``.

    Raises
    ------
    ResidentSurveyError
        If ``seed``, ``wave`` or ``include_nonrespondents`` is invalid.

    Notes
    -----
    With :math:`N_h` sectors in stratum :math:`h`, :math:`n_h` of them sampled,
    :math:`M_i` adults in sector :math:`i` and :math:`m_i` of them issued, the design
    weight is the inverse probability of being issued,
    :math:`w = (N_h / n_h)(M_i / m_i)`. It is *not* adjusted for nonresponse: that is
    the job of weighting. Within every sampled sector the weights of the issued adults
    sum to :math:`N_h M_i / n_h`, so over the issued sample they estimate the number of
    adults without bias. The sample of wave ``w`` uses ``SeedSequence([seed, 2, w])``.

    Examples
    --------
    >>> from residentsurvey.datasets import demo_consortium
    >>> returns = demo_consortium()
    >>> returns["stratum"].nunique()
    15
    >>> returns.attrs["value_labels"]["q_trust"][2]
    'A fair amount'
    """
    _check(seed, wave)
    if not isinstance(include_nonrespondents, bool):
        raise ResidentSurveyError(f"include_nonrespondents must be True or False; got {include_nonrespondents!r}.")
    seed, wave = int(seed), int(wave)
    f, answers, s = _frame(seed), _answers(seed, wave), _sample(seed, wave)
    rows, sector = s["rows"], f.sector[s["rows"]]
    stratum = f.sector_stratum[sector]
    sectors_in_stratum = np.bincount(f.sector_stratum)[stratum]
    design_weight = (sectors_in_stratum / s["sectors_sampled"][stratum]) * (f.sector_size[sector] / s["issued"][sector])
    names = np.array([f"{c}: {b}" for c in _COUNCIL_NAMES for b in _IMD_BANDS], dtype=object)
    mode = np.where(s["responded"], s["online"].astype(np.int8), -1)
    serial = np.char.zfill(np.arange(1, len(rows) + 1).astype(str), 6)
    columns = {
        "respondent_id": pd.array(np.char.add(f"W{wave}-", serial).astype(object), dtype="str"),
        "wave": np.full(len(rows), wave, dtype=np.int64),
        "council": _categorical(f.council[rows], _COUNCIL_NAMES),
        "stratum": pd.array(names[stratum], dtype="str"),
        "imd_band": _categorical(f.band[rows], _IMD_BANDS),
        "sector": pd.array(f.sector_label[sector], dtype="str"),
        "sectors_in_stratum": sectors_in_stratum.astype(np.int64),
        "adults_in_sector": f.sector_size[sector].astype(np.int64),
        "issued_in_sector": s["issued"][sector].astype(np.int64),
        "design_weight": design_weight,
        "responded": s["responded"],
        "mode": _categorical(mode, _MODES),
        **_people(f, rows),
    }
    for name in _item_columns(wave):
        hidden = s["missing"][name] | ~s["responded"]
        if name == "volunteered_formal_12m" and wave == 2:  # routed: asked only of those involved in groups
            filter_answered = ~s["missing"]["involved_groups_12m"]
            hidden = hidden | (filter_answered & (answers["involved_groups_12m"][rows] == 2))
        columns[name] = pd.arrays.IntegerArray(answers[name][rows].astype(np.int64), hidden)
    df = pd.DataFrame(columns)
    if not include_nonrespondents:
        df = df.loc[s["responded"]].drop(columns="responded").reset_index(drop=True)
    return _label(df, wave)


def demo_council_populations(*, seed: int = 2026) -> pd.DataFrame:
    """Return adult population totals of each demo council, for weighting.

    Parameters
    ----------
    seed : int, default 2026
        Seed of the population, as in :func:`demo_population` (both waves share it).

    Returns
    -------
    pandas.DataFrame
        Tidy table with columns ``council`` (categorical), ``variable``, ``category``
        and ``total`` (int64). ``variable`` is ``"adults"`` (category ``"All adults"``),
        ``"imd_band"``, ``"age_band:sex"`` (categories such as ``"16-34:Female"``),
        ``"tenure"`` or ``"ethnicity"``. Every category appears, even with a total of
        zero, and within each council and variable the totals sum to the adults.

    Raises
    ------
    ResidentSurveyError
        If ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> from residentsurvey.datasets import demo_council_populations
    >>> totals = demo_council_populations()
    >>> totals.query("variable == 'adults'")["total"].tolist()
    [248000, 62000, 84000, 103000, 141000]
    """
    _check(seed)
    f = _frame(int(seed))
    age_sex = tuple(f"{a}:{s}" for a in _AGE_BANDS for s in _SEXES)
    variables = {"adults": (np.zeros(len(f.sector), dtype=np.int64), ("All adults",)),
                 "imd_band": (f.band, _IMD_BANDS),
                 "age_band:sex": (2 * f.age + ~f.female, age_sex),
                 "tenure": (f.tenure, _TENURES),
                 "ethnicity": (f.ethnicity, _ETHNICITIES)}
    parts = []
    for variable, (codes, categories) in variables.items():
        k = len(categories)
        counts = np.bincount(f.council.astype(np.int64) * k + codes.astype(np.int64), minlength=len(_COUNCILS) * k)
        parts.append(pd.DataFrame({
            "council": _categorical(np.repeat(np.arange(len(_COUNCILS)), k), _COUNCIL_NAMES),
            "variable": variable, "category": list(categories) * len(_COUNCILS), "total": counts}))
    out = pd.concat(parts, ignore_index=True).sort_values("council", kind="stable").reset_index(drop=True)
    out["variable"] = out["variable"].astype("str")
    out["category"] = out["category"].astype("str")
    return out


#: The sample design of :func:`demo_tracking`'s returns, as arguments of ``rs.SurveyDesign``.
DEMO_TRACKING_DESIGN = {"weights": "design_weight", "strata": "stratum", "psu": ["sector", "respondent_id"],
                        "fpc": ["sectors_in_stratum", "adults_in_sector"]}


def demo_tracking(*, seed: int = 2026, year: int = 2025) -> pd.DataFrame:
    """Return a year of continuous fieldwork in quarters: the two demo waves spread over four quarters.

    Wave 1 of :func:`demo_consortium` is fielded in quarters 1 and 2 on questionnaire
    ``core-v1``, wave 2 in quarters 3 and 4 on ``core-v2`` (so the wording change of
    ``q_informed``, and the new routing of volunteering, arrive in quarter 3). Within each
    stratum, half of a wave's sampled sectors (chosen at random) are fielded in the first of its
    quarters and the rest in the second, so each quarter is a stratified cluster sample of its
    own.

    Parameters
    ----------
    seed : int, default 2026
        Seed of the waves (as in :func:`demo_consortium`) and of the quarters and dates
        (stream 5, ``SeedSequence([seed, 5, wave])``).
    year : int, default 2025
        Calendar year of the fieldwork.

    Returns
    -------
    pandas.DataFrame
        The columns of both waves (wave 1 rows blank on wave 2's new items), with
        ``design_weight`` re-scaled to the quarter's sample (times the stratum's sectors in the
        wave over its sectors in the quarter), then ``interview_date`` (a day of the quarter,
        datetime64) and ``questionnaire`` (``"core-v1"`` or ``"core-v2"``). No other value of the
        waves is changed.

    Examples
    --------
    >>> returns = demo_tracking()
    >>> returns.groupby(returns["interview_date"].dt.quarter)["questionnaire"].first().tolist()
    ['core-v1', 'core-v1', 'core-v2', 'core-v2']
    """
    _check(seed)
    if isinstance(year, bool) or not isinstance(year, Integral) or not 1900 <= year <= 2200:
        raise ResidentSurveyError(f"year must be a calendar year such as 2025; got {year!r}.")
    return _tracking(int(seed), int(year)).copy()


@functools.lru_cache(maxsize=4)
def _tracking(seed: int, year: int) -> pd.DataFrame:
    parts = []
    for wave in _WAVES:
        returns = demo_consortium(seed=int(seed), wave=wave)
        rng = np.random.default_rng([int(seed), 5, wave])
        sectors = returns[["stratum", "sector"]].drop_duplicates().reset_index(drop=True)
        order = np.lexsort((rng.random(len(sectors)), sectors["stratum"].to_numpy(dtype=object).astype(str)))
        sectors = sectors.iloc[order].reset_index(drop=True)
        rank = sectors.groupby("stratum").cumcount().to_numpy()
        size = sectors.groupby("stratum")["sector"].transform("size").to_numpy()
        sectors["half"] = (rank >= size // 2).astype(np.int64)
        sectors["in_half"] = np.where(sectors["half"] == 0, size // 2, size - size // 2)
        sectors["in_wave"] = size
        merged = returns.merge(sectors, on=["stratum", "sector"], how="left", validate="many_to_one")
        quarter = 2 * (wave - 1) + merged["half"].to_numpy() + 1
        start = pd.to_datetime([f"{year}-{3 * q - 2:02d}-01" for q in quarter])
        days = (start + pd.offsets.QuarterEnd(0) - start).days.to_numpy() + 1
        offset = np.floor(rng.random(len(merged)) * days).astype(np.int64)
        returns = returns.copy()
        returns["design_weight"] = returns["design_weight"].to_numpy() * (
            merged["in_wave"].to_numpy() / merged["in_half"].to_numpy())
        returns["interview_date"] = (start + pd.to_timedelta(offset, unit="D")).to_numpy()
        returns["questionnaire"] = f"core-v{wave}"
        parts.append(returns)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values("interview_date", kind="stable").reset_index(drop=True)
    out.attrs = {}
    return out
