"""Search and the language switch, in a real browser (Debian Chromium through Playwright).

Search is tested the way a reader uses it: type into the header's search box on
an ordinary page, submit, and read the results on the search page. Korean
queries carry particles (조사) that the pages do not: ``독파모를`` must find the
essay that says ``독파모가``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import screenshot

pytestmark = pytest.mark.browser

HANGUL = re.compile(r"[가-힣]")


@pytest.fixture(scope="module")
def tab(browser, site_url: str):
    """One page for the module: navigation between tests is cheap, startup is not."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def search_from_header(page, site_url: str, start: str, query: str) -> list[dict[str, str]]:
    """Type ``query`` into the header box on ``start``, submit, and return the results shown."""
    page.errors.clear()
    page.goto(f"{site_url}/{start}")
    box = page.locator("header #site-search")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q="))
    assert parse_qs(urlsplit(page.url).query)["q"] == [query]
    # The summary line replaces "searching…" once Pagefind has answered.
    page.wait_for_function(
        "() => { const r = document.getElementById('search-results'); return r && r.querySelector('p') && !r.getAttribute('aria-busy'); }",
        timeout=15_000,
    )
    assert page.errors == [], page.errors
    results = page.locator("#search-results li").evaluate_all(
        """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            title: li.querySelector('a').textContent.trim(),
            excerpt: li.querySelector('p') ? li.querySelector('p').textContent.trim() : '',
            marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent)
        }))"""
    )
    return results


def paths(results: list[dict[str, str]]) -> list[str]:
    return [urlsplit(r["href"]).path for r in results]


def test_particle_normaliser(tab, site_url: str) -> None:
    tab.goto(f"{site_url}/search/")
    normalise = lambda q: tab.evaluate("q => window.sovereignNormaliseQuery(q)", q)  # noqa: E731
    assert normalise("독파모를") == "독파모"
    assert normalise("반도체는") == "반도체"
    assert normalise("인공지능 기본법에") == "인공지능 기본법"
    assert normalise("데이터센터에서는") == "데이터센터"
    # Stems stay at least two syllables, and non-Korean words are left alone.
    assert normalise("나라") == "나라"
    assert normalise("GPU를  Mistral") == "GPU Mistral"
    assert normalise("Mistral") == "Mistral"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("독파모를", "/essays/korea-sovereign-ai/"),  # the essay says 독파모가 / 독파모다
        ("반도체는", "/essays/korea-sovereign-ai/"),  # the essay says 반도체가
        ("인공지능 기본법에", "/countries/kr/"),  # the profile says 인공지능 기본법 / AI 기본법은
        ("인공지능기본법에", "/countries/kr/"),  # written without the space
        ("싱가포르", "/countries/sg/"),
    ],
)
def test_korean_search_finds_pages_despite_particles(tab, site_url: str, query: str, expected: str) -> None:
    results = search_from_header(tab, site_url, "", query)
    assert expected in paths(results), f"{query!r} → {paths(results)}"
    # Korean search shows Korean pages, with Korean titles and excerpts that highlight the match.
    assert all(not p.startswith("/en/") for p in paths(results)), paths(results)
    for r in results:
        assert HANGUL.search(r["title"]), r
        assert r["excerpt"], r
        # Excerpts come from prose and item names, never from leftover table cells ("– – 2024년 8월.").
        assert not re.search(r"–\s*–", r["excerpt"]), r
    assert any(r["marks"] for r in results)
    assert tab.locator("html").get_attribute("lang") == "ko"
    summary = tab.locator("#search-results > p").first.inner_text()
    assert summary == f"‘{query}’ 검색 결과 {len(results)}건"


