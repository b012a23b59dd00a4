"""Data references: ``[[fig:…]]``, ``[[date:…]]``, ``[[ratio:…/…]]`` and ``[[country:…]]`` become formatted text with a source footnote."""

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
from .ratio import RatioError, ratio_text

#: ``[[num:…]]`` marks a number that is deliberately not a dataset figure (one quoted
#: from a cited paper, say): it prints as written and the hand-typed check skips it.
_REF = re.compile(r"\[\[(fig|date|country|ratio|num):((?<=num:)[^\]\n]*|[^\]\s]*)\]\]")
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
    # [[fig:kr.population]] and [[fig:kr.gdp]]: the economy figures, unless an item has that id.
    if item_id in ("population", "gdp") and not isinstance(country.economy, str):
        figure = getattr(country.economy, item_id)
        return None if isinstance(figure, str) else figure
    return None


def _figure(item: Any, field_name: str | None, lang: str) -> str:
    from ..data.schema import Compute, Fact, FoundationModel, Funding, Gdp, Population

    bound = getattr(item, "bound", "exact")
    if isinstance(item, Gdp) and field_name in (None, "value"):
        return fmt.money(item.value, item.currency, lang, bound)
    if isinstance(item, Population) and field_name in (None, "value"):
        return fmt.count(item.value, lang, bound, "명" if lang == "ko" else "people")
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
        # The bound belongs to the petaflops when the item counts no GPUs (about 126 PF).
        return fmt.with_bound(f"{fmt.number(item.petaflops, lang)} PF", bound if item.gpus is None else "exact", lang)
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
        # A source whose title could not be confirmed shows what it is, in brackets, never as a title.
        shown = f"“{md_escape(source.title)}”" if source.title != "unknown" else f"\\[{md_escape(source.description or '')}\\]"
        text = f"{md_escape(source.publisher)}, [{shown}](<{source.url}>), {accessed} {source.accessed.isoformat()}"
        notes.append((label, text))
    return notes


def referenced_codes(text: str) -> set[str]:
    """The country codes an essay's data references name (what its rendering depends on)."""
    codes = set()
    for m in _REF.finditer(text):
        if m.group(1) == "num":
            continue
        for side in m.group(2).split("/") if m.group(1) == "ratio" else [m.group(2)]:
            codes.add(side.split(".", 1)[0])
    return codes


class RefError(LookupError):
    """A data reference that cannot be resolved; the message names the reference and why."""


@dataclass
class Resolved:
    """What a reference stands for: plain text, and the items (or country) it rests on."""

    text: str
    #: (country, item) pairs whose first source the reference cites.
    cited: list[tuple[Country, Any]] = field(default_factory=list)
    #: The country code of a ``[[country:…]]`` reference (a link in essays).
    country: str | None = None


def _lookup(dataset: Dataset, whole: str, kind: str, target: str) -> tuple[Country, Any, str | None]:
    parts = target.split(".")
    country = dataset.by_code.get(parts[0])
    if country is None:
        raise RefError(f"{whole}: unknown country '{parts[0]}'")
    if len(parts) not in (2, 3):
        raise RefError(f"{whole}: write [[{kind}:CODE.ID]] or [[{kind}:CODE.ID.FIELD]]")
    item = _find_item(country, parts[1])
    if item is None:
        raise RefError(f"{whole}: no item '{parts[1]}' in content/countries/{parts[0]}.yaml")
    return country, item, parts[2] if len(parts) == 3 else None


def resolve(dataset: Dataset, kind: str, target: str, lang: str) -> Resolved:
    """The text of ``[[kind:target]]`` in ``lang``; raises RefError with a message naming the reference."""
    whole = f"[[{kind}:{target}]]"
    if kind == "num":
        if not target.strip():
            raise RefError(f"{whole}: write [[num:TEXT]], such as [[num:700억]]")
        return Resolved(target.strip())
    if kind == "country":
        country = dataset.by_code.get(target.split(".")[0])
        if country is None:
            raise RefError(f"{whole}: unknown country '{target.split('.')[0]}'")
        if "." in target:
            raise RefError(f"{whole}: write [[country:CODE]]")
        return Resolved(country.names.ko if lang == "ko" else country.names.en, country=country.code)
    if kind == "ratio":
        left, sep, right = target.partition("/")
        if not sep or "/" in right:
            raise RefError(f"{whole}: write [[ratio:CODE.ID/CODE.ID]]")
        ca, a, fa = _lookup(dataset, whole, kind, left)
        cb, b, fb = _lookup(dataset, whole, kind, right)
        try:
            text = ratio_text(dataset, (a, fa), (b, fb), (left, right), lang)
        except RatioError as exc:
            raise RefError(f"{whole}: {exc}") from None
        return Resolved(text, [(ca, a), (cb, b)])
    country, item, field_name = _lookup(dataset, whole, kind, target)
    try:
        value = (_figure if kind == "fig" else _date)(item, field_name, lang)
    except LookupError as exc:
        raise RefError(f"{whole}: item '{target.split('.')[1]}' {exc}") from None
    return Resolved(value, [(country, item)])


def plain_refs(
    text: str, dataset: Dataset, lang: str, on_error: Callable[[str, str], None], memo: dict[tuple[str, str, str], str] | None = None
) -> str:
    """Replace every data reference in a data text (a summary, a note) with plain text.

    Data texts are printed escaped by the templates, charts and downloads, so the
    result is text, never markup: no footnote (the item's sources are listed
    where the data is shown) and no link. A reference that fails is left as
    written and ``on_error(reference, message)`` is called.
    """

    def one(match: re.Match[str]) -> str:
        key = (match.group(1), match.group(2), lang)
        if memo is not None and key in memo:
            return memo[key]  # a figure quoted in several texts of a file is formatted once
        try:
            text = resolve(dataset, match.group(1), match.group(2), lang).text
        except RefError as exc:
            on_error(match.group(0), str(exc))
            return match.group(0)
        if memo is not None:
            memo[key] = text
        return text

    return _REF.sub(one, text)


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
    try:
        resolved = resolve(ctx.dataset, match.group(1), match.group(2), ctx.lang)
    except RefError as exc:
        report.error(path, line, str(exc))
        code = match.group(2).split(".")[0]
        if code in ctx.dataset.by_code and code not in ctx.countries:
            ctx.countries.append(code)
        return md_escape(match.group(0))
    if resolved.country is not None:
        if resolved.country not in ctx.countries:
            ctx.countries.append(resolved.country)
        return f"[{md_escape(resolved.text)}]({ctx.country_url(resolved.country)})"
    refs = []
    for country, item in resolved.cited:
        if country.code not in ctx.countries:
            ctx.countries.append(country.code)
        # The item's first source is its primary one; the country page lists all of
        # them. Citing only the first keeps a long essay's notes readable.
        for label, text in _source_note(country, list(item.sources)[:1], ctx.lang):
            ctx.cited.setdefault(label, text)
            if f"[^{label}]" not in refs:
                refs.append(f"[^{label}]")
    return md_escape(resolved.text) + "".join(refs)
