"""Korean typography: straight double quotes become the curly pair Korean text uses."""

from __future__ import annotations

import re

from markdown_it.token import Token

_STRAIGHT_PAIR = re.compile(r'"([^"\n]+)"')


def korean_quotes(tokens: list[Token]) -> None:
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
