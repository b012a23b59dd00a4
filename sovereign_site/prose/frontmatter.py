"""Front matter: the YAML block at the top of an essay, validated like the dataset; slugs unique across essays and pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..data.errors import Report
from ..data.schema import FrontMatter
from ..data.validation import validate as validate_model
from ..data.yamlload import Document, YamlError, load, read_text

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def split_front_matter(path: Path, text: str, report: Report) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, number of lines before the body).

    The metadata is validated by ``schema.FrontMatter``, with the same rigour and
    the same ``file:line`` messages as the dataset; only valid keys come back.
    """
    match = _FRONT.match(text)
    if not match:
        report.error(path, 1, "missing front matter: start the file with a '---' block holding title, slug, lang and date")
        return {}, text, 0
    try:
        # A blank first line stands for the opening '---', so positions are the file's own lines.
        doc: Document = load(path, "\n" + match.group(1))
    except YamlError as exc:
        report.error(path, exc.line or 1, f"front matter: {exc.message}", exc.column)
        return {}, text[match.end() :], match.group(0).count("\n")
    body, offset = text[match.end() :], match.group(0).count("\n")
    own = Report(report.root)
    front = validate_model(doc, FrontMatter, own)
    for problem in own.problems:
        report.error(path, problem.line, f"front matter: {problem.message}", problem.column, problem.field)
    if front is not None:
        return front.metadata(), body, offset
    # What is valid still renders, so one mistake does not hide the problems after it.
    bad = {problem.field.split(".")[0] for problem in own.problems}
    data = doc.data if isinstance(doc.data, dict) else {}
    return {k: v for k, v in data.items() if k not in bad and k in FrontMatter.model_fields}, body, offset


#: Top-level folders of the site: a page (content/pages/, written to <slug>/) may not take one of these names.
SITE_SECTIONS = frozenset(
    {"essays", "countries", "compare", "timeline", "glossary", "downloads", "data", "feeds", "search", "static", "pagefind",
     "changes", "en", "ko", "theme", "404"}
)  # fmt: skip


def check_slugs(content: Path, report: Report) -> None:
    """Two essays (or pages) in one language with one slug would overwrite each other; a page named like a section would replace it."""
    seen: dict[tuple[str, str, str], Path] = {}
    for folder in ("essays", "pages"):
        for path in sorted((content / folder).glob("*.md")):
            try:
                text = read_text(path)
            except YamlError:
                continue  # reported where the file is read
            quiet = Report(report.root)
            meta, _, _ = split_front_matter(path, text, quiet)
            slug, lang = meta.get("slug"), meta.get("lang", "ko")
            if not isinstance(slug, str):
                continue
            line = next((n for n, row in enumerate(text.split("\n")[:50], 1) if row.startswith("slug:")), 1)
            key = (folder, slug, str(lang))
            if key in seen:
                report.error(
                    path,
                    line,
                    f"slug '{slug}' ({lang}) is already used by {report.rel(seen[key])}; each {folder[:-1]} needs its own",
                    field="slug",
                )
            else:
                seen[key] = path
            if folder == "pages" and slug in SITE_SECTIONS:
                report.error(path, line, f"slug '{slug}' is a section of the site (/{slug}/); choose another", field="slug")
