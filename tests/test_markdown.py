"""The Markdown pipeline against plain-text fixtures (tests/fixtures/markdown/*.txt).

Each fixture file holds cases in markdown-it-py's format: a title line, then
input and expected output, each closed by a line holding a single ".". For
error fixtures the expected output is one problem per line, as
``line: message``. Adding a case is adding a few lines of text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sovereign_site.data.dataset import load_dataset
from sovereign_site.data.errors import Report
from sovereign_site.prose.parser import slugify, validate_link
from sovereign_site.prose.pipeline import reading_minutes, render

FIXTURES = Path(__file__).parent / "fixtures"
FRONT = "---\ntitle: t\nslug: t\nlang: ko\ndate: 2026-01-01\n---\n"


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path.name}:{i + 2}: expected '.' after the title"
        i += 2
        blocks = []
        for _ in range(2):
            start = i
            while lines[i] != ".":
                i += 1
            blocks.append("\n".join(lines[start:i]))
            i += 1
        cases.append((title, blocks[0], blocks[1]))
    return cases


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(FIXTURES / "data")


def _render(dataset, source: str):
    report = Report(FIXTURES)
    path = FIXTURES / "case.md"
    out = render(path, FRONT + source + "\n", report, dataset)
    return out, report


def cases(*names: str):
    return [pytest.param(inp, exp, id=f"{name}: {title}") for name in names for title, inp, exp in read_cases(FIXTURES / "markdown" / name)]


@pytest.mark.parametrize(("source", "expected"), cases("korean.txt", "data-refs.txt", "escaping.txt"))
def test_rendering(dataset, source: str, expected: str) -> None:
    out, report = _render(dataset, source)
    assert [str(p) for p in report.problems] == []
    assert out.html.strip() == expected.strip()


@pytest.mark.parametrize(("source", "expected"), cases("errors.txt"))
def test_errors_name_the_line(dataset, source: str, expected: str) -> None:
    _, report = _render(dataset, source)
    # Line numbers count the six lines of front matter in FRONT.
    got = [f"{p.line - 6}: {p.message}" for p in report.errors]
    assert got == expected.strip().split("\n")


def test_changing_the_data_changes_the_text(dataset) -> None:
    budget = next(f for f in dataset.by_code["kr"].funding if f.id == "ai-budget-2026")
    before, _ = _render(dataset, "[[fig:kr.ai-budget-2026]]")
    changed = budget.model_copy(update={"amount": 12.5e12})
    dataset.by_code["kr"].funding[dataset.by_code["kr"].funding.index(budget)] = changed
    try:
        after, _ = _render(dataset, "[[fig:kr.ai-budget-2026]]")
    finally:
        dataset.by_code["kr"].funding[dataset.by_code["kr"].funding.index(changed)] = budget
    assert "10조 1,000억 원" in before.html
    assert "12조 5,000억 원" in after.html


def test_english_pages_get_english_units(dataset) -> None:
    report = Report(FIXTURES)
    out = render(
        FIXTURES / "e.md",
        FRONT.replace("lang: ko", "lang: en") + "[[fig:kr.ai-budget-2026]] [[fig:kr.gpu-state-target]] [[date:kr.ai-basic-act]]\n",
        report,
        dataset,
    )
    assert "₩10.1 trillion" in out.html
    assert "50,000 GPUs" in out.html
    assert "January 22, 2026" in out.html
    assert "accessed 2026-11-20" in out.html


def test_toc_and_reading_time(dataset) -> None:
    out, _ = _render(dataset, "## 첫째\n\n### 둘째\n\n" + "가" * 1200)
    assert [(e.level, e.id, e.text) for e in out.toc] == [(2, "첫째", "첫째")]
    assert [(e.level, e.id, e.text) for e in out.toc[0].children] == [(3, "둘째", "둘째")]
    assert out.reading_minutes == 3
    assert reading_minutes("word " * 460, "en") == 2


def test_front_matter_problems(dataset) -> None:
    report = Report(FIXTURES)
    text = "---\ntitle: t\nslug: ../../x\nlang: fr\ndate: 2026-13-01\nfoo: 1\ncountries: [{a: 1}]\nstatus: bogus\ntemplate: x\ntranslation: true\ndate2: 0001-01-01\n---\nbody\n"
    render(FIXTURES / "f.md", text.replace("date2", "modified"), report, dataset)
    messages = "\n".join(str(p) for p in report.errors)
    assert "f.md:3:7: error: slug: front matter: slug '../../x' must be lower-case letters, digits and hyphens" in messages
    assert "f.md:4:7: error: lang: front matter: found 'fr', expected one of 'ko' or 'en'" in messages
    assert "f.md:5:7: error: date: front matter: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, found '2026-13-01'" in messages
    assert "f.md:6:1: error: foo: front matter: unknown key 'foo'; allowed keys: title, slug, lang, date" in messages
    # Values the build used to choke on are refused here, with their line.
    assert "f.md:7:13: error: countries.0: front matter: expected text, found a mapping" in messages
    assert "f.md:8:9: error: status: front matter: found 'bogus', expected one of 'published' or 'draft'" in messages
    assert "f.md:9:1: error: template: front matter: unknown key 'template'" in messages
    assert "f.md:10:1: error: translation: front matter: unknown key 'translation'" in messages
    assert "f.md:11:11: error: modified: front matter: year 1 is outside 1900–2200" in messages


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org", True), ("http://x", True), ("mailto:a@b.c", True), ("../a/", True), ("#x", True),
        ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("java\tscript:alert(1)", False),
        ("&#106;avascript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc/passwd", False),
    ],
)  # fmt: skip
def test_only_safe_link_schemes(url: str, ok: bool) -> None:
    assert validate_link(url) is ok


def test_slugify_korean() -> None:
    assert slugify("한국의 GPU 계획: 5만 장?") == "한국의-gpu-계획-5만-장"
    assert slugify("!!!") == "section"


def test_a_note_cited_many_times_has_one_arrow_and_lettered_back_links(dataset) -> None:
    source = "하나[^a] 둘[^a] 셋[^a] 넷[^b]\n\n[^a]: 세 번 인용한 각주.\n[^b]: 한 번 인용한 각주.\n"
    out, report = _render(dataset, source)
    assert report.problems == []
    html = out.html
    notes = html[html.index('<section class="footnotes"') :]
    first, second = notes.split("</li>")[:2]
    assert first.count("\u21a9") == 1  # one arrow for the three citations…
    letters = re.findall(r'<a href="#(fnref1(?::\d)?)" aria-label="본문 인용 위치 ([a-c])">([a-c])</a>', first)
    assert letters == [("fnref1", "a", "a"), ("fnref1:1", "b", "b"), ("fnref1:2", "c", "c")]
    for target, _, _ in letters:  # …each letter returning to its own citation
        assert f'id="{target}"' in html
    assert second.count("\u21a9") == 1 and 'href="#fnref2" aria-label="본문으로 돌아가기"' in second
