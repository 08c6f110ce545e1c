"""The survey design: data, weights, strata, clusters and fpc, captured once."""

from __future__ import annotations

import html
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._text import shown
from ..errors import CalibrationError, DesignError, DesignWarning
from . import comparisons, estimators
from ._engine import TaylorEngine
from ._frozen_design import FrozenDesign
from ._columns import as_names, checked_weights, require_columns
from ._structure import LONELY_PSU_RULES, Structure, compile_structure
from .variance import degrees_of_freedom

if TYPE_CHECKING:
    from ..models.ordinal import OrdinalResults
    from ..models.results import GLMResults
    from ..weighting.calibrate import CalibrationRecord
    from ._domains import Domains
    from .replicate_design import ReplicateDesign

Columns = str | Sequence[str] | None


@dataclass(frozen=True)
class DesignSpec:
    """What the analyst declared: column names and options, kept apart from what was computed from the data."""

    weights: str | None
    strata: tuple[str, ...]
    psu: tuple[str, ...]
    fpc: tuple[str, ...]
    nest: bool
    lonely_psu: str

    def as_r(self) -> str:
        """The equivalent R ``svydesign()`` call, for reports and cross-checks."""
        ids = "+".join(self.psu) or "1"
        parts = [f"ids=~{ids}"]
        if self.strata:
            parts.append(f"strata=~{'+'.join(self.strata)}")
        if self.weights:
            parts.append(f"weights=~{self.weights}")
        if self.fpc:
            parts.append(f"fpc=~{'+'.join(self.fpc)}")
        if self.nest:
            parts.append("nest=TRUE")
        return f"svydesign({', '.join(parts)}, data=...)"


