"""Golden site: the shipped content, built, must match the tree checked in under tests/golden/.

When a change to content, templates or code is intended, regenerate the tree
with ``make golden`` (``REGENERATE_GOLDEN=1 pytest tests/test_golden.py``)
and review the diff like any other change. The search index is left out: it
is binary and covered by the search tests. So are the static assets, which
the build copies from ``templates/static/`` unchanged: the test checks exactly
that, rather than keeping a second copy of every stylesheet and script here.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from conftest import SITE_URL, copy_project, run_cli

from sovereign_site.pages.writing import minified

GOLDEN = Path(__file__).parent / "golden"
STATIC = Path(__file__).resolve().parent.parent / "templates" / "static"


def _tree(root: Path, skip: str | None = None) -> dict[str, bytes]:
    files = (p for p in sorted(root.rglob("*")) if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files if skip is None or p.relative_to(root).parts[0] != skip}


def test_build_matches_golden_site(tmp_path: Path) -> None:
    # A copy outside git: dates in the data feed then come from the files' as_of,
    # so the tree does not change with every commit.
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--site-url", SITE_URL, "--no-search", "--strict")
    assert result.returncode == 0, result.stderr
    # The stylesheets and scripts are published minified; every other static file as it is.
    published = {name: minified(STATIC / name).encode() if name.endswith((".css", ".js")) else data for name, data in _tree(STATIC).items()}
    assert _tree(out / "static") == published, "the built static assets differ from templates/static/"
    expected, actual = _tree(GOLDEN), _tree(out, skip="static")
    if os.environ.get("REGENERATE_GOLDEN"):
        # Regenerating never passes: the new tree is written for review, and the test
        # fails, so a run with this variable set can't hide a change.
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: ["static"] if Path(folder) == out else [])
        changed = sorted(name for name in set(expected) | set(actual) if expected.get(name) != actual.get(name))
        pytest.fail(
            f"golden site regenerated: {len(changed)} file(s) changed ({', '.join(changed[:10])}{' …' if len(changed) > 10 else ''}); "
            "review them with `git diff --word-diff tests/golden`, then run the tests without REGENERATE_GOLDEN"
        )
    assert sorted(actual) == sorted(expected), "pages added or removed: run `make golden` if intended"
    for name, data in expected.items():
        if actual[name] != data:
            diff = "\n".join(
                difflib.unified_diff(
                    data.decode(errors="replace").splitlines(),
                    actual[name].decode(errors="replace").splitlines(),
                    "golden/" + name,
                    "built/" + name,
                    lineterm="",
                    n=2,
                )
            )
            raise AssertionError(f"{name} differs from the golden site (run `make golden` if intended):\n{diff[:4000]}")
