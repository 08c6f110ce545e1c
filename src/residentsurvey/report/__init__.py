"""Reports: charts (matplotlib), tables and pages built from designs and estimates."""

from .weights_chart import plot_weight_distribution

__all__ = ["plot_weight_distribution"]
