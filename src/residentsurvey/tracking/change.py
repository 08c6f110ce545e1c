"""Change between windows that allows for shared respondents, with signals and minimum detectable change.

For windows *A* and *B* with linearised scores :math:`u^{(A)}` and :math:`u^{(B)}` (zero outside
each window; calibration residuals when a window was calibrated), the change
:math:`\\hat\\theta_B - \\hat\\theta_A` has variance

.. math::  V(\\hat\\theta_B - \\hat\\theta_A) = V\\Big(\\sum_i u_i^{(B)} - \\sum_i u_i^{(A)}\\Big)
           = v_A + v_B - 2\\,c_{AB},

the design variance (:func:`residentsurvey.analysis.variance.domain_variance`) of the total of
the score difference over the pooled respondents, each keeping its strata and PSUs. Respondents
in both windows make :math:`c_{AB}` positive; for windows sharing no period (independent
samples) :math:`c_{AB} = 0` and the standard error is :math:`\\sqrt{v_A + v_B}`.

With replicate weights (``rs.rolling(..., replicates="jkn")``) the variance is R's ``svrVar`` of
:math:`\\hat\\theta_B^{(r)} - \\hat\\theta_A^{(r)}` over the replicates *r* of the pooled design,
every window re-weighted in every replicate; shared respondents move together in both windows.

Signals
-------
Each pair of windows is one family: the p-values of every council and indicator compared
between the same two windows are adjusted together (``adjust=``, Holm by default, from
``analysis.multiplicity``). ``signal`` is ``up`` / ``down`` where the adjusted p-value is below
``1 - level``, else ``no significant change``; where a questionnaire change separates the
windows it is ``not comparable`` and nothing is tested (``not tested`` where a window has no
estimate: not asked, or suppressed).

Minimum detectable change
-------------------------
``mdc`` is the smallest true change the comparison would flag with probability ``power``:

.. math::  \\mathrm{MDC} = (z_{1 - \\alpha / (2m)} + z_{\\text{power}}) \\cdot \\mathrm{SE}(\\hat\\theta_B - \\hat\\theta_A)

with :math:`\\alpha = 1 - \\text{level}` and *m* the number of tests in the family (Bonferroni;
Holm and BH flag at least as much, so the MDC is on the safe side). With *m* = 1, level 0.95 and
power 0.8 the multiplier is 1.96 + 0.84 = 2.80.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from ..analysis.intervals import check_level
from ..analysis.multiplicity import adjust_p_values
from ..errors import DesignError
from ._table import Blocks
from .windows import window_pairs

if TYPE_CHECKING:
    from .rolling import Tracker

#: Columns of the table :func:`changes` returns.
CHANGE_COLUMNS = (
    "indicator", "label", "statistic", "polarity", "area", "area_type", "window_a", "window_b", "shared_periods",
    "estimate_a", "estimate_b", "change", "se", "ci_lower", "ci_upper", "p_value", "p_adjusted", "signal", "mdc",
    "comparability",
)


def minimum_detectable_change(se: np.ndarray | float, *, level: float = 0.95, power: float = 0.8,
                              tests: int = 1) -> np.ndarray:
    """The smallest true change detected with probability ``power`` at ``level``, Bonferroni over ``tests``.

    ``(z_{1-alpha/(2 tests)} + z_power) * se``; see the module notes.

    Examples
    --------
    >>> round(float(minimum_detectable_change(0.02)), 4)
    0.056
    >>> round(float(minimum_detectable_change(0.02, tests=10)), 4)
    0.073
    """
    level = check_level(level)
    if not 0 < power < 1:
        raise DesignError(f"power must be between 0 and 1 (e.g. 0.8); got {power!r}.")
    if isinstance(tests, bool) or not isinstance(tests, (int, np.integer)) or tests < 1:
        raise DesignError(f"tests must be a whole number, at least 1; got {tests!r}.")
    alpha = (1 - level) / tests
    return (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * np.asarray(se, dtype=float)


def change_variance(tracker: "Tracker", indicator: str, a: int, b: int) -> np.ndarray:
    """Variance of (window b - window a) for each area (councils, then All councils) on the pooled respondents.

    Linearisation or replicate weights, as the tracker was built; see the module notes.
    """
    first, second = tracker._scores[(indicator, a)], tracker._scores[(indicator, b)]
    return second.change_variance(first, tracker._structure, len(tracker.areas) + 1)


def changes(tracker: "Tracker", *, pairs="previous", adjust: str = "holm", power: float = 0.8,
            level: float | None = None) -> pd.DataFrame:
    """Change between pairs of windows for every indicator and area, with signal and minimum detectable change.

    Parameters
    ----------
    tracker
        From :func:`residentsurvey.rolling`.
    pairs
        ``"previous"`` (default: each window against the latest earlier one sharing no period),
        ``"consecutive"`` (overlapping neighbours), ``"all"``, or a list of
        (earlier window label, later window label).
    adjust
        Multiplicity adjustment across councils and indicators within each pair of windows:
        ``"holm"``, ``"bonferroni"``, ``"bh"`` or ``"none"``.
    power
        Power for the minimum detectable change.
    level
        Defaults to the tracker's level.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHANGE_COLUMNS`; ``change`` is window b minus window a.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> tracker = rs.rolling(rs.demo_tracking(), ["ons_life_satisfaction"], window=1,
    ...                      design=rs.DEMO_TRACKING_DESIGN)
    >>> table = tracker.changes()
    >>> table[["window_a", "window_b"]].drop_duplicates().values.tolist()
    [['2025Q1', '2025Q2'], ['2025Q2', '2025Q3'], ['2025Q3', '2025Q4']]
    """
    level = tracker.level if level is None else check_level(level)
    adjust_p_values([], adjust)
    chosen = window_pairs(tracker.windows, pairs)
    if not chosen:
        raise DesignError(f"pairs={pairs!r} gives no pair of windows among {len(tracker.windows)}; "
                          "use pairs='consecutive' or a shorter window.")
    table = tracker.table
    where = table.groupby(["window", "indicator"], sort=False).indices
    estimate, segment = table["estimate"].to_numpy(float), table["segment"].to_numpy()
    comparability = table["comparability"].to_numpy(object)
    area, area_type = table["area"].to_numpy(object), table["area_type"].to_numpy(object)
    z = stats.norm.ppf(0.5 + level / 2)
    blocks = []
    for a, b in chosen:
        wa, wb = tracker.windows[a], tracker.windows[b]
        family = Blocks()
        for s in tracker.series:
            rows_a, rows_b = where[(wa.label, s.id)], where[(wb.label, s.id)]
            est_a, est_b = estimate[rows_a], estimate[rows_b]
            seg_a, seg_b = segment[rows_a[0]], segment[rows_b[0]]
            if seg_a == seg_b and seg_a >= 0:
                se = np.sqrt(change_variance(tracker, s.id, a, b))
                why = "comparable"
            else:
                se = np.full(len(est_a), np.nan)
                why = comparability[rows_b[0]] if seg_b < 0 else comparability[rows_a[0]]
                if seg_a >= 0 and seg_b >= 0:
                    why = "not comparable (" + "; ".join(f"{n}: {r}" for n, r in s.breaks) + ")"
            change = est_b - est_a
            with np.errstate(divide="ignore", invalid="ignore"):
                p = 2 * stats.norm.sf(np.abs(change / se))
            family.add(len(change), indicator=s.id, label=s.label, statistic=s.statistic, polarity=s.polarity,
                       area=area[rows_b], area_type=area_type[rows_b], window_a=wa.label, window_b=wb.label,
                       shared_periods=wa.overlap(wb), estimate_a=est_a, estimate_b=est_b, change=change, se=se,
                       ci_lower=change - z * se, ci_upper=change + z * se, p_value=p, comparability=why)
        block = family.frame()
        p_adjusted = adjust_p_values(block["p_value"].to_numpy(), adjust)
        block["p_adjusted"] = p_adjusted
        tested = ~np.isnan(p_adjusted)
        significant = tested & (p_adjusted < 1 - level)
        broken = block["comparability"].str.startswith("not comparable").to_numpy()
        block["signal"] = np.where(~tested, np.where(broken, "not comparable", "not tested"),
                                   np.where(significant, np.where(block["change"] > 0, "up", "down"),
                                            "no significant change"))
        tests = max(int(tested.sum()), 1)
        block["mdc"] = minimum_detectable_change(block["se"].to_numpy(), level=level, power=power, tests=tests)
        blocks.append(block)
    return pd.concat(blocks, ignore_index=True)[list(CHANGE_COLUMNS)]
