"""The Markdown pipeline: one markdown-it-py parser, data references, glossary terms.

``render(text, ...)`` turns an essay's Markdown into HTML plus metadata. It is
the only place Markdown is parsed; the Pelican reader and ``validate`` both
call it. Steps, in order:

1. split off the YAML front matter (positions kept for errors);
2. expand data references (``[[fig:kr.gpu-state-target]]``, ``[[date:…]]``,
   ``[[country:…]]``) into Markdown text plus a source footnote each;
3. parse with markdown-it-py: CommonMark, tables, footnotes, typographic
   quotes, heading anchors; raw HTML off and only safe link schemes;
4. mark the first use of each glossary term;
5. check footnotes (undefined or unused ones are errors), build the table of
   contents and compute the reading time.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import format as fmt
from .dataset import Dataset
from .dataset import validate as validate_model
from .errors import Report
from .schema import UNKNOWN, Country, FrontMatter, PartialDate
from .yamlload import Document, YamlError, load, read_text

# --- the parser, built once ---------------------------------------------------

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def slugify(text: str) -> str:
    """A readable anchor for Korean and English headings: "왜 소버린 AI인가?" -> "왜-소버린-ai인가"."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in text)
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "section"


def validate_link(url: str) -> bool:
    """Allow http(s), mailto and relative links; refuse javascript:, data:, vbscript: and the rest.

    markdown-it has already percent-encoded and entity-decoded the URL, and
    browsers ignore ASCII whitespace and control characters inside a scheme, so
    those are removed before the scheme is checked.
    """
    compact = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", compact)
    if scheme is None:
        # No scheme: a relative URL or fragment. A colon before the first slash
        # would make the browser read a scheme, so refuse it.
        return ":" not in compact.split("/", 1)[0]
    return compact.startswith(SAFE_SCHEMES)


FOOTNOTES_LABEL = {"ko": "각주", "en": "Notes"}


def _footnote_id(tokens: Any, idx: int) -> tuple[str, str]:
    meta = tokens[idx].meta
    ident = str(meta["id"] + 1)
    sub = meta.get("subId", -1)
    return ident, f"{ident}:{sub}" if sub and sub > 0 else ident


# Compact footnote markup: a long essay cites a hundred sources, and the
# plugin's default markup (brackets, an <hr>, a class on every item) adds
# several kilobytes to the page budget for nothing a reader sees.
def _fn_ref(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    ident, refid = _footnote_id(tokens, idx)
    return f'<sup class="footnote-ref"><a href="#fn{ident}" id="fnref{refid}">{ident}</a></sup>'


def _fn_block_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<section class="footnotes" aria-label="{FOOTNOTES_LABEL[env.get("lang", "ko")]}">\n<ol>\n'


def _fn_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<li id="fn{_footnote_id(tokens, idx)[0]}">'


def _fn_anchor(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f' <a href="#fnref{_footnote_id(tokens, idx)[1]}">\u21a9\ufe0e</a>'


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True, "html": False, "linkify": False})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    md.add_render_rule("footnote_ref", _fn_ref)
    md.add_render_rule("footnote_block_open", _fn_block_open)
    md.add_render_rule("footnote_open", _fn_open)
    md.add_render_rule("footnote_anchor", _fn_anchor)
    md.validateLink = validate_link  # type: ignore[method-assign]
    return md


MD = _build_parser()

# --- results --------------------------------------------------------------------


@dataclass
class TocEntry:
    level: int
    id: str
    text: str
    children: list[TocEntry] = field(default_factory=list)


def nest_toc(entries: list[TocEntry]) -> list[TocEntry]:
    """h3 entries become children of the h2 before them, so the contents number h2s only."""
    tree: list[TocEntry] = []
    for entry in entries:
        if entry.level == 3 and tree:
            tree[-1].children.append(entry)
        else:
            tree.append(entry)
    return tree


@dataclass
class Rendered:
    html: str
    metadata: dict[str, Any]
    toc: list[TocEntry] = field(default_factory=list)
    reading_minutes: int = 1
    countries: list[str] = field(default_factory=list)


def read_source(path: Path, report: Report) -> str | None:
    """An essay's text: UTF-8 (a BOM is fine), or None and a problem naming the line of the first bad byte."""
    try:
        return read_text(path)
    except YamlError as exc:
        report.error(path, exc.line, exc.message, exc.column)
        return None


