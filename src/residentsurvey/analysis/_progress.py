"""A progress bar that suits where it is shown, and warns about nothing.

``tqdm.auto`` chooses the notebook widget inside Jupyter, but where ipywidgets is not installed it
warns on import (``TqdmWarning: IProgress not found``, with the path of tqdm's file), whether or not
a bar is ever shown: that warning reached the stored notebooks. Here tqdm is imported only when a
bar is made, and the widget only when ipywidgets is installed; otherwise the text bar, which a
terminal and Jupyter both show.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["progress_bar"]


def progress_bar(*, total: int, desc: str, unit: str, enabled: bool) -> "tqdm":
    """A tqdm bar (disabled, and drawing nothing, unless ``enabled``).

    Examples
    --------
    >>> bar = progress_bar(total=2, desc="indicators", unit="indicator", enabled=False)
    >>> bar.update(); bar.close()
    """
    if enabled and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled)
