"""Rolling estimates: every indicator for every window of consecutive periods, each window weighted on its own.

``rs.rolling`` pools the returns of each window (say the last four quarters), re-weights the
window to the population with the ``weighting=`` function (so the existing calibration is
reused, e.g. ``lambda d: d.calibrate(targets, by="council")``), and estimates every indicator
for every council and for *All councils* with intervals, bases and disclosure flags as in
``rs.indicators``.

The design of continuous fieldwork
----------------------------------
Each period's fieldwork is taken as a sample of its own: the strata of the first stage are
crossed with the period (stratum *h* in period *q* is stratum *(h, q)*, PSU labels nested within
it). A window's design is then the union of its periods' samples, and a respondent keeps the
same stratum and PSU in every window that contains them.

Why a tracker keeps scores
--------------------------
Rolling windows overlap, so a change between two windows needs the covariance of the shared
respondents. The tracker keeps each window estimate's linearised scores (calibration
residuals when the window was calibrated; see :mod:`residentsurvey.analysis.calibrated`) on a
*stacked* layout, one row per (respondent, window), with each row's strata and PSUs kept, so
that :func:`residentsurvey.tracking.change.changes` can take the design variance of
:math:`\\sum u^{(A)} - \\sum u^{(B)}` on the pooled respondents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis._columns import require_columns
from ..analysis.calibrated import residuals
from ..analysis.design import SurveyDesign
from ..analysis.disclosure import DisclosureRules, apply_disclosure
from ..analysis.estimators import _context, _intervals, _ratio_parts
from ..analysis.indicators import ALL_COUNCILS
from ..analysis.intervals import MEAN_CI_METHODS, PROPORTION_CI_METHODS, check_level, lookup
from ..analysis._structure import Structure
from ..analysis.replicate_design import ReplicateDesign
from ..analysis.replicate_variance import svr_variance
from ..analysis.variance import domain_variance, plan_variance
from ..errors import DesignError
from ._table import Blocks
from ._values import IndicatorSeries, indicator_series
from .periods import periods as assign_periods
from .periods import questionnaire_versions
from .windows import Window, rolling_windows

#: Columns of :attr:`Tracker.table`, in order.
COLUMNS = (
    "window", "window_end", "periods", "indicator", "label", "statistic", "polarity", "area", "area_type",
    "estimate", "se", "ci_lower", "ci_upper", "level", "n", "flag", "flag_reason", "segment", "comparability",
)

_PERIOD_STRATUM = "_tracking_stratum"
_RESPONDENT = "_tracking_respondent"


@dataclass(frozen=True)
class _Scores:
    """Taylor route: one window estimate's scores on the stacked layout: stacked row, domain code, value."""

    rows: np.ndarray
    domain: np.ndarray
    values: np.ndarray

    def change_variance(self, earlier: "_Scores", structure: Structure, n_domains: int) -> np.ndarray:
        """Variance of (this window - ``earlier``) per domain: the design variance of the score difference."""
        rows = np.concatenate([earlier.rows, self.rows])
        domain = np.concatenate([earlier.domain, self.domain])
        values = np.concatenate([-earlier.values, self.values])
        return domain_variance(plan_variance(structure, domain, n_domains, rows=rows), values)


@dataclass(frozen=True)
class _Replicated:
    """Replicate route: one window's estimates per domain in every replicate (replicates x domains)."""

    thetas: np.ndarray
    estimate: np.ndarray
    replicates: object  # the pooled design's ReplicateWeights (scale, rscales, mse)

    def change_variance(self, earlier: "_Replicated", structure: Structure, n_domains: int) -> np.ndarray:
        """R's ``svrVar`` of the replicates' changes: shared respondents move together in every replicate."""
        rep = self.replicates
        return svr_variance(self.thetas - earlier.thetas, self.estimate - earlier.estimate, scale=rep.scale,
                            rscales=rep.rscales, mse=rep.mse)


