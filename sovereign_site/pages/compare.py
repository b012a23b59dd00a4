"""Cross-country comparison: the one-line summary of a country on a dimension, and regional pages.

The overview matrix, the country picker's JSON and the country pages all use
:func:`cell`, so a country reads the same everywhere. Past a threshold of
countries, comparison tables are split by region, and a large region into
pages of at most REGION_PAGE_SIZE countries (:func:`region_pages`), so no
page grows with the size of the dataset.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, Country, Dimension, PartialDate

Translate = Callable[..., str]

#: The most countries one regional comparison page (matrix or dimension table) holds.
REGION_PAGE_SIZE = 30


@dataclass(frozen=True)
class Region:
    id: str
    label: str
    members: list[Any]


def region_pages(regions: list[Region], t: Translate, size: int = REGION_PAGE_SIZE) -> list[Region]:
    """Each region as one page, or cut into near-equal pages of at most ``size`` countries.

    A region's first page keeps the region's id (``asia``), so its address does
    not change when the region grows past ``size``; the others are ``asia-2``…
    """
    pages = []
    for region in regions:
        count = math.ceil(len(region.members) / size)
        if count <= 1:
            pages.append(region)
            continue
        per_page = math.ceil(len(region.members) / count)
        for n in range(1, count + 1):
            members = region.members[(n - 1) * per_page : n * per_page]
            label = t("compare.region_page", label=region.label, n=n, of=count)
            pages.append(Region(region.id if n == 1 else f"{region.id}-{n}", label, members))
    return pages


def table_rows(countries: list[Country], dimension: Dimension) -> int:
    """How many rows a dimension's comparison table has: one per item, or one for a country without items."""
    rows = 0
    for country in countries:
        if dimension.kind == "facts":
            items: Any = country.facts.get(dimension.id, UNKNOWN)
        elif dimension.kind == "regulation":
            reg = country.regulation
            items = [] if isinstance(reg, str) else [reg.instruments, reg.institutions]
            items = [i for part in items if isinstance(part, list) for i in part]
        else:
            items = getattr(country, dimension.kind)
        rows += len(items) if isinstance(items, list) and items else 1
    return rows


def approach_label(approach: str, t: Translate) -> str:
    return t(f"approach.{approach}")


@dataclass(frozen=True)
class Cell:
    text: str
    state: str  # "known", "unknown" or "none"


def cell(ds: Dataset, country: Country, dimension: Dimension, lang: str, t: Translate) -> Cell:
    """A one-line summary of ``country`` on ``dimension`` in ``lang``."""
    kind = dimension.kind
    if kind == "facts":
        items: Any = country.facts.get(dimension.id, UNKNOWN)
    elif kind == "regulation":
        if country.regulation == UNKNOWN:
            return Cell(t("value.unknown"), "unknown")
        reg = country.regulation
        assert not isinstance(reg, str)
        return Cell(approach_label(reg.approach, t), "known")
    else:
        items = getattr(country, kind)
    if items == UNKNOWN:
        return Cell(t("value.unknown"), "unknown")
    if not items:
        return Cell(t("value.none"), "none")
    if kind == "funding":
        public = [f for f in items if f.sector == "public"]
        largest = max(public or items, key=lambda f: _usd(ds, f))
        text = f"{fmt.money(largest.amount, largest.currency, lang, largest.bound, largest.amount_max)} · {largest.label.get(lang)}"
    elif kind == "compute":
        state = [c for c in items if c.sector != "private" and isinstance(c.gpus, int)]
        pick = max(state or items, key=lambda c: c.gpus if isinstance(c.gpus, int) else -1)
        value = fmt.count(pick.gpus, lang, pick.bound, t("unit.gpus")) if isinstance(pick.gpus, int) else ""
        text = f"{value} · {pick.label.get(lang)}" if value else pick.label.get(lang)
    elif kind == "models":
        sized = [m for m in items if isinstance(m.params_total, float)]
        if sized:
            biggest = max(sized, key=lambda m: m.params_total)
            text = f"{biggest.name} ({fmt.params(biggest.params_total, lang, biggest.bound)})"
        else:
            text = items[0].name
        more = len(items) - 1
        if more:
            text += t("cell.more_models", n=more)
    elif kind == "documents":
        # The main national strategy, where the file names one; else the newest document.
        main = next((d for d in items if d.id == country.main_strategy), None)
        latest = main or max(items, key=lambda d: (_doc_date(d) is not None, _doc_date(d) or PartialDate(1)))
        when = _doc_date(latest)
        text = f"{latest.title.get(lang)} ({fmt.date(when, lang)})" if when else latest.title.get(lang)
        more = len(items) - 1
        if more:
            text += t("cell.more_documents", n=more)
    else:  # facts
        first = items[0]
        if first.value not in (None, UNKNOWN):
            unit = first.unit.get(lang) if first.unit else ""
            text = f"{fmt.count(first.value, lang, first.bound, unit)} · {first.label.get(lang)}"
        else:
            text = first.label.get(lang)
    return Cell(text, "known")


def _usd(ds: Dataset, item: Any) -> float:
    if item.amount == UNKNOWN:
        return -1.0
    converted = ds.to_usd(item.amount, item.currency, item.year)
    return converted[0] if converted else -1.0


def _doc_date(d: Any) -> Any:
    for name in ("in_force", "enacted", "announced"):
        value = getattr(d, name)
        if value not in (None, UNKNOWN):
            return value
    return None


def usd_of(ds: Dataset, item: Any) -> tuple[float, int] | None:
    """The USD value of a funding item and the rate year used, or None."""
    if item.amount == UNKNOWN:
        return None
    converted = ds.to_usd(item.amount, item.currency, item.year)
    if converted is None:
        return None
    return converted[0], converted[1].year


#: Events the timeline page lists: the latest ones. Every event is on its year's page (a small
#: dataset) and on its country's timeline page.
TIMELINE_LIST_LIMIT = 60


def events_by_year(countries: list[Country], limit: int | None = None) -> list[tuple[str, list[tuple[str, Country, Any]]]]:
    """Every timeline event of ``countries`` (or the latest ``limit``), grouped by year, the latest year and event first.

    The timeline page lists them so that a phone, where a time axis has no room,
    still shows every event with its label. ``limit`` keeps the page from growing
    with the number of countries (a thousand countries' events would be megabytes).
    """
    events = [(str(m.date), c, m) for c in countries if isinstance(c.timeline, list) for m in c.timeline]
    events.sort(key=lambda e: (e[0], e[1].code), reverse=True)
    years: dict[str, list[tuple[str, Country, Any]]] = {}
    for event in events[:limit]:
        years.setdefault(event[0][:4], []).append(event)
    return list(years.items())


def event_years(countries: list[Country]) -> list[str]:
    """The years that have events, the latest first: one timeline page each."""
    return sorted({str(m.date)[:4] for c in countries if isinstance(c.timeline, list) for m in c.timeline}, reverse=True)


def event_count(countries: list[Country]) -> int:
    return sum(len(c.timeline) for c in countries if isinstance(c.timeline, list))
