"""Large datasets: past the grouping threshold, comparisons split by region, and big regions into pages.

A synthetic project of 121 jurisdictions in one region (copies of the base
country under real ISO codes) is built once. Nothing on a comparison page may
grow with the dataset: every regional page holds at most REGION_PAGE_SIZE
countries, every country appears on exactly one page of each kind, and the
pages link to each other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest
from test_broken_inputs import BASE, make_project

from sovereign_site.build import build
from sovereign_site.data.checks import CODE_HINTS
from sovereign_site.pages.compare import REGION_PAGE_SIZE, Region, region_pages

COUNT = 120  # plus the base country: 121, so five pages of 25, 25, 25, 25 and 21
LISTED = 50  # events the timeline page lists (SOVEREIGN_TIMELINE_LIST_LIMIT; the default, TIMELINE_LIST_LIMIT, is larger)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    project = make_project(root / "project", essays=False)
    base = (BASE / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8")
    assert "region: east-asia" in base
    codes = sorted(c.alpha_2.lower() for c in pycountry.countries if c.alpha_2.lower() not in CODE_HINTS and c.alpha_2 != "KR")
    for code in codes[:COUNT]:
        (project / "content" / "countries" / f"{code}.yaml").write_text(base.replace("code: kr", f"code: {code}", 1), encoding="utf-8")
    settings = project / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + f"\nSOVEREIGN_TIMELINE_LIST_LIMIT = {LISTED}\n", encoding="utf-8")
    out = root / "site"
    build(project, out, search=False, log=lambda message: None)
    return out


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([a-z-]+)"', html)


def test_region_pages_split_near_evenly_and_keep_the_first_address() -> None:
    def t(key: str, **values: object) -> str:
        return "{label} {n}/{of}".format(**values)

    members = list(range(121))
    pages = region_pages([Region("asia", "Asia", members), Region("europe", "Europe", [1, 2])], t, size=50)
    assert [p.id for p in pages] == ["asia", "asia-2", "asia-3", "europe"]
    assert [len(p.members) for p in pages] == [41, 41, 39, 2]
    assert [p.label for p in pages] == ["Asia 1/3", "Asia 2/3", "Asia 3/3", "Europe"]
    assert [m for p in pages[:3] for m in p.members] == members
    assert [len(p.members) for p in region_pages([Region("a", "A", list(range(50)))], t, size=50)] == [50]


def test_the_matrix_is_split_into_pages_of_bounded_size(site: Path) -> None:
    pages = sorted((site / "compare" / "regions").iterdir())
    assert [p.name for p in pages] == ["east-asia", "east-asia-2", "east-asia-3", "east-asia-4", "east-asia-5"]
    seen: list[str] = []
    for folder in pages:
        html = (folder / "index.html").read_text(encoding="utf-8")
        rows = _rows(html)
        assert 0 < len(rows) <= REGION_PAGE_SIZE
        seen += rows
        # Every page links to every page of the region, labelled with its number.
        for other in pages:
            assert f'href="/compare/regions/{other.name}/"' in html
        assert "동아시아 1/5" in html and "동아시아 5/5" in html
    assert sorted(seen) == sorted(set(seen)) and len(seen) == COUNT + 1


def test_dimension_tables_are_split_the_same_way(site: Path) -> None:
    overview = (site / "compare" / "funding" / "index.html").read_text(encoding="utf-8")
    seen: list[str] = []
    for page in ("east-asia", "east-asia-2", "east-asia-3", "east-asia-4", "east-asia-5"):
        assert f'href="/compare/funding/{page}/"' in overview
        html = (site / "compare" / "funding" / page / "index.html").read_text(encoding="utf-8")
        # The base country has one funding figure, so one row per country: <tr id="item-CODE-ID">.
        rows = re.findall(r'<tr id="item-([a-z]{2})-', html)
        assert 0 < len(rows) <= REGION_PAGE_SIZE
        seen += rows
    assert sorted(seen) == sorted(set(seen)) and len(seen) == COUNT + 1
    english = (site / "en" / "compare" / "regions" / "east-asia-2" / "index.html").read_text(encoding="utf-8")
    assert "East Asia, 2 of 5" in english


def test_no_comparison_page_grows_with_the_dataset(site: Path) -> None:
    pages = [
        *site.glob("compare/**/index.html"),
        *site.glob("en/compare/**/index.html"),
        site / "timeline/index.html",
        site / "en/timeline/index.html",
    ]
    for path in pages:
        assert path.stat().st_size < 300_000, f"{path.relative_to(site)} is {path.stat().st_size:,} bytes"


def test_the_timeline_page_lists_the_latest_events_and_says_how_many_there_are(site: Path) -> None:
    """The year-by-year list keeps the latest events (past the grouping threshold, with no page per year); each
    country's timeline page keeps all of its own."""
    html = (site / "timeline/index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<ol class="year-events">(.*?)</ol>', html, re.S)
    dates = re.findall(r'<li><time datetime="([0-9-]+)"', "".join(listed))
    assert len(dates) == LISTED
    assert dates == sorted(dates, reverse=True)
    own = (site / "countries/kr/timeline/index.html").read_text(encoding="utf-8").split('<ol class="milestones">')[1].split("</ol>")[0]
    total = (COUNT + 1) * own.count('<li id="item-kr-')
    assert total > LISTED
    assert f"전체 {total}건 가운데 가장 최근 {LISTED}건" in html
    english = (site / "en/timeline/index.html").read_text(encoding="utf-8")
    assert f"The latest {LISTED} of {total} " in english
