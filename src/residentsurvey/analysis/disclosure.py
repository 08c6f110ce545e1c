"""Disclosure control and quality flags for published estimates.

Defaults follow UK practice collected in ``standards.md`` §6: estimates on fewer than 30
respondents (unweighted) are suppressed; 30 to 49 are published with a caution; optionally an
estimate whose 95% interval is wider than ``max_half_width`` either side (in points for shares)
or whose coefficient of variation exceeds ``max_cv`` is flagged as of low reliability.
Suppression blanks the estimate, its error and its interval, keeps the base, and says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..errors import DesignError

FLAGS = {
    "ok": "published",
    "caution": "published with a caution: small base",
    "low_reliability": "published, flagged as of low reliability (wide interval or high CV)",
    "suppressed": "not published: base too small",
}


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds for suppression and flags (unweighted bases; half-width in points for shares)."""

    suppress_below: int = 30
    caution_below: int = 50
    max_half_width: float | None = None
    max_cv: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.suppress_below <= self.caution_below:
            raise DesignError(f"need 0 <= suppress_below <= caution_below; got {self.suppress_below} and {self.caution_below}.")

    def as_dict(self) -> dict:
        return asdict(self)


def apply_disclosure(table: pd.DataFrame, rules: DisclosureRules | None = None) -> pd.DataFrame:
    """A copy of ``table`` with ``flag`` and ``flag_reason`` set and suppressed estimates blanked.

    ``table`` needs ``estimate``, ``se``, ``ci_lower``, ``ci_upper``, ``n`` and ``statistic``
    ("share" or "mean") columns.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [0.5, 0.6, 0.7], "se": 0.05, "ci_lower": 0.4, "ci_upper": 0.8,
    ...                   "n": [29, 30, 50], "statistic": "share"})
    >>> apply_disclosure(t)["flag"].tolist()
    ['suppressed', 'caution', 'ok']
    """
    rules = rules or DisclosureRules()
    missing = [c for c in ("estimate", "se", "ci_lower", "ci_upper", "n", "statistic") if c not in table.columns]
    if missing:
        raise DesignError(f"the table lacks column(s) {missing} needed for disclosure control.")
    out = table.copy()
    n = out["n"].to_numpy(dtype=float)
    share = (out["statistic"] == "share").to_numpy()
    scale = np.where(share, 100.0, 1.0)
    half = (out["ci_upper"] - out["ci_lower"]).to_numpy(dtype=float) / 2 * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = out["se"].to_numpy(dtype=float) / np.abs(out["estimate"].to_numpy(dtype=float))
    flag = np.full(len(out), "ok", dtype=object)
    reason = np.full(len(out), "", dtype=object)
    if rules.max_cv is not None:
        wide = cv > rules.max_cv
        flag[wide] = "low_reliability"
        reason[wide] = [f"coefficient of variation {v:.0%} exceeds {rules.max_cv:.0%}" for v in cv[wide]]
    if rules.max_half_width is not None:
        wide = half > rules.max_half_width
        flag[wide] = "low_reliability"
        reason[wide] = [f"interval half-width {h:.1f} {'points' if s else ''} exceeds {rules.max_half_width:g}".replace("  ", " ")
                        for h, s in zip(half[wide], share[wide])]
    caution = (n >= rules.suppress_below) & (n < rules.caution_below)
    flag[caution] = "caution"
    reason[caution] = [f"unweighted base {int(v)}: treat with caution ({rules.suppress_below}-{rules.caution_below - 1})"
                       for v in n[caution]]
    suppressed = n < rules.suppress_below
    flag[suppressed] = "suppressed"
    reason[suppressed] = [f"unweighted base {int(v)} is below {rules.suppress_below}" for v in n[suppressed]]
    out["flag"], out["flag_reason"] = flag, reason
    blank = [c for c in ("estimate", "se", "ci_lower", "ci_upper", "deff") if c in out.columns]
    out.loc[suppressed, blank] = np.nan
    out.attrs["disclosure"] = rules.as_dict()
    return out
