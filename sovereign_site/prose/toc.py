"""The table of contents: h2 and h3 headings, nested."""

from __future__ import annotations

from dataclasses import dataclass, field


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
