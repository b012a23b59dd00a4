"""Indicators: typed country data in, like-for-like values out, each with the ids of the items it was computed from.

The indicators themselves are declared in ``content/indicators.yaml`` (name,
definition, method, caveats); this module holds the computation of each method.
A value never turns an unknown into zero: a missing input makes the value
``None`` with a reason, and a sum that may leave something out is marked
``partial``. Reasons are message keys (``indicator.reason.*``), translated by
the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .data.dataset import Dataset
from .data.schema import UNKNOWN, Compute, Country, FoundationModel, Indicator

#: Funding statuses that are public money set aside or spent (a pledge is not).
PUBLIC_STATUSES = ("actual", "budgeted", "planned")
OPERATING = ("operational", "delivered")
PLANNED = ("plan", "announced")
#: The regulatory approaches, grouped as the legal-basis indicator reports them (our analysis).
LEGAL_BASIS = {
    "comprehensive-law": "comprehensive-law",
    "supranational": "comprehensive-law",
    "sectoral-rules": "sectoral-rules",
    "executive-led": "executive-action",
    "principles-based": "guidance",
    "voluntary": "guidance",
}


@dataclass
class Value:
    """One country's value on one indicator."""

    country: Country
    #: The headline number in the indicator's unit, or None when it cannot be given (see ``reason``).
    amount: float | None
    bound: str = "exact"
    #: Statuses of the inputs (actual, budgeted, planned, pledged; operational, plan…).
    statuses: list[str] = field(default_factory=list)
    sector: str | None = None
    period: str | None = None
    #: Ids of the items the value was computed from, in the country file.
    inputs: list[str] = field(default_factory=list)
    partial: bool = False
    #: Why the value is unknown or partial: a message key under ``indicator.reason.``.
    reason: str | None = None
    #: Method-specific figures (per person, share of GDP, the largest plan…).
    details: dict[str, Any] = field(default_factory=dict)
    #: For a category indicator (the legal basis), the category instead of a number.
    category: str | None = None

    @property
    def known(self) -> bool:
        return self.amount is not None or self.category is not None


def compute(ds: Dataset, indicator: Indicator, country: Country) -> Value:
    return METHODS[indicator.method](ds, country)


def table(ds: Dataset, indicator: Indicator) -> list[Value]:
    """Every country's value, in the indicator's order: by value, largest first (a category by its date,
    earliest first), unknowns last, ties by code. Indicator pages use this one rule."""
    values = [compute(ds, indicator, c) for c in ds.countries]
    if indicator.unit == "category":
        return sorted(values, key=lambda v: (not v.known, v.period or "9999", v.country.code))
    return sorted(values, key=lambda v: (v.amount is None, -(v.amount or 0), v.country.code))


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _combine_bounds(bounds: list[str]) -> str | None:
    """The bound of a sum: exact only if every part is; None when "up to" meets "more than"."""
    lower = any(b in ("more-than", "at-least") for b in bounds)
    upper = any(b == "up-to" for b in bounds)
    if lower and upper:
        return None
    if upper:
        return "up-to"
    if lower:
        return "at-least"
    return "about" if "about" in bounds else "exact"


# --- public AI spending per year ----------------------------------------------------------------


def public_spending_per_year(ds: Dataset, country: Country) -> Value:
    items = [
        f
        for f in _listed(country.funding)
        if f.sector == "public" and f.scope in ("ai-total", "ai") and f.part_of is None and f.status in (*PUBLIC_STATUSES, UNKNOWN)
    ]
    if not items:
        return Value(country, None, reason="no-public-ai-items")
    cap = ds.as_of.year
    years = sorted({y for f in items for y in f.years})
    year = max((y for y in years if y <= cap), default=years[0])
    totals = [f for f in items if f.scope == "ai-total" and year in f.years]
    used = totals or [f for f in items if year in f.years]
    known = [f for f in used if f.amount != UNKNOWN]
    partial = not totals or len(known) < len(used)
    if not known:
        return Value(country, None, period=str(year), inputs=[f.id for f in used], reason="amount-unknown")
    usd = 0.0
    rates = set()
    for f in known:
        rate = ds.rate(f.currency, year)
        if rate is None:
            return Value(country, None, period=str(year), inputs=[f.id for f in used], reason="no-exchange-rate")
        rates.add((rate.currency, rate.year))
        assert isinstance(f.amount, float)
        usd += f.amount / len(f.years) / rate.per_usd
    bound = _combine_bounds([f.bound for f in known])
    if bound is None:
        return Value(country, None, period=str(year), inputs=[f.id for f in used], partial=True, reason="mixed-bounds")
    details: dict[str, Any] = {
        "annualised": [f.id for f in known if len(f.years) > 1],
        "rate_years": sorted(y for c, y in rates if c != "USD"),
        "total_published": bool(totals),
    }
    details.update(_per_person_and_gdp(ds, country, usd))
    reason = None if not partial else ("programmes-only" if not totals else "amount-unknown")
    statuses = sorted({str(f.status) for f in known})
    return Value(country, usd, bound, statuses, "public", str(year), [f.id for f in used], partial, reason, details)


