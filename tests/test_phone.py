"""Phones (360 px): every chart is drawn for the narrow screen, not shrunk or cut; the timeline becomes a list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import screenshot

from sovereign_site.data.dataset import load_dataset

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CHART_PAGES = ["", "compare/funding/", "compare/compute/", "compare/models/", "compare/indicators/public-ai-spending/"]

# For each chart frame on the page: which SVG shows, how wide it is against its frame, and any text outside it.
MEASURE = """() => [...document.querySelectorAll('.chart-frame')].filter(f => f.offsetParent).map(frame => {
    const shown = [...frame.querySelectorAll('svg')].filter(s => getComputedStyle(s).display !== 'none');
    const svg = shown[0];
    const box = svg.getBoundingClientRect();
    const [x0, , w] = svg.getAttribute('viewBox').split(/\\s+/).map(Number);
    const outside = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
        .filter(([, b]) => b.width > 0 && (b.x < x0 - 0.5 || b.x + b.width > x0 + w + 0.5)).map(([t]) => t);
    return {id: frame.closest('figure').id, shown: shown.length, narrow: svg.classList.contains('narrow'),
            viewWidth: w, width: box.width, frame: frame.clientWidth, scroll: frame.scrollWidth, outside,
            scale: box.width / w};
})"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_a_phone_shows_the_narrow_chart_whole_and_legible(phone, site_url: str, prefix: str, path: str) -> None:
    phone.goto(f"{site_url}/{prefix}{path}")
    frames = phone.evaluate(MEASURE)
    assert frames, path
    for f in frames:
        assert f["shown"] == 1 and f["narrow"], f  # one chart shows, the one drawn for the phone
        assert f["width"] <= f["frame"] + 0.5 and f["scroll"] <= f["frame"], f  # nothing cut off or scrolled
        assert f["outside"] == [], f
        # Drawn at about the phone's width, not a desktop chart scaled down: text stays near its own size.
        assert f["scale"] >= 0.85, f
    screenshot(phone, f"phone-charts-{prefix.strip('/') or 'ko'}-{path.strip('/').replace('/', '-') or 'home'}")


@pytest.mark.parametrize("path", CHART_PAGES)
def test_a_desktop_shows_the_wide_chart(desktop, site_url: str, path: str) -> None:
    desktop.goto(f"{site_url}/{path}")
    for f in desktop.evaluate(MEASURE):
        assert f["shown"] == 1 and not f["narrow"] and f["viewWidth"] == 640, f


def test_the_archetype_map_names_every_country_on_a_phone(phone, site_url: str) -> None:
    ds = load_dataset(REPO / "content")
    placed = [c for c in ds.countries if c.archetype != "unknown"]
    phone.goto(f"{site_url}/en/")
    svg = phone.locator("#chart-archetypes svg.narrow")
    assert svg.is_visible()
    texts = svg.locator("text").all_text_contents()
    for country in placed:
        assert country.names.en in texts, country.code
    numbers = [t for t in texts if re.fullmatch(r"\d+", t)]
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, len(placed) + 1)]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_timeline_is_a_list_of_every_event_on_a_phone(phone, site_url: str, prefix: str) -> None:
    ds = load_dataset(REPO / "content")
    events = [(str(m.date), c.code, m.id) for c in ds.countries if isinstance(c.timeline, list) for m in c.timeline]
    phone.goto(f"{site_url}/{prefix}timeline/")
    assert not phone.locator("#chart-timeline .chart-frame").is_visible()  # no time axis squeezed into 360 px
    items = phone.locator(".year-events li")

    def listed() -> set[str]:
        hrefs = items.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        return {re.sub(r".*#item-", "", h) for h in hrefs}

    # The latest events under the axis, newest first, each under its year's heading, every one with its label.
    latest = sorted(events, reverse=True)[: items.count()]
    assert 0 < items.count() < len(events)
    assert listed() == {f"{code}-{mid}" for _, code, mid in latest}
    years = phone.locator(".by-year h3").all_text_contents()
    assert years == sorted(years, reverse=True)
    assert all(t.strip() for t in phone.locator(".year-events .event").all_text_contents())
    screenshot(phone, f"phone-timeline-{prefix.strip('/') or 'ko'}")
    # Every event, labelled, on its year's page, reached from the list of years.
    seen: set[str] = set()
    for year in phone.locator(".year-links a").all_text_contents():
        phone.goto(f"{site_url}/{prefix}timeline/{year}/")
        assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert all(t.strip() for t in phone.locator(".year-events .event").all_text_contents())
        seen |= listed()
    assert seen == {f"{code}-{mid}" for _, code, mid in events}
    # A country's timeline page keeps its own list and hides its axis too.
    phone.goto(f"{site_url}/{prefix}countries/kr/timeline/")
    assert not phone.locator("figure.phone-list .chart-frame").first.is_visible()
    assert phone.locator("ol.milestones > li").count() == len(ds.by_code["kr"].timeline)


def test_a_wide_table_keeps_its_names_in_view_and_shows_it_scrolls(phone, site_url: str) -> None:
    """On a country page a table wider than the phone scrolls in its box; the item's name stays put and
    a shadow at the edge says there is more (CSS only: background layers that scroll with the content)."""
    phone.goto(f"{site_url}/countries/kr/")
    box = phone.locator("#dim-funding ~ .table-scroll, section[aria-labelledby='dim-funding'] .table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the funding table fits a phone: nothing to check"
    assert "radial-gradient" in box.evaluate("b => getComputedStyle(b).backgroundImage")
    name = box.locator("tbody td:first-child").first
    before = name.bounding_box()
    other = box.locator("tbody td:nth-child(3)").first
    other_before = other.bounding_box()
    box.evaluate("b => { b.scrollLeft = 200; }")
    after, other_after = name.bounding_box(), other.bounding_box()
    assert abs(after["x"] - before["x"]) < 1  # the name column is sticky…
    assert other_after["x"] < other_before["x"] - 100  # …while the other columns moved under it
