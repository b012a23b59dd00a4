"""The Pelican reader for ``.md`` essays and pages, built on our markdown-it pipeline.

Problems (a broken data reference, an undefined footnote…) are collected in the
build's report rather than raised: Pelican would log a raised error and skip
the file, and we want every problem reported, then the build to fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.readers import BaseReader

from .markdown import read_source, render
from .plugin import state_of


class MarkdownItReader(BaseReader):
    enabled = True
    file_extensions = ["md"]  # noqa: RUF012 - Pelican's reader API is a class-level list

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        state = state_of(self.settings)
        path = Path(source_path)
        text = read_source(path, state.report)
        if text is None:
            # The problem is in the report and the build stops before writing
            # anything; Pelican only needs enough metadata to carry on reading.
            return "", {"title": path.stem, "slug": path.stem, "lang": "ko", "date": self.process_metadata("date", "2000-01-01")}
        # Essays live two levels below their language root (essays/<slug>/); pages one.
        base = "../../" if "essays" in path.parts else "../"
        rendered = render(path, text, state.report, state.dataset, base=base)
        metadata: dict[str, Any] = {}
        for key, value in rendered.metadata.items():
            if key in ("date", "modified"):
                value = str(value)
            metadata[key] = self.process_metadata(key, value)
        metadata["toc"] = rendered.toc
        metadata["reading_minutes"] = rendered.reading_minutes
        metadata["countries"] = rendered.countries
        metadata.setdefault("lang", "ko")
        if "title" not in metadata:
            metadata["title"] = path.stem
        return rendered.html, metadata
