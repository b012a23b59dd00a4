"""Indicator values as pages, the picker and the downloads show them: headline text, chips for status, sector and period, inputs.

One function, :func:`view`, turns an :class:`~sovereign_site.indicators.Value`
into plain, translated strings, so the HTML table, the picker's JSON and the
CSV download say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import format as fmt
from .. import indicators
from ..data.dataset import Dataset
from ..data.schema import Indicator
from ..indicators import Value

Translate = Callable[..., str]


def _usd(amount: float, lang: str, bound: str = "exact") -> str:
    return fmt.usd(amount, lang, bound)


def _per_person(amount: float, lang: str, bound: str) -> str:
    return fmt.usd(amount, lang, bound)


def _percent(share: float, lang: str) -> str:
    return f"{fmt.number(share * 100, lang, 2)}%"


def view(value: Value, indicator: Indicator, lang: str, t: Translate, item_url: Callable[[str, str], str]) -> dict[str, Any]:
    """Everything shown for one country on one indicator, in ``lang``."""
    code = value.country.code
    chips: list[dict[str, str]] = []
    for status in value.statuses:
        chips.append({"kind": "status", "value": status, "text": t(f"indicator.status.{status}")})
    if value.sector:
        chips.append({"kind": "sector", "value": value.sector, "text": t(f"sector.{value.sector}")})
    if value.period:
        chips.append({"kind": "period", "value": value.period, "text": _period(value.period, lang)})
    if value.partial:
        chips.append({"kind": "partial", "value": "partial", "text": t("indicator.partial")})
    details: list[str] = []
    text = ""
    d = value.details
    if indicator.unit in ("usd-per-year", "usd") and value.amount is not None:
        text = _usd(value.amount, lang, value.bound)
        if d.get("per_person") is not None:
            details.append(
                t(
                    "indicator.per_person",
                    value=_per_person(d["per_person"], lang, _person_bound(value.bound, d)),
                    year=d["population_year"],
                )
            )
        if d.get("share_of_gdp") is not None:
            details.append(t("indicator.share_of_gdp", value=_percent(d["share_of_gdp"], lang), year=d["gdp_year"]))
        if d.get("annualised"):
            details.append(t("indicator.annualised", n=len(d["annualised"])))
        if d.get("mixed"):
            details.append(t("indicator.mixed_left_out", n=len(d["mixed"])))
    elif indicator.unit == "gpus":
        unit = "장" if lang == "ko" else "GPUs"
        if value.amount is not None:
            text = fmt.count(value.amount, lang, value.bound, unit)
            for sector, n in sorted(d.get("operating_by_sector", {}).items()):
                details.append(t("indicator.operating_sector", sector=t(f"sector.{sector}"), value=fmt.count(n, lang, "exact", unit)))
        for sector, item in sorted(d.get("largest_plan", {}).items()):
            details.append(
                t(
                    "indicator.largest_plan",
                    sector=t(f"sector.{sector}"),
                    value=fmt.count(item.gpus, lang, item.bound, item.unit.get(lang) if item.unit else unit),
                    label=item.label.get(lang),
                )
            )
        if d.get("accelerators"):
            details.append(t("indicator.accelerators", chips=", ".join(d["accelerators"])))
    elif indicator.unit == "models" and value.amount is not None:
        text = t("indicator.models_count", scratch=fmt.number(value.amount, lang, 0), derived=fmt.number(d["derived"], lang, 0))
        for key in ("from_scratch", "derived"):
            model = d.get(f"largest_{key}")
            if model is not None:
                details.append(
                    t(
                        f"indicator.largest_{key}",
                        name=model.name,
                        params=fmt.params(model.params_total, lang, model.bound),
                        date=fmt.date(model.released, lang),
                    )
                )
    elif indicator.unit == "category" and value.category is not None:
        text = t(f"indicator.category.{value.category}")
        document = d.get("document")
        if document is not None:
            details.append(t("indicator.key_document", title=document.title.get(lang), date=fmt.date(d["in_force"], lang)))
    if not value.known:
        text = fmt.unknown(lang)
    return {
        "code": code,
        "known": value.known,
        "text": text,
        "sort": value.amount if value.amount is not None else -1,
        "chips": chips,
        "details": details,
        "reason": t(f"indicator.reason.{value.reason}") if value.reason else "",
        "inputs": [{"id": i, "url": item_url(code, i)} for i in value.inputs],
    }


def _person_bound(bound: str, details: dict[str, Any]) -> str:
    # Dividing by "more than 340 million people" gives "less than" per person: say only "about".
    return bound if details.get("population_bound", "exact") == "exact" else "about"


def _period(period: str, lang: str) -> str:
    if len(period) == 4 or ("-" in period and len(period) == 9 and period[4] == "-" and period[5:].isdigit()):
        first, _, last = period.partition("-")
        if lang == "ko":
            return f"{first}년" if not last else f"{first}~{last}년"
        return first if not last else f"{first}–{last}"
    from ..data.schema import PartialDate

    return fmt.date(PartialDate.parse(period), lang)


def views_for(ds: Dataset, lang: str, t: Translate, prefix: str) -> tuple[dict[str, list[Value]], dict[str, dict[str, dict[str, Any]]]]:
    """Every indicator's values in its own order, and each country's view of each, for one language.

    ``prefix`` is the language's path prefix; inputs link to ``{prefix}countries/{code}/#item-{code}-{id}``.
    """
    ordered = {ind.id: indicators.table(ds, ind) for ind in ds.indicators}

    def item_url(code: str, item: str) -> str:
        return f"{prefix}countries/{code}/#item-{code}-{item}"

    views = {ind.id: {v.country.code: view(v, ind, lang, t, item_url) for v in ordered[ind.id]} for ind in ds.indicators}
    return ordered, views
