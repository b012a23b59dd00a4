"""Comparison pages: the picker and its permalinks, sorting, the no-JavaScript fallback."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import REPO, screenshot

pytestmark = pytest.mark.browser


def _columns(page) -> list[str]:
    return page.locator(".picker-result table thead th[data-code]").evaluate_all("els => els.map(e => e.dataset.code)")


def test_picker_builds_columns_and_a_permalink(page, site_url: str) -> None:
    page.goto(site_url + "/compare/")
    assert page.locator("#picker").is_visible()
    for code in ("kr", "fr", "sg"):
        page.locator(f"#picker input[value='{code}']").check()
    page.wait_for_selector(".picker-result table")
    assert _columns(page) == ["kr", "fr", "sg"]
    query = parse_qs(urlparse(page.url).query)
    assert query["c"] == ["kr,fr,sg"]
    # The full matrix gives way to the chosen columns.
    assert page.locator("#matrix").is_hidden()
    # One row per dimension, and cells link to the country's section.
    data = json.loads(page.context.request.get(site_url + "/data/compare-ko.json").text())
    dims = data["dimensions"]
    assert page.locator(".picker-result tbody tr").count() == len(data["indicators"]) + len(dims)
    first_cell = page.locator(".picker-result tbody tr:not(.indicator-row)").first.locator("td a").first
    assert first_cell.get_attribute("href").endswith("/countries/kr/#dim-" + dims[0]["id"])
    screenshot(page, "compare-picker-desktop")

    # Reloading the permalink brings the same view back.
    permalink = page.url
    page.goto("about:blank")
    page.goto(permalink)
    page.wait_for_selector(".picker-result table")
    assert _columns(page) == ["kr", "fr", "sg"]
    assert page.locator("#picker input[value='fr']").is_checked()


def test_picker_limits_to_four_and_needs_two(page, site_url: str) -> None:
    page.goto(site_url + "/compare/?c=kr,us,cn,sg")
    page.wait_for_selector(".picker-result table")
    assert _columns(page) == ["kr", "us", "cn", "sg"]
    assert page.locator("#picker input[value='fr']").is_disabled()
    page.locator("#picker input[value='us']").uncheck()
    page.locator("#picker input[value='cn']").uncheck()
    page.locator("#picker input[value='sg']").uncheck()
    assert page.locator(".picker-result table").count() == 0
    assert page.locator("#matrix").is_visible()
    assert page.locator(".picker-status").inner_text().strip() != ""


def test_english_picker(page, site_url: str) -> None:
    page.goto(site_url + "/en/compare/?c=gb,fr")
    page.wait_for_selector(".picker-result table")
    header = page.locator(".picker-result thead").inner_text()
    assert "United Kingdom" in header and "France" in header


def test_without_javascript_the_full_matrix_shows(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/compare/?c=kr,fr")
    assert page.locator("#picker").is_hidden()
    rows = page.locator("#matrix tbody tr").evaluate_all("els => els.map(e => e.dataset.code)")
    codes = sorted(p.stem for p in (REPO / "content" / "countries").glob("*.yaml"))
    assert len(codes) >= 6 and rows == ["kr"] + [
        c for c in codes if c != "kr"
    ]  # the fixed order: Korea first on Korean pages, then by code
    context.close()


def test_tables_sort_by_column(page, site_url: str) -> None:
    page.goto(site_url + "/compare/funding/europe/")
    table = page.locator("table.data").first
    header = table.locator("thead th").nth(2).locator("button")  # the amount column
    header.click()
    values = table.locator("tbody tr td:nth-of-type(2)").evaluate_all("els => els.map(e => parseFloat(e.dataset.sort))")
    assert values == sorted(values)
    header.click()
    values = table.locator("tbody tr td:nth-of-type(2)").evaluate_all("els => els.map(e => parseFloat(e.dataset.sort))")
    assert values == sorted(values, reverse=True)
    assert table.locator("thead th").nth(2).get_attribute("aria-sort") == "descending"


def test_phone_screenshots_of_compare_and_a_chart(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "/compare/?c=kr,us,cn")
    page.wait_for_selector(".picker-result table")
    # The three chosen countries, and only they, are the picker's columns.
    heads = page.locator(".picker-result table thead th").all_inner_texts()
    assert [h for h in heads if h.strip()][-3:] == ["대한민국", "미국", "중국"], heads
    assert _page_overflow(page) <= 0, "the picker page scrolls sideways on a phone"
    screenshot(page, "compare-picker-phone")
    page.goto(site_url + "/compare/funding/")
    chart = page.locator("figure.chart").first
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200 and box["x"] + box["width"] <= 375 + 0.5, box
    chart.screenshot(path=str(screenshot.__globals__["ARTIFACTS"] / "chart-funding-phone.png"))
    context.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "/compare/funding/")
    chart = page.locator("figure.chart").first
    assert chart.locator("svg rect.bar").count() > 5
    assert _page_overflow(page) <= 0
    chart.screenshot(path=str(screenshot.__globals__["ARTIFACTS"] / "chart-funding-desktop.png"))
    page.close()


def _page_overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _indicator_cells(page, row: int) -> list[dict]:
    return (
        page.locator(".picker-result tbody tr.indicator-row")
        .nth(row)
        .locator("td")
        .evaluate_all(
            "tds => tds.map(td => ({value: td.querySelector('.ind-value').textContent,"
            " chips: [...td.querySelectorAll('.chip')].map(c => [c.className.replace('chip chip-', ''), c.textContent])}))"
        )
    )


@pytest.mark.parametrize(
    ("prefix", "kr_value", "kr_chips", "fr_value", "fr_chips"),
    [
        ("", "약 69억 6,000만 달러", [["status", "예산"], ["sector", "공공"], ["period", "2026년"]],
         "약 3억 2,400만 달러", [["status", "계획"], ["sector", "공공"], ["period", "2025년"], ["partial", "부분 합계"]]),
        ("en/", "about $6.96 billion", [["status", "budgeted"], ["sector", "Public"], ["period", "2026"]],
         "about $324 million", [["status", "planned"], ["sector", "Public"], ["period", "2025"], ["partial", "partial"]]),
    ],
)  # fmt: skip
def test_picker_answers_korea_against_france_like_for_like(
    page, site_url: str, prefix: str, kr_value: str, kr_chips: list, fr_value: str, fr_chips: list
) -> None:
    """/compare/?c=kr,fr: public AI money per year with its status, sector and period, and compute in operation apart from plans."""
    page.goto(f"{site_url}/{prefix}compare/?c=kr,fr")
    page.wait_for_selector(".picker-result tr.indicator-row")
    rows = page.locator(".picker-result tbody tr.indicator-row th").all_inner_texts()
    assert rows[:3] == (["연간 공공 AI 지출", "민간·외국 투자 약속", "가동 중인 연산 자원과 계획"] if not prefix
                        else ["Public AI spending per year", "Private and foreign commitments", "Compute in operation and planned"])  # fmt: skip
    kr, fr = _indicator_cells(page, 0)
    assert (kr["value"], kr["chips"]) == (kr_value, kr_chips)
    assert (fr["value"], fr["chips"]) == (fr_value, fr_chips)
    # Per person, from the same row's details, and the row links to the indicator's own page.
    details = page.locator(".picker-result tbody tr.indicator-row").first.locator("td").first.locator(".ind-details li").all_inner_texts()
    assert details[0] == (
        "1인당 약 135 달러(2024년 인구)" if not prefix else "about $135 per person (2024 population)"
    )  # ₩9.9T / ₩1,422.16 / 51.75M
    href = page.locator(".picker-result tbody tr.indicator-row th a").first.get_attribute("href")
    assert href.endswith(f"/{prefix}compare/indicators/public-ai-spending/")
    # Compute: NVIDIA's count of GPUs installed in Korea (about 65,000) is in operation; nothing is sourced for
    # France, so it says unknown; plans are shown apart, never added.
    kr_compute, fr_compute = _indicator_cells(page, 2)
    assert kr_compute["value"] == ("약 6만 5,000 장" if not prefix else "about 65,000 GPUs")
    assert fr_compute["value"] == ("알 수 없음" if not prefix else "unknown")
    plans = page.locator(".picker-result tbody tr.indicator-row").nth(2).locator("td").first.locator(".ind-details li").all_inner_texts()
    assert any(("가장 큰 계획" if not prefix else "Largest plan") in line for line in plans)
    if not prefix:
        screenshot(page, "compare-kr-fr-desktop")


def test_the_language_switch_keeps_the_picked_countries(page, site_url: str) -> None:
    page.goto(site_url + "/compare/?c=kr,fr")
    page.wait_for_selector(".picker-result table")
    page.locator("a.lang-switch").first.click()
    page.wait_for_url("**/en/compare/?c=kr,fr")
    page.wait_for_selector(".picker-result table")
    assert _columns(page) == ["kr", "fr"]
