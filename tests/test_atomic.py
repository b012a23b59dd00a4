"""Atomic publishing: a build that fails, is killed or is interrupted leaves the previous output exactly as it was.

``build`` renders into ``.<output>.tmp-<pid>`` beside the output and swaps it in
only at the end. These tests fail builds at several stages, kill one halfway
(SIGKILL, nothing can clean up), interrupt one (Ctrl-C: SIGINT to the process
group), and check the old output byte for byte, the exit codes, and that a later
successful build removes the temporary folders left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from test_broken_inputs import ENV, listing, make_project, temp_folders_beside, tree_digest

N_COUNTRIES = 150


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project with 150 synthetic countries (slow enough to stop halfway), and a good build of it."""
    import pycountry

    from sovereign_site.data.checks import CODE_HINTS

    root = tmp_path_factory.mktemp("big")
    project = make_project(root / "project")
    countries = project / "content" / "countries"
    base = (countries / "kr.yaml").read_text(encoding="utf-8")
    codes = sorted(c.alpha_2.lower() for c in pycountry.countries if c.alpha_2.lower() not in CODE_HINTS and c.alpha_2 != "KR")
    for country in [pycountry.countries.get(alpha_2=c.upper()) for c in codes[:N_COUNTRIES]]:
        code = country.alpha_2.lower()
        text = base.replace("code: kr", f"code: {code}").replace("en: South Korea", f"en: {country.name!r}")
        (countries / f"{code}.yaml").write_text(text, encoding="utf-8")
    good = root / "good"
    result = run_cli("build", "--output", str(good), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, good


def _start(project: Path, out: Path, pause: Path) -> subprocess.Popen[str]:
    # A session of its own, so a signal can go to the whole group as Ctrl-C in a terminal does.
    return subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "build", "--output", str(out)],
        cwd=project, env={**os.environ, **ENV, "SOVEREIGN_TEST_PAUSE": str(pause)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _wait_until_halfway(proc: subprocess.Popen[str], out: Path, pause: Path, timeout: float = 120) -> Path:
    """Wait until the build stops at its test hook: pages rendered into its temporary folder, nothing published."""
    tmp = out.parent / f".{out.name}.tmp-{proc.pid}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build ended before its pause:\n" + (proc.stderr.read() if proc.stderr else "")
        if pause.exists() and pause.read_text(encoding="utf-8") == str(proc.pid):
            assert tmp.is_dir() and any(tmp.rglob("*.html")), "paused with no pages rendered"
            return tmp
        time.sleep(0.01)
    raise AssertionError("the build never reached its pause")


def _copy_good(good: Path, dest: Path) -> dict[str, str]:
    shutil.copytree(good, dest, symlinks=True)
    return tree_digest(dest)


def _stop_halfway(big: tuple[Path, Path], out: Path, sig: signal.Signals) -> tuple[subprocess.Popen[str], Path, dict[str, str], str, str]:
    """Publish a good build at ``out``, start another, and send ``sig`` to its process group halfway.

    Returns the process (ended), its temporary folder, the good output's digest, stdout and stderr.
    """
    project, good = big
    before = _copy_good(good, out)
    pause = out.parent / f"{out.name}.paused"
    proc = _start(project, out, pause)
    try:
        tmp = _wait_until_halfway(proc, out, pause)
        os.killpg(proc.pid, sig)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc, tmp, before, stdout, stderr


def test_killed_build_leaves_old_output_and_the_next_build_cleans_up(big: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc, tmp, before, _, _ = _stop_halfway(big, out, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert tree_digest(out) == before, "a killed build changed the published output"
    assert tmp.name in temp_folders_beside(out), "the killed build should have left its half-written folder"

    # A later build succeeds (a half-written cache must not trip it) and removes what the killed one left.
    result = run_cli("build", "--output", str(out), cwd=big[0], env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert temp_folders_beside(out) == []
    assert f"({N_COUNTRIES + 1} countries" in result.stdout
    assert (out / "pagefind" / "pagefind.js").is_file()


def test_ctrl_c_exits_130_without_traceback_and_leaves_old_output(big: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc, _, before, stdout, stderr = _stop_halfway(big, out, signal.SIGINT)
    assert proc.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert stdout == ""
    assert tree_digest(out) == before, "an interrupted build changed the published output"
    assert temp_folders_beside(out) == [], "an interrupted build cleans up its own temporary folder"


def test_build_failing_while_pages_are_written_leaves_old_output(big: tuple[Path, Path], tmp_path: Path) -> None:
    """An essay error is found while Pelican writes pages into the temporary folder, not before."""
    _, good = big
    project = make_project(tmp_path / "project")
    (project / "content" / "essays" / "broken.md").write_text(
        "---\ntitle: x\nslug: broken\nlang: ko\ndate: 2026-01-01\n---\n\n[[fig:kr.nope]]\n", encoding="utf-8"
    )
    out = tmp_path / "site"
    before = _copy_good(good, out)
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/essays/broken.md:8: error: [[fig:kr.nope]]: no item 'nope'" in result.stderr
    assert tree_digest(out) == before
    assert temp_folders_beside(out) == []


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_template_error_leaves_old_output(big: tuple[Path, Path], tmp_path: Path, lang: str, workers: int) -> None:
    """A broken template is a bug, not content: exit 1 with a plain message, and the old site stays.

    With two workers the English pages render in a forked child: an error there
    must read the same as in the parent, and the parent must not publish.
    """
    _, good = big
    project = make_project(tmp_path / "project")
    (project / "templates").unlink()
    shutil.copytree(REPO / "templates", project / "templates")
    settings = (project / "pelicanconf.py").read_text(encoding="utf-8")
    (project / "pelicanconf.py").write_text(
        settings + f"\nTHEME_TEMPLATES_OVERRIDES = [{str(project / 'templates')!r}]\nSOVEREIGN_WORKERS = {workers}\n", encoding="utf-8"
    )
    country = project / "templates" / "country.html"
    broken = f"{{% block content %}}{{% if lang == '{lang}' %}}{{{{ no_such_function() }}}}{{% endif %}}"
    country.write_text(country.read_text(encoding="utf-8").replace("{% block content %}", broken, 1), encoding="utf-8")
    out = tmp_path / "site"
    before = _copy_good(good, out)
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "internal error: UndefinedError: 'no_such_function' is undefined" in result.stderr
    assert tree_digest(out) == before
    assert temp_folders_beside(out) == []


@pytest.mark.parametrize(
    ("where", "text", "message"),
    [
        ("content/countries/etc.yaml", None, "code: found '../../etc', which does not match the pattern"),
        (
            "content/essays/escape.md",
            "---\ntitle: x\nslug: ../../x\nlang: ko\ndate: 2026-01-01\n---\n\nbody\n",
            "slug '../../x' must be lower-case",
        ),
        (
            "content/essays/escape-abs.md",
            "---\ntitle: x\nslug: /tmp/sovereign-site-escape\nlang: ko\ndate: 2026-01-01\n---\n\nbody\n",
            "must be lower-case",
        ),
    ],
)
def test_identifiers_never_write_outside_the_output(tmp_path: Path, where: str, text: str | None, message: str) -> None:
    project = make_project(tmp_path / "project")
    path = project / where
    if text is None:
        kr = (project / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8")
        text = kr.replace("code: kr", "code: ../../etc")
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "a" / "b" / "site"
    out.parent.mkdir(parents=True)
    around = listing(tmp_path, skip=(out,))
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{where}:" in result.stderr and message in result.stderr
    assert listing(tmp_path, skip=(out,)) == around, "something was written outside the output folder"
    assert not out.exists()
    assert not Path("/tmp/sovereign-site-escape").exists()
    assert temp_folders_beside(out) == []
