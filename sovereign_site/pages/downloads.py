"""Machine-readable downloads: the dataset as JSON and CSV, per-country JSON, the JSON Schema.

Also the small per-language JSON the country picker reads. Everything here is
deterministic: the same dataset gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, Protocol, TextIO

from ..data import schema
from ..data.dataset import Dataset
from .compare import Cell, usd_of

DATASET_JSON = "data/sovereign-ai.json"
FIGURES_CSV = "data/figures.csv"
SCHEMA_JSON = "data/schema.json"


def _json(value: Any, indent: int | None = None) -> str:
    # Compact by default: Python's C encoder only runs without indentation, and
    # the data files of a large tracker are megabytes.
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=(",", ": ") if indent else (",", ":")) + "\n"


def country_json(country: schema.Country) -> dict[str, Any]:
    return country.model_dump(mode="json", exclude_none=True)


class Opener(Protocol):
    def __call__(self, relative: str) -> AbstractContextManager[TextIO]: ...


def dump_country(country: schema.Country) -> str:
    """One country as compact JSON, as it appears in both the combined and its own file."""
    return _json(country_json(country)).rstrip()


def _make(kind: str, country: schema.Country, make: Callable[[], str]) -> str:
    return make()


Remember = Callable[[str, schema.Country, Callable[[], str]], str]


def write_json(ds: Dataset, open_text: Opener, remember: Remember = _make) -> None:
    """Write the combined JSON and one JSON per country through ``open_text(path)``, a country at a time.

    At a thousand countries the downloads are 90 MB of text: holding them all at
    once would double the build's peak memory. Each country is serialised once and
    goes both into its own file and, in the same pass, into the combined file; the
    bytes are exactly those of ``json.dumps`` on the whole structure.
    ``remember(kind, country, make)`` lets ``serve`` keep each country's part
    between rebuilds; by default it just calls ``make()``.
    """
    meta = {"version": ds.version, "as_of": ds.as_of.isoformat(), "schema_version": schema.SCHEMA_VERSION, "license": "CC BY 4.0"}
    head = _json(meta).rstrip()[:-1]  # the meta object without its closing brace
    dimensions = _json([d.model_dump(mode="json") for d in ds.dimensions]).rstrip()
    with open_text(DATASET_JSON) as combined:
        combined.write(f'{head},"dimensions":{dimensions},"countries":[')
        for i, country in enumerate(ds.countries):
            data = remember("json", country, partial(dump_country, country))
            combined.write(f",{data}" if i else data)
            with open_text(f"data/countries/{country.code}.json") as single:
                single.write(f'{head},"country":{data}}}\n')
        combined.write(f'],"fx":{_json(ds.fx.model_dump(mode="json")).rstrip()}}}\n')


def write_csv_and_schema(ds: Dataset, open_text: Opener, remember: Remember = _make) -> None:
    """Write the figures CSV (a country at a time, as ``write_json``) and the JSON Schema."""
    with open_text(FIGURES_CSV) as f:
        f.write(csv_header())
        for country in ds.countries:
            f.write(remember("csv", country, partial(country_csv, ds, country)))
    with open_text(SCHEMA_JSON) as f:
        f.write(_json(schema.json_schema(), indent=2))


CSV_COLUMNS = [
    "country", "dimension", "id", "label_ko", "label_en", "value", "unit", "bound", "usd", "fx_year",
    "period_or_date", "sector", "status", "source_ids", "source_urls", "as_of",
]  # fmt: skip


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(CSV_COLUMNS)
    return buffer.getvalue()


def country_csv(ds: Dataset, c: schema.Country) -> str:
    """A country's rows of the figures CSV: one per figure, each with its sources and the as-of date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    urls = {s.id: s.url for s in c.sources}

    def row(
        dimension: str, item: Any, label: schema.Bilingual, value: Any, unit: str, when: Any,
        usd: Any = None, fx_year: Any = None,
    ) -> None:  # fmt: skip
        sources = list(item.sources)
        writer.writerow([safe_cell(cell) for cell in [
            c.code, dimension, item.id, label.ko, label.en, _num(value), unit, getattr(item, "bound", "exact"),
            _num(usd), fx_year or "", str(when) if when is not None else "", getattr(item, "sector", ""),
            getattr(item, "status", ""), " ".join(sources), " ".join(urls[s] for s in sources), c.as_of.isoformat(),
        ]])  # fmt: skip

    if isinstance(c.funding, list):
        for f in c.funding:
            converted = usd_of(ds, f)
            row(
                "funding",
                f,
                f.label,
                f.amount,
                f.currency,
                f.period,
                converted[0] if converted else None,
                converted[1] if converted else None,
            )
    if isinstance(c.compute, list):
        for k in c.compute:
            if k.gpus is not None:
                row("compute", k, k.label, k.gpus, "GPUs", k.date)
            if k.petaflops is not None:
                row("compute", k, k.label, k.petaflops, "PFLOPS", k.date)
    if isinstance(c.models, list):
        for m in c.models:
            name = schema.Bilingual(ko=m.name, en=m.name)
            row("models", m, name, m.params_total, "parameters", m.released)
            if m.params_active not in (None, schema.UNKNOWN):
                row(
                    "models",
                    m,
                    schema.Bilingual(ko=f"{m.name} (활성)", en=f"{m.name} (active)"),
                    m.params_active,
                    "parameters",
                    m.released,
                )
    for dimension, facts in c.facts.items():
        if isinstance(facts, list):
            for fact in facts:
                if fact.value is not None:
                    row(dimension, fact, fact.label, fact.value, fact.unit.en if fact.unit else "", fact.date)
    return buffer.getvalue()


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a leading ``'``.

    Only the CSV is changed; the JSON keeps the text as written. Numbers we write
    are never negative, so no figure is touched.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _num(value: Any) -> str:
    if value is None:
        return ""
    if value == schema.UNKNOWN:
        return "unknown"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else f"{value:.6g}" if value < 1 else repr(round(value, 2))
    return str(value)