# --- front matter -----------------------------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def split_front_matter(path: Path, text: str, report: Report) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, number of lines before the body).

    The metadata is validated by ``schema.FrontMatter``, with the same rigour and
    the same ``file:line`` messages as the dataset; only valid keys come back.
    """
    match = _FRONT.match(text)
    if not match:
        report.error(path, 1, "missing front matter: start the file with a '---' block holding title, slug, lang and date")
        return {}, text, 0
    try:
        # A blank first line stands for the opening '---', so positions are the file's own lines.
        doc: Document = load(path, "\n" + match.group(1))
    except YamlError as exc:
        report.error(path, exc.line or 1, f"front matter: {exc.message}", exc.column)
        return {}, text[match.end() :], match.group(0).count("\n")
    body, offset = text[match.end() :], match.group(0).count("\n")
    own = Report(report.root)
    front = validate_model(doc, FrontMatter, own)
    for problem in own.problems:
        report.error(path, problem.line, f"front matter: {problem.message}", problem.column, problem.field)
    if front is not None:
        return front.metadata(), body, offset
    # What is valid still renders, so one mistake does not hide the problems after it.
    bad = {problem.field.split(".")[0] for problem in own.problems}
    data = doc.data if isinstance(doc.data, dict) else {}
    return {k: v for k, v in data.items() if k not in bad and k in FrontMatter.model_fields}, body, offset


#: Top-level folders of the site: a page (content/pages/, written to <slug>/) may not take one of these names.
SITE_SECTIONS = frozenset(
    {"essays", "countries", "compare", "timeline", "glossary", "downloads", "data", "feeds", "search", "static", "pagefind",
     "changes", "en", "ko", "theme", "404"}
)  # fmt: skip


def check_slugs(content: Path, report: Report) -> None:
    """Two essays (or pages) in one language with one slug would overwrite each other; a page named like a section would replace it."""
    seen: dict[tuple[str, str, str], Path] = {}
    for folder in ("essays", "pages"):
        for path in sorted((content / folder).glob("*.md")):
            try:
                text = read_text(path)
            except YamlError:
                continue  # reported where the file is read
            quiet = Report(report.root)
            meta, _, _ = split_front_matter(path, text, quiet)
            slug, lang = meta.get("slug"), meta.get("lang", "ko")
            if not isinstance(slug, str):
                continue
            line = next((n for n, row in enumerate(text.split("\n")[:50], 1) if row.startswith("slug:")), 1)
            key = (folder, slug, str(lang))
            if key in seen:
                report.error(
                    path,
                    line,
                    f"slug '{slug}' ({lang}) is already used by {report.rel(seen[key])}; each {folder[:-1]} needs its own",
                    field="slug",
                )
            else:
                seen[key] = path
            if folder == "pages" and slug in SITE_SECTIONS:
                report.error(path, line, f"slug '{slug}' is a section of the site (/{slug}/); choose another", field="slug")


# --- data references ------------------------------------------------------------

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
    from .schema import Compute, Fact, FoundationModel, Funding

    bound = getattr(item, "bound", "exact")
    if isinstance(item, Funding) and field_name in (None, "amount"):
        return fmt.money(item.amount, item.currency, lang, bound, item.amount_max)
    if isinstance(item, Compute) and field_name in (None, "gpus"):
        if item.gpus is None:
            raise LookupError("has no GPU count; name a field such as petaflops")
        return fmt.count(item.gpus, lang, bound, "장" if lang == "ko" else "GPUs")
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


# --- glossary -------------------------------------------------------------------


def _glossary_rule(ctx: RenderContext) -> Callable[[Any], None]:
    terms: list[tuple[Any, str, re.Pattern[str]]] = []
    for term in ctx.dataset.glossary.terms:
        for surface in sorted({term.term.ko, term.term.en, *term.aliases}, key=len, reverse=True):
            if re.fullmatch(r"[A-Za-z0-9 .\-]+", surface):
                pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(surface) + r"(?![A-Za-z])")
            else:
                pattern = re.compile(re.escape(surface))
            terms.append((term, surface, pattern))
    finder = _TermFinder(terms)

    def rule(state: Any) -> None:
        used: set[str] = set()
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            if ctx.in_heading(block):
                continue
            children: list[Token] = []
            depth = 0  # inside a link: leave text alone
            for token in block.children:
                if token.type == "link_open":
                    depth += 1
                elif token.type == "link_close":
                    depth -= 1
                if token.type != "text" or depth:
                    children.append(token)
                    continue
                children.extend(_mark_terms(token, finder, used, ctx))
            block.children = children

    return rule


class _TermFinder:
    """The first glossary term in a text, among the terms not used yet.

    A plain substring test (fast, in C) comes before each term's regex, so a
    long essay of tables, with tens of thousands of text tokens, does not run
    every term's regex on every one of them. The leftmost match wins and, at
    one position, the term that comes first in the glossary.
    """

    def __init__(self, terms: list[tuple[Any, str, re.Pattern[str]]]) -> None:
        self.terms = terms

    def search(self, text: str, used: set[str]) -> tuple[Any, re.Match[str]] | None:
        best: tuple[Any, re.Match[str]] | None = None
        for term, surface, pattern in self.terms:
            if surface not in text or term.id in used:
                continue
            match = pattern.search(text)
            if match and (best is None or match.start() < best[1].start()):
                best = (term, match)
        return best


def _mark_terms(token: Token, finder: _TermFinder, used: set[str], ctx: RenderContext) -> list[Token]:
    text = token.content
    best = finder.search(text, used)
    if best is None:
        return [token]
    term, match = best
    used.add(term.id)
    before, after = Token("text", "", 0), Token("text", "", 0)
    before.content, after.content = text[: match.start()], text[match.end() :]
    marked = Token("html_inline", "", 0)
    definition = html.escape(term.definition.get(ctx.lang))
    tip = f"tip-{term.id}"
    marked.content = (
        f'<span class="term"><a href="{html.escape(ctx.glossary_url)}#{term.id}" aria-describedby="{tip}">'
        f"<dfn>{html.escape(match.group(0))}</dfn></a>"
        f'<span class="tip" role="tooltip" id="{tip}">{definition}</span></span>'
    )
    rest = _mark_terms(after, finder, used, ctx) if after.content else []
    return [before, marked, *rest]


# --- rendering -------------------------------------------------------------------


@dataclass
class RenderContext:
    dataset: Dataset
    lang: str
    country_url: Callable[[str], str]
    glossary_url: str
    _headings: set[int] = field(default_factory=set)

    def in_heading(self, token: Token) -> bool:
        return id(token) in self._headings


def render(path: Path, text: str, report: Report, dataset: Dataset, *, lang: str | None = None, base: str = "../../") -> Rendered:
    """Render one essay. Problems go to ``report``; the HTML is still returned.

    ``base`` is the relative path from the page to the site root of its
    language (``../../`` for ``essays/<slug>/``), used for links to country
    and glossary pages so the site works under any base URL.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").lstrip("\ufeff"))
    meta, body, offset = split_front_matter(path, text, report)
    lang = lang or meta.get("lang") or "ko"
    if lang not in ("ko", "en"):
        lang = "ko"
    ctx = RenderContext(dataset, lang, lambda code: f"{base}countries/{code}/", f"{base}glossary/")
    refs = RefContext(dataset, lang, ctx.country_url)
    for code in meta.get("countries") or []:
        if code not in dataset.by_code:
            report.error(path, 1, f"front matter: unknown country '{code}' in countries", field="countries")
    body = expand_refs(body, refs, report, path, offset)
    # Reading time counts the prose, not the notes at the end.
    prose = re.sub(r"(?m)^\[\^[^\]]+\]:.*$", "", body)
    if refs.cited:
        body += "\n\n" + "\n".join(f"[^{label}]: {text}" for label, text in refs.cited.items()) + "\n"
    env: dict[str, Any] = {}
    tokens = MD.parse(body, env)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            ctx._headings.add(id(tokens[i + 1]))
    glossary = _glossary_rule(ctx)

    class _State:  # the glossary rule only needs the token list
        pass

    state = _State()
    state.tokens = tokens  # type: ignore[attr-defined]
    _korean_quotes(tokens)
    glossary(state)
    _check_footnotes(tokens, env, report, path, text)
    toc = [
        TocEntry(int(tokens[i].tag[1]), tokens[i].attrs.get("id", ""), tokens[i + 1].content)  # type: ignore[arg-type]
        for i in range(len(tokens))
        if tokens[i].type == "heading_open" and tokens[i].tag in ("h2", "h3")
    ]
    # Footnote text needs no paragraph of its own.
    inside = False
    for token in tokens:
        if token.type in ("footnote_open", "footnote_close"):
            inside = token.type == "footnote_open"
        elif inside and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = True
    env["lang"] = lang
    html_out = MD.renderer.render(tokens, MD.options, env)
    countries = [c for c in (meta.get("countries") or []) if c in dataset.by_code]
    for code in refs.countries:
        if code not in countries:
            countries.append(code)
    return Rendered(html_out, meta, nest_toc(toc), reading_minutes(prose, lang), countries)


