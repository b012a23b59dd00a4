"""Comparison pages: the picker and its permalinks, sorting, the no-JavaScript fallback."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import screenshot

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
    dims = json.loads(page.context.request.get(site_url + "/data/compare-ko.json").text())["dimensions"]
    assert page.locator(".picker-result tbody tr").count() == len(dims)
    first_cell = page.locator(".picker-result tbody tr").first.locator("td a").first
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
    assert rows == ["cn", "fr", "gb", "kr", "sg", "us"]
    context.close()


def test_tables_sort_by_column(page, site_url: str) -> None:
    page.goto(site_url + "/compare/funding/")
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
