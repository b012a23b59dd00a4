"""Real-browser tests: Playwright driving Debian's Chromium against the built site."""

from __future__ import annotations

import pytest
from conftest import screenshot, watch_page

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "", "countries/", "countries/kr/", "compare/", "compare/funding/", "compare/models/", "timeline/",
    "essays/", "essays/korea-sovereign-ai/", "glossary/", "downloads/", "about/", "search/?q=GPU",
]  # fmt: skip


def test_home_and_country_page_navigation(page, site_url: str) -> None:
    problems = watch_page(page)
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text().strip()
    screenshot(page, "home-desktop")
    # Navigate to a country through the cards, as a reader would.
    page.locator(".country-cards a[href$='/countries/kr/']").first.click()
    page.wait_for_url("**/countries/kr/")
    assert "대한민국" in page.locator("h1").inner_text()
    screenshot(page, "country-kr-desktop")
    # The main navigation reaches the comparison page.
    page.locator(".site-nav a[href$='/compare/']").click()
    page.wait_for_url("**/compare/")
    assert page.locator("#matrix table").count() == 1
    # And the language switch leads to the same page in English.
    page.locator("a.lang-switch").click()
    page.wait_for_url("**/en/compare/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert problems == []


@pytest.mark.parametrize("path", PAGE_TYPES)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_no_console_errors_on_any_page_type(page, site_url: str, path: str, lang: str) -> None:
    problems = watch_page(page)
    page.goto(f"{site_url}/{lang}{path}")
    page.wait_for_load_state("networkidle")
    assert problems == []


def test_phone_layout_has_no_horizontal_overflow(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    for path in ("", "countries/kr/", "compare/", "essays/korea-sovereign-ai/"):
        page.goto(f"{site_url}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    screenshot(page, "essay-phone")
    context.close()
