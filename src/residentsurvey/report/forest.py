"""Forest plot: every council's estimate with its confidence interval, against the consortium."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._format import interval_text, is_blank, rank_text, unit_text, value_text
from ._registry import AVERAGE, CONSORTIUM, STATISTICS
from ._style import GREY, HIGHLIGHT, INK, LIGHT, SMALL_SIZE, TEXT_SIZE, finish, flag_marker, new_figure
from ._table import (ReportMeta, confidence_level, pick_indicator, pick_wave, prepare_indicator_table,
                     select_notices, suppressed_text)
from ._web import area_id
from ._words import judgement, rank_one

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["forest_plot", "draw_forest"]

_VERDICT_WORDS = {"higher": "higher than all councils", "lower": "lower than all councils"}
_FLAG_WORDS = {"caution": "caution: small base", "low_reliability": "low reliability"}


def forest_plot(table: pd.DataFrame, indicator: str, *, wave: int | None = None,
                highlight: str | None = None) -> "Figure":
    """Councils' estimates with confidence intervals, ordered by estimate (best first), against the consortium.

    Councils run from the highest estimate down, or from the lowest up where the indicator's
    ``polarity`` is ``lower_is_better``, so the first row holds rank 1 (the best); the comparison
    with all councils says "better" or "worse" where the indicator has a direction.
    Each council is one row: a marker at the estimate and a line across its confidence interval,
    with the council's rank interval and unweighted base in its label and the estimate, interval
    and comparison with all councils written at the right. Suppressed councils keep their row, as a
    labelled gap; caution and low-reliability estimates get hollow markers and say so in words.
    Vertical lines mark "All councils" (dashed) and "Average council" (dotted).

    Parameters
    ----------
    table
        The indicator table (one row per wave x indicator x area).
    indicator
        The indicator id to plot.
    wave
        The wave to plot (default: the latest wave holding the indicator).
    highlight
        A council whose row is drawn in bold, for that council's own report page.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from residentsurvey.report._example import example_table
    >>> figure = forest_plot(example_table(), "swemwbs", wave=2)
    >>> [tick.get_text().splitlines() for tick in figure.axes[0].get_yticklabels()][-1]
    ['Eastmere', 'not published']
    >>> figure.axes[0].get_xlabel()
    'Mean score (7-35) (estimate and 95% confidence interval)'
    """
    checked, meta = prepare_indicator_table(table)
    return draw_forest(checked, meta, indicator, wave=wave, highlight=highlight)


def draw_forest(table: pd.DataFrame, meta: ReportMeta, indicator: str, *, wave: int | None = None,
                highlight: str | None = None, web: bool = False) -> "Figure":
    """:func:`forest_plot` of an already checked table (:func:`prepare_indicator_table`).

    With ``web=True`` every council's row is tagged for the HTML report (ids ``hl_<area>``, a
    highlight band hidden until a page's style shows it, and ``em_<area>_<k>`` on its label, interval and
    text), so one drawing serves the consortium page and, restyled, every council's page.
    """
    rows, wave = pick_wave(pick_indicator(table, indicator), wave)
    first = rows.iloc[0]
    style = STATISTICS[first["statistic"]]
    level = confidence_level(rows, meta.level)
    councils = rows[rows["area_type"] == "council"]
    lowest_first = first["polarity"] == "lower_is_better"  # best first, as rank 1 is the best
    shown = councils[councils["flag"] != "suppressed"].sort_values(["estimate", "area"], ascending=[lowest_first, True])
    hidden = councils[councils["flag"] == "suppressed"].sort_values("area")
    ordered = pd.concat([shown, hidden])
    count = len(shown)

    figure, ax = new_figure(9.0, 1.9 + 0.62 * max(len(ordered), 2))
    y = np.arange(len(ordered))
    thresholds = meta.thresholds
    labels = []
    for k, row in enumerate(ordered.itertuples(index=False)):
        bold = row.area == highlight
        weight = "bold" if bold else "normal"
        tag = area_id(row.area)
        if web or bold:
            band = ax.axhspan(k - 0.45, k + 0.45, facecolor=HIGHLIGHT, edgecolor="none", zorder=0)
            band.set_gid(f"hl_{tag}" if web else None)
        if row.flag == "suppressed":
            labels.append(f"{row.area}\nnot published")
            ax.axhspan(k - 0.32, k + 0.32, color=LIGHT, alpha=0.5, hatch="///", linewidth=0, fill=False)
            ax.text(0.5, k, suppressed_text(row._asdict(), thresholds), transform=ax.get_yaxis_transform(),
                    ha="center", va="center", fontsize=TEXT_SIZE, style="italic", color=GREY,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
            continue
        ranks = rank_text(row.rank_lower, row.rank_upper, count)
        labels.append(f"{row.area}\n" + ", ".join(p for p in (f"ranks {ranks}" if ranks else "",
                                                               f"n = {int(row.n):,}") if p))
        lo, hi = row.ci_lower * style.scale, row.ci_upper * style.scale
        line = ax.plot([lo, hi], [k, k], color=INK, linewidth=2.6 if bold else 1.8, solid_capstyle="butt")[0]
        line.set_gid(f"em_{tag}_ci" if web else None)
        ax.plot([lo, lo], [k - 0.15, k + 0.15], color=INK, linewidth=1.2)
        ax.plot([hi, hi], [k - 0.15, k + 0.15], color=INK, linewidth=1.2)
        ax.plot([row.estimate * style.scale], [k], linestyle="none", zorder=3,
                **flag_marker(row.flag) | ({"markersize": 9} if bold else {}))
        better = judgement(row.vs_consortium_verdict, row.polarity)
        verdict = _VERDICT_WORDS.get(row.vs_consortium_verdict, "")
        note = ", ".join(w for w in (verdict + (f" ({better})" if verdict and better else ""),
                                     _FLAG_WORDS.get(row.flag, "")) if w)
        text = f"{value_text(row.estimate, row.statistic)} ({interval_text(row.ci_lower, row.ci_upper, row.statistic, sep='–')})"
        ax.text(1.01, k, text + (f"\n{note}" if note else ""), transform=ax.get_yaxis_transform(), ha="left",
                va="center", fontsize=SMALL_SIZE + 0.5, fontweight=weight, clip_on=False,
                gid=f"em_{area_id(row.area)}_text" if web else None)

    handles = []
    for area_type, linestyle in ((CONSORTIUM, "--"), (AVERAGE, ":")):
        line = rows[rows["area_type"] == area_type]
        if len(line) and not is_blank(line["estimate"].iloc[0]):
            value = float(line["estimate"].iloc[0])
            handles.append(ax.axvline(value * style.scale, color="black", linestyle=linestyle, linewidth=1.2,
                                      label=f"{line['area'].iloc[0]}: {value_text(value, first['statistic'])}",
                                      zorder=1))
    present = set(ordered["flag"])
    for flag, words in (("ok", "estimate"), ("caution", "caution: small base"),
                        ("low_reliability", "low reliability")):
        if flag in present:
            handles.append(ax.plot([], [], linestyle="none", label=words, **flag_marker(flag))[0])
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(handles),
              fontsize=SMALL_SIZE, frameon=False, borderaxespad=0.3, handletextpad=0.4, columnspacing=1.2)

    ax.set_yticks(y, labels, fontsize=TEXT_SIZE - 0.5)
    for tick, area in zip(ax.get_yticklabels(), ordered["area"]):
        if area == highlight:
            tick.set_fontweight("bold")
        if web:
            tick.set_gid(f"em_{area_id(area)}_label")
    ax.set_ylim(len(ordered) - 0.5, -0.5)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"{unit_text(first['statistic'], first['unit'])} (estimate and {level:.0%} confidence interval)",
                  fontsize=TEXT_SIZE)
    best = rank_one(first["polarity"])
    subtitle = (f"Wave {wave} ({first['questionnaire']}). Councils ordered by estimate"
                + (", best first" if best == "best" else "") + "; the rank interval is the "
                f"range of ranks each council could hold given the uncertainty (rank 1 = {best}"
                + {"higher_is_better": ", the highest", "lower_is_better": ", the lowest"}.get(first["polarity"], "")
                + ").")
    finish(figure, str(first["label"]), subtitle, select_notices(meta.notices, table, indicator))
    return figure