def test_search_without_particle_stripping_would_miss(tab, site_url: str, built_site: Path) -> None:
    """The particle cases above prove something: for words the site never writes with a given particle,
    Pagefind alone misses the essay that normalisation finds (the words are read from the built pages)."""
    essay = re.sub(r"<[^>]+>", "", (built_site / "essays" / "korea-sovereign-ai" / "index.html").read_text(encoding="utf-8"))
    # As Pagefind reads them: text, with tags (a glossary term's markup, say) gone.
    korean = " ".join(
        re.sub(r"<[^>]+>", "", p.read_text(encoding="utf-8"))
        for p in built_site.rglob("*.html")
        if p.relative_to(built_site).parts[0] not in ("en", "pagefind")
    )
    nouns = sorted({w for w in re.findall(r"[가-힣]{3,}", essay) if essay.count(w) >= 3})
    queries = [f"{w}를" for w in nouns if not re.search(f"{w}[를을]", korean)][:40]
    assert len(queries) >= 5, queries
    tab.goto(f"{site_url}/search/")
    found = tab.evaluate(
        """async (queries) => {
            const pagefind = await import(document.getElementById('search-results').dataset.pagefind);
            const urls = async (q) => Promise.all((await pagefind.search(q)).results.map(async r => new URL((await r.data()).url, location.href).pathname));
            const out = [];
            for (const q of queries) out.push([q, await urls(q), await urls(window.sovereignNormaliseQuery(q))]);
            return out;
        }""",
        queries,
    )
    target = "/essays/korea-sovereign-ai/"
    missed_raw = [q for q, raw, normalised in found if target not in raw and target in normalised]
    assert missed_raw, found  # some words only normalisation finds
    assert all(target in normalised for _, _, normalised in found), [q for q, _, n in found if target not in n]


@pytest.mark.parametrize(("query", "expected"), [("Mistral", "/en/countries/fr/"), ("Singapore", "/en/countries/sg/")])
def test_english_search(tab, site_url: str, query: str, expected: str) -> None:
    results = search_from_header(tab, site_url, "en/", query)
    assert tab.url.split("?")[0].endswith("/en/search/")
    assert expected in paths(results), f"{query!r} → {paths(results)}"
    assert all(p.startswith("/en/") for p in paths(results)), paths(results)
    for r in results:
        assert r["title"] and r["excerpt"], r
    first = next(r for r in results if urlsplit(r["href"]).path == expected)
    assert query.lower() in (first["title"] + " " + first["excerpt"]).lower()
    assert tab.locator("html").get_attribute("lang") == "en"
    assert "results for" in tab.locator("#search-results > p").first.inner_text()


def test_search_results_lead_to_pages(tab, site_url: str) -> None:
    results = search_from_header(tab, site_url, "countries/kr/", "독파모를")
    assert "/essays/korea-sovereign-ai/" in paths(results)
    screenshot(tab, "search-ko-desktop")
    tab.locator("#search-results a[href$='/essays/korea-sovereign-ai/']").first.click()
    tab.wait_for_url("**/essays/korea-sovereign-ai/")
    assert "독파모" in tab.locator("main").inner_text()


def test_no_results_says_so(tab, site_url: str) -> None:
    results = search_from_header(tab, site_url, "", "zzqxjv없는말")
    assert results == []
    assert "결과가 없습니다" in tab.locator("#search-results").inner_text()


