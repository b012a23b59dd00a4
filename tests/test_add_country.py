"""Adding a country is adding one YAML file: it must appear everywhere a country appears."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import copy_project, run_cli, serve_directory


@pytest.fixture(scope="module")
def japan_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project plus content/countries/jp.yaml copied from fr.yaml, code and names changed."""
    root = tmp_path_factory.mktemp("jp")
    project = copy_project(root / "project")
    countries = project / "content" / "countries"
    text = (countries / "fr.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^code: fr$", "code: jp", text)
    text = re.sub(r"(?m)^  ko: 프랑스$", "  ko: 일본", text)
    text = re.sub(r"(?m)^  en: France$", "  en: Japan", text)
    text = re.sub(r"(?m)^region: europe$", "region: east-asia", text)
    (countries / "jp.yaml").write_text(text, encoding="utf-8")
    out = root / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--site-url", "https://x.example")
    assert result.returncode == 0, result.stderr
    assert "(7 countries" in result.stdout
    return out


def test_profile_pages_exist(japan_site: Path) -> None:
    ko = (japan_site / "countries/jp/index.html").read_text(encoding="utf-8")
    en = (japan_site / "en/countries/jp/index.html").read_text(encoding="utf-8")
    assert "<h1>일본" in ko and "<h1>Japan" in en


@pytest.mark.parametrize("page", ["index.html", "countries/index.html", "compare/index.html", "en/index.html", "en/compare/index.html"])
def test_linked_from_home_lists_and_matrix(japan_site: Path, page: str) -> None:
    html = (japan_site / page).read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*countries/jp/"', html), page


def test_every_dimension_page_and_chart_has_it(japan_site: Path) -> None:
    for page in (japan_site / "compare").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "일본" in html, page
    funding = (japan_site / "compare/funding/index.html").read_text(encoding="utf-8")
    svg = funding[funding.index("<svg") : funding.index("</svg>")]
    assert "일본" in svg
    timeline = (japan_site / "timeline/index.html").read_text(encoding="utf-8")
    assert "일본" in timeline[timeline.index("<svg") : timeline.index("</svg>")]
    home = (japan_site / "index.html").read_text(encoding="utf-8")
    assert "일본" in home[home.index("<svg") : home.index("</svg>")], "archetype chart"


def test_downloads_picker_and_sitemap(japan_site: Path) -> None:
    data = json.loads((japan_site / "data/sovereign-ai.json").read_text(encoding="utf-8"))
    assert "jp" in [c["code"] for c in data["countries"]]
    assert json.loads((japan_site / "data/countries/jp.json").read_text(encoding="utf-8"))["country"]["names"]["en"] == "Japan"
    rows = list(csv.DictReader(io.StringIO((japan_site / "data/figures.csv").read_text(encoding="utf-8"))))
    assert any(r["country"] == "jp" for r in rows)
    picker = json.loads((japan_site / "data/compare-ko.json").read_text(encoding="utf-8"))
    assert "일본" in [c["name"] for c in picker["countries"]]
    sitemap = (japan_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://x.example/countries/jp/" in sitemap and "https://x.example/en/countries/jp/" in sitemap


@pytest.mark.browser
def test_search_finds_it(japan_site: Path, page) -> None:
    url, stop = serve_directory(japan_site)
    try:
        page.goto(f"{url}/search/?q=일본")
        page.wait_for_selector("#search-results li a")
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any(link.endswith("/countries/jp/") for link in links), links
    finally:
        stop()
