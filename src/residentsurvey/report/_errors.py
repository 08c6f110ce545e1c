"""The report layer's error (defined with the others in :mod:`residentsurvey.errors`)."""

from __future__ import annotations

from ..errors import ReportError

__all__ = ["ReportError"]
