"""The markdown-it-py parser, built once: CommonMark, tables, footnotes, heading anchors; no raw HTML, safe link schemes only."""

from __future__ import annotations

import html
import re
import unicodedata

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .footnotes import install_footnote_renderers

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


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True, "html": False, "linkify": False})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    install_footnote_renderers(md)
    md.validateLink = validate_link  # type: ignore[method-assign]
    return md


MD = _build_parser()