class SurveyDesign(FrozenDesign):
    """A complex survey design over a pandas DataFrame, the base of every estimate.

    Parameters
    ----------
    data
        One row per respondent.
    weights
        Column of sampling weights (inverse inclusion probabilities, or calibrated weights).
        Without it, weights come from ``fpc`` (the product of the stages' sampling fractions,
        inverted) or, without ``fpc`` either, every respondent weighs 1 (with a
        :class:`~residentsurvey.DesignWarning`, as R warns).
    strata
        Stratum column, or one column per stage.
    psu
        Cluster (primary sampling unit) column, or one column per stage for a multistage
        design, as R's ``ids=~psu+ssu``. None: every respondent is its own PSU.
    fpc
        Finite population correction, one column per stage: population counts of units
        (values above 1) or sampling fractions (all values at most 1). None: variance as if
        sampled with replacement at the first stage.
    nest
        PSU labels are only unique within a stratum (R's ``nest=TRUE``). Without it, a PSU
        label found in two strata is an error.
    lonely_psu
        How a stratum with a single PSU is handled, as R's ``options(survey.lonely.psu=)``:
        ``"fail"`` (default, an error naming the stratum), ``"remove"``, ``"certainty"``,
        ``"adjust"`` or ``"average"``.

    Notes
    -----
    Variances are by Taylor linearisation with the recursive multistage estimator of R's
    ``svyrecvar`` (survey 4.1): later stages contribute only when ``fpc`` is given. Domains
    (``by=``) are estimated on the whole design, out-of-domain respondents contributing zero,
    so standard errors are those of R's ``svyby``. Missing values leave a respondent out of
    that variable's base only (R's ``na.rm=TRUE``, applied variable by variable).

    The design is immutable: methods return new tables (or, later, new designs) and never
    change the design or its data.

    Examples
    --------
    >>> import residentsurvey as rs
    >>> df = rs.demo_consortium()
    >>> design = rs.SurveyDesign(df, weights="design_weight", strata="stratum", psu="sector")
    >>> table = design.mean("ons_life_satisfaction", by="council")
    >>> list(table.columns)
    ['council', 'variable', 'estimate', 'se', 'ci_lower', 'ci_upper', 'n']
    """

    __slots__ = ("data", "spec", "_structure", "_weight_array", "_has_zero_weights", "_calibration", "_metadata",
                 "_plans", "_added")

    data: pd.DataFrame
    spec: DesignSpec
    _structure: Structure
    _weight_array: np.ndarray
    _has_zero_weights: bool

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        weights: str | None = None,
        strata: Columns = None,
        psu: Columns = None,
        fpc: Columns = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> None:
        if not isinstance(data, pd.DataFrame):
            raise DesignError(f"data must be a pandas DataFrame with one row per respondent; got {type(data).__name__}.")
        if len(data) == 0:
            raise DesignError("data has no rows; a survey design needs at least one respondent.")
        if weights is not None and not isinstance(weights, str):
            raise DesignError(f"weights must name a column of data; got {type(weights).__name__}.")
        if not isinstance(nest, (bool, np.bool_)):
            raise DesignError(f"nest must be True or False; got {nest!r}.")
        spec = DesignSpec(
            weights=weights,
            strata=tuple(as_names(strata, "strata")),
            psu=tuple(as_names(psu, "psu")),
            fpc=tuple(as_names(fpc, "fpc")),
            nest=bool(nest),
            lonely_psu=lonely_psu,
        )
        for role, names in (("weights", [weights] if weights else []), ("strata", spec.strata),
                            ("psu", spec.psu), ("fpc", spec.fpc)):
            require_columns(data, list(names), role)
        # pandas >= 3 copies on write, so a shallow copy is safe from later edits to the caller's frame
        frozen = data.copy(deep=int(pd.__version__.split(".")[0]) < 3)
        # the returns' attrs (value labels, wordings) are kept beside the data, not in it: pandas deep-copies
        # attrs on every column access, which made estimation copy every label thousands of times
        metadata = MappingProxyType(dict(data.attrs))
        frozen.attrs = {}
        structure = compile_structure(frozen, strata=list(spec.strata), psu=list(spec.psu), fpc=list(spec.fpc),
                                      nest=spec.nest, lonely_psu=lonely_psu)
        if weights is not None:
            w = _check_weights(frozen, weights)
        elif structure.prob_from_fpc is not None:
            w = 1.0 / structure.prob_from_fpc
        else:
            warnings.warn("No weights or fpc given: every respondent weighs 1 (as R's svydesign assumes).",
                          DesignWarning, stacklevel=2)
            w = np.ones(len(frozen))
        self._set(frozen, spec, structure, w, None, metadata)

    def _set(self, data: pd.DataFrame, spec: DesignSpec, structure: Structure, w: np.ndarray,
             calibration: "CalibrationRecord | None", metadata: Mapping[object, object],
             plans: dict | None = None, added: frozenset[str] = frozenset()) -> None:
        """Fill the slots. ``plans`` caches domains and variance plans per ``by`` (see ``estimators._context``);
        it is shared with designs made by :meth:`with_columns`, for ``by`` columns none of them replaced
        (``added`` names the columns added or replaced since the design that owns ``plans``)."""
        w.setflags(write=False)
        for name, value in (("data", data), ("spec", spec), ("_structure", structure), ("_weight_array", w),
                            ("_has_zero_weights", bool((w == 0).any())), ("_calibration", calibration),
                            ("_metadata", metadata), ("_plans", {} if plans is None else plans),
                            ("_added", added)):
            object.__setattr__(self, name, value)

    # ---- what the design is ----------------------------------------------------------

    @property
    def metadata(self) -> Mapping[object, object]:
        """What the returns carried in ``attrs`` (value labels, question wordings, source), read-only.

        It is kept beside ``data`` rather than in ``data.attrs``, because pandas deep-copies
        ``attrs`` on every operation.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum")
        >>> design.metadata["value_labels"]["q_trust"][1], design.data.attrs
        ('A great deal', {})
        """
        return self._metadata

    def _derive(self, weights: np.ndarray, calibration: "CalibrationRecord | None") -> "SurveyDesign":
        """A new design with the same data and structure and new weights."""
        new = object.__new__(SurveyDesign)
        new._set(self.data, self.spec, self._structure, np.array(weights, dtype=float), calibration, self._metadata)
        return new

    def with_columns(self, columns: pd.DataFrame | dict[str, object]) -> "SurveyDesign":
        """A new design with extra or replaced columns (derived variables), as R's ``update(design, ...)``.

        The sampling structure, weights and calibration are kept. ``columns`` is a DataFrame
        aligned with ``data`` (same index) or a mapping of names to values.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> score = design.data["ons_happy"].astype(float)
        >>> happy = (score >= 7).astype(float).where(score.notna())
        >>> int(design.with_columns({"happy": happy}).mean("happy").loc[0, "n"])
        6180
        """
        frame = pd.DataFrame(columns, index=self.data.index) if isinstance(columns, dict) else columns
        if not frame.index.equals(self.data.index):
            raise DesignError("with_columns() needs columns aligned with the design's data (the same index).")
        data = self.data.copy(deep=False)
        for name in frame.columns:
            data[name] = frame[name]
        new = object.__new__(SurveyDesign)
        new._set(data, self.spec, self._structure, np.array(self._weight_array), self._calibration, self._metadata,
                 self._plans, self._added | frozenset(frame.columns))
        return new

    def calibrate(self, targets: pd.DataFrame, *, method: str = "raking", by: Columns = None,
                  bounds: tuple[float, float] | None = None, max_iter: int = 100,
                  tol: float = 1e-10) -> "SurveyDesign":
        """A new design whose weights meet population targets, with variances that account for it.

        Parameters
        ----------
        targets
            Tidy table: the ``by`` column(s), ``variable``, ``category``, ``total`` (see
            :func:`residentsurvey.calibration_targets`; an empty category marks the total of a
            numeric variable, ``"(population)"`` the population size).
        method
            ``"raking"`` (iterative proportional fitting), ``"linear"`` (GREG) or ``"logit"``
            (bounded; needs ``bounds``), as R's ``calibrate(calfun=...)``.
        by
            Column(s) whose groups are calibrated separately, each to its own targets, in one
            vectorised computation, e.g. ``by="council"``.
        bounds
            (lower, upper) on the ratio of calibrated to current weights.
        max_iter, tol
            Iteration limit and relative tolerance on every target. Not converging is a
            :class:`~residentsurvey.CalibrationError` naming the group, variable and category.

        Returns
        -------
        SurveyDesign
            Same data and design, calibrated weights (``design.weights``), and the record of the
            calibration (``design.calibration``). Its standard errors use the residuals of the
            calibration model, as R's ``calibrate()`` does.

        Notes
        -----
        Agrees with R survey 4.1 ``calibrate()`` and ``postStratify()`` (estimates and SEs to 1e-8).
        A design can be calibrated once; calibrate the original design to all targets together.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> returns = rs.demo_consortium()
        >>> design = rs.SurveyDesign(returns, weights="design_weight", strata="stratum", psu="sector")
        >>> targets = rs.demo_council_populations()
        >>> targets = targets[targets["variable"].isin(["age_band", "tenure"])]
        >>> weighted = design.calibrate(targets, by="council")
        >>> weighted.calibration.method, weighted.calibration.max_error < 1e-10
        ('raking', True)
        """
        if self._calibration is not None:
            raise DesignError(
                "this design is already calibrated; calibrate the original design to all the targets at once "
                "(one targets table can hold every margin)."
            )
        from ..weighting.calibrate import calibration_record

        record = calibration_record(self.data, targets, weights=self._weight_array, method=method, by=by,
                                    bounds=bounds, max_iter=max_iter, tol=tol)
        return self._derive(record.weights, record)

    def trim(self, *, upper: float | None = None, lower: float | None = None, relative: bool = True,
             by: Columns = None, max_rounds: int = 100) -> "SurveyDesign":
        """A new design with extreme weights capped, and re-calibrated when the design was calibrated.

        Weights beyond the caps are set to them and the excess shared among the other weights of
        their group (``by``; for a calibrated design, its calibration groups), keeping each group's
        total. A calibrated design is then calibrated again from the trimmed weights to the same
        targets, and the two steps alternate until the weights meet both the caps and the targets.

        Parameters
        ----------
        upper, lower
            Caps on the weights: multiples of the group's mean weight (``relative=True``, the
            default) or absolute values.
        by
            Groups within which to trim (default: the calibration groups, else the whole sample).
        max_rounds
            Limit on trim-and-recalibrate rounds (they stop when the re-calibrated weights break
            no cap by more than one part in a million); not settling is a
            :class:`~residentsurvey.CalibrationError` (the caps and targets conflict).

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> trimmed = design.trim(upper=2.0, by="council")
        >>> bool(trimmed.weights.groupby(design.data["council"], observed=True).sum().round(6).equals(
        ...     design.weights.groupby(design.data["council"], observed=True).sum().round(6)))
        True
        """
        from dataclasses import replace

        from ..weighting.calibrate import recalibrate
        from ..weighting.trimming import trim_weights

        record = self._calibration
        caps = dict(upper=upper, lower=lower, relative=relative, groups=self._trim_groups(by))
        w = trim_weights(self._weight_array, **caps)
        if record is None:
            return self._derive(w, None)
        for rounds in range(1, max_rounds + 1):
            again = recalibrate(record, w)   # the calibration model is reused, not rebuilt every round
            w = again.weights
            trimmed = trim_weights(w, **caps)
            if np.allclose(trimmed, w, rtol=1e-6, atol=0):  # caps met to one part in a million
                break
            w = trimmed
        else:
            raise CalibrationError(
                f"trimming (upper={upper}, lower={lower}) and re-calibration did not settle in {max_rounds} rounds: "
                "the caps conflict with the targets. Loosen the caps or merge sparse categories."
            )
        trimming = {"upper": upper, "lower": lower, "relative": relative, "rounds": rounds}
        return self._derive(w, replace(record, weights=w, max_error=again.max_error, trimming=trimming))

    def achieved_margins(self) -> pd.DataFrame:
        """Each calibration target beside the achieved total (and the total before calibration)."""
        if self._calibration is None:
            raise DesignError("this design is not calibrated; call design.calibrate(targets) first.")
        from ..weighting.diagnostics import achieved_margins

        return achieved_margins(self._calibration)

    @property
    def n_strata(self) -> int:
        """Number of first-stage strata."""
        return self._structure.first.n_strata

    @property
    def n_psu(self) -> int:
        """Number of first-stage sampling units."""
        return len(self._structure.first.unit_stratum)

    @property
    def degf(self) -> int:
        """Design degrees of freedom: PSUs minus strata among respondents with non-zero weight (R's ``degf()``)."""
        whole = np.zeros(self.n, dtype=np.int64)
        return int(degrees_of_freedom(self._structure, whole, 1, self._weight_array != 0)[0])

    def summary(self) -> pd.DataFrame:
        """The design at a glance, one row per stage: strata, units, smallest and largest units per stratum."""
        rows = []
        for stage in self._structure.stages:
            rows.append({
                "stage": stage.number,
                "strata": stage.n_strata,
                "units": int(stage.n_units.sum()),
                "min_units_per_stratum": int(stage.n_units.min()),
                "max_units_per_stratum": int(stage.n_units.max()),
                "fpc": self._structure.fpc_kind,
            })
        return pd.DataFrame(rows)

    def _weights_source(self) -> str:
        if self.spec.weights:
            return self.spec.weights
        return "(from fpc)" if self.spec.fpc else "(all 1)"

    def __repr__(self) -> str:
        s = self.spec
        w = self._weight_array
        parts = [
            f"{self.n:,} respondents",
            f"{self.n_strata:,} strata" if s.strata else "unstratified",
            f"{self.n_psu:,} PSUs" if s.psu else "no clustering",
            f"{len(self._structure.stages)} stage(s) in the variance",
            f"weights {self._weights_source()} summing to {w.sum():,.1f}",
            f"fpc {self._structure.fpc_kind}",
            f"lonely_psu={s.lonely_psu!r}",
            *([f"calibrated ({self._calibration.method})"] if self._calibration is not None else []),
            f"df={self.degf}",
        ]
        return "SurveyDesign(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        s = self.spec
        w = self._weight_array
        rows = [
            ("Respondents", f"{self.n:,}"),
            ("Strata", f"{self.n_strata:,}" + (f" ({', '.join(s.strata)})" if s.strata else " (unstratified)")),
            ("PSUs", f"{self.n_psu:,}" + (f" ({', '.join(s.psu)})" if s.psu else " (each respondent)")),
            ("Stages in the variance", str(len(self._structure.stages))),
            ("Weights", f"{self._weights_source()}: sum {w.sum():,.1f}, min {w.min():.3g}, max {w.max():.3g}"),
            ("FPC", f"{', '.join(s.fpc) or 'none (with replacement)'} [{self._structure.fpc_kind}]"),
            ("Lonely PSUs", f"{s.lonely_psu}: {LONELY_PSU_RULES[s.lonely_psu]}"),
            ("Degrees of freedom", str(self.degf)),
            ("Calibration", "none" if self._calibration is None else
             f"{self._calibration.method} to {', '.join(m.variable for m in self._calibration.targets.margins)}"
             + (f" by {', '.join(self._calibration.targets.by)}" if self._calibration.targets.by else "")
             + f"; {self._calibration.iterations} iterations, max error {self._calibration.max_error:.1e}"),
            ("R equivalent", s.as_r()),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
                       f"{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table><caption>SurveyDesign</caption>{body}</table>"

    def replicate(self, method: str, *, replicates: int | None = None, seed: int | None = None,
                  fay_rho: float = 0.3, mse: bool = False) -> "ReplicateDesign":
        """The same design with replicate weights, as R's ``as.svrepdesign()``; a calibrated design is re-calibrated in every replicate.

        Parameters
        ----------
        method
            ``"jk1"`` (unstratified jackknife), ``"jkn"`` (stratified jackknife, using the fpc),
            ``"brr"`` and ``"fay"`` (2 PSUs per stratum, Hadamard-balanced), ``"bootstrap"``
            (n_h PSUs drawn with replacement) or ``"subbootstrap"`` (Rao-Wu, n_h - 1 draws);
            see ``rs.REPLICATE_METHODS`` and :mod:`residentsurvey.analysis.replicate`.
        replicates
            Number of bootstrap replicates (default 50, as R); the other methods make one per PSU
            or per Hadamard column.
        seed
            Seed of the bootstrap draws (the same seed gives the same replicates).
        fay_rho
            Fay's rho for ``method="fay"``.
        mse
            Centre squared deviations on the full-sample estimate (R's ``mse=TRUE``).

        Returns
        -------
        ReplicateDesign
            Same data and weights; variances from the replicates. If this design was calibrated
            (and trimmed), each replicate is built from the starting weights and calibrated (and
            trimmed) to the same targets, so the SEs carry the whole weighting chain.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> rep = design.replicate("jkn")
        >>> rep.n_replicates == design.n_psu, rep.degf == design.degf
        (True, True)
        """
        from .replicate import build_replicates
        from .replicate_design import ReplicateDesign, ReplicateSpec

        stage = self._structure.first
        names = list(self.spec.strata[:1])
        first_rows = np.full(stage.n_strata, -1, dtype=np.int64)
        first_rows[stage.stratum[::-1]] = np.arange(len(stage.stratum))[::-1]

        def stratum_label(h: int) -> str:
            row = int(first_rows[h])
            return "(" + ", ".join(f"{n}={shown(self.data[n].iloc[row])}" for n in names) + ")" if names else "(whole sample)"

        text = (self.data[names[0]].iloc[first_rows].astype(str).to_numpy() if names
                else np.array(["1"] * stage.n_strata))
        if len(self._structure.stages) > 1 and np.isfinite(stage.popsize).any() and method in ("jk1", "jkn", "bootstrap"):
            warnings.warn("fpc after the first stage is dropped in the replicates (as R's as.svrepdesign does).",
                          DesignWarning, stacklevel=2)
        record = self._calibration
        start = self._weight_array if record is None else record.base_weights
        rep = build_replicates(stage, method=method, replicates=replicates, seed=seed, fay_rho=fay_rho, mse=mse,
                               lonely_psu=self.spec.lonely_psu, stratum_label=stratum_label, stratum_text=text,
                               stratified=bool(self.spec.strata))
        source = f"as.svrepdesign({self.spec.as_r()}, type={method!r})"
        spec = ReplicateSpec(self.spec.weights, (), method, rep.scale, rep.fay_rho, rep.mse, source)
        design = ReplicateDesign._build(self.data, spec, np.array(start), rep, None)
        if record is None:
            return design
        design = design.calibrate(record.targets, method=record.method, bounds=record.bounds)
        if record.trimming:
            caps = {k: record.trimming[k] for k in ("upper", "lower", "relative")}
            design = design.trim(**caps)
        return design

    def _variance_engine(self, domains: "Domains") -> "TaylorEngine":
        """How this design computes variances for ``domains``: Taylor linearisation (see :mod:`._engine`)."""
        return TaylorEngine.build(self, domains)

    # ---- estimators ------------------------------------------------------------------

    def mean(self, variables: str | Sequence[str], by: Columns = None, *, ci_method: str = "wald",
             level: float = 0.95, deff: bool | str = False) -> pd.DataFrame:
        """Weighted mean of each variable, for the whole sample or each domain of ``by``.

        Parameters
        ----------
        variables
            Numeric column(s). Missing values leave the respondent out of that variable's base.
        by
            Column(s) defining domains (e.g. ``"council"``). Each domain is estimated on the
            whole design.
        ci_method
            ``"wald"`` (estimate ± z·se, as R's ``confint()``) or ``"t"`` (t with the domain's
            degrees of freedom).
        level
            Confidence level of the interval.
        deff
            Add a ``deff`` column: design effect against simple random sampling without
            replacement (``True``) or with replacement (``"replace"``), as R's ``deff=``.

        Returns
        -------
        pandas.DataFrame
            One row per domain and variable: the ``by`` columns, ``variable``, ``estimate``,
            ``se``, ``ci_lower``, ``ci_upper``, ``n`` (respondents in the base) and ``deff``
            when asked. ``attrs`` holds ``level`` and ``ci_method``.

        Notes
        -----
        :math:`\\hat\\mu_d = \\sum_i w_i a_{id} y_i / \\sum_i w_i a_{id}` with score
        :math:`w_i a_{id}(y_i - \\hat\\mu_d)/\\sum_i w_i a_{id}`. Agrees with R survey 4.1
        ``svyby(~y, ~by, design, svymean, na.rm=TRUE)`` to 1e-10.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> design.mean(["ons_life_satisfaction", "ons_anxious"], by="council").shape
        (10, 7)
        """
        return estimators.mean_or_total(self, variables, by=by, ci_method=ci_method, level=level, deff=deff,
                                        statistic="mean")

    def total(self, variables: str | Sequence[str], by: Columns = None, *, ci_method: str = "wald",
              level: float = 0.95, deff: bool | str = False) -> pd.DataFrame:
        """Weighted total of each variable, for the whole sample or each domain of ``by``.

        Same arguments and columns as :meth:`mean`. Agrees with R's
        ``svyby(~y, ~by, design, svytotal, na.rm=TRUE)``.

        Examples
        --------
        Estimated number of adults who volunteered formally (missing answers left out):

        >>> import residentsurvey as rs
        >>> returns = rs.demo_consortium()
        >>> returns["volunteered"] = returns["volunteered_formal_12m"].eq(1).astype(float)
        >>> design = rs.SurveyDesign(returns, weights="design_weight", strata="stratum", psu="sector")
        >>> totals = design.total("volunteered", by="council")
        >>> bool((totals["estimate"] > 0).all())
        True
        """
        return estimators.mean_or_total(self, variables, by=by, ci_method=ci_method, level=level, deff=deff,
                                        statistic="total")

    def proportion(self, variable: str, by: Columns = None, *, ci_method: str = "logit", level: float = 0.95,
                   deff: bool | str = False) -> pd.DataFrame:
        """Share of respondents in each category of ``variable``, with a confidence interval.

        Parameters
        ----------
        variable
            Any column; each distinct non-missing value (or each category of a categorical
            column, observed or not) is a category. Missing values are left out of the base.
        by
            Column(s) defining domains.
        ci_method
            As R's ``svyciprop``: ``"logit"`` (default), ``"likelihood"``, ``"asin"``,
            ``"beta"`` (Korn-Graubard), ``"mean"``, ``"xlogit"``; these use a t critical value
            with the domain's degrees of freedom. Also ``"wald"`` (normal, as ``confint(svymean)``)
            and ``"wilson"`` (Wilson score with the design-based effective sample size).
        level
            Confidence level.
        deff
            Add a ``deff`` column (see :meth:`mean`).

        Returns
        -------
        pandas.DataFrame
            One row per domain and category: the ``by`` columns, ``variable``, ``category``,
            ``estimate`` (a share between 0 and 1), ``se``, ``ci_lower``, ``ci_upper``, ``n``
            (respondents in the base, the same for every category of a domain).

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> shares = design.proportion("q_satisfied_area", by="council", ci_method="beta")
        >>> sorted(shares.columns)[:3]
        ['category', 'ci_lower', 'ci_upper']
        """
        return estimators.proportion(self, variable, by=by, ci_method=ci_method, level=level, deff=deff)

    def ratio(self, numerator: str | Sequence[str], denominator: str, by: Columns = None, *,
              ci_method: str = "wald", level: float = 0.95) -> pd.DataFrame:
        """Ratio of two weighted totals, :math:`\\sum w y / \\sum w x`, for the whole sample or each domain.

        Respondents missing either variable are left out of the base. Agrees with R's
        ``svyratio(~y, ~x, design, na.rm=TRUE)``. Columns as :meth:`mean`, plus ``numerator``
        and ``denominator``.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> design.ratio("ons_happy", "ons_life_satisfaction").loc[0, "variable"]
        'ons_happy/ons_life_satisfaction'
        """
        return estimators.ratio(self, numerator, denominator, by=by, ci_method=ci_method, level=level)

    def difference(self, variable: str, by: Columns, a: object, b: object, *, ci_method: str = "wald",
                   level: float = 0.95) -> pd.DataFrame:
        """Difference between the means of ``variable`` in domains ``a`` and ``b`` of ``by``.

        The standard error uses the full covariance of the two domain estimates (they share
        strata and PSUs), as R's ``svycontrast`` on ``svyby(..., covmat=TRUE)``. With several
        ``by`` columns, ``a`` and ``b`` are tuples.

        Returns
        -------
        pandas.DataFrame
            One row: ``variable``, ``by``, ``a``, ``b``, ``estimate_a``, ``estimate_b``,
            ``estimate`` (a minus b), ``se``, ``ci_lower``, ``ci_upper``, ``statistic``,
            ``p_value`` (two-sided; normal, or t with the design's degrees of freedom when
            ``ci_method="t"``), ``n_a``, ``n_b``.

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> d = design.difference("ons_life_satisfaction", "council", "Northbridge", "Eastmere")
        >>> bool(d.loc[0, "se"] > 0)
        True
        """
        return comparisons.difference(self, variable, by=by, a=a, b=b, ci_method=ci_method, level=level)


    # ---- models (residentsurvey.models sits above analysis: imported when called) -------

    def glm(self, formula: str, *, family: str = "gaussian", subset: "str | np.ndarray | pd.Series | None" = None,
            level: float = 0.95) -> "GLMResults":
        """Design-based generalised linear model, as R's ``svyglm``.

        Parameters
        ----------
        formula
            Wilkinson formula read by formulaic: ``"y ~ x + C(tenure) + x:C(tenure)"``; names that
            are not identifiers go in backticks.
        family
            ``"gaussian"`` (identity link), ``"binomial"`` (logit; R's ``quasibinomial``) or
            ``"poisson"`` (log; R's ``quasipoisson``): see :data:`residentsurvey.models.FAMILIES`.
        subset
            A domain: a boolean column name, a boolean mask (one per row) or a pandas query string
            (``"council == 'Northbridge'"``). The whole design stays for the variance, as R's
            ``svyglm(..., design=subset(design, ...))``.
        level
            Confidence level of the intervals.

        Returns
        -------
        residentsurvey.models.GLMResults
            ``coefficients`` (``term, estimate, se, statistic, df, p_value, ci_lower, ci_upper``),
            ``params``, ``bse``, ``conf_int()``, ``summary()``, ``predict()``, ``wald_test()``,
            ``predictive_margins()``. Respondents left out (outside the subset, missing a value,
            zero weight) are counted in ``excluded``.

        Notes
        -----
        Taylor sandwich standard errors (strata, clusters, fpc, lonely PSUs, calibration residuals),
        t tests on ``degf(design) + 1 - coefficients`` degrees of freedom. Agrees with R survey 4.1.1
        ``svyglm`` (``tests/data/r/make_models_reference.R``).

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> fit = design.glm("ons_life_satisfaction ~ C(council) + C(tenure)")
        >>> list(fit.coefficients.columns)
        ['term', 'estimate', 'se', 'statistic', 'df', 'p_value', 'ci_lower', 'ci_upper']
        """
        from ..models.glm import fit_glm

        return fit_glm(self, formula, family=family, subset=subset, level=level)


    def ordinal(self, formula: str, *, link: str = "logit", subset: "str | np.ndarray | pd.Series | None" = None,
                level: float = 0.95) -> "OrdinalResults":
        """Proportional-odds regression for an ordered outcome (e.g. a 5-point satisfaction item), as R's ``svyolr``.

        Parameters
        ----------
        formula
            ``"outcome ~ terms"``; the outcome's categories are ordered as an ordered categorical's
            categories, otherwise by sorting its values (recode "don't know" to missing first).
        link
            ``"logit"`` (proportional odds).
        subset
            A domain, as in :meth:`glm`.
        level
            Confidence level.

        Returns
        -------
        residentsurvey.models.ordinal.OrdinalResults
            ``coefficients`` (coefficients, then cut-points ``"1|2"``, ...), with p-values on the
            design's degrees of freedom; ``predict(newdata)`` (category probabilities) and
            ``predicted_shares(by=...)`` (average predicted share of each category beside the
            observed share).

        Notes
        -----
        Agrees with R survey 4.1.1 ``svyolr`` (coefficients and SEs; ``tests/data/r/make_models_reference.R``).

        Examples
        --------
        >>> import residentsurvey as rs
        >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
        >>> satisfied = 6 - design.data["q_satisfied_area"].where(design.data["q_satisfied_area"] != 9)
        >>> fit = design.with_columns({"satisfied": satisfied}).ordinal("satisfied ~ C(tenure)")
        >>> fit.names[-1]
        '4|5'
        """
        from ..models.ordinal import fit_ordinal

        return fit_ordinal(self, formula, link=link, subset=subset, level=level)

def _check_weights(data: pd.DataFrame, name: str) -> np.ndarray:
    w = checked_weights(data, name, "weights", "Weights must be non-negative numbers: fix or remove those "
                        "respondents before building the design.")
    if not (w > 0).any():
        raise DesignError(f"weights column {name!r} is zero for every respondent; at least one weight must be positive.")
    return np.array(w, dtype=float)
