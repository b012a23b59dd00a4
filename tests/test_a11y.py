"""Accessibility and layout in a real browser (Debian Chromium through Playwright).

* axe-core finds no WCAG 2.2 A/AA violation on any page type, in Korean and
  English, in the light and the dark colour scheme;
* the keyboard works: the skip link comes first and moves focus to the content,
  the header and navigation are reachable, every focused element shows a
  visible outline, and glossary terms show their definition on focus;
* no console errors, failed requests or horizontal scrolling at 360 px, while
  wide tables scroll inside their own box; desktop and phone screenshots of every
  page type in both languages go to test-artifacts/;
* the print stylesheet hides the chrome and writes URLs after external links.

axe-core comes from npm (Makefile test-deps):
``npm install --prefix tests/.node --no-audit --no-fund axe-core@4 vnu-jar``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ARTIFACTS, REPO, screenshot, watch_page

pytestmark = pytest.mark.browser

NODE_MODULES = Path(os.environ.get("SOVEREIGN_NODE_MODULES", REPO / "tests" / ".node" / "node_modules"))
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Every page type (path under the language root, artifact name).
PAGE_TYPES = [
    ("", "home"),
    ("countries/", "countries"),
    ("countries/kr/", "country-kr"),
    ("compare/", "compare"),
    ("compare/funding/", "compare-funding"),
    ("compare/indicators/public-ai-spending/", "indicator"),
    ("compare/regulation/", "compare-regulation"),
    ("compare/talent/", "compare-talent"),
    ("timeline/", "timeline"),
    ("changes/", "changes"),
    ("countries/eu/", "country-eu"),
    ("compare/energy/", "compare-energy"),
    ("essays/", "essays"),
    ("essays/korea-sovereign-ai/", "essay"),
    ("glossary/", "glossary"),
    ("downloads/", "downloads"),
    ("about/", "about"),
    ("search/?q=GPU", "search"),
    ("404.html", "404"),
]
LANGS = [("", "ko"), ("en/", "en")]


def _open(page, url: str) -> None:
    """Load a page and let it settle: scripts run, the picker's data and search results arrive."""
    page.goto(url)
    if "/search/?q=" in url:
        page.wait_for_selector("#search-results li", timeout=15_000)
    elif page.locator("#picker").count():
        page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: npm install --prefix tests/.node --no-audit --no-fund axe-core@4 vnu-jar")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=[("light", 1280), ("dark", 1280), ("light", 375)], ids=["light", "dark", "phone"])
