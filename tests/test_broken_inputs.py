"""Hostile and broken input: every case ends in a clear message, exit code 1, and the old output untouched.

The corpus lives in ``tests/broken/``, one file per case: adding a case is adding
a file. A case file starts with directive lines (``#! ...``), which are removed
before the rest is placed into a fresh fixture project, byte for byte:

* ``#! file: content/countries/jp.yaml`` where the case goes (it replaces or adds a file);
* ``#! expect: LINE | TEXT`` an error the build must report at ``file:LINE`` (``-``: no
  line), with TEXT in the message; a case lists every error it causes, no more;
* ``#! warn: LINE | TEXT`` a warning: the build passes without ``--strict`` and fails with it;
* ``#! accept`` the input is fine (a BOM, CRLF, NFD Korean…): the build passes, and
  ``#! page: PATH | TEXT`` says what the built page must contain
  (``page-nfd-absent`` what it must not contain in decomposed form);
* ``#! never-created: PATH`` a path (absolute, or relative to the test folder) the
  build must not create;
* ``#! xfail: REASON`` a known gap, marked strict so it is noticed once fixed.

``tests/broken/base/`` holds the valid fixture project every case starts from
(its own country file and essays, so the tests never depend on the shipped
content being valid at the moment). The helpers here are shared with the other
hostile-input test modules.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, run_cli

BROKEN = Path(__file__).resolve().parent / "broken"
BASE = BROKEN / "base"
#: 2026-12-01T00:00:00Z: "today" for source-age checks, so results do not depend on the clock.
EPOCH = "1796083200"
ENV = {"SOURCE_DATE_EPOCH": EPOCH}
#: One problem line as the CLI prints it: ``file[:line[:col]]: error|warning: ...``.
PROBLEM = re.compile(r"^(?P<file>[^\s:]+)(?::(?P<line>\d+))?(?::\d+)?: (?P<kind>error|warning): ")


# --- fixture projects (shared with test_xss, test_atomic, test_reproducible) ------------


@functools.cache
def _shared_files_ok() -> bool:
    """Do the shipped dimensions, fx and glossary files validate together with the base country?"""
    from sovereign_site.data.dataset import load_dataset
    from sovereign_site.data.errors import ContentError

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(BASE / "content" / "countries", content / "countries")
        for name in ("dimensions.yaml", "fx.yaml", "glossary.yaml"):
            shutil.copy(REPO / "content" / name, content / name)
        try:
            load_dataset(content, today=None)
        except (ContentError, OSError):
            return False
    return True


def make_project(dest: Path, *, essays: bool = True, templates: Path | None = None) -> Path:
    """A small valid project: the shipped settings and templates, the base country and essays.

    ``dimensions.yaml``, ``fx.yaml`` and ``glossary.yaml`` come from the repository
    when they validate, and from ``tests/broken/base/fallback/`` while they do not.
    ``templates`` links another copy of the theme (default: the repository's).
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pelicanconf.py", dest / "pelicanconf.py")
    (dest / "templates").symlink_to(templates or REPO / "templates")
    shutil.copytree(BASE / "content", dest / "content")
    shared = REPO / "content" if _shared_files_ok() else BASE / "fallback"
    for name in ("dimensions.yaml", "fx.yaml", "glossary.yaml"):
        shutil.copy(shared / name, dest / "content" / name)
    if not essays:
        for md in (dest / "content" / "essays").glob("*.md"):
            md.unlink()
    return dest


def tree_digest(root: Path) -> dict[str, str]:
    """Every file, folder and link under ``root`` with a hash of its bytes."""
    result: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            result[os.path.relpath(os.path.join(dirpath, name), root) + "/"] = "dir"
        for name in filenames:
            path = Path(dirpath) / name
            rel = os.path.relpath(path, root)
            result[rel] = "link:" + os.readlink(path) if path.is_symlink() else hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def listing(root: Path, skip: tuple[Path, ...] = ()) -> set[str]:
    """Every path under ``root`` (bytecode and build caches aside), except under ``skip``."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("__pycache__", ".sovereign-cache") and Path(dirpath, d) not in skip]
        for name in [*dirnames, *filenames]:
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def temp_folders_beside(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.tmp-"))


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if PROBLEM.match(line)]


def validate_in_process(project: Path, *args: str) -> tuple[int, str]:
    """``sovereign-site validate`` through click in this process (a subprocess per case is slow)."""
    from sovereign_site.cli import main

    result = CliRunner().invoke(main, ["validate", "--project", str(project), *args], catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.fixture(scope="session")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A previous good build of the base project, copied into place by each test."""
    root = tmp_path_factory.mktemp("good")
    project = make_project(root / "project")
    out = root / "output"
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr
    assert (out / "countries" / "kr" / "index.html").is_file()
    return out


# --- the corpus -------------------------------------------------------------------------


@dataclass
class Case:
    path: Path
    target: str = ""
    expects: list[tuple[int | None, str]] = field(default_factory=list)
    warns: list[tuple[int | None, str]] = field(default_factory=list)
    accept: bool = False
    pages: list[tuple[str, str]] = field(default_factory=list)
    nfd_absent: list[tuple[str, str]] = field(default_factory=list)
    never_created: list[str] = field(default_factory=list)
    xfail: str = ""
    data: bytes = b""


def _line_and_text(value: str) -> tuple[int | None, str]:
    line, _, text = value.partition(" | ")
    return (None if line.strip() == "-" else int(line)), text


def parse_case(path: Path) -> Case:
    case = Case(path)
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith(b"#! "):
        key, _, value = lines[n][3:].decode("utf-8").strip().partition(":")
        value = value.strip()
        if key == "file":
            case.target = value
        elif key == "expect":
            case.expects.append(_line_and_text(value))
        elif key == "warn":
            case.warns.append(_line_and_text(value))
        elif key == "accept":
            case.accept = True
        elif key in ("page", "page-nfd-absent"):
            page, _, text = value.partition(" | ")
            (case.pages if key == "page" else case.nfd_absent).append((page, text))
        elif key == "never-created":
            case.never_created.append(value)
        elif key == "xfail":
            case.xfail = value
        else:
            raise ValueError(f"{path.name}: unknown directive {key!r}")
        n += 1
    case.data = b"".join(lines[n:])
    assert case.target, f"{path.name}: no '#! file:' directive"
    assert sum(map(bool, (case.expects, case.warns, case.accept))) == 1, f"{path.name}: give expect, warn or accept lines (one kind)"
    return case


CASE_FILES = sorted(p for p in BROKEN.iterdir() if p.is_file() and p.name != "README.md")


def _params() -> list[object]:
    params = []
    for path in CASE_FILES:
        case = parse_case(path)
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        params.append(pytest.param(case, id=path.name, marks=marks))
    return params


def test_corpus_is_there() -> None:
    assert len(CASE_FILES) >= 50, "the broken-input corpus is missing"


def _run_case(case: Case, root: Path, good_build: Path) -> tuple[Path, Path]:
    """A fresh fixture project with the case in place, and an output folder holding a good build."""
    project = make_project(root / "project")
    target = project / case.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.data)
    out = root / "output"
    shutil.copytree(good_build, out, symlinks=True)
    return project, out


