"""The output folder: a build replaces only what a build made, refuses what it must never touch, and builds one at a time.

Every case builds inside a temporary folder, and every refusal is checked byte
for byte: the foreign files are unchanged. Paths that must never be used (``/``,
a home folder, the project's parents) are tested by calling the function that
decides, never by running a build at them: this machine is shared.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from test_broken_inputs import ENV, make_project, tree_digest

from sovereign_site.build import output as output_folder


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root`` by kind, with the bytes of regular files only: a FIFO is never opened."""
    import hashlib
    import stat

    result: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            result[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            result[str(path.relative_to(root))] = "link:" + os.readlink(path)
        else:
            result[str(path.relative_to(root))] = stat.filemode(info.st_mode)[0]
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("safety") / "project", essays=False)


def _build(project: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--no-search", "--output", str(out), *extra, cwd=project, env=ENV)


def test_a_folder_of_foreign_files_is_refused_and_left_alone(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "Documents"
    (out / "sub").mkdir(parents=True)
    (out / "thesis.docx").write_bytes(b"years of work")
    (out / "sub" / "photo.jpg").write_bytes(b"\xff\xd8")
    before = tree_digest(out)
    result = _build(project, out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{out}: the folder is not empty (sub, thesis.docx) and no build made it; refusing to replace it" in result.stderr
    assert "--force" in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents"], "the refused build wrote beside the folder"


def test_force_replaces_a_foreign_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("old", encoding="utf-8")
    result = _build(project, out, "--force")
    assert result.returncode == 0, result.stderr
    assert not (out / "old.html").exists()
    assert (out / "index.html").is_file() and (out / output_folder.STAMP).is_file()


def test_a_previous_build_and_an_empty_folder_are_replaced(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    assert _build(project, out).returncode == 0  # empty: fine
    assert (out / output_folder.STAMP).read_text(encoding="utf-8") == output_folder.STAMP_TEXT
    (out / "stale-page.html").write_text("left over", encoding="utf-8")
    again = _build(project, out)  # stamped by the build before: replaced whole
    assert again.returncode == 0, again.stderr
    assert not (out / "stale-page.html").exists()


@pytest.mark.parametrize("kind", ["fifo", "file", "symlink-to-file", "symlink-to-fifo", "symlink-to-folder", "socket"])
def test_a_path_that_is_not_a_folder_is_refused_without_opening_it(project: Path, tmp_path: Path, kind: str) -> None:
    """A FIFO stands in for a device such as /dev/null: opening it would hang, replacing it would break the machine."""
    out = tmp_path / "out"
    target = tmp_path / "target"
    server = None
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "file":
        out.write_bytes(b"precious")
    elif kind == "symlink-to-file":
        target.write_bytes(b"precious")
        out.symlink_to(target)
    elif kind == "symlink-to-fifo":
        os.mkfifo(target)
        out.symlink_to(target)
    elif kind == "symlink-to-folder":
        target.mkdir()
        (target / "keep.txt").write_text("keep", encoding="utf-8")
        out.symlink_to(target)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(out))
    before = snapshot(tmp_path)
    try:
        result = _build(project, out)  # a FIFO that were opened would hang here: run_cli has a timeout
    finally:
        if server:
            server.close()
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{out}: exists and is " in result.stderr and "not a folder; refusing to replace it" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_path_under_a_file_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = _build(project, tmp_path / "file" / "sub")
    assert result.returncode == 2, result.stderr
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("/", "the root of the file system"),
        ("/etc", "a top-level system folder"),
        ("HOME", "your home folder"),
        ("HOME/..", "your home folder or a folder above it"),
        ("PROJECT", "the project folder"),
        ("PROJECT/..", "the project folder or a folder above it"),
        ("PROJECT/content", "which the build reads"),
        ("PROJECT/content/out", "which the build reads"),
        ("PROJECT/templates", "which the build reads"),
    ],
)
def test_paths_that_are_never_an_output_even_with_force(tmp_path: Path, where: str, reason: str) -> None:
    """Decided by the function alone: nothing is built at these paths."""
    project = tmp_path / "home" / "me" / "work" / "site"
    (project / "content").mkdir(parents=True)
    (project / "templates").mkdir()
    home = tmp_path / "home" / "me"
    path = Path(where.replace("HOME", str(home)).replace("PROJECT", str(project)))
    protected = [project / "content", project / "templates"]
    assert reason in (output_folder.forbidden_reason(path, project, protected, home=home) or "")
    with pytest.raises(output_folder.OutputError) as caught:
        output_folder.check(path, project, protected, force=True, home=home)
    assert caught.value.usage


def test_an_ordinary_folder_is_allowed(tmp_path: Path) -> None:
    project = tmp_path / "site"
    assert output_folder.forbidden_reason(tmp_path / "site" / "output", project, [project / "content"], home=tmp_path / "h") is None
    assert output_folder.forbidden_reason(tmp_path / "elsewhere", project, [project / "content"], home=tmp_path / "h") is None


def test_the_cli_refuses_the_project_itself_and_its_content(project: Path) -> None:
    for out in (".", "content", "content/site"):
        before = tree_digest(project / "content")
        result = run_cli("build", "--no-search", "--force", "--output", out, cwd=project, env=ENV)
        assert result.returncode == 2, (out, result.stderr)
        assert "refusing to use this as the output folder" in result.stderr
        assert tree_digest(project / "content") == before


def test_two_builds_at_once_take_turns_and_both_publish_whole_sites(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    pause = tmp_path / "paused"
    env = {**os.environ, **ENV, "SOVEREIGN_TEST_PAUSE": str(pause)}
    cmd = [sys.executable, "-m", "sovereign_site", "build", "--no-search", "--output", str(out)]
    first = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not pause.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pause.exists(), "the first build never reached its pause"
        # The second build must wait for the first's lock, not delete its temporary folder.
        second = run_cli("build", "--no-search", "--output", str(out), cwd=project, env={**ENV, "SOVEREIGN_TEST_PAUSE": ""}, timeout=5)
    except subprocess.TimeoutExpired as waited:
        second = None
        assert "waiting for it to finish" in (waited.stderr.decode() if isinstance(waited.stderr, bytes) else waited.stderr or "")
    finally:
        os.killpg(first.pid, signal.SIGINT)
        first.communicate(timeout=60)
    assert second is None, "the second build did not wait for the first"
    assert run_cli("build", "--no-search", "--output", str(out), cwd=project, env=ENV).returncode == 0
    assert (out / "index.html").is_file() and (out / "countries" / "kr" / "index.html").is_file()


def test_a_killed_build_leaves_no_lock_behind(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    pause = tmp_path / "paused"
    env = {**os.environ, **ENV, "SOVEREIGN_TEST_PAUSE": str(pause)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "build", "--no-search", "--output", str(out)],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not pause.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    result = run_cli("build", "--no-search", "--output", str(out), cwd=project, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr


def test_a_full_disk_fails_the_build_and_keeps_the_old_output(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pelican only warns when a static file cannot be copied; a build with a truncated stylesheet must fail."""
    import errno
    import shutil

    from sovereign_site.build import build
    from sovereign_site.data.errors import ContentError

    out = tmp_path / "site"
    assert _build(project, out).returncode == 0
    before = tree_digest(out)
    real_copyfile = shutil.copyfile

    def full(src: str, dst: str, *args: object, **kwargs: object) -> object:
        if str(dst).endswith(".css"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copyfile(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "copyfile", full)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    with pytest.raises(ContentError) as caught:
        build(project, out, search=False, cache=False, workers=1, log=lambda message: None)
    assert any("No space left on device" in p.message for p in caught.value.problems), caught.value.problems
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.tmp-*"))


def test_a_folder_that_refuses_the_swap_fails_cleanly(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system at publish time (tests run as root, so chmod cannot make one): a clear error, the old output kept."""
    import errno

    from sovereign_site.build import pipeline as build_module
    from sovereign_site.data.errors import ContentError

    out = tmp_path / "site"
    assert _build(project, out).returncode == 0
    before = tree_digest(out)

    def read_only(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(dst))

    monkeypatch.setattr(build_module.output_folder, "exchange", lambda a, b: False)
    monkeypatch.setattr(build_module.os, "rename", read_only)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    with pytest.raises(ContentError) as caught:
        build_module.build(project, out, search=False, cache=False, workers=1, log=lambda message: None)
    assert [p.message for p in caught.value.problems] == ["could not write the site: Read-only file system"]
    monkeypatch.undo()
    assert tree_digest(out) == before
