"""Checks that span a file or several files: codes against ISO lists, cited and defined sources, their age."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import schema
from .errors import Report
from .yamlload import Document

#: Codes people write for a country that ISO 3166 spells otherwise.
CODE_HINTS = {"uk": "gb", "en": "gb", "ko": "kr", "kor": "kr", "ja": "jp", "zh": "cn", "usa": "us"}


def check_code(code: str, report: Report, path: Path, line: int | None, column: int | None) -> None:
    """Check a code against ISO 3166-1 / 3166-2 (``eu`` is allowed for the European Union)."""
    import pycountry

    if CODE_HINTS.get(code):
        report.error(path, line, f"'{code}' is not an ISO 3166 code; did you mean {CODE_HINTS[code]}?", column, "code")
        return
    if code == "eu":
        return
    if "-" in code:
        if pycountry.subdivisions.get(code=code.upper()) is None:
            report.error(path, line, f"'{code}' is not an ISO 3166-2 subdivision code", column, "code")
        return
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        report.error(path, line, f"'{code}' is not an ISO 3166-1 alpha-2 country code", column, "code")


def check_country(country: schema.Country, doc: Document, report: Report, fx: schema.Fx | None, max_age: int, today: dt.date) -> None:
    """Checks that span one file: sources cited and defined, unique ids, exchange rates."""
    cited: list[tuple[str, tuple[Any, ...]]] = []
    ids: dict[str, tuple[Any, ...]] = {}
    for path, mapping in _mappings(doc.data):
        if "sources" in mapping and path != ():
            for i, sid in enumerate(mapping["sources"] or []):
                cited.append((sid, (*path, "sources", i)))
        if isinstance(mapping.get("id"), str) and path and path[0] != "sources" and "archetype" not in path:
            if mapping["id"] in ids:
                line, column = doc.locate((*path, "id"))
                report.error(doc.path, line, f"duplicate id '{mapping['id']}' in this file", column, _dotted((*path, "id")))
            ids[mapping["id"]] = path
    defined = {s.id for s in country.sources}
    for sid, path in cited:
        if sid not in defined:
            line, column = doc.locate(path)
            hint = difflib.get_close_matches(sid, sorted(defined), n=1)
            report.error(
                doc.path,
                line,
                f"source '{sid}' is cited but not defined under sources" + (f"; did you mean '{hint[0]}'?" if hint else ""),
                column,
                _dotted(path),
            )
    check_sources(doc, country.sources, [sid for sid, _ in cited], report, max_age, today)
    if fx is not None and isinstance(country.funding, list):
        have = {r.currency for r in fx.rates} | {"USD"}
        for i, item in enumerate(country.funding):
            if item.currency not in have:
                line, column = doc.locate(("funding", i, "currency"))
                report.error(doc.path, line, f"no exchange rate for {item.currency} in content/fx.yaml", column, f"funding.{i}.currency")
    _check_references(country, doc, report)
    for key in ("documents", "funding", "compute", "models", "timeline", "regulation", "summary", "archetype"):
        if getattr(country, key) == schema.UNKNOWN:
            line, column = doc.locate((key,))
            report.warn(doc.path, line, "the whole dimension is unknown", column, key)


def check_sources(doc: Document, sources: list[schema.Source], cited: list[str], report: Report, max_age: int, today: dt.date) -> None:
    seen: set[str] = set()
    used = set(cited)
    for i, source in enumerate(sources):
        # Positions only for problems: finding one may mean parsing the file again (Document.complete).
        if source.id in seen:
            line, column = doc.locate(("sources", i, "id"))
            report.error(doc.path, line, f"source id '{source.id}' is defined twice", column, f"sources.{i}.id")
        seen.add(source.id)
        if source.id not in used:
            line, column = doc.locate(("sources", i, "id"))
            report.warn(doc.path, line, f"source '{source.id}' is defined but never cited", column, f"sources.{i}.id")
        if source.accessed > today:
            line, column = doc.locate(("sources", i, "accessed"))
            report.warn(
                doc.path,
                line,
                f"source '{source.id}' says it was checked on {source.accessed}, which is in the future; give the day it was read",
                column,
                f"sources.{i}.accessed",
            )
        elif (today - source.accessed).days > max_age:
            line, column = doc.locate(("sources", i, "accessed"))
            report.warn(
                doc.path,
                line,
                f"source '{source.id}' was last checked on {source.accessed}, more than {max_age} days ago",
                column,
                f"sources.{i}.accessed",
            )


def _mappings(value: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every mapping in a loaded file with its path, parents first, in document order.

    Iterative, and scalars are never visited: a thousand country files hold
    three million values, of which only the mappings matter here.
    """
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            yield path, node
            children = [((*path, key), child) for key, child in node.items() if isinstance(child, (dict, list))]
        else:
            children = [((*path, i), child) for i, child in enumerate(node) if isinstance(child, (dict, list))]
        stack.extend(reversed(children))


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _check_references(country: schema.Country, doc: Document, report: Report) -> None:
    """Ids that point at other items in the file must name one: the main strategy, the key document, part_of."""
    documents = {d.id for d in country.documents} if isinstance(country.documents, list) else set()

    def need(ids: set[str], value: str | None, path: tuple[Any, ...], what: str) -> None:
        if value is not None and value != schema.UNKNOWN and value not in ids:
            line, column = doc.locate(path)
            report.error(doc.path, line, f"'{value}' is not the id of {what} in this file", column, _dotted(path))

    need(documents, country.main_strategy, ("main_strategy",), "a document")
    if not isinstance(country.regulation, str):
        need(documents, country.regulation.key_document, ("regulation", "key_document"), "a document")
    for key in ("funding", "compute"):
        items = getattr(country, key)
        if isinstance(items, list):
            ids = {item.id for item in items}
            for i, item in enumerate(items):
                need(ids - {item.id}, item.part_of, (key, i, "part_of"), f"another {key} item")