@dataclass
class Run:
    """One case's builds: started together for every selected case (they are slow one by one)."""

    case: Case
    root: Path
    project: Path
    out: Path
    before: dict[str, str]
    around: set[str]
    result: subprocess.CompletedProcess[str] | None = None
    lenient: subprocess.CompletedProcess[str] | None = None  # warning cases: the build without --strict

    def execute(self) -> None:
        args = ["build", "--output", str(self.out)]
        if self.case.accept or self.case.warns:
            args.append("--no-search")  # these builds run to the end; the search index is not what is tested
        if self.case.warns:
            args.append("--strict")
        self.result = run_cli(*args, cwd=self.project, env=ENV)
        if self.case.warns:
            self.lenient = run_cli("build", "--no-search", "--output", str(self.root / "lenient"), cwd=self.project, env=ENV)


@pytest.fixture(scope="session")
def corpus_runs(request: pytest.FixtureRequest, good_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    selected = [item.callspec.params["case"] for item in request.session.items if getattr(item, "originalname", "") == "test_broken_input"]
    runs = {}
    for case in selected:
        root = tmp_path_factory.mktemp(case.path.stem)
        project, out = _run_case(case, root, good_build)
        runs[case.path.name] = Run(case, root, project, out, tree_digest(out), listing(root, skip=(out, root / "lenient")))
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 2) + 1)) as pool:
        for future in [pool.submit(run.execute) for run in runs.values()]:
            future.result()
    return runs


