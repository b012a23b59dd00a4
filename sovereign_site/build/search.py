"""The search index: Pagefind (from the pagefind[bin] package) run over the built site, its output made reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..data.errors import ContentError, Problem


def run_pagefind(site: Path) -> None:
    """Index the built site with Pagefind (from the pagefind[bin] package)."""
    result = subprocess.run(
        [
            sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--quiet",
            # Glossary pop-ups, footnote numbers and items' change histories (old values) are not
            # text a reader searches for, and would show up in result excerpts.
            "--exclude-selectors", ".term .tip", "--exclude-selectors", "sup.footnote-ref", "--exclude-selectors", "sup.cite",
            "--exclude-selectors", ".item-history",
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        raise ContentError([Problem(str(site), None, None, f"search indexing failed: {result.stderr.strip() or result.stdout.strip()}")])
    # Pagefind writes the languages of its entry file in a per-process random
    # order (a hash map); sort them so two builds give the same bytes.
    entry = site / "pagefind" / "pagefind-entry.json"
    if entry.exists():
        import json

        data = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(data.get("languages"), dict):
            data["languages"] = dict(sorted(data["languages"].items()))
        entry.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