def _per_person_and_gdp(ds: Dataset, country: Country, usd: float) -> dict[str, Any]:
    out: dict[str, Any] = {"per_person": None, "share_of_gdp": None}
    economy = country.economy
    if isinstance(economy, str):
        return out
    population, gdp = economy.population, economy.gdp
    if not isinstance(population, str) and isinstance(population.value, float):
        out["per_person"] = usd / population.value
        out["population_year"] = population.year
        out["population_bound"] = population.bound
    if not isinstance(gdp, str) and isinstance(gdp.value, float):
        converted = ds.to_usd(gdp.value, gdp.currency, gdp.year)
        if converted is not None:
            out["share_of_gdp"] = usd / converted[0]
            out["gdp_year"] = gdp.year
    return out


# --- private and foreign commitments -----------------------------------------------------------------


def private_commitments(ds: Dataset, country: Country) -> Value:
    items = [f for f in _listed(country.funding) if f.sector == "private" and f.part_of is None]
    mixed = [f.id for f in _listed(country.funding) if f.sector == "mixed"]
    if not items:
        return Value(country, None, reason="no-private-items", details={"mixed": mixed})
    known = [f for f in items if f.amount != UNKNOWN]
    if not known:
        return Value(country, None, inputs=[f.id for f in items], reason="amount-unknown", details={"mixed": mixed})
    usd = 0.0
    for f in known:
        converted = ds.to_usd(float(f.amount), f.currency, f.year)
        if converted is None:
            return Value(country, None, inputs=[f.id for f in items], reason="no-exchange-rate")
        usd += converted[0]
    bound = _combine_bounds([f.bound for f in known])
    first = min(f.years[0] for f in known)
    last = max(f.years[-1] for f in known)
    period = str(first) if first == last else f"{first}-{last}"
    if bound is None:
        return Value(country, None, period=period, inputs=[f.id for f in items], partial=True, reason="mixed-bounds")
    statuses = sorted({str(f.status) for f in known})
    partial = len(known) < len(items)
    return Value(
        country,
        usd,
        bound,
        statuses,
        "private",
        period,
        [f.id for f in items],
        partial,
        "amount-unknown" if partial else None,
        {"mixed": mixed},
    )


# --- compute in operation versus planned -------------------------------------------------------------


def _gpus(item: Compute) -> float | None:
    return float(item.gpus) if isinstance(item.gpus, int) else None


