"""How the site is cut into pages so that each stays within the budget, read from the built shipped site (#15).

* a country has four pages (profile, timeline, sources, history), linked by tabs;
* every ``[number]``, on a profile, a timeline or a comparison page, leads to the
  source with that number on its country's sources page;
* a long comparison table is split by region below its chart, and every item
  is on exactly one region page;
* the timeline page lists the latest events, and every event is on its year's page.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import REPO, copy_project, run_cli

COUNTRIES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "content" / "countries").glob("*.yaml"))}
CITE = re.compile(r'<sup class="cite">(.*?)</sup>', re.S)
MARK = re.compile(r'<a href="([^"]+)">\[(\d+)\]</a>')


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def items(country: dict, section: str) -> list:
    value = country.get(section)
    return value if isinstance(value, list) else []


def page_file(site: Path, url_path: str) -> Path:
    path = site / url_path.lstrip("/")
    return path / "index.html" if url_path.endswith("/") else path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_country_has_four_pages_linked_by_tabs(built_site: Path, lang: str) -> None:
    prefix = "" if lang == "ko" else "en/"
    for code in COUNTRIES:
        for sub in ("", "timeline/", "sources/", "history/"):
            html = read(built_site, f"{prefix}countries/{code}/{sub}index.html")
            tabs = re.search(r'<nav class="country-tabs"[^>]*><ul>(.*?)</ul></nav>', html, re.S)
            assert tabs, f"{code}/{sub}: no tabs"
            links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>', tabs.group(1))
            assert len(links) == 4, links
            here = f"/{prefix}countries/{code}/{sub}"
            targets = [urljoin(f"https://x{here}", href) for href, _ in links]
            assert targets == [f"https://x/{prefix}countries/{code}/{s}" for s in ("", "timeline/", "sources/", "history/")]
            assert [t for t, (_, current) in zip(targets, links, strict=True) if current] == [f"https://x{here}"]


def test_every_citation_leads_to_the_source_with_its_number(built_site: Path) -> None:
    """Cited on a profile, a timeline page or a comparison page, [n] is source n of its country's sources page."""
    numbered: dict[str, dict[str, str]] = {}
    checked, pages_with_cites = 0, set()
    for page in sorted(built_site.rglob("*.html")):
        rel = "/" + str(page.relative_to(built_site)).removesuffix("index.html")
        html = page.read_text(encoding="utf-8")
        for sup in CITE.findall(html):
            for href, number in MARK.findall(sup):
                target = urlsplit(urljoin(f"https://x{rel}", href))
                assert re.fullmatch(r"/(en/)?countries/[a-z]{2}/sources/", target.path), f"{rel}: {href}"
                if target.path not in numbered:
                    listing = read(built_site, target.path.lstrip("/") + "index.html")
                    numbered[target.path] = dict(re.findall(r'<li id="([^"]+)" value="(\d+)">', listing))
                assert numbered[target.path].get(target.fragment) == number, f"{rel}: [{number}] → {href}"
                checked += 1
                pages_with_cites.add(rel)
    assert checked > 1000
    for rel in ("/countries/kr/", "/countries/kr/timeline/", "/en/countries/fr/", "/compare/funding/europe/", "/compare/regulation/"):
        assert rel in pages_with_cites, f"{rel} cites nothing"


def test_each_sources_page_lists_every_source_and_no_other_page_repeats_them(built_site: Path) -> None:
    for code, country in COUNTRIES.items():
        listing = read(built_site, f"countries/{code}/sources/index.html")
        ids = re.findall(r'<li id="([^"]+)" value="\d+">', listing)
        assert ids == [f"{code}-{s['id']}" for s in country["sources"]]
        assert listing.count('class="accessed"') == len(ids) and "source-kind" in listing
    repeated = [
        str(p.relative_to(built_site))
        for p in built_site.rglob("*.html")
        if '<ol class="sources"' in p.read_text(encoding="utf-8") and "/sources/" not in str(p)
    ]
    assert not repeated, repeated


