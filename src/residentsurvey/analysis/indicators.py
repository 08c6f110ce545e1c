"""Every indicator of a questionnaire, for every council and the consortium, with honest comparisons.

``rs.indicators`` turns one design per wave (each with its questionnaire version) into one tidy
table, one row per wave, indicator and area:

- councils (the ``by`` domains), *All councils* (pooled respondents, councils counting in
  proportion to population) and *Average council* (every council counting equally), all from
  pooled respondent data, never by averaging percentages;
- estimate, standard error, interval (logit for shares, as R's ``svyciprop``; Wald for means and
  for the average council), unweighted base, effective base (Kish) and design effect;
- each council against All councils, allowing for the council being part of it, with p-values
  adjusted across councils (Bonferroni by default);
- funnel positions on the same basis as that comparison: the same standard error, level and
  multiplicity rule, so a council outside the funnel's limits is the one the table calls higher or
  lower (see :mod:`residentsurvey.analysis.funnel`);
- rank intervals instead of bare ranks, rank 1 the best (the indicator's ``polarity`` says which
  direction is better); they compare councils with each other, a different question from the
  comparison with all councils;
- change from the previous wave, tested only where the questionnaire diff says the indicator is
  comparable (after harmonising the older wave where it is comparable after recoding), with the
  reason in words where it is not (``comparability``: new in this wave, wording changed, ...);
- disclosure flags: small bases suppressed (estimate blanked, base kept, reason given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DesignError
from ..questionnaire.diff import indicator_comparability
from ..questionnaire.harmonise import harmonise
from ..questionnaire.model import Questionnaire
from ..questionnaire.registries import unit_text
from ._progress import progress_bar
from .consortium import consortium_comparison
from .disclosure import DisclosureRules, apply_disclosure
from .effective_size import effective_sample_size
from .estimators import _context
from .funnel import funnel_limits, funnel_side
from .indicator_values import indicator_statistic, indicator_values
from .multiplicity import adjust_p_values
from .ranking import rank_intervals

if TYPE_CHECKING:
    from .design import SurveyDesign

ALL_COUNCILS = "All councils"
AVERAGE_COUNCIL = "Average council"

COLUMNS = (
    "wave", "questionnaire", "indicator", "label", "statistic", "unit", "polarity", "area", "area_type",
    "estimate", "se", "ci_lower", "ci_upper", "level", "n", "n_effective", "deff", "flag", "flag_reason",
    "vs_consortium", "vs_consortium_se", "vs_consortium_p", "vs_consortium_p_adjusted", "vs_consortium_verdict",
    "change", "change_se", "change_p", "change_verdict", "comparability", "rank", "rank_lower", "rank_upper",
    "funnel", "funnel_n", "funnel_centre",
)


@dataclass(frozen=True)
class _Wave:
    label: object
    design: "SurveyDesign"
    questionnaire: Questionnaire


def _waves(design, questionnaire, waves) -> list[_Wave]:
    if waves is None:
        if design is None or questionnaire is None:
            raise DesignError("give design and questionnaire, or waves={label: (design, questionnaire), ...}.")
        column = design.data.get("wave")
        label = column.iloc[0] if column is not None and column.nunique() == 1 else 1
        return [_Wave(label.item() if hasattr(label, "item") else label, design, questionnaire)]
    items = waves.items() if isinstance(waves, Mapping) else [(w[0], (w[1], w[2])) for w in waves]
    out = [_Wave(label, pair[0], pair[1]) for label, pair in items]
    if not out:
        raise DesignError("waves is empty.")
    return out


def _effective_n(design: "SurveyDesign", values: np.ndarray, by: list[str]) -> np.ndarray:
    domains = _context(design, by).domains
    base = ~np.isnan(values)
    w = np.where(base, design._weight_array, 0.0)
    total = np.bincount(domains.codes, weights=w, minlength=domains.count)
    squares = np.bincount(domains.codes, weights=w**2, minlength=domains.count)
    with np.errstate(divide="ignore", invalid="ignore"):
        return total**2 / squares


def _interval(design: "SurveyDesign", name: str, statistic: str, by, level: float, share_ci: str) -> pd.DataFrame:
    """Estimate, se, interval, n and deff per domain (by=None: the whole sample)."""
    if statistic == "share":
        shares = design.with_columns({f"{name}__share": pd.Categorical(design.data[name], categories=[0.0, 1.0])})
        table = shares.proportion(f"{name}__share", by=by, ci_method=share_ci, level=level, deff=True)
        return table[table["category"] == 1.0].drop(columns="category").reset_index(drop=True)
    return design.mean(name, by=by, level=level, deff=True)


def _indicator_rows(wave: _Wave, design: "SurveyDesign", indicator, by: list[str], *, level: float,
                    share_ci: str) -> tuple[pd.DataFrame, float | None]:
    """The rows of one indicator in one wave, and (for a mean) the respondent-level SD its funnel uses."""
    from scipy import stats
    name, statistic = indicator.id, indicator_statistic(indicator)
    councils = _interval(design, name, statistic, by, level, share_ci)
    whole = _interval(design, name, statistic, None, level, share_ci)
    comparison = consortium_comparison(design, name, by, level=level)
    values = design.data[name].to_numpy(dtype=float)
    area = councils[by].astype(str).agg(" / ".join, axis=1) if len(by) > 1 else councils[by[0]].astype(str)
    rows = pd.DataFrame({
        "area": area, "area_type": "council",
        "estimate": councils["estimate"], "se": councils["se"], "ci_lower": councils["ci_lower"],
        "ci_upper": councils["ci_upper"], "n": councils["n"], "deff": councils["deff"],
        "n_effective": _effective_n(design, values, by),
        "vs_consortium": comparison["difference"].to_numpy(), "vs_consortium_se": comparison["difference_se"].to_numpy(),
        "vs_consortium_p": comparison["p_value"].to_numpy(),
    })
    base = ~np.isnan(values)
    w = design._weight_array[base]
    average = comparison.attrs["average"]
    z = stats.norm.ppf(0.5 + level / 2)
    low, high = average["estimate"] - z * average["se"], average["estimate"] + z * average["se"]
    if statistic == "share":
        low, high = max(low, 0.0), min(high, 1.0)
    consortium = pd.DataFrame({
        "area": [ALL_COUNCILS, AVERAGE_COUNCIL], "area_type": ["consortium_population", "consortium_average"],
        "estimate": [whole["estimate"].item(), average["estimate"]], "se": [whole["se"].item(), average["se"]],
        "ci_lower": [whole["ci_lower"].item(), low], "ci_upper": [whole["ci_upper"].item(), high],
        "n": [int(whole["n"].item())] * 2, "deff": [whole["deff"].item(), np.nan],
        "n_effective": [effective_sample_size(w) if len(w) else np.nan, np.nansum(rows["n_effective"])],
    })
    table = pd.concat([rows, consortium], ignore_index=True)
    table.insert(0, "wave", wave.label)
    table.insert(1, "questionnaire", wave.questionnaire.name)
    table.insert(2, "indicator", name)
    table.insert(3, "label", indicator.label)
    table.insert(4, "statistic", statistic)
    table.insert(5, "unit", "%" if statistic == "share" else unit_text(indicator.unit))
    table.insert(6, "polarity", indicator.polarity)
    table["level"] = level
    centre = whole["estimate"].item()
    table["funnel_centre"] = centre
    sd = None
    if statistic == "mean" and len(w):
        sd = float(np.sqrt(np.average((values[base] - centre) ** 2, weights=w)))
    table["funnel"] = ""
    table["funnel_n"] = np.nan
    return table, sd


def funnel_comparisons(adjust: str, councils: int) -> int:
    """How many comparisons the funnel's limits allow for: the published councils, unless ``adjust="none"``."""
    return 1 if adjust == "none" else max(int(councils), 1)


