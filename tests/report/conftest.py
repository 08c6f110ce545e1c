"""A realistic indicator table, band table and funnel limits for the report layer's tests.

Built here, by hand, so the report tests depend on nothing but the input contract: 5 councils x 2
waves x 4 indicators plus the two consortium rows, with suppressed, caution and low-reliability
rows, blank comparisons on consortium rows and in wave 1, a question whose wording changed between
waves (change "not comparable") and a SWEMWBS indicator that carries its copyright notice.
The numbers are made up; the formulas are only there to make them hang together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

SWEMWBS_NOTICE = ("Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of "
                  "Warwick and University of Edinburgh, 2008, all rights reserved.")
COUNCILS = ("Northbridge", "Eastmere", "Southwold Vale", "Westhaven", "Middleton Cross")
POPULATION = np.array([248_000, 62_000, 84_000, 103_000, 141_000])
BASE = np.array([610, 180, 240, 300, 420])
# indicator: (label, statistic, unit, council values, sd for means, share of the sample asked)
INDICATORS = {
    "satisfied_area": ("% satisfied with the local area as a place to live", "share", "%",
                       [0.74, 0.81, 0.84, 0.77, 0.70], None, 1.0),
    "safe_after_dark": ("% who feel safe outside after dark", "share", "%",
                        [0.62, 0.71, 0.75, 0.66, 0.58], None, 1.0),
    "life_satisfaction": ("Mean life satisfaction (ONS, 0-10)", "mean", "0-10",
                          [7.31, 7.52, 7.60, 7.41, 7.22], 2.0, 1.0),
    "swemwbs": ("Mean mental wellbeing score (SWEMWBS, 7-35)", "mean", "7-35",
                [23.6, 24.1, 24.4, 23.9, 23.1], 4.4, 0.16),
}
# (wave, indicator, council) -> unweighted base, to place the flagged rows
SPECIAL_BASES = {(1, "swemwbs", "Southwold Vale"): 28, (2, "swemwbs", "Eastmere"): 24,
                 (1, "swemwbs", "Eastmere"): 41, (2, "swemwbs", "Southwold Vale"): 46}
LOW_RELIABILITY = {(1, "satisfied_area", "Eastmere")}
DEFF = 1.35
Z95, Z998 = stats.norm.ppf(0.975), stats.norm.ppf(0.999)


def _flag(n: int, wave: int, indicator: str, area: str, half_width: float, statistic: str) -> tuple[str, str]:
    if n < 30:
        return "suppressed", f"unweighted base {n} is below 30"
    if n < 50:
        return "caution", f"unweighted base {n}: treat with caution (30-49)"
    if (wave, indicator, area) in LOW_RELIABILITY:
        return "low_reliability", f"CI half-width {half_width * 100:.1f} points exceeds 10"
    return "ok", ""


def _rows_for(wave: int, indicator: str, rng: np.random.Generator) -> list[dict]:
    label, statistic, unit, values, sd, asked = INDICATORS[indicator]
    if indicator == "safe_after_dark" and wave == 2:
        label = "% who feel safe walking alone in their area after dark"
    rows = []
    for k, area in enumerate(COUNCILS):
        n = SPECIAL_BASES.get((wave, indicator, area), int(BASE[k] * asked * (1.04 if wave == 2 else 1.0)))
        drift = 0.012 * (wave - 1) if statistic == "share" else 0.05 * (wave - 1)
        truth = values[k] + drift
        if statistic == "share":
            se = np.sqrt(DEFF * truth * (1 - truth) / n)
            estimate = float(np.clip(truth + rng.normal(0, se), 0.01, 0.99))
            se = float(np.sqrt(DEFF * estimate * (1 - estimate) / n))
        else:
            se = float(sd * np.sqrt(DEFF / n))
            estimate = float(truth + rng.normal(0, se))
        if (wave, indicator, area) in LOW_RELIABILITY:
            se = 0.057
        flag, reason = _flag(n, wave, indicator, area, Z95 * se, statistic)
        rows.append(dict(area=area, area_type="council", estimate=estimate, se=se, n=n, flag=flag,
                         flag_reason=reason, population=POPULATION[k]))
    councils = pd.DataFrame(rows)
    for area, area_type, weight in (("All councils", "consortium_population", councils["population"]),
                                    ("Average council", "consortium_average", pd.Series(1.0, index=councils.index))):
        share = weight / weight.sum()
        estimate = float((share * councils["estimate"]).sum())
        se = float(np.sqrt((share ** 2 * councils["se"] ** 2).sum()))
        rows.append(dict(area=area, area_type=area_type, estimate=estimate, se=se, n=int(councils["n"].sum()),
                         flag="ok", flag_reason="", population=np.nan))
    frame = pd.DataFrame(rows)
    frame.insert(0, "wave", wave)
    frame.insert(1, "questionnaire", f"core-v{wave}")
    frame.insert(2, "indicator", indicator)
    frame.insert(3, "label", label)
    frame.insert(4, "statistic", statistic)
    frame.insert(5, "unit", unit)
    frame["ci_lower"] = frame["estimate"] - Z95 * frame["se"]
    frame["ci_upper"] = frame["estimate"] + Z95 * frame["se"]
    frame["level"] = 0.95
    frame["n_effective"] = frame["n"] / DEFF
    frame["deff"] = DEFF
    return frame.drop(columns="population").to_dict("records")


def _compare(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for column in ("vs_consortium", "vs_consortium_se", "vs_consortium_p", "vs_consortium_p_adjusted", "change",
                   "change_se", "change_p", "rank", "rank_lower", "rank_upper", "funnel_centre"):
        table[column] = np.nan
    for column in ("vs_consortium_verdict", "change_verdict", "funnel"):
        table[column] = ""
    for (wave, indicator), rows in table.groupby(["wave", "indicator"], sort=False):
        consortium = rows[rows["area_type"] == "consortium_population"].iloc[0]
        councils = rows[(rows["area_type"] == "council") & (rows["flag"] != "suppressed")]
        diff = councils["estimate"] - consortium["estimate"]
        se = np.sqrt(np.maximum(councils["se"] ** 2 - consortium["se"] ** 2, 1e-12))
        p = pd.Series(2 * stats.norm.sf(np.abs(diff / se)), index=councils.index)
        order = np.argsort(p.to_numpy())
        adjusted = np.empty(len(p))
        running = 0.0
        for position, i in enumerate(order):
            running = max(running, min(1.0, (len(p) - position) * p.iloc[i]))
            adjusted[i] = running
        idx = councils.index
        table.loc[idx, "vs_consortium"] = diff
        table.loc[idx, "vs_consortium_se"] = se
        table.loc[idx, "vs_consortium_p"] = p
        table.loc[idx, "vs_consortium_p_adjusted"] = adjusted
        table.loc[idx, "vs_consortium_verdict"] = np.where(adjusted >= 0.05, "no significant difference",
                                                           np.where(diff > 0, "higher", "lower"))
        estimate, lower, upper = (councils[c].to_numpy() for c in ("estimate", "ci_lower", "ci_upper"))
        table.loc[idx, "rank"] = stats.rankdata(-estimate, method="min")
        table.loc[idx, "rank_lower"] = [1 + int((lower > hi).sum()) for hi in upper]
        table.loc[idx, "rank_upper"] = [len(estimate) - int((upper < lo).sum()) for lo in lower]
        table.loc[idx, "funnel_centre"] = consortium["estimate"]
        z = diff / np.sqrt(consortium["estimate"] * (1 - consortium["estimate"]) / councils["n"]
                           if rows["statistic"].iloc[0] == "share"
                           else INDICATORS[indicator][4] ** 2 / councils["n"])
        table.loc[idx, "funnel"] = np.select([z > Z998, z > Z95, z < -Z998, z < -Z95],
                                             ["above 99.8%", "above 95%", "below 99.8%", "below 95%"], "within")
        if wave > 1:
            before = table[(table["wave"] == wave - 1) & (table["indicator"] == indicator)].set_index("area")
            if indicator == "safe_after_dark":
                table.loc[idx, "change_verdict"] = "not comparable"
                continue
            previous = before.loc[councils["area"]]
            ok = previous["flag"].to_numpy() != "suppressed"
            change = councils["estimate"].to_numpy() - previous["estimate"].to_numpy()
            change_se = np.sqrt(councils["se"].to_numpy() ** 2 + previous["se"].to_numpy() ** 2)
            change_p = 2 * stats.norm.sf(np.abs(change / change_se))
            table.loc[idx[ok], "change"] = change[ok]
            table.loc[idx[ok], "change_se"] = change_se[ok]
            table.loc[idx[ok], "change_p"] = change_p[ok]
            table.loc[idx[ok], "change_verdict"] = np.where(change_p[ok] >= 0.05, "no significant change",
                                                            np.where(change[ok] > 0, "up", "down"))
    table["rank"] = table["rank"].astype("Int64")
    return table


def build_table(seed: int = 7) -> pd.DataFrame:
    """The indicator table: 2 waves x 4 indicators x (5 councils + 2 consortium rows) = 56 rows."""
    rng = np.random.default_rng(seed)
    rows = [row for wave in (1, 2) for indicator in INDICATORS for row in _rows_for(wave, indicator, rng)]
    table = _compare(pd.DataFrame(rows))
    table.loc[table["flag"] == "suppressed", ["estimate", "se", "ci_lower", "ci_upper"]] = np.nan
    table.attrs.update({"notices": [SWEMWBS_NOTICE], "level": 0.95, "title": "Five Councils Residents' Survey",
                        "thresholds": {"suppress_below": 30, "caution_below": 50, "max_ci_half_width": 0.10}})
    return table


def build_limits(table: pd.DataFrame) -> pd.DataFrame:
    """Funnel limits p0 ± z·sqrt(p0(1-p0)/n) (shares) or m0 ± z·sd/sqrt(n) (means) on a grid of bases."""
    grid = np.unique(np.round(np.geomspace(20, 1000, 60)).astype(int))
    frames = []
    for (wave, indicator), rows in table[table["area_type"] == "consortium_population"].groupby(["wave", "indicator"]):
        centre = rows["estimate"].iloc[0]
        spread = (np.sqrt(centre * (1 - centre) / grid) if INDICATORS[indicator][1] == "share"
                  else INDICATORS[indicator][4] / np.sqrt(grid))
        frames.append(pd.DataFrame({"indicator": indicator, "wave": wave, "n": grid,
                                    "lower95": centre - Z95 * spread, "upper95": centre + Z95 * spread,
                                    "lower998": centre - Z998 * spread, "upper998": centre + Z998 * spread}))
    return pd.concat(frames, ignore_index=True)


def build_bands(table: pd.DataFrame) -> pd.DataFrame:
    """ONS4 life-satisfaction bands (Low 0-4, Medium 5-6, High 7-8, Very high 9-10) for every area and wave."""
    categories = ["Low (0-4)", "Medium (5-6)", "High (7-8)", "Very high (9-10)"]
    rows = []
    life = table[table["indicator"] == "life_satisfaction"]
    for record in life.itertuples(index=False):
        shift = (record.estimate - 7.4) * 0.25
        shares = np.array([0.06 - shift / 3, 0.15 - shift / 2, 0.51, 0.28 + shift])
        shares = np.clip(shares, 0.01, None)
        shares = shares / shares.sum()
        for category, share in zip(categories, shares):
            se = np.sqrt(DEFF * share * (1 - share) / record.n)
            rows.append(dict(wave=record.wave, indicator="life_satisfaction", label=record.label, area=record.area,
                             category=category, estimate=share, ci_lower=share - Z95 * se,
                             ci_upper=share + Z95 * se, n=record.n, flag=record.flag))
    bands = pd.DataFrame(rows)
    # Eastmere's wave-2 band question went to a random subsample of 24: suppressed.
    bands.loc[(bands["wave"] == 2) & (bands["area"] == "Eastmere"), ["flag", "estimate", "ci_lower", "ci_upper", "n"]] = \
        ["suppressed", np.nan, np.nan, np.nan, 24]
    bands["category"] = pd.Categorical(bands["category"], categories=categories, ordered=True)
    return bands


@pytest.fixture()
def table() -> pd.DataFrame:
    return build_table()


@pytest.fixture()
def limits(table: pd.DataFrame) -> pd.DataFrame:
    return build_limits(table)


@pytest.fixture()
def bands(table: pd.DataFrame) -> pd.DataFrame:
    return build_bands(table)
