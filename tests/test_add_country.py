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
def added_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project plus content/countries/mx.yaml copied from fr.yaml, code and names changed."""
    root = tmp_path_factory.mktemp("mx")
    project = copy_project(root / "project")
    countries = project / "content" / "countries"
    text = (countries / "fr.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^code: fr$", "code: mx", text)
    text = re.sub(r"(?m)^  ko: 프랑스$", "  ko: 멕시코", text)
    text = re.sub(r"(?m)^  en: France$", "  en: Mexico", text)
    text = re.sub(r"(?m)^region: europe$", "region: latin-america", text)
    (countries / "mx.yaml").write_text(text, encoding="utf-8")
    out = root / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--site-url", "https://x.example")
    assert result.returncode == 0, result.stderr
    assert f"({len(list(countries.glob('*.yaml')))} countries" in result.stdout
    return out


def test_profile_pages_exist(added_site: Path) -> None:
    ko = (added_site / "countries/mx/index.html").read_text(encoding="utf-8")
    en = (added_site / "en/countries/mx/index.html").read_text(encoding="utf-8")
    assert "<h1>멕시코" in ko and "<h1>Mexico" in en


@pytest.mark.parametrize("page", ["index.html", "countries/index.html", "compare/index.html", "en/index.html", "en/compare/index.html"])
def test_linked_from_home_lists_and_matrix(added_site: Path, page: str) -> None:
    html = (added_site / page).read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*countries/mx/"', html), page


def test_every_dimension_page_and_chart_has_it(added_site: Path) -> None:
    for page in (added_site / "compare").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "멕시코" in html, page
    funding = (added_site / "compare/funding/index.html").read_text(encoding="utf-8")
    svg = funding[funding.index("<svg") : funding.index("</svg>")]
    assert "멕시코" in svg
    timeline = (added_site / "timeline/index.html").read_text(encoding="utf-8")
    assert "멕시코" in timeline[timeline.index("<svg") : timeline.index("</svg>")]
    home = (added_site / "index.html").read_text(encoding="utf-8")
    assert "멕시코" in home[home.index("<svg") : home.index("</svg>")], "archetype chart"


def test_downloads_picker_and_sitemap(added_site: Path) -> None:
    data = json.loads((added_site / "data/sovereign-ai.json").read_text(encoding="utf-8"))
    assert "mx" in [c["code"] for c in data["countries"]]
    assert json.loads((added_site / "data/countries/mx.json").read_text(encoding="utf-8"))["country"]["names"]["en"] == "Mexico"
    rows = list(csv.DictReader(io.StringIO((added_site / "data/figures.csv").read_text(encoding="utf-8"))))
    assert any(r["country"] == "mx" for r in rows)
    picker = json.loads((added_site / "data/compare-ko.json").read_text(encoding="utf-8"))
    assert "멕시코" in [c["name"] for c in picker["countries"]]
    sitemap = (added_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://x.example/countries/mx/" in sitemap and "https://x.example/en/countries/mx/" in sitemap


@pytest.mark.browser
def test_search_finds_it(added_site: Path, page) -> None:
    url, stop = serve_directory(added_site)
    try:
        page.goto(f"{url}/search/?q=멕시코")
        page.wait_for_selector("#search-results li a")
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any(link.endswith("/countries/mx/") for link in links), links
    finally:
        stop()
