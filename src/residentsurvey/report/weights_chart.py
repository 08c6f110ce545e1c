"""A chart of the weight distribution in each group, annotated with Kish's design effect."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.design import SurveyDesign


def plot_weight_distribution(design: "SurveyDesign", by: str | None = "council", *,
                             relative: bool = True) -> "Figure":
    """Box plots of the weights per group (log scale), with Kish's deff and effective n in the labels.

    Parameters
    ----------
    design
        Any design; for a calibrated one the title names the method and the margins.
    by
        Column whose groups get one box each (None: one box for the whole sample).
    relative
        Plot each weight divided by its group's mean weight, so groups of very different
        population size can be compared (1 = the group's average weight).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import residentsurvey as rs
    >>> design = rs.SurveyDesign(rs.demo_consortium(), weights="design_weight", strata="stratum", psu="sector")
    >>> figure = rs.plot_weight_distribution(design, by="council")
    >>> figure.axes[0].get_xscale()
    'log'
    """
    from ._figure import ChartFigure

    summary = design.weighting_summary(by=by)
    w = design.weights.to_numpy()
    if by is None:
        groups = [("All respondents", w)]
    else:
        codes = design.data[by].astype(object).to_numpy()
        groups = [(str(label), w[codes == label]) for label in summary[by]]
    values = [g / g.mean() if relative else g for _, g in groups]
    labels = [f"{name}\nn={row.n:,}, deff {row.kish_deff:.2f}, n_eff {row.effective_n:,.0f}"
              for (name, _), row in zip(groups, summary.itertuples(index=False))]
    figure = ChartFigure(figsize=(8, 1.0 + 0.7 * len(groups)))   # not pyplot's: nothing to close, shows in Jupyter
    ax = figure.add_subplot()
    ax.boxplot(values, orientation="horizontal", whis=(0, 100), widths=0.6)
    ax.set_yticks(np.arange(1, len(groups) + 1), labels, fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1.0 if relative else np.mean(w), color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("weight / group mean weight (log scale)" if relative else "weight (log scale)")
    record = design.calibration
    how = ("design weights" if record is None else
           f"{record.method} calibration to {', '.join(m.variable for m in record.targets.margins)}")
    # The title belongs to the figure, left-aligned and wrapped to its width: centred over the axes (which
    # start right of the long group labels) its second line ran off the right edge.
    import textwrap

    lines = [f"Weight distribution by {by or 'sample'}"] + textwrap.wrap(
        f"{how}; boxes at quartiles, whiskers at min and max", int(figure.get_figwidth() * 14))
    figure.suptitle("\n".join(lines), fontsize=9, x=0.01, ha="left")
    ax.invert_yaxis()
    figure.tight_layout(rect=(0, 0, 1, 1 - (0.1 + 0.16 * len(lines)) / figure.get_figheight()))
    return figure
