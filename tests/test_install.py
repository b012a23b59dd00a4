"""A non-editable install works: a wheel installed into a fresh venv, outside the repository, builds a project.

Everything the build reads must come from the project (its theme, content and
settings) or from package data that the wheel carries; nothing may be found by
walking up from the package's own folder, which in a wheel is site-packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_builds_a_copy_of_the_project(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(REPO)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    (wheel,) = dist.glob("sovereign_site-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sovereign_site/charts/messages.yaml" in names, "package data missing from the wheel"
    assert not any(name.startswith(("templates/", "content/", "tests/")) for name in names)

    venv = tmp_path / "venv"
    # Nothing from this environment may leak into the fresh one (a PYTHONPATH pointing at a checkout would).
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300, env=clean)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=900, env={**clean, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]

    project = tmp_path / "mysite"
    project.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "pelicanconf.py", project / "pelicanconf.py")
    elsewhere = tmp_path / "elsewhere"  # not the repository: nothing can be imported from a checkout
    elsewhere.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "sovereign-site"), "build", "--project", str(project), "--output", str(tmp_path / "out")],
        cwd=elsewhere, capture_output=True, text=True, timeout=900,
        env=clean,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sovereign_site; print(sovereign_site.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, check=True, env=clean,
    ).stdout  # fmt: skip
    assert str(venv) in where and str(REPO) not in where
    out = tmp_path / "out"
    assert (out / "compare" / "funding" / "index.html").is_file()  # charts, which read the package's messages
    assert "<svg" in (out / "compare" / "funding" / "index.html").read_text(encoding="utf-8")
    assert (out / "pagefind" / "pagefind.js").is_file()
