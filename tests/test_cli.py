"""The CLI as a user runs it: exit codes, where messages go, what gets written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import REPO, copy_project, run_cli


def test_help_for_every_command() -> None:
    for command in ([], ["build"], ["serve"], ["validate"], ["new-country"]):
        result = run_cli(*command, "--help")
        assert result.returncode == 0, result.stderr
        assert "Usage:" in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run_cli("build", "--no-such-option").returncode == 2
    assert run_cli("no-such-command").returncode == 2
    assert run_cli("serve", "--port", "99999").returncode == 2


def test_build_writes_pages_and_prints_one_summary_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    out = tmp_path / "site"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--no-search")
    assert result.returncode == 0, result.stderr
    # The summary, and only the summary, goes to stdout.
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.match(r"Built \d+ pages \(1 countries, 0 essays\) in \d+\.\d\d s into ", lines[0])
    assert "Validating content" in result.stderr  # progress goes to stderr
    # …and so do the three heaviest pages (HTML plus the CSS and JS each loads), heaviest first.
    heaviest = re.search(r"Largest pages \(HTML\+CSS\+JS\): (.+)", result.stderr)
    assert heaviest, result.stderr
    weights = [(name, int(kb)) for name, kb in re.findall(r"(\S+\.html) (\d+) KB", heaviest.group(1))]
    assert len(weights) == 3 and weights == sorted(weights, key=lambda w: -w[1])
    assert all((out / name).is_file() and kb * 1024 > (out / name).stat().st_size for name, kb in weights)
    for page in ("index.html", "countries/kr/index.html", "compare/index.html", "en/countries/kr/index.html", "glossary/index.html"):
        assert (out / page).is_file(), page


def test_validate_ok_on_shipped_content() -> None:
    result = run_cli("validate", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: content is valid")


def test_validate_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    path = project / "content" / "countries" / "kr.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("region: east-asia", "region: east-asia\nregoin: typo", 1)
    text = text.replace("currency: KRW", "currency: WON", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--project", str(project))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line_typo = text.splitlines().index("regoin: typo") + 1
    assert f"content/countries/kr.yaml:{line_typo}:1: error: regoin: unknown key 'regoin'; did you mean 'region'?" in result.stderr
    assert "expected an ISO 4217 currency code such as KRW, USD or EUR, found 'WON'" in result.stderr
    assert "validation failed: 2 error(s)" in result.stderr


def test_new_country_writes_a_skeleton_that_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    result = run_cli("new-country", "--project", str(project), "jp")
    assert result.returncode == 0, result.stderr
    path = project / "content" / "countries" / "jp.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["names"] == {"ko": "일본", "en": "Japan", "native": "unknown"}
    # Every field of the schema is present.
    from sovereign_site.data.schema import Country

    assert set(Country.model_fields) <= set(data)
    assert run_cli("validate", "--project", str(project)).returncode == 0
    # …and it builds: Japan gets its page, every field shown as unknown.
    built = run_cli("build", "--project", str(project), "--no-search", "--output", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert "(2 countries," in built.stdout
    page = (tmp_path / "out" / "countries" / "jp" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "일본" in page and page.count("알 수 없음") >= 5
    assert "Japan" in (tmp_path / "out" / "en" / "countries" / "jp" / "index.html").read_text(encoding="utf-8")
    # It refuses to overwrite.
    again = run_cli("new-country", "--project", str(project), "jp")
    assert again.returncode == 1
    assert "already exists; refusing to overwrite" in again.stderr
    hint = run_cli("new-country", "--project", str(project), "uk")
    assert hint.returncode == 1 and "did you mean gb?" in hint.stderr
    bad = run_cli("new-country", "--project", str(project), "../x")
    assert bad.returncode == 1 and "not a valid code" in bad.stderr


def test_python_m_works() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert re.match(r"\d+\.\d+", result.stdout)


def test_plain_pelican_builds_the_same_pages(tmp_path: Path) -> None:
    """Pelican users will run `pelican`: the settings file alone must build the site."""
    import subprocess
    import sys

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    assert run_cli("build", "--output", str(ours), "--no-search").returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(theirs)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Our build stamps its folder as its own (see output.py); plain Pelican has no such rule.
    assert (ours / ".sovereign-site-build").is_file()
    ours_pages = sorted(str(p.relative_to(ours)) for p in ours.rglob("*") if p.is_file() and p.name != ".sovereign-site-build")
    theirs_pages = sorted(str(p.relative_to(theirs)) for p in theirs.rglob("*") if p.is_file())
    assert ours_pages == theirs_pages
    for name in ("index.html", "countries/kr/index.html", "essays/korea-sovereign-ai/index.html"):
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