def test_long_comparison_tables_are_split_by_region_and_every_item_is_on_one_page(built_site: Path) -> None:
    funding = sum(len(items(c, "funding")) for c in COUNTRIES.values())
    assert funding > 40, "the shipped funding table is long enough to be split"
    top = read(built_site, "compare/funding/index.html")
    assert '<table class="data' not in top and 'class="chart-data"' not in top
    assert '<p class="chart-data-note"><a href="#regions">' in top
    regions = re.findall(r'<a href="(/compare/funding/[a-z-]+/)">', top[top.index('id="regions"') :])
    assert len(regions) >= 4
    rows: list[str] = []
    for url in regions:
        html = read(built_site, url.lstrip("/") + "index.html")
        title = re.search(r"<h1>(.*?)</h1>", html).group(1)  # type: ignore[union-attr]
        assert title.startswith("재정 투입: "), title
        # Each region page links the list of all and its neighbours, not every page (that would grow with the square).
        assert '<a href="/compare/funding/#regions">재정 투입: 모든 지역</a>' in html
        assert html.count('rel="prev"') + html.count('rel="next"') == (1 if url in (regions[0], regions[-1]) else 2)
        rows += re.findall(r'<tr id="(item-[a-z]{2}-[^"]+)"', html)
    assert len(rows) == len(set(rows)) == funding
    # A short table stays whole under its chart, which links to it instead of repeating it.
    regulation = read(built_site, "compare/regulation/index.html")
    assert ('id="regions"' not in regulation and "<table" in regulation) or "<ul" in regulation
    compute = sum(len(items(c, "compute")) for c in COUNTRIES.values())
    html = read(built_site, "compare/compute/index.html")
    assert ('id="regions"' in html) == (compute > 40)


def test_a_chart_whose_figures_follow_links_to_them_instead_of_repeating_them(built_site: Path) -> None:
    for rel, target in (("timeline/index.html", "by-year"), ("countries/kr/timeline/index.html", "events")):
        html = read(built_site, rel)
        assert 'class="chart-data"' not in html
        assert f'<p class="chart-data-note"><a href="#{target}">' in html and f'id="{target}"' in html


def test_the_timeline_lists_the_latest_events_and_every_year_has_a_page(built_site: Path) -> None:
    events = [(str(m["date"]), code, m["id"]) for code, c in COUNTRIES.items() for m in items(c, "timeline")]
    top = read(built_site, "timeline/index.html")
    listed = re.findall(r'<a href="/countries/([a-z]{2})/timeline/#item-\1-([^"]+)">', top)
    assert len(listed) == min(60, len(events)) < len(events)
    latest = sorted(events, reverse=True)[: len(listed)]
    assert {(code, item) for _, code, item in latest} == set(listed)
    years = sorted({date[:4] for date, _, _ in events}, reverse=True)
    assert re.findall(r'<li><a href="/timeline/(\d{4})/">', top) == years
    seen: list[tuple[str, str]] = []
    for year in years:
        html = read(built_site, f"timeline/{year}/index.html")
        found = re.findall(r'<time datetime="([^"]+)">[^<]*</time> <a href="/countries/([a-z]{2})/timeline/#item-\2-([^"]+)">', html)
        assert found and all(date.startswith(year) for date, _, _ in found)
        assert [d for d, _, _ in found] == sorted((d for d, _, _ in found), reverse=True)
        seen += [(code, item) for _, code, item in found]
    assert sorted(seen) == sorted((code, item) for _, code, item in events), "every event, each on one year's page"


def test_the_page_budget_decides_where_a_table_is_split_and_a_page_over_it_is_named(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", essays=False)
    settings = project / "pelicanconf.py"
    shipped = settings.read_text(encoding="utf-8")
    for budget, whole in ((10 * 1024 * 1024, True), (60 * 1024, False)):
        settings.write_text(shipped + f"\nSOVEREIGN_PAGE_BUDGET = {budget}\n", encoding="utf-8")
        out = tmp_path / f"site-{budget}"
        result = run_cli("build", "--no-search", "--output", str(out), cwd=project)
        assert result.returncode == 0, result.stderr[-2000:]
        funding = read(out, "compare/funding/index.html")
        assert ('<table class="data' in funding) is whole and ('id="regions"' in funding) is not whole
        assert (out / "compare/funding/europe/index.html").exists() is not whole
        if whole:
            assert "page budget" not in result.stderr
        else:
            # A profile cannot split itself: the build names it (and the rest) and still succeeds.
            warning = next(line for line in result.stderr.splitlines() if "page budget" in line)
            assert warning.startswith("warning: ") and "60 KB page budget" in warning and "countries/kr/index.html" in warning
