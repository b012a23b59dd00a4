"""The shipped essays: length, translation links, figures from the dataset, and data binding end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, copy_project, run_cli

ESSAYS = REPO / "content" / "essays"
ORDINALS = re.compile(r"\d+\s*(단계|차|번째|호기|세대|위)|(phase|No\.|stage|tier)[-\s]*\d+|\d+(st|nd|rd|th)\b", re.I)


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[2]


def test_flagship_essay_is_substantial() -> None:
    hangul = len(re.findall(r"[가-힣]", _body(ESSAYS / "korea-sovereign-ai.md")))
    assert hangul >= 5000, hangul


@pytest.mark.parametrize("name", sorted(p.name for p in ESSAYS.glob("*.md")))
def test_every_figure_is_cited(name: str) -> None:
    """A paragraph that states a number either takes it from the dataset or cites a source."""
    for paragraph in _body(ESSAYS / name).split("\n\n"):
        # Headings, notes, tables and "[//]: # (…)" comments (markers for the editors, never rendered) are not prose.
        if paragraph.lstrip().startswith(("#", "[^", "|", "[//]:")):
            continue
        text = ORDINALS.sub("", re.sub(r"\[\[[^\]]+\]\]", "", paragraph))
        if re.search(r"\d", text):
            assert "[[" in paragraph or "[^" in paragraph, f"{name}: uncited number in: {paragraph[:120]}"


def test_translations_link_both_ways(built_site: Path) -> None:
    ko = (built_site / "essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    en = (built_site / "en/essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    assert 'href="/en/essays/korea-sovereign-ai/" hreflang="en"' in ko
    assert 'href="/essays/korea-sovereign-ai/" hreflang="ko"' in en
    assert '<html lang="ko">' in ko and '<html lang="en">' in en


def test_essay_page_has_reading_aids(built_site: Path) -> None:
    html = (built_site / "essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    assert 'class="toc"' in html
    assert re.search(r"읽는 데 약 \d+분", html)
    assert "발행 <time" in html and "최종 수정 <time" in html
    assert 'class="essay-countries"' in html and "/countries/kr/" in html
    assert '<section class="footnotes"' in html
    assert 'class="term"' in html  # glossary terms are marked


def test_changing_the_yaml_changes_the_essay(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    assert run_cli("build", "--project", str(project), "--output", str(out), "--no-search").returncode == 0
    before = (out / "essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    assert "10조 1,000억 원" in before
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("amount: 10.1T", "amount: 11.2T", 1), encoding="utf-8")
    assert run_cli("build", "--project", str(project), "--output", str(out), "--no-search").returncode == 0
    after = (out / "essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    assert "11조 2,000억 원" in after and "10조 1,000억 원" not in after
    english = (out / "en/essays/korea-sovereign-ai/index.html").read_text(encoding="utf-8")
    assert "₩11.2 trillion" in english


def test_a_broken_reference_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    essay = project / "content" / "essays" / "korea-sovereign-ai.md"
    lines = essay.read_text(encoding="utf-8").split("\n")
    target = next(i for i, line in enumerate(lines) if "[[fig:kr.ai-budget-2026]]" in line)
    lines[target] = lines[target].replace("[[fig:kr.ai-budget-2026]]", "[[fig:kr.ai-budget-2099]]", 1)
    essay.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--no-search")
    assert result.returncode == 1
    assert f"content/essays/korea-sovereign-ai.md:{target + 1}: error: [[fig:kr.ai-budget-2099]]: no item 'ai-budget-2099'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


INDICATORS = ["public-ai-spending", "private-commitments", "compute", "sovereign-models", "legal-basis"]


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("indicator", INDICATORS)
def test_every_indicator_page_links_to_how_we_compare(built_site: Path, indicator: str, prefix: str) -> None:
    html = (built_site / prefix / "compare" / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<p class="how-we-compare"><a href="([^"]+)">([^<]+)</a></p>', html)
    assert link, f"{prefix}compare/indicators/{indicator}/: no link to the essay on how we compare"
    assert link.group(1) == f"/{prefix}essays/how-we-compare/"
    assert ("How we compare" if prefix else "비교의 방법") in link.group(2)
    essay = (built_site / link.group(1).lstrip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{"en" if prefix else "ko"}">' in essay
    assert ("<h1>How we compare</h1>" if prefix else "<h1>비교의 방법</h1>") in essay


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_how_we_compare_links_every_indicator_and_its_links_resolve(built_site: Path, prefix: str) -> None:
    page = built_site / prefix / "essays" / "how-we-compare" / "index.html"
    html = page.read_text(encoding="utf-8")
    relative = set(re.findall(r'href="(\.\./[^"#]*)"', html))
    assert {f"../../compare/indicators/{i}/" for i in INDICATORS} <= relative
    for href in relative:
        assert (page.parent / href / "index.html").resolve().exists(), href
    assert 'class="footnotes"' in html and "ratio:" not in html  # editors' markers never reach the page


PEERS = ["jp", "in", "ae", "tw", "ca", "de"]


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("code", PEERS)
def test_every_peer_country_page_lists_korea_among_peers(built_site: Path, code: str, prefix: str) -> None:
    """The peers essay names its countries in front matter, so each one's page links to it, in both languages."""
    html = (built_site / prefix / "countries" / code / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section aria-labelledby="essays">(.*?)</section>', html, re.S)
    assert section, f"{prefix}countries/{code}/: no list of essays"
    title = "Korea among its peers" if prefix else "동료 국가들 속의 한국"
    assert f'<a href="/{prefix}essays/korea-among-peers/">{title}</a>' in section.group(1)


def test_peers_essay_is_substantial_and_marker_free(built_site: Path) -> None:
    hangul = len(re.findall(r"[가-힣]", _body(ESSAYS / "korea-among-peers.md")))
    assert hangul >= 4000, hangul
    for prefix in ("", "en/"):
        html = (built_site / prefix / "essays" / "korea-among-peers" / "index.html").read_text(encoding="utf-8")
        assert 'class="footnotes"' in html and "ratio:" not in html and "[[" not in html
