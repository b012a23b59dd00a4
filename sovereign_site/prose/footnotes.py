"""Footnotes: numbered references and back-links as we render them, and the check that each is defined and used."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..data.errors import Report

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
    # Notes are citations, not prose a reader searches for: Pagefind leaves them out.
    return f'<section class="footnotes" data-pagefind-ignore aria-label="{FOOTNOTES_LABEL[env.get("lang", "ko")]}">\n<ol>\n'


def _fn_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<li id="fn{_footnote_id(tokens, idx)[0]}">'


BACK = {"ko": "본문으로 돌아가기", "en": "Back to the text"}
BACK_TO = {"ko": "본문 인용 위치 {letter}", "en": "Back to citation {letter}"}


def _fn_anchor(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    # One back-link, or, for a note cited several times, one arrow and a lettered link per
    # citation ("↩︎ a b c", as Wikipedia does) instead of a row of identical arrows.
    lang = env.get("lang", "ko")
    meta = tokens[idx].meta
    count = env.get("footnotes", {}).get("list", {}).get(meta["id"], {}).get("count", 1)
    refid = _footnote_id(tokens, idx)[1]
    if count <= 1:
        return f' <a href="#fnref{refid}" aria-label="{BACK[lang]}">\u21a9\ufe0e</a>'
    sub = max(meta.get("subId", 0), 0)
    letter = chr(ord("a") + sub) if sub < 26 else str(sub + 1)
    arrow = " \u21a9\ufe0e" if sub == 0 else ""
    return f'{arrow} <a href="#fnref{refid}" aria-label="{BACK_TO[lang].format(letter=letter)}">{letter}</a>'


_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def check_footnotes(tokens: list[Token], env: dict[str, Any], report: Report, path: Path, source: str) -> None:
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


def install_footnote_renderers(md: MarkdownIt) -> None:
    md.add_render_rule("footnote_ref", _fn_ref)
    md.add_render_rule("footnote_block_open", _fn_block_open)
    md.add_render_rule("footnote_open", _fn_open)
    md.add_render_rule("footnote_anchor", _fn_anchor)
