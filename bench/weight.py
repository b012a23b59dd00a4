"""Where a page's bytes go: a built page split into the parts a reader sees, to find markup worth dropping.

``python bench/weight.py SITE [PAGE ...]`` reads built pages (default: the
heaviest country profile, sources page, history page, comparison page and
comparison page by region of ``SITE``) and prints, per page,
the bytes of each part: the head and navigation, change histories, source
lists, charts (the desktop and the phone drawing apart), the tables they
duplicate, item notes, and the rest; plus the stylesheets and scripts the
page loads. Parts are found with the class names our templates give them,
so the split needs no HTML parser and counts every byte once.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

#: (part, pattern) in the order they are cut out of the page; each byte counts once, in the first part that takes it.
PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("change histories", re.compile(r'<details class="item-history.*?</details>', re.S)),
    ("source lists", re.compile(r'<ol class="sources.*?</ol>', re.S)),
    ("charts: phone drawing", re.compile(r'<svg[^>]*class="[^"]*\bnarrow\b.*?</svg>', re.S)),
    ("charts: desktop drawing", re.compile(r"<svg.*?</svg>", re.S)),
    ("chart data tables (the chart as a table)", re.compile(r'<details class="chart-data.*?</details>', re.S)),
    ("item notes", re.compile(r'<small class="note">.*?</small>', re.S)),
    ("footnote marks", re.compile(r'<sup class="cite">.*?</sup>', re.S)),
    ("head and navigation", re.compile(r"\A.*?<main[^>]*>", re.S)),
    ("footer", re.compile(r"</main>.*\Z", re.S)),
)
_ASSET = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="/?([^"]+\.(?:css|js))"')


def split(html: str) -> list[tuple[str, int]]:
    """Bytes per part; what no pattern takes is "tables, text and the rest"."""
    sizes = []
    for name, pattern in PARTS:
        taken = 0

        def cut(match: re.Match[str]) -> str:
            nonlocal taken
            taken += len(match.group(0).encode())
            return ""

        html = pattern.sub(cut, html)
        sizes.append((name, taken))
    sizes.append(("tables, text and the rest", len(html.encode())))
    return sizes


def report(site: Path, page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    assets = sorted(set(_ASSET.findall(html)))
    asset_bytes = [(a, (site / a).stat().st_size) for a in assets if (site / a).is_file()]
    total = len(html.encode())
    lines = [f"{page.relative_to(site)}: {total / 1024:.0f} KB of HTML, {sum(b for _, b in asset_bytes) / 1024:.0f} KB of CSS and JS", ""]
    lines += ["| part | KB | share |", "|---|--:|--:|"]
    for name, size in split(html):
        if size:
            lines.append(f"| {name} | {size / 1024:.1f} | {size / total:.0%} |")
    lines += [f"| (loaded) {a} | {b / 1024:.1f} | |" for a, b in asset_bytes]
    return "\n".join(lines)


def heaviest(site: Path, pattern: str) -> Path | None:
    pages = list(site.glob(pattern))
    return max(pages, key=lambda p: p.stat().st_size) if pages else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("pages", nargs="*", help="pages relative to SITE (default: the heaviest of each kind below)")
    args = parser.parse_args(argv)
    # A country's profile, sources and history pages, and a comparison page or one region's part of it.
    kinds = (
        "countries/*/index.html",
        "countries/*/sources/index.html",
        "countries/*/history/index.html",
        "compare/*/index.html",
        "compare/*/*/index.html",
    )
    pages = [args.site / p for p in args.pages] or [p for p in (heaviest(args.site, kind) for kind in kinds) if p]
    print("\n\n".join(report(args.site, p) for p in pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
