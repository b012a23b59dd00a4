"""The glossary rule: the first use of each term is marked, with its definition on hover and focus."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from ..data.dataset import Dataset


@dataclass
class RenderContext:
    dataset: Dataset
    lang: str
    country_url: Callable[[str], str]
    glossary_url: str
    _headings: set[int] = field(default_factory=set)

    def in_heading(self, token: Token) -> bool:
        return id(token) in self._headings


def glossary_rule(ctx: RenderContext) -> Callable[[Any], None]:
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
