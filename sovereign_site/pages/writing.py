"""Writing the generator's files: inside the output folder only, and the search source beside it."""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]

from ..data.errors import ContentError, Problem


class OutputWriter:
    """What ``DataPagesGenerator`` writes with; it sets these attributes in ``generate_context``."""

    output_path: str
    folders: set[Path]
    written: list[str]
    search_source: Path | None

    def write_search_source(self, relative: str, text: str | None = None) -> None:
        """Give search a page to index: ``text`` (a page's searchable part), or the written page itself, linked.

        Pagefind reads this folder, not the site: it parses small documents
        instead of every full page, and its results keep each page's address.
        """
        assert self.search_source is not None
        target = self.search_source / _inside(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            target.write_text(text, encoding="utf-8")
            return
        source = Path(self.output_path, relative)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def write(self, relative: str, text: str) -> None:
        with self.open_text(relative) as f:
            f.write(text)

    @contextlib.contextmanager
    def open_text(self, relative: str) -> Iterator[TextIO]:
        """A file in the output folder, opened for writing as UTF-8 text."""
        target = Path(self.output_path, _inside(relative))
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        with target.open("w", encoding="utf-8", newline="") as f:
            yield f
        self.written.append(relative)


def _inside(relative: str) -> str:
    # Codes and slugs are checked against strict patterns on load; this is the
    # last line of defence against a path that escapes the output folder. The
    # output folder is new and holds no links, so checking the path's text is
    # enough (and much cheaper than resolving thousands of paths on disk).
    normal = posixpath.normpath(relative)
    if relative.startswith("/") or normal == ".." or normal.startswith("../"):
        raise ContentError([Problem(relative, None, None, "refusing to write outside the output folder")])
    return normal


# The stylesheets and scripts a page loads from the theme's static folder.
_ASSET = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="[^"]*?/static/([^"]+\.(?:css|js))"')


def page_weight(html: str, static: Path) -> int:
    """What a reader downloads for a page, uncompressed: its HTML and the theme's CSS and JS it loads, minified."""
    assets = [static / name for name in set(_ASSET.findall(html))]
    return len(html.encode()) + sum(len(minified(path).encode()) for path in assets if path.is_file())


def minified(path: Path) -> str:
    """A stylesheet or script as published: its comments and spaces removed (rcssmin, rjsmin)."""
    text = path.read_text(encoding="utf-8")
    return rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)


def minify_assets(static: Path) -> None:
    """Minify the CSS and JS the build copied into the output's static folder, each replaced in one step.

    The copies are the build's own (a fresh folder beside the output); a new
    file is renamed over each, so a hard-linked original would stay untouched.
    """
    for path in sorted(static.rglob("*")):
        if path.suffix in (".css", ".js") and path.is_file() and not path.is_symlink():
            tmp = path.with_name(f".{path.name}.min")
            tmp.write_text(minified(path), encoding="utf-8")
            os.replace(tmp, path)
