"""Families of generalised linear models: link, inverse link, its derivative and the variance function.

``"binomial"`` and ``"poisson"`` are R's ``quasibinomial`` and ``quasipoisson``: the same
estimating equations as the likelihood families, no warning for non-integer weights, and
standard errors from the design (the dispersion never enters a design-based sandwich).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import OptionError

_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class Family:
    """A GLM family with its canonical link, as R's ``family`` objects."""

    name: str
    link: str
    linkfun: Callable[[np.ndarray], np.ndarray]
    linkinv: Callable[[np.ndarray], np.ndarray]
    mu_eta: Callable[[np.ndarray], np.ndarray]
    variance: Callable[[np.ndarray], np.ndarray]
    start: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (y, prior weights) -> starting mu, as R's mustart
    valid: Callable[[np.ndarray], bool]
    expects: str


def _expit(eta: np.ndarray) -> np.ndarray:
    out = 1.0 / (1.0 + np.exp(-np.clip(eta, -30, 30)))
    return np.clip(out, _EPS, 1 - _EPS)


def _logit_mu_eta(eta: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(np.clip(eta, -30, 30)))
    return np.maximum(e / (1 + e) ** 2, _EPS)


GAUSSIAN = Family("gaussian", "identity", lambda mu: mu, lambda eta: eta, np.ones_like, np.ones_like,
                  lambda y, w: y, lambda y: True, "any number")
BINOMIAL = Family("binomial", "logit", lambda mu: np.log(mu / (1 - mu)), _expit, _logit_mu_eta,
                  lambda mu: mu * (1 - mu), lambda y, w: (w * y + 0.5) / (w + 1),
                  lambda y: bool(((y >= 0) & (y <= 1)).all()), "a share between 0 and 1 (usually 0 or 1)")
POISSON = Family("poisson", "log", np.log, lambda eta: np.maximum(np.exp(np.clip(eta, -700, 700)), _EPS),
                 lambda eta: np.maximum(np.exp(np.clip(eta, -700, 700)), _EPS), lambda mu: mu,
                 lambda y, w: y + 0.1, lambda y: bool((y >= 0).all()), "a count or rate, never negative")

#: The GLM families of :meth:`SurveyDesign.glm`, by name.
FAMILIES: dict[str, Family] = {"gaussian": GAUSSIAN, "binomial": BINOMIAL, "poisson": POISSON}


def family(name: str) -> Family:
    """The family called ``name``; an unknown name lists the valid ones."""
    if name not in FAMILIES:
        raise OptionError.unknown("family", name, FAMILIES)
    return FAMILIES[name]
