"""The Pelican reader for ``.md`` essays and pages, built on our markdown-it pipeline.

Problems (a broken data reference, an undefined footnote…) are collected in the
build's report rather than raised: Pelican would log a raised error and skip
the file, and we want every problem reported, then the build to fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.readers import BaseReader

from ..data.errors import Problem, Report
from ..state import state_of
from .pipeline import Rendered, read_source, render
from .references import referenced_codes


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
        rendered = self.render(path, text, base)
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

    def render(self, path: Path, text: str, base: str) -> Rendered:
        """Render an essay; a running ``serve`` reuses the result while nothing it reads has changed.

        What it reads: its own text, the files of the countries its data
        references name, which codes exist, and the shared data files (glossary,
        exchange rates, dimensions). Problems found are replayed on reuse.
        """
        state = state_of(self.settings)
        ds, report = state.dataset, state.report
        if state.cache is None or not state.cache.keep_in_memory:
            return render(path, text, report, ds, base=base)
        key = (
            str(path),
            text,
            base,
            tuple(ds.by_code),
            sorted((code, ds.files.get(f"content/countries/{code}.yaml")) for code in referenced_codes(text)),
            sorted((name, digest) for name, digest in ds.files.items() if "/countries/" not in name),
        )

        def fresh() -> tuple[Rendered, list[Problem]]:
            own = Report(report.root)  # this essay's problems alone, to replay whenever it is reused
            return render(path, text, own, ds, base=base), own.problems

        rendered, problems = state.cache.in_memory("essay", key, fresh)
        report.problems.extend(problems)
        return rendered