def scheme_tab(request, browser):
    """One page per colour scheme and width (a desktop in both schemes, a phone at 375 px). The site's CSP
    allows only its own scripts, so injecting axe needs bypass_csp (the site itself runs unchanged)."""
    scheme, width = request.param
    context = browser.new_context(color_scheme=scheme, bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.problems = watch_page(page)  # type: ignore[attr-defined]
    page.width = width  # type: ignore[attr-defined]
    yield scheme, page
    context.close()


@pytest.mark.parametrize(("path", "name"), PAGE_TYPES)
@pytest.mark.parametrize(("prefix", "lang"), LANGS)
def test_axe_finds_no_wcag_violations(scheme_tab, axe_source: str, site_url: str, prefix: str, lang: str, path: str, name: str) -> None:
    """Also: no console errors or failed requests, and a desktop screenshot of every page type."""
    scheme, page = scheme_tab
    page.problems.clear()
    _open(page, f"{site_url}/{prefix}{path}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    dark = sum(int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3]) < 150
    assert dark == (scheme == "dark"), f"{scheme} scheme but the body background is {background}"
    if page.width == 1280 and (
        scheme == "light" or path in ("", "countries/kr/", "essays/korea-sovereign-ai/", "compare/funding/", "search/?q=GPU")
    ):
        screenshot(page, f"{name}-{lang}-desktop" + ("-dark" if scheme == "dark" else ""))
    # Open every disclosure so the chart data tables are checked too.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)),
                count: v.nodes.length }));
        }""",
        WCAG_TAGS,
    )
    report = "\n".join(f"[{v['impact']}] {v['id']} ({v['count']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in result)
    assert not result, f"axe on /{prefix}{path} ({scheme}, {page.width} px):\n{report}"
    assert page.problems == [], page.problems


# --- The phone layout ----------------------------------------------


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.problems = watch_page(page)  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.mark.parametrize(("path", "name"), PAGE_TYPES)
@pytest.mark.parametrize(("prefix", "lang"), LANGS)
def test_phone_layout_has_no_horizontal_overflow(phone, site_url: str, prefix: str, lang: str, path: str, name: str) -> None:
    phone.problems.clear()
    _open(phone, f"{site_url}/{prefix}{path}")
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = phone.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(el => {
            const r = el.getBoundingClientRect();
            if (!r.width || getComputedStyle(el).position === 'fixed') return false;
            // Content inside a sideways-scrolling box may be wider than the screen: that is the point of the box.
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
            }
            return r.right > document.documentElement.clientWidth + 1 || r.left < -1;
        }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""
    )
    assert overflow <= 0 and not wide, f"/{prefix}{path} scrolls sideways by {overflow}px at 360px: {wide}"
    assert phone.problems == [], phone.problems
    screenshot(phone, f"{name}-{lang}-phone")


def test_wide_tables_scroll_inside_their_own_box(phone, site_url: str) -> None:
    for path in ("compare/", "countries/kr/", "compare/funding/europe/"):
        phone.goto(f"{site_url}/{path}")
        boxes = phone.evaluate(
            """() => Array.from(document.querySelectorAll('main .table-scroll')).filter(b => b.offsetParent).map(b => ({
                scrolls: b.scrollWidth > b.clientWidth, overflow: getComputedStyle(b).overflowX,
                width: b.getBoundingClientRect().width, focusable: b.tabIndex >= 0, label: b.getAttribute('aria-label') }))"""
        )
        assert boxes, path
        assert any(b["scrolls"] for b in boxes), f"{path}: no table is wider than the phone? {boxes}"
        for b in boxes:
            assert b["overflow"] in ("auto", "scroll") and b["width"] <= 360, (path, b)
            assert b["focusable"] and b["label"], f"{path}: a scrolling table must be focusable and named: {b}"
    # The essay's own tables scroll in place too.
    phone.goto(f"{site_url}/essays/korea-sovereign-ai/")
    for table in phone.locator(".essay-body table").all():
        assert table.evaluate("t => getComputedStyle(t).overflowX") in ("auto", "scroll")
        assert table.bounding_box()["width"] <= 360


# --- Keyboard ------------------------------------------------------------------------------------------

FOCUS_STATE = """() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && el.className.baseVal === undefined ? el.className : '',
             href: el.getAttribute('href'), text: (el.textContent || '').trim().slice(0, 40),
             inNav: !!el.closest('.site-nav'), inHeader: !!el.closest('header.site-header'),
             visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
             shadow: s.boxShadow, box: [r.left, r.top, r.width, r.height] };
}"""


def _has_focus_ring(state: dict) -> bool:
    return (state["outline"] not in ("none", "") and state["width"] >= 2) or state["shadow"] not in ("none", "")


@pytest.fixture(scope="module")
def keyboard_tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_skip_link_comes_first_and_moves_focus_to_main(keyboard_tab, site_url: str, prefix: str) -> None:
    page = keyboard_tab
    page.goto(f"{site_url}/{prefix}countries/kr/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STATE)
    assert "skip-link" in first["cls"], first
    assert first["visible"] and _has_focus_ring(first), first
    left, top, width, height = first["box"]
    assert top >= 0 and left >= 0 and width > 0 and height > 0, f"the focused skip link is off screen: {first}"
    screenshot(page, f"skip-link-{prefix.strip('/') or 'ko'}")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert page.url.endswith("#main")
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_STATE)
    assert not after["inHeader"], after
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)"), after


def test_tabbing_reaches_the_header_and_navigation_with_visible_focus(keyboard_tab, site_url: str) -> None:
    page = keyboard_tab
    page.goto(f"{site_url}/")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        seen.append(state)
        if state["inNav"] and state["href"] and state["href"].endswith("/about/"):
            break
    reached = {s["href"] for s in seen if s["inNav"]}
    assert {"/", "/countries/", "/compare/", "/essays/", "/glossary/", "/about/"} <= reached, [s["href"] for s in seen]
    kinds = [s["id"] or s["cls"] or s["tag"] for s in seen]
    assert "site-search" in kinds and "lang-switch" in kinds and "brand" in kinds, kinds
    no_ring = [s for s in seen if not (s["visible"] and _has_focus_ring(s))]
    assert not no_ring, f"focused without a visible outline: {no_ring}"


@pytest.mark.parametrize("path", ["countries/kr/", "compare/", "en/essays/korea-sovereign-ai/", "downloads/"])
def test_every_focusable_element_shows_focus(keyboard_tab, site_url: str, path: str) -> None:
    page = keyboard_tab
    page.goto(f"{site_url}/{path}")
    page.wait_for_load_state("networkidle")
    problems, seen = [], 0
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.className")
    for _ in range(600):
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "body":
            break
        seen += 1
        if not (state["visible"] and _has_focus_ring(state)):
            problems.append(f"no visible focus: {state}")
        if state["box"][2] == 0 or state["box"][3] == 0:
            problems.append(f"focus on an invisible element: {state}")
        page.keyboard.press("Tab")
        if seen > 1 and page.evaluate("() => document.activeElement.classList.contains('skip-link')"):
            break  # wrapped around
    assert "skip-link" in first, f"the first Tab stop is {first!r}, not the skip link"
    assert seen > 15, f"only {seen} focus stops on /{path}"
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_glossary_terms_show_their_definition_on_keyboard_focus(keyboard_tab, site_url: str, prefix: str) -> None:
    page = keyboard_tab
    page.goto(f"{site_url}/{prefix}essays/korea-sovereign-ai/")
    assert page.locator(".term .tip").count() > 0
    assert page.locator(".term .tip").first.is_hidden()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.term')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term")
    state = page.evaluate(FOCUS_STATE)
    assert state["visible"] and _has_focus_ring(state), state
    term = page.locator(".term:focus-within")
    tip = term.locator(".tip")
    assert tip.is_visible()
    assert tip.inner_text().strip()
    tip_id = tip.get_attribute("id")
    assert tip.get_attribute("role") == "tooltip" and tip_id
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") == tip_id
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    screenshot(page, f"glossary-tooltip-{prefix.strip('/') or 'ko'}")
    # Moving on, past this term, hides its definition again.
    for _ in range(20):
        page.keyboard.press("Tab")
        if not page.evaluate(
            f"() => !!document.activeElement.closest('.term') && document.activeElement.closest('.term').querySelector('.tip').id === {tip_id!r}"
        ):
            break
    # By id: the `:focus-within` locator above would now match another term, or none.
    same = page.locator(f"[id='{tip_id}']")
    assert same.count() == 1 and same.is_hidden()


def test_glossary_definitions_stay_on_a_phone_screen(phone, site_url: str) -> None:
    for path in ("essays/korea-sovereign-ai/", "en/essays/korea-sovereign-ai/"):
        phone.goto(f"{site_url}/{path}")
        terms = phone.locator(".term a")
        assert terms.count() > 3
        off = []
        for i in range(terms.count()):
            terms.nth(i).focus()
            tip = phone.locator(".term:focus-within .tip")
            box, term = tip.bounding_box(), terms.nth(i).bounding_box()
            overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            below = box["y"] - (term["y"] + term["height"])
            if box["x"] < 0 or box["x"] + box["width"] > 360 or overflow > 0 or not -4 <= below <= 16:
                off.append(
                    f"term {i}: tip at x={box['x']:.0f}..{box['x'] + box['width']:.0f}, {below:.0f}px below, page overflow {overflow}px"
                )
        assert not off, f"/{path}:\n" + "\n".join(off)


# --- Print ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"), [("essays/korea-sovereign-ai/", "essay"), ("countries/kr/", "country-kr"), ("en/countries/fr/", "country-fr-en")]
)
def test_print_stylesheet(browser, site_url: str, path: str, name: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/{path}")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.site-header', '.site-nav', '.search-form', '.lang-switch', '.skip-link']
            .map(s => [s, document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : 'absent'])"""
    )
    assert all(display in ("none", "absent") for _, display in hidden), hidden
    assert page.locator("main").is_visible() and page.locator("h1").is_visible()
    assert page.locator("footer").is_visible(), "the footer (dataset version, as-of date) prints"
    links = page.evaluate(
        """() => Array.from(document.querySelectorAll('main a[href^="http"]')).slice(0, 40)
            .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])"""
    )
    assert links, f"{path}: no external links to check"
    missing = [(href, content) for href, content in links if href not in content]
    assert not missing, f"external links print without their URL: {missing[:5]}"
    colours = page.evaluate("() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], colours
    # Glossary tooltips and internal citation links do not print URLs.
    internal = page.evaluate(
        "() => Array.from(document.querySelectorAll('main a[href^=\"#\"], main a[href^=\"/\"]')).slice(0, 20).map(a => getComputedStyle(a, '::after').content)"
    )
    assert all(c in ("none", "normal", "") for c in internal), internal
    assert page.locator(".term .tip").count() == 0 or page.locator(".term .tip").first.is_hidden()
    backrefs = page.locator('.footnotes a[href^="#fnref"]')
    assert backrefs.count() == 0 or backrefs.first.is_hidden(), "footnote back-links (↩) do not print"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{name}-print.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
    context.close()


def test_axe_catches_a_violation(browser, axe_source: str, site_url: str) -> None:
    """The axe pass is not vacuous: on a page with a real problem it reports it."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site_url}/about/")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/favicon.svg'; document.querySelector('main').appendChild(i); }"
    )
    page.add_script_tag(content=axe_source)
    ids = page.evaluate(
        "async (tags) => (await axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations.map(v => v.id)", WCAG_TAGS
    )
    assert "image-alt" in ids
    context.close()