@dataclass(frozen=True)
class Tracker:
    """Rolling estimates and what is needed to test change between their windows.

    Attributes
    ----------
    table
        One row per window, indicator and area (each council, then *All councils*); columns
        :data:`COLUMNS`. ``segment`` numbers the stretches of a series that a questionnaire
        change separates; ``comparability`` says why a window has no estimate (it straddles a
        change).
    windows
        The windows in time order.
    versions
        The questionnaire versions in force per period (``period``, ``questionnaire``, ``n``), or
        None when the returns carry no version column.
    areas
        The council (``by``) labels, in order; *All councils* is area code ``len(areas)``.
    by, level, freq
        As given.
    """

    table: pd.DataFrame
    windows: tuple[Window, ...]
    versions: pd.DataFrame | None
    areas: tuple[str, ...]
    by: str
    level: float
    freq: str
    series: tuple[IndicatorSeries, ...] = field(repr=False)
    _structure: Structure = field(repr=False)
    _scores: Mapping[tuple[str, int], "_Scores | _Replicated"] = field(repr=False)

    def __repr__(self) -> str:
        return (f"Tracker({len(self.windows)} windows {self.windows[0].label} to {self.windows[-1].label}, "
                f"{len(self.series)} indicators, {len(self.areas)} areas by {self.by!r}, level={self.level})")

    def changes(self, *, pairs="previous", adjust: str = "holm", power: float = 0.8,
                level: float | None = None) -> pd.DataFrame:
        """Change between windows; see :func:`residentsurvey.tracking.change.changes`."""
        from .change import changes
        return changes(self, pairs=pairs, adjust=adjust, power=power, level=level)


def _design_of(design_or_returns: object, design: Mapping[str, object] | None) -> SurveyDesign:
    if isinstance(design_or_returns, SurveyDesign):
        if design is not None:
            raise DesignError("design= describes the sample of plain returns; a SurveyDesign already has one.")
        return design_or_returns
    if isinstance(design_or_returns, pd.DataFrame):
        if design is None:
            raise DesignError("returns need design={'weights': ..., 'strata': ..., 'psu': ..., 'fpc': ...} "
                              "(the arguments of rs.SurveyDesign), or pass a SurveyDesign.")
        return SurveyDesign(design_or_returns, **dict(design))
    raise DesignError(f"rs.rolling takes a SurveyDesign or a returns DataFrame; got {type(design_or_returns).__name__}.")


def _tracking_data(base: SurveyDesign, by: str, date: str, freq: str) -> pd.DataFrame:
    data = base.data
    if date in data.columns or "period" not in data.columns:
        data = assign_periods(data, date=date, freq=freq)
    require_columns(data, [by], "by")
    missing = np.flatnonzero(data[by].isna().to_numpy())
    if len(missing):
        raise DesignError(f"column {by!r}, row {missing[0] + 1}: no {by} ({len(missing)} row(s)); every return "
                          "needs one to be tracked. Fill it in or remove those returns.")
    data = data.copy()
    spec = base.spec
    first = data[spec.strata[0]].astype(str) if spec.strata else pd.Series("", index=data.index)
    data[_PERIOD_STRATUM] = (first + "|" + data["period"].astype(str)).to_numpy()
    data[_RESPONDENT] = np.arange(len(data))
    if not isinstance(data[by].dtype, pd.CategoricalDtype):
        data[by] = pd.Categorical(data[by], categories=sorted(pd.unique(data[by])))
    data["_tracking_weight"] = base._weight_array
    return data


def _window_design(data: pd.DataFrame, spec, rows: np.ndarray, weighting,
                   pooled: ReplicateDesign | None = None) -> SurveyDesign | ReplicateDesign:
    """The design of one window's returns (strata crossed with period), re-weighted by ``weighting``.

    With ``pooled`` (the replicate design of all the returns) the window keeps its rows' replicate
    weights, so a respondent moves the same way in every window of a replicate.
    """
    strata = [_PERIOD_STRATUM, *spec.strata[1:]]
    psu = list(spec.psu) or [_RESPONDENT]
    if pooled is None:
        window = SurveyDesign(data.iloc[rows], weights="_tracking_weight", strata=strata, psu=psu,
                              fpc=list(spec.fpc), nest=True, lonely_psu=spec.lonely_psu)
    else:
        shared = pooled.replicate_weights.iloc[rows].add_prefix("_tracking_rep_")
        rep = pooled._replicates
        window = ReplicateDesign(data.iloc[rows].join(shared.set_axis(data.index[rows])), weights="_tracking_weight",
                                 replicate_weights=list(shared.columns), method="other", scale=rep.scale,
                                 rscales=rep.rscales, mse=rep.mse)
    if weighting is None:
        return window
    weighted = weighting(window)
    if not isinstance(weighted, type(window)) or weighted.n != window.n:
        raise DesignError("weighting= must return the re-weighted design of the window it is given (a SurveyDesign "
                          f"with the same {window.n} returns), e.g. lambda d: d.calibrate(targets, by='council').")
    return weighted


def _stacked_structure(data: pd.DataFrame, spec, stacked_rows: np.ndarray) -> Structure:
    strata = [_PERIOD_STRATUM, *spec.strata[1:]]
    psu = list(spec.psu) or [_RESPONDENT]
    frame = data.iloc[stacked_rows].reset_index(drop=True)
    return SurveyDesign(frame, weights="_tracking_weight", strata=strata, psu=psu, fpc=list(spec.fpc), nest=True,
                        lonely_psu=spec.lonely_psu)._structure