def test_search_page_form_and_language_switch_keep_the_query(tab, site_url: str) -> None:
    search_from_header(tab, site_url, "", "싱가포르")
    assert tab.locator("#search-q").input_value() == "싱가포르"
    switch = tab.locator("a.lang-switch")
    assert parse_qs(urlsplit(switch.get_attribute("href")).query).get("q") == ["싱가포르"]
    # The search page's own form searches again.
    tab.locator("#search-q").fill("Singapore")
    tab.locator("#search-q").press("Enter")
    tab.wait_for_url(re.compile(r".*/search/\?q=Singapore"))
    tab.wait_for_selector("#search-results li")
    tab.locator("a.lang-switch").click()
    tab.wait_for_url(re.compile(r".*/en/search/\?q=Singapore"))
    tab.wait_for_selector("#search-results li")
    assert "/en/countries/sg/" in [
        urlsplit(h).path for h in tab.locator("#search-results li > a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]
    screenshot(tab, "search-en-desktop")


# --- The language switch -----------------------------------------------------------------------

# (Korean page, its English counterpart) for every page type.
COUNTERPARTS = [
    ("", "en/"),
    ("countries/", "en/countries/"),
    ("countries/kr/", "en/countries/kr/"),
    ("countries/fr/", "en/countries/fr/"),
    ("compare/", "en/compare/"),
    ("compare/funding/", "en/compare/funding/"),
    ("compare/regulation/", "en/compare/regulation/"),
    ("timeline/", "en/timeline/"),
    ("essays/", "en/essays/"),
    ("essays/korea-sovereign-ai/", "en/essays/korea-sovereign-ai/"),
    ("essays/gpu-numbers/", "en/essays/gpu-numbers/"),
    ("glossary/", "en/glossary/"),
    ("downloads/", "en/downloads/"),
    ("about/", "en/about/"),
    ("search/", "en/search/"),
    ("404.html", "en/404.html"),
]


def test_language_switch_leads_to_the_same_page_in_the_other_language(tab, site_url: str) -> None:
    wrong: list[str] = []
    for ko, en in COUNTERPARTS:
        for here, there, lang in ((ko, en, "en"), (en, ko, "ko")):
            tab.goto(f"{site_url}/{here}")
            switch = tab.locator("a.lang-switch")
            assert switch.get_attribute("hreflang") == lang
            switch.click()
            tab.wait_for_load_state("domcontentloaded")
            landed = urlsplit(tab.url).path
            if landed != f"/{there}" or tab.locator("html").get_attribute("lang") != lang:
                wrong.append(f"/{here} → {landed} (lang={tab.locator('html').get_attribute('lang')}), expected /{there}")
    assert not wrong, "\n".join(wrong)


def test_essay_translation_links_agree_with_the_switch(tab, site_url: str) -> None:
    tab.goto(f"{site_url}/essays/korea-sovereign-ai/")
    translation = tab.locator(".essay-header a[hreflang='en']")
    assert translation.get_attribute("href") == tab.locator("a.lang-switch").get_attribute("href")
    tab.goto(f"{site_url}/en/countries/kr/")
    assert "Korea" in tab.locator("h1").inner_text()
    tab.locator("a.lang-switch").click()
    tab.wait_for_url("**/countries/kr/")
    assert "대한민국" in tab.locator("h1").inner_text()


def test_source_titles_are_not_searched(tab, site_url: str) -> None:
    """A phrase that stands only in source titles and essay notes finds nothing: search indexes prose and item names."""
    tab.goto(f"{site_url}/search/")
    script = """async (q) => {
        const pagefind = await import(document.getElementById('search-results').dataset.pagefind);
        return Promise.all((await pagefind.search(q)).results.map(async r => (await r.data()).url));
    }"""
    assert tab.evaluate(script, "refuse to sign inclusive") == []
    # …while pages are still found by their prose and item names.
    found = tab.evaluate(script, "Mistral")
    assert any("/countries/fr/" in u for u in found), found
    assert not any(u.endswith("/countries/us/") for u in found), found


def test_search_reads_a_source_of_its_own_that_never_reaches_the_site(built_site: Path) -> None:
    """Pagefind indexes small documents the build collects beside the site (a profile's prose and item names),
    under the pages' own addresses; the folder is gone afterwards and nothing of it is published."""
    assert not list(built_site.parent.glob(f".{built_site.name}.tmp-*"))
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    countries = len(list((built_site / "countries").glob("*/index.html")))
    essays = len(list((built_site / "essays").glob("*/index.html")))
    # Every profile, essay, the glossary and the about page, in each language.
    assert entry["languages"]["ko"]["page_count"] >= countries + essays + 1
