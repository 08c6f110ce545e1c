"""A consortium plan: councils, targets and cost model in one YAML file, and what it works out to.

The file behind ``residentsurvey plan PLAN.yaml``; see ``examples/consortium_plan.yaml``.
Errors name the file, the line and the key path (``plan.yaml:14: councils[2].response_rate: ...``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import CostShareError, ResidentSurveyError, SamplingError
from ..sampling import plan_sample_sizes
from .model import Consortium, CostModel, Module, ReturnTier
from .money import to_pence
from .sharing import SHARING_METHODS, share_costs

__all__ = ["CouncilPlan", "ConsortiumPlan", "PlanResult", "read_plan", "run_plan", "format_plan"]


@dataclass(frozen=True)
class CouncilPlan:
    """One council's part of the plan: population, precision target, response rate, modules, booster."""

    name: str
    population: int
    margin: float
    response_rate: float
    deff: float
    modules: tuple[str, ...] = ()
    booster_returns: int = 0
    frame_addresses: int | None = None


@dataclass(frozen=True)
class ConsortiumPlan:
    """A consortium plan as read from its file."""

    name: str
    level: float
    p: float
    sharing: str
    councils: tuple[CouncilPlan, ...]
    model: CostModel
    source: str = "<plan>"


@dataclass(frozen=True)
class PlanResult:
    """What a plan works out to: sample sizes per council, the consortium it forms and each council's share."""

    plan: ConsortiumPlan
    samples: pd.DataFrame
    consortium: Consortium
    shares: pd.DataFrame


class _Reader:
    """Reads values from the parsed YAML, raising errors that give file, line and key path."""

    def __init__(self, path: str, node: yaml.Node | None) -> None:
        self.path, self.node = path, node

    def line(self, keys: tuple[Any, ...]) -> int | None:
        node = self.node
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                node = None
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None

    def where(self, keys: tuple[Any, ...]) -> str:
        text = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".") or "(top level)"
        line = self.line(keys) or self.line(keys[:-1])
        return f"{self.path}:{line}: {text}" if line else f"{self.path}: {text}"

    def fail(self, keys: tuple[Any, ...], message: str, kind: type[ResidentSurveyError] = CostShareError) -> ResidentSurveyError:
        return kind(f"{self.where(keys)}: {message}")

    def get(self, mapping: dict[str, Any], keys: tuple[Any, ...], kind: type, *, default: Any = ...,
            error: type[ResidentSurveyError] = CostShareError, low: float | None = None,
            high: float | None = None) -> Any:
        """``mapping[keys[-1]]`` checked to be a ``kind`` within [low, high]; ``default`` when absent."""
        key = keys[-1]
        if key not in mapping:
            if default is ...:
                raise self.fail(keys, "is required.", error)
            return default
        value = mapping[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, kind):
            expected = {float: "a number", int: "a whole number", str: "text", list: "a list", dict: "a mapping"}[kind]
            raise self.fail(keys, f"expected {expected}, found {value!r}.", error)
        if low is not None and value < low or high is not None and value > high:
            raise self.fail(keys, f"expected a value between {low} and {high}, found {value!r}.", error)
        return value

    def money(self, mapping: dict[str, Any], keys: tuple[Any, ...], *, default: Any = ...) -> int:
        """An amount in pounds at ``keys``, as whole pence."""
        if keys[-1] not in mapping and default is not ...:
            return default
        value = self.get(mapping, keys, object)
        try:
            return to_pence(value, what="the amount")
        except CostShareError as error:
            raise self.fail(keys, str(error)) from error