_STRAIGHT_PAIR = re.compile(r'"([^"\n]+)"')


def _korean_quotes(tokens: list[Token]) -> None:
    """Curl the quote pairs markdown-it's smartquotes leaves straight.

    Its rules follow English, where a closing quote is followed by a space or
    punctuation; in Korean a particle follows at once ("독파모"는), so those
    pairs stay straight. Pairs within one text run are curled here.
    """
    for block in tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.type == "text" and '"' in child.content:
                    child.content = _STRAIGHT_PAIR.sub("\u201c\\1\u201d", child.content)


_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def _check_footnotes(tokens: list[Token], env: dict[str, Any], report: Report, path: Path, source: str) -> None:
    refs = env.get("footnotes", {}).get("refs", {})
    lines = source.split("\n")
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text":
                for match in _UNDEFINED_FOOTNOTE.finditer(child.content):
                    report.error(path, _line_of(lines, match.group(0)), f"footnote [^{match.group(1)}] is used but never defined")
    for label, index in refs.items():
        if index == -1:
            report.error(path, _line_of(lines, f"[^{label[1:]}]:"), f"footnote [^{label[1:]}] is defined but never used")


def _line_of(lines: list[str], needle: str) -> int | None:
    """The first line of the original file that holds ``needle`` (token maps skip front matter)."""
    for number, text in enumerate(lines, 1):
        if needle in text:
            return number
    return None


def reading_minutes(text: str, lang: str) -> int:
    """Korean readers take in about 500 syllables a minute; English readers about 230 words."""
    hangul = len(re.findall(r"[가-힣]", text))
    words = len(re.findall(r"[A-Za-z]+", text))
    minutes = hangul / 500 + words / 230 if lang == "ko" else words / 230 + hangul / 500
    return max(1, math.ceil(minutes))