def _assert_problem(stderr: str, target: str, line: int | None, text: str, kind: str) -> None:
    where = f"{target}:{line}:" if line is not None else f"{target}: "
    matches = [p for p in problem_lines(stderr) if p.startswith(where) and f" {kind}: " in p and text in p]
    assert matches, f"expected a {kind} at {where} containing {text!r}; got:\n{stderr}"


@pytest.mark.parametrize("case", _params())
def test_broken_input(case: Case, corpus_runs: dict[str, Run]) -> None:
    run = corpus_runs[case.path.name]
    project, out, result = run.project, run.out, run.result
    assert result is not None
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr

    for path in case.never_created:
        assert not (run.root / path).exists(), f"{path} was created"
    assert listing(run.root, skip=(out, run.root / "lenient")) == run.around, "the build wrote outside its output folder"
    assert temp_folders_beside(out) == [], "a temporary folder was left beside the output"

    if case.accept:
        assert result.returncode == 0, result.stderr
        assert not [p for p in problem_lines(result.stderr) if " error: " in p]
        for page, text in case.pages:
            html = (out / page).read_text(encoding="utf-8")
            assert text in html, f"{page} lacks {text!r}"
        for page, text in case.nfd_absent:
            decomposed = unicodedata.normalize("NFD", text)
            assert decomposed != text
            html = (out / page).read_text(encoding="utf-8")
            assert decomposed not in html, f"{page} still holds the decomposed (NFD) form of {text!r}"
        code, stderr = validate_in_process(project)
        assert code == 0, stderr
        return

    # A failed build: exit 1, every expected message at its file and line, the old output as it was.
    assert result.returncode == 1, result.stdout + result.stderr
    assert tree_digest(out) == run.before, "the previous output changed"
    expected = case.expects or case.warns
    kind = "error" if case.expects else "warning"
    for line, text in expected:
        _assert_problem(result.stderr, case.target, line, text, kind)
    reported = [p for p in problem_lines(result.stderr) if f" {kind}: " in p]
    assert len(reported) == len(expected), "unexpected extra problems:\n" + "\n".join(reported)
    assert result.stdout == "", "nothing goes to stdout when the build fails"

    # validate finds the same problems, all at once, with the same exit code.
    code, stderr = validate_in_process(project, *(["--strict"] if case.warns else []))
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert sorted(p for p in problem_lines(stderr) if f" {kind}: " in p) == sorted(reported)

    if case.warns:
        # Without --strict a warning is only a warning: the build passes and says so.
        assert run.lenient is not None
        assert run.lenient.returncode == 0, run.lenient.stderr
        for line, text in case.warns:
            _assert_problem(run.lenient.stderr, case.target, line, text, "warning")
        assert (run.root / "lenient" / "index.html").is_file()
        code, stderr = validate_in_process(project)
        assert code == 0, stderr


