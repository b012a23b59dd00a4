"""Deploying: a site under a sub-path works end to end, and `--no-cache` builds without touching the cache."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import copy_project, run_cli, serve_directory, watch_page
from test_broken_inputs import tree_digest

SUB_URL = "https://example.org/sovereign"
ROOT_RELATIVE = re.compile(r'\b(?:href|src|action|data-pagefind)="(/[^"]*)"')


@pytest.fixture(scope="module")
def sub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built for https://example.org/sovereign/, in a folder named like the sub-path."""
    root = tmp_path_factory.mktemp("subpath")
    project = copy_project(root / "project")
    out = root / "www" / "sovereign"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--site-url", SUB_URL)
    assert result.returncode == 0, result.stderr
    return out


def test_every_root_relative_link_stays_under_the_sub_path(sub_site: Path) -> None:
    pages = list(sub_site.rglob("*.html"))
    assert len(pages) > 40
    outside = [(p.relative_to(sub_site), link) for p in pages for link in ROOT_RELATIVE.findall(p.read_text(encoding="utf-8"))]
    outside = [(p, link) for p, link in outside if not link.startswith("/sovereign/")]
    assert not outside, outside[:10]


def test_feeds_and_sitemap_use_the_full_address(sub_site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ("feeds/data.atom.xml", "feeds/essays.atom.xml", "feeds/essays-en.atom.xml"):
        root = ET.parse(sub_site / feed).getroot()
        links = [el.get("href", "") for el in root.iter(f"{atom}link")]
        assert links and all(link.startswith(SUB_URL + "/") for link in links), (feed, links)
    locs = [el.text or "" for el in ET.parse(sub_site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{SUB_URL}/" in locs and f"{SUB_URL}/en/countries/kr/" in locs
    assert all(loc.startswith(SUB_URL + "/") for loc in locs)
    assert f"Sitemap: {SUB_URL}/sitemap.xml" in (sub_site / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.browser
def test_browsing_and_searching_under_the_sub_path(sub_site: Path, page) -> None:
    base, stop = serve_directory(sub_site.parent)  # the host serves other things beside /sovereign/
    try:
        problems = watch_page(page)
        page.goto(f"{base}/sovereign/", wait_until="networkidle")
        page.locator(".site-nav a").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(f"{base}/sovereign/")
        page.goto(f"{base}/sovereign/countries/kr/", wait_until="networkidle")
        page.locator("a.lang-switch").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url == f"{base}/sovereign/en/countries/kr/"
        page.goto(f"{base}/sovereign/search/?q=GPU")
        page.wait_for_selector("#search-results ol li a")
        hrefs = page.locator("#search-results ol li a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("/sovereign/") for h in hrefs), hrefs
        assert not problems, problems
    finally:
        stop()


def test_no_cache_builds_without_reading_or_writing_the_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", essays=False)
    cache = project / ".sovereign-cache"
    cold = run_cli("build", "--project", str(project), "--no-search", "--no-cache", "--output", str(tmp_path / "cold"))
    assert cold.returncode == 0, cold.stderr
    assert not cache.exists(), "--no-cache wrote a cache"
    warm = run_cli("build", "--project", str(project), "--no-search", "--output", str(tmp_path / "warm"))
    assert warm.returncode == 0, warm.stderr
    assert cache.is_dir() and any(cache.rglob("*")), "a normal build keeps a cache"
    before = tree_digest(cache)
    # A cache that would give a wrong page if it were read: --no-cache must ignore it, and leave it as it is.
    for entry in cache.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a cache entry")
    poisoned = tree_digest(cache)
    again = run_cli("build", "--project", str(project), "--no-search", "--no-cache", "--output", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert tree_digest(cache) == poisoned != before
    assert tree_digest(tmp_path / "again") == tree_digest(tmp_path / "cold") == tree_digest(tmp_path / "warm")


def test_the_citation_and_structured_data_use_the_sub_path_once(sub_site: Path) -> None:
    for prefix in ("", "en/"):
        page = (sub_site / prefix / "downloads" / "index.html").read_text(encoding="utf-8")
        citation = page.split('<blockquote class="citation">', 1)[1].split("</blockquote>", 1)[0]
        assert citation.endswith(f"{SUB_URL}/{prefix}downloads/"), citation
    essay = (sub_site / "essays" / "korea-sovereign-ai" / "index.html").read_text(encoding="utf-8")
    assert '"isPartOf": {"@type": "WebSite", "name":' in essay and f'"url": "{SUB_URL}/"}}' in essay
    assert "/sovereign/sovereign/" not in "".join(p.read_text(encoding="utf-8") for p in sub_site.rglob("*.html"))


def test_without_a_site_address_the_citation_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", essays=False)
    out = tmp_path / "out"
    assert run_cli("build", "--project", str(project), "--no-search", "--output", str(out)).returncode == 0
    ko = (out / "downloads" / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert "(주소는 사이트를 올린 곳에 따라 정해집니다)" in ko and "(the address depends on where the site is hosted)" in en
    assert "기준). /downloads/" not in ko
