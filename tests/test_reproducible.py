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
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, need, run_cli
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


FAKETIME = shutil.which("faketime")


def _git(project: Path, *args: str, when: str) -> None:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project)}  # fmt: skip
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env={**os.environ, **env})


@pytest.mark.slow
def test_a_git_checkout_builds_the_same_bytes_on_two_different_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates come from commits, never the clock: the same commit built in 2027 and in 2031 is identical.

    libfaketime moves the whole process tree's clock (Python, git, Pagefind), and
    SOURCE_DATE_EPOCH is unset, so any use of "today" in the output shows up as a difference.
    """
    need(FAKETIME is not None, "faketime is not installed (apt: faketime)")
    assert FAKETIME
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project = make_project(tmp_path / "project")
    _git(project, "init", "-q", when="2026-01-02T03:04:05Z")
    _git(project, "add", "-A", when="2026-01-02T03:04:05Z")
    _git(project, "commit", "-q", "-m", "first", when="2026-01-02T03:04:05Z")
    outs = []
    for day in ("2027-03-01 10:00:00", "2031-07-15 23:30:00"):
        out = tmp_path / day[:4] / "site"
        result = subprocess.run(
            [FAKETIME, day, sys.executable, "-m", "sovereign_site", "build", "--no-cache", "--output", str(out)],
            cwd=project, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        outs.append(tree_digest(out))
    assert sorted(outs[0]) == sorted(outs[1]), "the builds wrote different files"
    differ = sorted(name for name in outs[0] if outs[0][name] != outs[1][name])
    assert differ == [], f"the clock leaked into: {differ}"
    feed = (tmp_path / "2027" / "site" / "feeds" / "data.atom.xml").read_text(encoding="utf-8")
    assert "<updated>2026-01-02T03:04:05+00:00</updated>" in feed, "the data feed's dates come from the commit"


def test_outside_git_the_data_feed_dates_are_the_files_as_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tarball has no history: each entry's date is its file's ``as_of``, whatever the clock says."""
    need(FAKETIME is not None, "faketime is not installed (apt: faketime)")
    assert FAKETIME
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project = make_project(tmp_path / "project", essays=False)
    (project / "content" / "countries" / "kr.yaml").write_text(
        (project / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8").replace("as_of: ", "as_of: 2025-02-03 #", 1),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = subprocess.run(
        [FAKETIME, "2031-07-15 23:30:00", sys.executable, "-m", "sovereign_site", "build", "--no-search", "--output", str(out)],
        cwd=project, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    feed = (out / "feeds" / "data.atom.xml").read_text(encoding="utf-8")
    assert feed.count("<updated>2025-02-03T00:00:00+00:00</updated>") == 2, feed  # the feed's and the entry's
    assert "2031" not in feed