@pytest.mark.parametrize("case", [p for p in _params() if p.values[0].target.endswith(".yaml")])  # type: ignore[attr-defined]
def test_problems_are_the_same_when_files_are_parsed_in_two_processes(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large dataset is parsed half in a forked child (parallel.parse_all), which sends back
    values without positions: every problem must still come out the same, at the same place."""
    import datetime as dt

    from sovereign_site import parallel
    from sovereign_site.data import dataset
    from sovereign_site.data.errors import ContentError

    project = make_project(tmp_path / "project")
    target = project / case.target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.data)
    # A valid file sorting first: the files are split in sorted order, so the case's lands in the child.
    countries = project / "content" / "countries"
    (countries / "ad.yaml").write_text(
        (BASE / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8").replace("code: kr", "code: ad", 1), encoding="utf-8"
    )
    today = dt.date(2026, 12, 1)

    def problems(workers: int) -> list[str]:
        try:
            found = dataset.load_dataset(project / "content", today=today, parse_many=parallel.parser(workers)).report.problems
        except ContentError as exc:
            found = exc.problems
        return sorted(str(p) for p in found)

    one = problems(1)
    monkeypatch.setattr(parallel, "PARALLEL_PARSE_MIN", 1)
    assert problems(2) == one
    assert bool(one) != case.accept, one


# --- cases that are generated rather than stored ------------------------------------------


def test_file_over_the_size_limit(tmp_path: Path, good_build: Path) -> None:
    from sovereign_site.data.yamlload import MAX_BYTES

    project, out = _run_case(Case(BROKEN, target="content/countries/jp.yaml"), tmp_path, good_build)
    valid = (project / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8").replace("code: kr", "code: jp")
    padding = "# " + "x" * 998 + "\n"
    (project / "content" / "countries" / "jp.yaml").write_text(valid + padding * (MAX_BYTES // len(padding) + 1), encoding="utf-8")
    before = tree_digest(out)
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    _assert_problem(result.stderr, "content/countries/jp.yaml", None, f"the limit is {MAX_BYTES:,} bytes", "error")
    assert tree_digest(out) == before


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_huge_nesting_is_an_error_not_a_crash(tmp_path: Path, shape: str) -> None:
    """A few hundred thousand levels, well under the size limit, used to segfault libyaml's composer."""
    project = make_project(tmp_path / "project", essays=False)
    deep = "[" * 200_000 + "]" * 200_000 if shape == "flow" else "- " * 200_000 + "x"
    (project / "content" / "countries" / "jp.yaml").write_text(
        f"code: jp\nsummary: {deep}\n" if shape == "flow" else deep, encoding="utf-8"
    )
    result = run_cli("validate", cwd=project, env=ENV)  # in a subprocess: a segfault shows as a return code of -11
    assert result.returncode == 1, result.returncode
    line = 2 if shape == "flow" else 1
    _assert_problem(result.stderr, "content/countries/jp.yaml", line, "nesting is too deep (more than 32 levels)", "error")


def test_validate_lists_problems_of_every_file_at_once(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", essays=False)
    countries = project / "content" / "countries"
    (countries / "jp.yaml").write_bytes(parse_case(BROKEN / "schema-several-problems.yaml").data)
    (countries / "uk.yaml").write_bytes(parse_case(BROKEN / "schema-uk-means-gb.yaml").data)
    (countries / "de.yaml").write_bytes(parse_case(BROKEN / "yaml-tab-indent.yaml").data.replace(b"code: jp", b"code: de"))
    code, stderr = validate_in_process(project)
    assert code == 1
    files = {PROBLEM.match(p)["file"] for p in problem_lines(stderr) if " error: " in p}  # type: ignore[index]
    assert files == {"content/countries/jp.yaml", "content/countries/uk.yaml", "content/countries/de.yaml"}
    assert len([p for p in problem_lines(stderr) if p.startswith("content/countries/jp.yaml:")]) == 4
    assert "validation failed: 6 error(s)" in stderr


# --- strict mode ------------------------------------------------------------------------------


def _epoch(date: str) -> str:
    import datetime as dt

    return str(int(dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC).timestamp()))


def test_source_age_is_measured_from_source_date_epoch(tmp_path: Path) -> None:
    """A source checked on 2026-12-01 is fresh on 2027-03-01 and stale on 2028-06-15 (more than 548 days)."""
    project = make_project(tmp_path / "project", essays=False)
    case = parse_case(BROKEN / "warn-source-stale.yaml")
    (project / "content" / "countries" / "jp.yaml").write_bytes(case.data.replace(b"accessed: 2024-01-10", b"accessed: 2026-12-01"))
    line = case.warns[0][0]
    fresh = run_cli(
        "build", "--strict", "--no-search", "--output", str(tmp_path / "a"), cwd=project, env={"SOURCE_DATE_EPOCH": _epoch("2027-03-01")}
    )
    assert fresh.returncode == 0, fresh.stderr
    assert "more than 548 days ago" not in fresh.stderr
    stale = run_cli(
        "build", "--strict", "--no-search", "--output", str(tmp_path / "b"), cwd=project, env={"SOURCE_DATE_EPOCH": _epoch("2028-06-15")}
    )
    assert stale.returncode == 1
    _assert_problem(
        stale.stderr, "content/countries/jp.yaml", line, "source 'src-a' was last checked on 2026-12-01, more than 548 days ago", "warning"
    )
    assert not (tmp_path / "b").exists()


def test_strict_build_of_the_base_project_passes(tmp_path: Path) -> None:
    """The fixture itself carries no warnings, so each strict failure above is the case's own."""
    project = make_project(tmp_path / "project")
    result = run_cli("build", "--strict", "--no-search", "--output", str(tmp_path / "out"), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr
    assert not problem_lines(result.stderr)
