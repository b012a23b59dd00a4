"""Data references: ``[[fig:…]]``, ``[[date:…]]`` and ``[[country:…]]`` become formatted text with a source footnote."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.errors import Report
from ..data.schema import UNKNOWN, Country, PartialDate

_REF = re.compile(r"\[\[(fig|date|country):([^\]\s]*)\]\]")
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~\"'&:^])")


def md_escape(text: str) -> str:
    """Backslash-escape every Markdown-significant character of data text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass
class RefContext:
    dataset: Dataset
    lang: str
    #: URL of a country page relative to the page being rendered.
    country_url: Callable[[str], str]
    cited: dict[str, str] = field(default_factory=dict)  # footnote label -> definition
    countries: list[str] = field(default_factory=list)


def _find_item(country: Country, item_id: str) -> Any:
    for key in ("documents", "funding", "compute", "models", "timeline"):
        items = getattr(country, key)
        if isinstance(items, list):
            for item in items:
                if item.id == item_id:
                    return item
    if not isinstance(country.regulation, str):
        for key in ("instruments", "institutions"):
            items = getattr(country.regulation, key)
            if isinstance(items, list):
                for item in items:
                    if item.id == item_id:
                        return item
    for facts in country.facts.values():
        if isinstance(facts, list):
            for item in facts:
                if item.id == item_id:
                    return item
    return None


def _figure(item: Any, field_name: str | None, lang: str) -> str:
    from ..data.schema import Compute, Fact, FoundationModel, Funding

    bound = getattr(item, "bound", "exact")
    if isinstance(item, Funding) and field_name in (None, "amount"):
        return fmt.money(item.amount, item.currency, lang, bound, item.amount_max)
    if isinstance(item, Compute) and field_name in (None, "gpus"):
        if item.gpus is None:
            raise LookupError("has no GPU count; name a field such as petaflops")
        unit = item.unit.get(lang) if item.unit else ("장" if lang == "ko" else "GPUs")
        return fmt.count(item.gpus, lang, bound, unit)
    if isinstance(item, Compute) and field_name == "petaflops":
        if item.petaflops is None:
            raise LookupError("has no petaflops figure")
        return f"{fmt.number(item.petaflops, lang)} PF"
    if isinstance(item, FoundationModel) and field_name in (None, "params_total", "params_active"):
        return fmt.params(getattr(item, field_name or "params_total"), lang, bound if field_name != "params_active" else "exact")
    if isinstance(item, Fact) and field_name in (None, "value"):
        unit = item.unit.get(lang) if item.unit else ""
        return fmt.count(item.value, lang, bound, unit)
    raise LookupError(f"has no figure{' ' + repr(field_name) if field_name else ''}")


_DATE_FIELDS = ("in_force", "enacted", "announced", "released", "date", "established")


def _date(item: Any, field_name: str | None, lang: str) -> str:
    names = [field_name] if field_name else list(_DATE_FIELDS)
    for name in names:
        value = getattr(item, name, None)
        if value is not None and value != UNKNOWN and not isinstance(value, PartialDate | dt.date):
            continue  # a field that is not a date ([[date:kr.ai-basic-act.kind]]): no date here
        if value is not None and value != UNKNOWN:
            return fmt.date(value, lang)
        if field_name and value == UNKNOWN:
            return fmt.unknown(lang)
    raise LookupError(f"has no date{' ' + repr(field_name) if field_name else ''}")


def _source_note(country: Country, source_ids: list[str], lang: str) -> list[tuple[str, str]]:
    notes = []
    by_id = {s.id: s for s in country.sources}
    accessed = "접속일" if lang == "ko" else "accessed"
    for sid in source_ids:
        source = by_id[sid]
        label = f"src-{country.code}-{sid}"
        # The title is the link text: printing the URL as well would double every footnote.
        text = f"{md_escape(source.publisher)}, [“{md_escape(source.title)}”](<{source.url}>), {accessed} {source.accessed.isoformat()}"
        notes.append((label, text))
    return notes


def referenced_codes(text: str) -> set[str]:
    """The country codes an essay's data references name (what its rendering depends on)."""
    return {m.group(2).split(".", 1)[0] for m in _REF.finditer(text)}


def expand_refs(body: str, ctx: RefContext, report: Report, path: Path, line_offset: int) -> str:
    """Replace every data reference with formatted Markdown text and source footnote refs."""
    pieces = _CODE.split(body)
    line = line_offset + 1
    out = []
    for index, piece in enumerate(pieces):
        if index % 2 == 1:  # code: copied verbatim, data references stay literal
            out.append(piece)
            line += piece.count("\n")
            continue
        out.append(
            _REF.sub(lambda m, base=line, text=piece: _expand_one(m, ctx, report, path, base + text.count("\n", 0, m.start())), piece)
        )
        line += piece.count("\n")
    return "".join(out)


def _expand_one(match: re.Match[str], ctx: RefContext, report: Report, path: Path, line: int) -> str:
    kind, target = match.group(1), match.group(2)
    column = None
    parts = target.split(".")
    code = parts[0]
    country = ctx.dataset.by_code.get(code)
    if country is None:
        report.error(path, line, f"{match.group(0)}: unknown country '{code}'", column)
        return md_escape(match.group(0))
    if code not in ctx.countries:
        ctx.countries.append(code)
    if kind == "country":
        if len(parts) != 1:
            report.error(path, line, f"{match.group(0)}: write [[country:CODE]]")
        name = md_escape(country.names.ko if ctx.lang == "ko" else country.names.en)
        return f"[{name}]({ctx.country_url(code)})"
    if len(parts) not in (2, 3):
        report.error(path, line, f"{match.group(0)}: write [[{kind}:CODE.ID]] or [[{kind}:CODE.ID.FIELD]]")
        return md_escape(match.group(0))
    item = _find_item(country, parts[1])
    if item is None:
        report.error(path, line, f"{match.group(0)}: no item '{parts[1]}' in content/countries/{code}.yaml")
        return md_escape(match.group(0))
    try:
        value = (_figure if kind == "fig" else _date)(item, parts[2] if len(parts) == 3 else None, ctx.lang)
    except LookupError as exc:
        report.error(path, line, f"{match.group(0)}: item '{parts[1]}' {exc}")
        return md_escape(match.group(0))
    refs = []
    # The item's first source is its primary one; the country page lists all of
    # them. Citing only the first keeps a long essay's notes readable.
    for label, text in _source_note(country, list(item.sources)[:1], ctx.lang):
        ctx.cited.setdefault(label, text)
        refs.append(f"[^{label}]")
    return md_escape(value) + "".join(refs)
