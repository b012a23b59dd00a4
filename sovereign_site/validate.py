"""``sovereign-site validate``: every content problem, nothing written.

It runs the same checks a build runs (dataset and essays alike) through the
same code, so a clean validate means the build will not fail on content. It
also looks for figures typed by hand in prose that equal a dataset value
(prose/handtyped.py): warnings, so ``validate --strict`` fails on them.
"""

from __future__ import annotations

from pathlib import Path

from .build.pipeline import prepare
from .data.errors import ContentError, Problem
from .prose.frontmatter import check_slugs
from .prose.handtyped import check_content
from .prose.pipeline import read_source, render


def validate(root: Path) -> list[Problem]:
    try:
        _settings, state = prepare(root)
    except ContentError as exc:
        return exc.problems
    for folder in ("essays", "pages"):
        for path in sorted((state.content / folder).glob("*.md")):
            text = read_source(path, state.report)
            if text is None:
                continue
            render(path, text, state.report, state.dataset, base="../../" if folder == "essays" else "../")
    check_slugs(state.content, state.report)
    check_content(state.content, state.dataset, state.report)
    return sorted(state.report.problems, key=lambda p: (p.file, p.line or 0))
