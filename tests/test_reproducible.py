"""Reproducible builds: the same project built twice gives the same bytes.

Two copies of one project, at different paths, built at different times (more
than a second apart) into differently named folders, with SOURCE_DATE_EPOCH
unset both times, must produce identical trees, the Pagefind search index
included. A third build from a warm build cache must match the cold ones too,
and so must a build rendered in one process instead of two.

Pagefind itself writes ``pagefind/pagefind-entry.json`` with its languages in
an order that changes from run to run: it keeps them in a ``hashbrown::HashMap``
(``PagefindEntryMeta`` in ``pagefind/src/output/entry.rs``), whose hasher is
seeded randomly in every process. ``build.run_pagefind`` rewrites that file
with the languages sorted, so every file, that one included, must match byte
for byte.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from test_broken_inputs import make_project, tree_digest

#: Files whose bytes may differ between identical builds: none since build.run_pagefind sorts the entry file.
UNORDERED_JSON: set[str] = set()


def _build(project: Path, out: Path) -> None:
    result = run_cli("build", "--output", str(out), cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    mp = pytest.MonkeyPatch()
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    try:
        root = tmp_path_factory.mktemp("repro")
        # One snapshot of the theme for every build, so an edit to templates/ made
        # while the tests run cannot pass for an irreproducible build.
        theme = shutil.copytree(REPO / "templates", root / "theme")
        first = make_project(root / "a" / "project", templates=theme)
        second = make_project(root / "elsewhere" / "deeper" / "other-name", templates=theme)
        # Rendering in one process must give what two processes give (see sovereign_site/parallel.py).
        single = make_project(root / "single" / "project", templates=theme)
        settings = single / "pelicanconf.py"
        settings.write_text(settings.read_text(encoding="utf-8") + "\nSOVEREIGN_WORKERS = 1\n", encoding="utf-8")
        outs = [root / "a" / "output", root / "b" / "site-two", root / "c" / "warm", root / "d" / "one-process"]
        _build(first, outs[0])
        time.sleep(1.1)
        _build(second, outs[1])
        time.sleep(1.1)
        _build(first, outs[2])  # the same project again: its build cache (if any) is warm now
        _build(single, outs[3])
    finally:
        mp.undo()
    return outs


@pytest.mark.slow
@pytest.mark.parametrize("other", [1, 2, 3], ids=["other-path-and-time", "warm-cache", "one-process"])
def test_builds_are_byte_identical(builds: list[Path], other: int) -> None:
    a, b = tree_digest(builds[0]), tree_digest(builds[other])
    assert sorted(a) == sorted(b), "the builds wrote different files"
    assert len(a) > 50 and any(name.startswith("pagefind/index/") for name in a), "the search index is missing"
    differ = sorted(name for name in a if a[name] != b[name])
    assert set(differ) <= UNORDERED_JSON, f"files differ between identical builds: {differ}"
    for name in UNORDERED_JSON:
        first = json.loads((builds[0] / name).read_text(encoding="utf-8"))
        second = json.loads((builds[other] / name).read_text(encoding="utf-8"))
        assert first == second, f"{name} differs in content, not only in key order"


@pytest.mark.slow
def test_no_page_holds_a_build_path(builds: list[Path]) -> None:
    """Nothing machine-specific leaks into the output: neither the project's nor the output's path."""
    for out in builds[:2]:
        for path in out.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".csv", ".js", ".css"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert str(out.parent.parent) not in text, path