def _council(r: _Reader, raw: Any, i: int, defaults: dict[str, float]) -> CouncilPlan:
    keys = ("councils", i)
    if not isinstance(raw, dict):
        raise r.fail(keys, f"expected a mapping with name, population, margin and response_rate; found {raw!r}.", SamplingError)
    known = {"name", "population", "margin", "response_rate", "deff", "modules", "booster_returns", "frame_addresses"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise r.fail(keys + (unknown[0],), f"unknown key; a council takes {', '.join(sorted(known))}.", SamplingError)
    modules = r.get(raw, keys + ("modules",), list, default=[], error=CostShareError)
    for j, module in enumerate(modules):
        if not isinstance(module, str):
            raise r.fail(keys + ("modules", j), f"expected a module name, found {module!r}.")
    return CouncilPlan(
        name=r.get(raw, keys + ("name",), str, error=SamplingError),
        population=r.get(raw, keys + ("population",), int, error=SamplingError, low=1),
        margin=r.get(raw, keys + ("margin",), float, default=defaults.get("margin", ...), error=SamplingError, low=0),
        response_rate=r.get(raw, keys + ("response_rate",), float, default=defaults.get("response_rate", ...),
                            error=SamplingError, low=0, high=1),
        deff=r.get(raw, keys + ("deff",), float, default=defaults.get("deff", 1.0), error=SamplingError, low=0),
        modules=tuple(modules),
        booster_returns=r.get(raw, keys + ("booster_returns",), int, default=0, error=CostShareError, low=0),
        frame_addresses=r.get(raw, keys + ("frame_addresses",), int, default=None, error=SamplingError, low=0),
    )


def _model(r: _Reader, raw: Any) -> CostModel:
    keys: tuple[Any, ...] = ("cost_model",)
    if not isinstance(raw, dict):
        raise r.fail(keys, f"expected a mapping of costs (setup, per_council, per_address, per_return, modules); found {raw!r}.")
    tiers_raw = raw.get("per_return", 0)
    tiers = []
    if isinstance(tiers_raw, list):
        for j, tier in enumerate(tiers_raw):
            if not isinstance(tier, dict):
                raise r.fail(keys + ("per_return", j), f"expected {{from: returns, price: amount}}, found {tier!r}.")
            tiers.append(ReturnTier(r.get(tier, keys + ("per_return", j, "from"), int, low=0),
                                    r.money(tier, keys + ("per_return", j, "price"))))
    else:
        tiers.append(ReturnTier(0, r.money(raw, keys + ("per_return",), default=0)))
    modules = []
    for name, spec in (r.get(raw, keys + ("modules",), dict, default={}) or {}).items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise r.fail(keys + ("modules", name), f"expected {{setup: amount, per_return: amount}}, found {spec!r}.")
        modules.append(Module(str(name), r.money(spec, keys + ("modules", name, "setup"), default=0),
                              r.money(spec, keys + ("modules", name, "per_return"), default=0)))
    try:
        return CostModel(setup_pence=r.money(raw, keys + ("setup",), default=0),
                         per_council_pence=r.money(raw, keys + ("per_council",), default=0),
                         per_address_pence=r.money(raw, keys + ("per_address",), default=0),
                         return_tiers=tuple(tiers), modules=tuple(modules))
    except CostShareError as error:
        raise r.fail(keys, str(error)) from error


def read_plan(path: str | PathLike[str]) -> ConsortiumPlan:
    """Read and check a consortium plan from a YAML file.

    The file has ``name``, optional ``level`` (0.95), ``p`` (0.5) and defaults for councils
    (``margin``, ``response_rate``, ``deff``), ``sharing`` (a name from ``SHARING_METHODS``),
    ``councils`` (a list of ``name``, ``population``, ``margin``, ``response_rate``, optional
    ``deff``, ``modules``, ``booster_returns``, ``frame_addresses``) and ``cost_model``
    (``setup``, ``per_council``, ``per_address`` in pounds, ``per_return`` as an amount or a
    list of ``{from, price}`` tiers, ``modules`` as ``name: {setup, per_return}``).

    Examples
    --------
    >>> from pathlib import Path
    >>> import residentsurvey
    >>> example = Path(residentsurvey.__file__).parents[2] / "examples" / "consortium_plan.yaml"
    >>> plan = read_plan(example)
    >>> len(plan.councils), plan.sharing
    (5, 'shapley')
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CostShareError(f"{path}: cannot read the plan ({error.strerror or error}).") from error
    try:
        data, node = yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise CostShareError(f"{where}: not valid YAML ({getattr(error, 'problem', error)}).") from error
    r = _Reader(str(path), node)
    if not isinstance(data, dict):
        raise r.fail((), "expected a mapping with councils and cost_model.")
    known = {"name", "level", "p", "margin", "response_rate", "deff", "sharing", "councils", "cost_model"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise r.fail((unknown[0],), f"unknown key; a plan takes {', '.join(sorted(known))}.")
    defaults = {k: r.get(data, (k,), float, error=SamplingError, low=0) for k in ("margin", "response_rate", "deff") if k in data}
    sharing = r.get(data, ("sharing",), str, default="shapley")
    if sharing not in SHARING_METHODS:
        raise r.fail(("sharing",), f"{sharing!r} is not a sharing method; use one of {', '.join(map(repr, SHARING_METHODS))}.")
    councils_raw = r.get(data, ("councils",), list)
    if not councils_raw:
        raise r.fail(("councils",), "lists no councils.")
    councils = tuple(_council(r, raw, i, defaults) for i, raw in enumerate(councils_raw))
    names = [c.name for c in councils]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise r.fail(("councils", i, "name"), f"council {name!r} is listed twice.")
    model = _model(r, r.get(data, ("cost_model",), dict))
    modules = {m.name for m in model.modules}
    for i, council in enumerate(councils):
        for j, module in enumerate(council.modules):
            if module not in modules:
                raise r.fail(("councils", i, "modules", j), f"module {module!r} is not in cost_model.modules "
                                                            f"({', '.join(sorted(modules)) or 'none defined'}).")
    return ConsortiumPlan(name=r.get(data, ("name",), str, default=path.stem),
                          level=r.get(data, ("level",), float, default=0.95, error=SamplingError, low=0, high=1),
                          p=r.get(data, ("p",), float, default=0.5, error=SamplingError, low=0, high=1),
                          sharing=sharing, councils=councils, model=model, source=str(path))


def run_plan(plan: ConsortiumPlan, *, method: str | None = None, samples: int = 10_000, seed: int = 0) -> PlanResult:
    """Sample sizes, addresses and cost shares of a plan.

    Booster returns are issued at the council's response rate: :math:`\\lceil B / r \\rceil`
    addresses. ``method`` overrides the plan's ``sharing``.
    """
    table = pd.DataFrame([{"council": c.name, "population": c.population, "margin": c.margin,
                           "response_rate": c.response_rate, "deff": c.deff,
                           "frame_addresses": c.frame_addresses} for c in plan.councils])
    try:
        samples_table = plan_sample_sizes(table, p=plan.p, level=plan.level)
    except SamplingError as error:
        raise SamplingError(f"{plan.source}: councils: {error}") from error
    samples_table["booster_returns"] = [c.booster_returns for c in plan.councils]
    samples_table["booster_addresses"] = [math.ceil(c.booster_returns / c.response_rate - 1e-9) for c in plan.councils]
    samples_table["modules"] = [";".join(c.modules) for c in plan.councils]
    consortium = Consortium.from_frame(plan.model, samples_table.drop(columns=["margin", "level", "deff", "n_srs",
                                                                                "response_rate", "margin_achieved"]))
    shares = share_costs(consortium, method=method or plan.sharing, samples=samples, seed=seed)
    return PlanResult(plan=plan, samples=samples_table, consortium=consortium, shares=shares)


def format_plan(result: PlanResult, *, core: pd.DataFrame | None = None) -> str:
    """The plan as text: sample sizes and addresses per council, then each council's share in pounds."""
    from .money import format_pence

    plan, samples, shares = result.plan, result.samples, result.shares
    lines = [f"{plan.name} ({plan.source}): {len(plan.councils)} councils, {plan.level:.0%} confidence, p = {plan.p:g}",
             "",
             f"  {'council':<18}{'population':>11}{'target':>8}{'deff':>6}{'response':>9}{'returns':>9}"
             f"{'addresses':>10}{'achieved':>9}{'booster':>9}"]
    for row in samples.itertuples(index=False):
        lines.append(f"  {row.council:<18}{row.population:>11,.0f}{'±' + format(100 * row.margin, '.1f'):>8}"
                     f"{row.deff:>6.2f}{row.response_rate:>9.0%}{row.achieved:>9,}{row.addresses:>10,}"
                     f"{'±' + format(100 * row.margin_achieved, '.2f'):>9}{row.booster_returns:>9,}")
    lines.append(f"  {'Total':<18}{samples['population'].sum():>11,.0f}{'':>23}{samples['achieved'].sum():>9,}"
                 f"{samples['addresses'].sum() + samples['booster_addresses'].sum():>10,}{'':>9}"
                 f"{samples['booster_returns'].sum():>9,}")
    lines.append("  (target and achieved: margin of error in percentage points; addresses include boosters' "
                 f"{samples['booster_addresses'].sum():,})")
    lines += ["", f"Invoice {format_pence(shares.attrs['invoice_pence'])}, shared by {shares.attrs['method']} "
                  f"({shares.attrs['basis']}): {shares.attrs['description']}", "",
              f"  {'council':<18}{'shared':>13}{'fee':>11}{'modules':>11}{'boosters':>11}{'total':>13}{'alone':>13}"]
    for row in shares.itertuples(index=False):
        lines.append(f"  {row.council:<18}{format_pence(row.shared_pence):>13}{format_pence(row.council_fee_pence):>11}"
                     f"{format_pence(row.module_pence):>11}{format_pence(row.booster_pence):>11}"
                     f"{format_pence(row.total_pence):>13}{format_pence(row.stand_alone_pence):>13}")
    lines.append(f"  {'Total':<18}{'':>46}{format_pence(int(shares['total_pence'].sum())):>13}")
    if core is not None:
        if core.attrs.get("in_core"):
            lines += ["", f"Core: no group of councils pays more than it would alone ({core.attrs['coalitions_checked']:,} "
                          "groups checked)."]
        else:
            worst = core.iloc[0]
            lines += ["", f"Core: {len(core):,} group(s) would pay less alone; worst: {worst['coalition']} pays "
                          f"{format_pence(int(worst['pays_pence']))} against {format_pence(int(worst['stand_alone_pence']))} alone."]
    return "\n".join(lines)