def _finish_wave(table: pd.DataFrame, *, level: float, rules: DisclosureRules, adjust: str, rank_method: str,
                 sds: Mapping[str, float | None]) -> pd.DataFrame:
    table = apply_disclosure(table, rules)
    council = (table["area_type"] == "council").to_numpy()
    published = council & (table["flag"] != "suppressed").to_numpy()
    table.loc[~published, ["vs_consortium", "vs_consortium_se", "vs_consortium_p", "funnel"]] = [np.nan, np.nan, np.nan, ""]
    table["vs_consortium_p_adjusted"] = np.nan
    table["vs_consortium_verdict"] = ""
    rank_parts = []
    for indicator, rows in table.groupby("indicator", sort=False):
        index = rows.index[published[rows.index]]
        p = adjust_p_values(table.loc[index, "vs_consortium_p"].to_numpy(dtype=float), adjust)
        table.loc[index, "vs_consortium_p_adjusted"] = p
        difference = table.loc[index, "vs_consortium"].to_numpy(dtype=float)
        table.loc[index, "vs_consortium_verdict"] = np.where(
            p < 1 - level, np.where(difference > 0, "higher", "lower"), "no significant difference")
        # the funnel: the same difference, standard error, level and (single-step) multiplicity rule
        se = table.loc[index, "vs_consortium_se"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = difference / se
        table.loc[index, "funnel"] = funnel_side(z, level=level, comparisons=funnel_comparisons(adjust, len(index)))
        centre = float(rows["funnel_centre"].iloc[0])
        spread = sds.get(indicator) if rows["statistic"].iloc[0] == "mean" else np.sqrt(centre * (1 - centre))
        if spread is not None and np.isfinite(spread) and spread > 0:
            with np.errstate(divide="ignore", invalid="ignore"):
                table.loc[index, "funnel_n"] = spread**2 / se**2
        ranks = rank_intervals(table.loc[index, "estimate"], table.loc[index, "se"], level=level, method=rank_method,
                               polarity=str(rows["polarity"].iloc[0]))
        ranks.index = index
        rank_parts.append(ranks)
    ranks = pd.concat(rank_parts) if rank_parts else pd.DataFrame(columns=["rank", "rank_lower", "rank_upper"])
    for column in ("rank", "rank_lower", "rank_upper"):
        table[column] = pd.array([pd.NA] * len(table), dtype="Int64")
        table.loc[ranks.index, column] = ranks[column].astype("Int64")
    return table


def _comparable_previous(previous: _Wave, current: _Wave, ids: list[str], by: list[str], *, level: float,
                         share_ci: str) -> tuple[dict[str, str], pd.DataFrame]:
    """Comparability per indicator (a key of ``COMPARABILITY``), and the previous wave's estimates in the
    current wave's terms where recoding is needed."""
    if previous.questionnaire.name == current.questionnaire.name:
        verdicts = {i: "comparable" for i in ids}
    else:
        found = indicator_comparability(previous.questionnaire, current.questionnaire)
        verdicts = dict(zip(found["id"], found["comparability"]))
    recode = [i for i in ids if verdicts.get(i) == "comparable after recoding"]
    if not recode:
        return verdicts, pd.DataFrame()
    harmonised = harmonise(previous.design.data, previous.questionnaire, current.questionnaire, not_comparable="drop")
    values = indicator_values(harmonised, current.questionnaire, recode)
    design = previous.design.with_columns(values)
    rows = [_indicator_rows(previous, design, current.questionnaire.indicator(i), by, level=level, share_ci=share_ci)[0]
            for i in recode]
    return verdicts, pd.concat(rows, ignore_index=True)


def _changes(table: pd.DataFrame, waves: list[_Wave], by: list[str], *, level: float, share_ci: str) -> pd.DataFrame:
    from scipy import stats
    table = table.copy()
    table["change"] = np.nan
    table["change_se"] = np.nan
    table["change_p"] = np.nan
    table["change_verdict"] = ""
    table["comparability"] = ""
    for previous, current in zip(waves, waves[1:]):
        now = table["wave"] == current.label
        ids = list(pd.unique(table.loc[now, "indicator"]))
        verdicts, recoded = _comparable_previous(previous, current, ids, by, level=level, share_ci=share_ci)
        before = table[table["wave"] == previous.label].set_index(["indicator", "area"])
        if len(recoded):
            recoded = apply_disclosure(recoded).set_index(["indicator", "area"])
            before = pd.concat([before.drop(index=recoded.index, errors="ignore"), recoded])
        rows = table.loc[now, ["indicator", "area", "estimate", "se", "flag"]]
        keys = pd.MultiIndex.from_frame(rows[["indicator", "area"]])
        old = before.reindex(keys)   # one row per current row; missing where the area is new
        words = rows["indicator"].map(verdicts).fillna("definition changed").to_numpy(dtype=object)
        new = (words == "new in this wave") | ~keys.isin(before.index)
        comparable = ~new & np.isin(words, ["comparable", "comparable after recoding"])
        tested = comparable & (rows["flag"].to_numpy() != "suppressed") & (old["flag"].to_numpy() != "suppressed")
        change = rows["estimate"].to_numpy(dtype=float) - old["estimate"].to_numpy(dtype=float)
        se = np.hypot(rows["se"].to_numpy(dtype=float), old["se"].to_numpy(dtype=float))
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.where(se > 0, 2 * stats.norm.sf(np.abs(change / se)), np.nan)
        moved = np.where(change > 0, "up", "down")
        verdict = np.select([new, ~comparable, ~tested, ~(p < 1 - level)],
                            ["new in this wave", "not comparable", "", "no significant change"], default=moved)
        index = rows.index
        table.loc[index, "comparability"] = words
        table.loc[index, "change_verdict"] = verdict
        table.loc[index[tested], ["change", "change_se", "change_p"]] = np.column_stack([change, se, p])[tested]
    return table


def indicators(design: "SurveyDesign | None" = None, questionnaire: Questionnaire | None = None,
               by: str | list[str] = "council",
               waves: Mapping[object, tuple["SurveyDesign", Questionnaire]] | Sequence[tuple] | None = None, *,
               level: float = 0.95, rules: DisclosureRules | None = None, adjust: str = "bonferroni",
               rank_method: str = "joint", share_ci: str = "logit",
               select: list[str] | None = None, progress: bool = False) -> pd.DataFrame:
    """Every indicator declared in the questionnaire, for every council and the consortium, in one tidy table.

    Parameters
    ----------
    design, questionnaire
        One wave: a (usually calibrated) design and the questionnaire version its returns used.
    by
        Column(s) whose domains are the areas, normally ``"council"``.
    waves
        Several waves instead: ``{label: (design, questionnaire), ...}`` in time order. Changes
        between consecutive waves are tested where the questionnaire diff allows.
    level
        Confidence level of every interval and test.
    rules
        Disclosure rules (default: suppress below 30 respondents, caution 30-49).
    adjust
        Multiple-comparison adjustment across councils: ``"bonferroni"`` (default), ``"holm"``, ``"bh"``,
        ``"none"``. Bonferroni and none are single-step rules, so the funnel's limits draw exactly the
        table's verdicts; Holm and BH call every council outside the (Bonferroni) limits different,
        and possibly others inside them.
    rank_method
        Rank intervals: ``"joint"``, ``"marginal"`` or ``"simulation"`` (see ``RANK_METHODS``).
    share_ci
        Interval for shares (any of ``PROPORTION_CI_METHODS``; default logit).
    select
        Indicator ids to include (default all).
    progress
        Show a progress bar (tqdm) over waves and indicators.

    Returns
    -------
    pandas.DataFrame
        The columns of ``COLUMNS``. ``attrs`` has ``level``, ``thresholds`` (the disclosure
        rules), ``notices`` (copyright lines to print with WEMWBS/SWEMWBS results), ``adjust``
        and ``rank_method``.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.demo import demo_design
    >>> table = rs.indicators(demo_design(), rs.load_questionnaire("core-v1"), select=["satisfied_area"])
    >>> table["area"].tolist()[-2:]
    ['All councils', 'Average council']
    """
    by_names = [by] if isinstance(by, str) else list(by)
    rules = rules or DisclosureRules()
    listed = _waves(design, questionnaire, waves)
    tables, notices, sds = [], [], {}
    chosen = {}
    for wave in listed:
        declared = [i.id for i in wave.questionnaire.indicators]
        chosen[wave.label] = declared if select is None else [i for i in select if i in declared]
    bar = progress_bar(total=sum(map(len, chosen.values())), desc="indicators", unit="indicator", enabled=progress)
    for wave in listed:
        ids = chosen[wave.label]
        values = indicator_values(wave.design.data, wave.questionnaire, ids)
        notices += [n for n in values.attrs.get("notices", []) if n not in notices]
        enriched = wave.design.with_columns(values)
        rows = []
        for i in ids:
            block, sd = _indicator_rows(wave, enriched, wave.questionnaire.indicator(i), by_names, level=level,
                                        share_ci=share_ci)
            rows.append(block)
            sds[f"{wave.label}|{i}"] = sd
            bar.update()
        if rows:
            tables.append(_finish_wave(pd.concat(rows, ignore_index=True), level=level, rules=rules, adjust=adjust,
                                       rank_method=rank_method,
                                       sds={i: sds[f"{wave.label}|{i}"] for i in ids}))
    bar.close()
    if not tables:
        raise DesignError("no indicators to estimate: the questionnaire declares none, or select= names none of them.")
    table = _changes(pd.concat(tables, ignore_index=True), listed, by_names, level=level, share_ci=share_ci)
    table = table[list(COLUMNS)]
    table.attrs.update({"level": level, "thresholds": rules.as_dict(), "notices": notices, "adjust": adjust,
                        "rank_method": rank_method, "share_ci": share_ci, "by": by_names, "funnel_sd": sds})
    return table


def indicator_funnel_limits(table: pd.DataFrame, *, points: int = 60) -> pd.DataFrame:
    """Funnel control limits for every indicator and wave of an :func:`indicators` table, for plotting.

    The limits are those the table's ``funnel`` column was judged by: at the table's level and
    99.8%, Bonferroni-adjusted for the published councils (unless the table was made with
    ``adjust="none"``), on the equivalent sizes of ``funnel_n``. A council's point
    (``funnel_n``, ``estimate``) lies outside the inner limits exactly when the table calls it
    higher or lower than all councils (with ``adjust="bonferroni"`` or ``"none"``).

    Returns
    -------
    pandas.DataFrame
        ``indicator``, ``wave``, ``n`` (a grid of equivalent sample sizes spanning the councils'),
        ``lower95``, ``upper95`` (at the table's level), ``lower998``, ``upper998``.
    """
    sds = table.attrs.get("funnel_sd", {})
    adjust = table.attrs.get("adjust", "bonferroni")
    parts = []
    for (wave, indicator), rows in table.groupby(["wave", "indicator"], sort=False):
        statistic = rows["statistic"].iloc[0]
        sd = sds.get(f"{wave}|{indicator}") if statistic == "mean" else None
        centre = rows["funnel_centre"].iloc[0]
        councils = rows[(rows["area_type"] == "council") & (rows["flag"] != "suppressed")]
        sizes = councils["funnel_n"].replace([np.inf, -np.inf], np.nan).dropna()
        if not np.isfinite(centre) or sizes.empty or (statistic == "mean" and not (sd or 0) > 0):
            continue
        grid = np.geomspace(max(10.0, sizes.min() / 2), sizes.max() * 2, points)
        limits = funnel_limits(centre, grid, statistic=statistic, sd=sd, level=float(rows["level"].iloc[0]),
                               comparisons=funnel_comparisons(adjust, len(councils)))
        parts.append(limits.assign(indicator=indicator, wave=wave))
    columns = ["indicator", "wave", "n", "lower95", "upper95", "lower998", "upper998"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def pairwise_differences(table: pd.DataFrame, *, adjust: str = "holm", level: float | None = None) -> pd.DataFrame:
    """Every pair of published councils, for every indicator and wave of an :func:`indicators` table.

    The difference a - b has standard error :math:`\\sqrt{se_a^2 + se_b^2}` (councils are sampled
    and weighted separately, so their estimates are independent); p-values are two-sided normal
    and adjusted within each indicator and wave (``adjust``: ``"holm"``, ``"bh"``,
    ``"bonferroni"`` or ``"none"``). Suppressed councils are left out. For two domains of one
    design that share strata, use :meth:`SurveyDesign.difference`, which uses their covariance.

    Returns
    -------
    pandas.DataFrame
        ``wave``, ``indicator``, ``area_a``, ``area_b``, ``estimate_a``, ``estimate_b``,
        ``difference``, ``se``, ``p_value``, ``p_adjusted``, ``verdict`` (``"a higher"``,
        ``"b higher"`` or ``"no significant difference"``).

    Examples
    --------
    >>> import residentsurvey as rs
    >>> from residentsurvey.demo import demo_design
    >>> table = rs.indicators(demo_design(), rs.load_questionnaire("core-v1"), select=["satisfied_area"])
    >>> len(pairwise_differences(table))   # 5 councils: 10 pairs
    10
    """
    from scipy import stats
    level = table.attrs.get("level", 0.95) if level is None else level
    published = table[(table["area_type"] == "council") & (table["flag"] != "suppressed")]
    parts = []
    for (wave, indicator), rows in published.groupby(["wave", "indicator"], sort=False):
        a, b = np.triu_indices(len(rows), k=1)
        estimate, se, area = rows["estimate"].to_numpy(), rows["se"].to_numpy(), rows["area"].to_numpy()
        difference = estimate[a] - estimate[b]
        spread = np.hypot(se[a], se[b])
        with np.errstate(divide="ignore", invalid="ignore"):
            p = 2 * stats.norm.sf(np.abs(difference / spread))
        adjusted = adjust_p_values(p, adjust)
        parts.append(pd.DataFrame({
            "wave": wave, "indicator": indicator, "area_a": area[a], "area_b": area[b],
            "estimate_a": estimate[a], "estimate_b": estimate[b], "difference": difference, "se": spread,
            "p_value": p, "p_adjusted": adjusted,
            "verdict": np.where(adjusted < 1 - level, np.where(difference > 0, "a higher", "b higher"),
                                "no significant difference"),
        }))
    columns = ["wave", "indicator", "area_a", "area_b", "estimate_a", "estimate_b", "difference", "se", "p_value",
               "p_adjusted", "verdict"]
    result = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    result.attrs.update({"adjust": adjust, "level": level})
    return result