def _join(councils: "_Scores | _Replicated", whole: "_Scores | _Replicated") -> "_Scores | _Replicated":
    """The councils' and All councils' stored statistics as one (All councils the last domain)."""
    if isinstance(councils, _Replicated):
        return _Replicated(np.column_stack([councils.thetas, whole.thetas]),
                           np.concatenate([councils.estimate, whole.estimate]), councils.replicates)
    return _Scores(*(np.concatenate([getattr(councils, f), getattr(whole, f)]) for f in ("rows", "domain", "values")))


@dataclass(frozen=True)
class _WindowContext:
    """What every indicator of one window shares: the estimator context and degrees of freedom per domain."""

    design: SurveyDesign
    ctx: object
    df: np.ndarray

    @classmethod
    def of(cls, design: SurveyDesign, by: str | None) -> "_WindowContext":
        ctx = _context(design, by)
        return cls(design, ctx, ctx.degrees_of_freedom())


def _estimate(window: _WindowContext, y: np.ndarray, statistic: str, level: float, share_ci: str,
              offset: int, domain_shift: int) -> tuple[dict[str, np.ndarray], _Scores]:
    """Estimates per domain of one window and their scores on the stacked layout."""
    design, ctx = window.design, window.ctx
    parts = _ratio_parts(ctx, y, None)
    se = np.sqrt(ctx.variance(parts.scores, parts.base, parts.ratio))
    df = window.df
    if not ctx.engine.linearised:  # replicate weights: keep every replicate's estimates
        stored = _Replicated(ctx.engine._ratio_replicates(parts.ratio), parts.estimate, ctx.engine.replicates)
    elif ctx.calibrated is None:
        rows, domain, values = np.arange(len(y)), ctx.domains.codes, parts.scores
    else:
        rows, domain = ctx.calibrated.rows, ctx.calibrated.domain
        values = residuals(ctx.calibrated, parts.scores)
    if ctx.engine.linearised:
        stored = _Scores(rows + offset, domain + domain_shift, values)
    if statistic == "share":
        w_base = np.where(parts.base, ctx.w, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_kish = ctx.count(w_base) ** 2 / ctx.count(w_base**2)
        n_rows = ctx.n_rows if ctx.calibrated is None else np.full(ctx.domains.count, float(design.n))
        lower, upper = _intervals(share_ci, PROPORTION_CI_METHODS, parts.estimate, se, level, df,
                                  n_rows=n_rows, n_base=parts.n_obs, n_kish=n_kish)
    else:
        lower, upper = _intervals("wald", MEAN_CI_METHODS, parts.estimate, se, level, df)
    block = {"estimate": parts.estimate, "se": se, "ci_lower": lower, "ci_upper": upper, "n": parts.n}
    return block, stored


def rolling(design_or_returns: SurveyDesign | pd.DataFrame, indicators: object, *, window: int = 4,
            freq: str = "quarter", by: str = "council",
            weighting: Callable[[SurveyDesign], SurveyDesign] | None = None, date: str = "interview_date",
            design: Mapping[str, object] | None = None, version: str = "questionnaire", level: float = 0.95,
            share_ci: str = "logit", rules: DisclosureRules | None = None, replicates: str | None = None,
            n_replicates: int | None = None, seed: int | None = None) -> Tracker:
    """Estimate every indicator for every rolling window, each window weighted on its own.

    Parameters
    ----------
    design_or_returns
        A :class:`~residentsurvey.SurveyDesign` of all the returns (its weights are the starting
        weights of every window), or a returns DataFrame with ``design=``.
    indicators
        A questionnaire, ``{version: questionnaire}`` with each return's version in column
        ``version`` (a wording change splits the series), or numeric column names.
    window
        Periods per window (4 quarters: a rolling year; 1: each period on its own).
    freq
        ``"quarter"`` or ``"month"``; periods come from column ``date`` (or an existing ``period``
        column when ``date`` is absent).
    by
        The column of councils (one column).
    weighting
        Function re-weighting one window's design, e.g.
        ``lambda d: d.calibrate(targets, method="raking", by="council")``; None keeps the
        starting weights.
    design
        With returns: the arguments of ``rs.SurveyDesign`` (weights, strata, psu, fpc, ...).
    level, share_ci, rules
        Interval level, the interval for shares (R's ``svyciprop`` methods; means use Wald) and the
        disclosure rules, as in ``rs.indicators``.
    replicates, n_replicates, seed
        Variance by replicate weights instead of linearisation: a method of
        ``rs.REPLICATE_METHODS`` (``"jkn"``, ``"bootstrap"``, ...) applied, as R's
        ``as.svrepdesign``, to the design of all the returns (strata crossed with period); each
        window keeps its rows' replicate weights and ``weighting`` re-weights every replicate, so
        a change's variance is R's ``svrVar`` of the replicates' changes. ``n_replicates`` and
        ``seed`` are for the bootstrap.

    Returns
    -------
    Tracker
        ``tracker.table`` (columns :data:`COLUMNS`), and ``tracker.changes()`` for change.

    Notes
    -----
    Each window's estimate is the ratio estimator of ``design.mean`` on the window's design,
    where the first-stage strata are crossed with the period (each period's fieldwork a sample of
    its own). A window that straddles a questionnaire change which the diff does not call
    comparable has no estimate for that indicator (``comparability`` says why).

    Examples
    --------
    >>> import residentsurvey as rs
    >>> returns = rs.demo_tracking()
    >>> tracker = rs.rolling(returns, ["ons_life_satisfaction"], window=2, design=rs.DEMO_TRACKING_DESIGN)
    >>> [w.label for w in tracker.windows]
    ['2025Q1-2025Q2', '2025Q2-2025Q3', '2025Q3-2025Q4']
    >>> tracker.table.columns[:5].tolist()
    ['window', 'window_end', 'periods', 'indicator', 'label']
    """
    if not isinstance(by, str):
        raise DesignError(f"by must name one column (the councils); got {by!r}.")
    level = check_level(level)
    lookup(PROPORTION_CI_METHODS, share_ci)
    base = _design_of(design_or_returns, design)
    data = _tracking_data(base, by, date, freq)
    series = indicator_series(data, indicators, version=version)
    windows = rolling_windows(data["period"], window=window)
    areas = tuple(str(c) for c in data[by].cat.categories)
    n_areas = len(areas)
    period = data["period"].to_numpy()
    window_rows = [np.flatnonzero(np.isin(period, w.periods)) for w in windows]
    offsets = np.cumsum([0] + [len(r) for r in window_rows])
    structure = _stacked_structure(data, base.spec, np.concatenate(window_rows))
    pooled = None
    if replicates is not None:
        everyone = _window_design(data, base.spec, np.arange(len(data)), None)
        pooled = everyone.replicate(replicates, replicates=n_replicates, seed=seed)
    scores: dict[tuple[str, int], _Scores] = {}
    blocks = Blocks()
    n_rows = n_areas + 1
    area_labels = np.array([*areas, ALL_COUNCILS], dtype=object)
    area_types = np.array(["council"] * n_areas + ["consortium_population"], dtype=object)
    for k, (w, rows) in enumerate(zip(windows, window_rows)):
        weighted = _window_design(data, base.spec, rows, weighting, pooled)
        by_council, whole_window = _WindowContext.of(weighted, by), _WindowContext.of(weighted, None)
        for s in series:
            y = s.values[rows]
            segments = np.unique(s.segment[rows][~np.isnan(y)])
            common = {"window": w.label, "window_end": w.end, "periods": len(w.periods), "indicator": s.id,
                      "label": s.label, "statistic": s.statistic, "polarity": s.polarity, "area": area_labels,
                      "area_type": area_types}
            if len(segments) != 1:
                reason = ("not asked in this window" if len(segments) == 0 else "not comparable ("
                          + "; ".join(f"{name}: {why}" for name, why in s.breaks) + ")")
                blank = np.full(n_rows, np.nan)
                blocks.add(n_rows, **common, estimate=blank, se=blank, ci_lower=blank, ci_upper=blank,
                           n=np.zeros(n_rows), segment=-1, comparability=reason)
                continue
            councils, council_scores = _estimate(by_council, y, s.statistic, level, share_ci, offsets[k], 0)
            whole, whole_scores = _estimate(whole_window, y, s.statistic, level, share_ci, offsets[k], n_areas)
            scores[(s.id, k)] = _join(council_scores, whole_scores)
            numbers = {key: np.concatenate([councils[key], whole[key]]) for key in councils}
            blocks.add(n_rows, **common, **numbers, segment=int(segments[0]), comparability="comparable")
    table = blocks.frame()
    table["n"] = table["n"].astype("int64")
    table["level"] = level
    table = apply_disclosure(table, rules)
    table.attrs.clear()
    versions = questionnaire_versions(data, version=version) if version in data.columns else None
    return Tracker(table[list(COLUMNS)], windows, versions, areas, by, level, freq, tuple(series), structure,
                   scores)