def listing(ds: Dataset) -> list[dict[str, Any]]:
    """What the downloads page lists (labels are message keys)."""
    entries = [
        {"key": "downloads.dataset_json", "path": DATASET_JSON},
        {"key": "downloads.figures_csv", "path": FIGURES_CSV},
        {"key": "downloads.schema", "path": SCHEMA_JSON},
    ]
    return entries


def picker_json(ds: Dataset, lang: str, cells: dict[str, dict[str, Cell]], t: Any, views: dict[str, dict[str, Any]] | None = None) -> str:
    """What the side-by-side picker needs: names, links, indicator values and one-line cells, in one language."""
    prefix = "" if lang == "ko" else f"{lang}/"
    views = views or {}
    return _json(
        {
            "lang": lang,
            "indicators": [{"id": i.id, "label": i.name.get(lang), "url": f"{prefix}compare/indicators/{i.id}/"} for i in ds.indicators],
            "dimensions": [{"id": d.id, "label": d.label.get(lang)} for d in ds.dimensions],
            "countries": [
                {
                    "code": c.code,
                    "name": c.names.ko if lang == "ko" else c.names.en,
                    "url": f"{prefix}countries/{c.code}/",
                    "cells": {d: {"text": cell.text, "state": cell.state} for d, cell in cells[c.code].items()},
                    "indicators": {
                        i: {k: v[c.code][k] for k in ("text", "known", "chips", "details", "reason")}
                        for i, v in views.items()
                        if c.code in v
                    },
                }
                for c in ds.countries
            ],
        },
        indent=None,
    )


INDICATOR_COLUMNS = [
    "indicator", "name_ko", "name_en", "country", "value", "unit", "bound", "statuses", "sector", "period", "partial", "reason",
    "per_person_usd", "share_of_gdp", "category", "inputs",
]  # fmt: skip


def _indicator_rows(values: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "country": v.country.code,
            "value": v.amount,
            "bound": v.bound,
            "statuses": v.statuses,
            "sector": v.sector,
            "period": v.period,
            "partial": v.partial,
            "reason": v.reason,
            "per_person_usd": v.details.get("per_person"),
            "share_of_gdp": v.details.get("share_of_gdp"),
            "category": v.category,
            "inputs": v.inputs,
        }
        for v in values
    ]


def indicator_json(indicator: schema.Indicator, values: list[Any]) -> str:
    """One indicator with its definition, method and caveats in both languages, and every country's value and inputs."""
    meta = indicator.model_dump(mode="json")
    return _json({**meta, "values": _indicator_rows(values)}, indent=1)


def indicator_csv(indicator: schema.Indicator, values: list[Any]) -> str:
    """The same as a spreadsheet: one row a country, inputs as item ids (the JSON has the definition and method)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(INDICATOR_COLUMNS)
    for row in _indicator_rows(values):
        cells = [indicator.id, indicator.name.ko, indicator.name.en, row["country"], _num(row["value"]), indicator.unit, row["bound"], " ".join(row["statuses"]), row["sector"] or "",
                 row["period"] or "", "yes" if row["partial"] else "no", row["reason"] or "", _num(row["per_person_usd"]),
                 "" if row["share_of_gdp"] is None else f"{row['share_of_gdp']:.6g}", row["category"] or "", " ".join(row["inputs"])]  # fmt: skip
        writer.writerow([safe_cell(c) for c in cells])
    return buffer.getvalue()
