"""The house: the package is layered as the pipeline flows, has no import cycle, and every module says its role.

The layers and the no-cycle rule are import-linter contracts in pyproject.toml;
this test runs them, and shows on a planted upward import that they can fail.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "sovereign_site"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 400


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_the_layers_and_the_no_cycle_rule_hold() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The data layer importing a page module must fail the check: the rule is real, not decoration."""
    root = tmp_path / "copy"
    shutil.copytree(PACKAGE, root / "sovereign_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    types = root / "sovereign_site" / "data" / "types.py"
    types.write_text(types.read_text(encoding="utf-8") + "\nfrom ..pages import placeholders  # noqa\n", encoding="utf-8")
    result = _lint(root)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "sovereign_site.data.types -> sovereign_site.pages.placeholders" in result.stdout


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_opens_with_a_one_line_role() -> None:
    missing = []
    for path in _modules():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc or not doc.splitlines()[0].strip().endswith((".", ":")):
            missing.append(str(path.relative_to(REPO)))
    assert not missing, f"modules without a one-line docstring saying their role: {missing}"


def test_no_module_is_over_400_lines_without_a_stated_reason() -> None:
    long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if text.count("\n") > MAX_LINES and "longer than 400 lines" not in doc.lower():
            long.append(f"{path.relative_to(REPO)}: {text.count(chr(10))} lines")
    assert not long, long


def test_the_data_layer_knows_nothing_of_caches_or_processes() -> None:
    """Spelled out besides the contract, because it is the rule most easily broken 'just this once'."""
    for path in (PACKAGE / "data").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                raise AssertionError(f"{path.name} imports from outside the data package: {ast.unparse(node)}")
