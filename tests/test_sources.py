"""Source records a reviewer can audit: a title is the title as published, never a publisher's name or our description."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import copy_project, run_cli

from sovereign_site.data.dataset import load_dataset

REPO = Path(__file__).resolve().parents[1]


def _edit_source(project: Path, code: str, sid: str, replace: str) -> int:
    """Replace the title line of source ``sid`` with ``replace``; return the line the source starts on."""
    path = project / "content" / "countries" / f"{code}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {sid}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ") or not lines[i].startswith("    "))
    title = next(i for i in range(start, end) if lines[i].startswith("    title:"))
    lines[title : title + 1] = replace.split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + 1


def test_a_publishers_name_as_title_is_refused_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    line = _edit_source(project, "kr", "joongang-budget-passed", "    title: Korea JoongAng Daily")
    result = run_cli("validate", "--project", str(project))
    assert result.returncode == 1
    assert f"content/countries/kr.yaml:{line}:" in result.stderr
    assert "the title is the publisher's name" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_title_needs_a_description(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    _edit_source(project, "kr", "joongang-budget-passed", "    title: unknown")
    result = run_cli("validate", "--project", str(project))
    assert result.returncode == 1 and "needs a description of the page" in result.stderr


def test_no_shipped_title_is_a_placeholder() -> None:
    ds = load_dataset(REPO / "content")
    untitled = [(c.code, s) for c in ds.countries for s in c.sources if s.title == "unknown"]
    for code, s in untitled:
        assert s.description and s.note and "headline" in s.note, (code, s.id)  # says what the page is, and why
    raw = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "content" / "countries").glob("*.yaml")}
    for code, data in raw.items():
        for s in data["sources"]:
            # "Herald Business report on …" is our description of a page, not its title.
            assert not re.search(r"\s(report|article|news item|press release) on\b", str(s["title"]), re.I), (code, s["id"], s["title"])


def test_an_untitled_source_shows_what_it_is_in_brackets(built_site: Path) -> None:
    ds = load_dataset(REPO / "content")
    kr = ds.by_code["kr"]
    source = next(s for s in kr.sources if s.title == "unknown")
    html = (built_site / "countries" / "kr" / "sources" / "index.html").read_text(encoding="utf-8")
    item = html[html.index(f'id="kr-{source.id}"') :].split("</li>", 1)[0]
    assert f">[{source.description}]</a>" in item and "제목을 확인하지 못한 자료" in item