def compute_operating_vs_planned(ds: Dataset, country: Country) -> Value:
    # A layer's system that a member state's file already counts (JUPITER: the EU and Germany) is counted there only.
    items = [k for k in _listed(country.compute) if k.part_of is None and k.counted_in is None]
    operating = [k for k in items if k.status in OPERATING]
    counted = [k for k in operating if _gpus(k) is not None]
    by_sector: dict[str, float] = {}
    for k in counted:
        by_sector[k.sector] = by_sector.get(k.sector, 0) + (_gpus(k) or 0)
    plans = [k for k in items if k.status in PLANNED and _gpus(k) is not None]
    # Plans overlap (a national target holds the purchases under it), so they are never added:
    # the largest of each sector is shown, public and private apart.
    largest = {
        sector: max((k for k in plans if k.sector == sector), key=lambda k: (_gpus(k) or 0, k.id), default=None)
        for sector in ("public", "mixed", "private")
    }
    details: dict[str, Any] = {
        "operating_by_sector": by_sector,
        "largest_plan": {sector: k for sector, k in largest.items() if k is not None},
        "accelerators": sorted({k.accelerator for k in items if k.accelerator}),
    }
    if not counted:
        return Value(country, None, inputs=[k.id for k in operating], reason="no-operating-count", details=details)
    bound = _combine_bounds([k.bound for k in counted]) or "exact"
    statuses = sorted({k.status for k in counted})
    sectors = sorted(by_sector)
    return Value(
        country,
        sum(by_sector.values()),
        bound,
        statuses,
        sectors[0] if len(sectors) == 1 else "mixed",
        None,
        [k.id for k in counted],
        partial=len(counted) < len(operating),
        reason="count-unknown" if len(counted) < len(operating) else None,
        details=details,
    )


# --- home-grown foundation models --------------------------------------------------------------------


def _params(model: FoundationModel) -> float:
    return model.params_total if isinstance(model.params_total, float) else -1.0


def sovereign_models(ds: Dataset, country: Country) -> Value:
    released = [m for m in _listed(country.models) if m.status == "released"]
    if not released and not isinstance(country.models, list):
        return Value(country, None, reason="models-unknown")
    scratch = [m for m in released if m.origin == "from-scratch"]
    derived = [m for m in released if m.origin == "derived"]
    unknown_origin = [m for m in released if m.origin == "unknown"]
    largest = {
        name: max(group, key=lambda m: (_params(m), m.id), default=None)
        for name, group in (("from_scratch", scratch), ("derived", derived))
    }
    return Value(
        country,
        float(len(scratch)),
        statuses=["released"],
        inputs=[m.id for m in released],
        partial=bool(unknown_origin),
        reason="origin-unknown" if unknown_origin else None,
        details={"derived": len(derived), "origin_unknown": len(unknown_origin), **{f"largest_{k}": v for k, v in largest.items()}},
    )


# --- the legal basis -----------------------------------------------------------------------------------


def legal_basis(ds: Dataset, country: Country) -> Value:
    regulation = country.regulation
    if isinstance(regulation, str):
        return Value(country, None, reason="regulation-unknown")
    category = LEGAL_BASIS[regulation.approach]
    document = next((d for d in _listed(country.documents) if d.id == regulation.key_document), None)
    when = None
    if document is not None:
        when = next((v for v in (document.in_force, document.enacted, document.announced) if v not in (None, UNKNOWN)), None)
    return Value(
        country,
        None,
        inputs=[document.id] if document else [],
        period=str(when) if when else None,
        reason=None if document else "no-key-document",
        details={"approach": regulation.approach, "document": document, "in_force": when},
        category=category,
    )


METHODS: dict[str, Callable[[Dataset, Country], Value]] = {
    "public-spending-per-year": public_spending_per_year,
    "private-commitments": private_commitments,
    "compute-operating-vs-planned": compute_operating_vs_planned,
    "sovereign-models": sovereign_models,
    "legal-basis": legal_basis,
}


def _items(country: Country) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("documents", "funding", "compute", "models"):
        for item in _listed(getattr(country, key)):
            found[item.id] = item
    return found


def weak_inputs(ds: Dataset) -> list[tuple[Country, str, list[str]]]:
    """Headline figures that rest only on secondary sources: (country, item id, its source ids).

    Every input of an indicator is shown on the compare and indicator pages; ``validate --strict``
    warns about these, so that a figure readers compare rests on a primary or press source.
    """
    weak = []
    for country in ds.countries:
        kinds = {s.id: s.kind for s in country.sources}
        items = _items(country)
        seen: set[str] = set()
        for indicator in ds.indicators:
            for item_id in compute(ds, indicator, country).inputs:
                item = items.get(item_id)
                if item is None or item_id in seen:
                    continue
                seen.add(item_id)
                if item.sources and all(kinds.get(sid) == "secondary" for sid in item.sources):
                    weak.append((country, item_id, list(item.sources)))
    return weak


__all__ = ["METHODS", "Value", "compute", "table", "weak_inputs"]
