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

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.dataset import Dataset
from ..data.errors import Report
from ..data.yamlload import YamlError, read_text
from .footnotes import check_footnotes
from .frontmatter import split_front_matter
from .glossary import RenderContext, glossary_rule
from .korean import korean_quotes
from .parser import MD
from .references import RefContext, expand_refs
from .toc import TocEntry, nest_toc


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
    glossary = glossary_rule(ctx)

    class _State:  # the glossary rule only needs the token list
        pass

    state = _State()
    state.tokens = tokens  # type: ignore[attr-defined]
    korean_quotes(tokens)
    glossary(state)
    check_footnotes(tokens, env, report, path, text)
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


def reading_minutes(text: str, lang: str) -> int:
    """Korean readers take in about 500 syllables a minute; English readers about 230 words."""
    hangul = len(re.findall(r"[가-힣]", text))
    words = len(re.findall(r"[A-Za-z]+", text))
    minutes = hangul / 500 + words / 230 if lang == "ko" else words / 230 + hangul / 500
    return max(1, math.ceil(minutes))
