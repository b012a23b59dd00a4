"""`sovereign-site serve`: serves the build, rebuilds on change, keeps the last good build on failure."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project
from playwright.sync_api import expect


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out waiting")


def _serve(tmp_path: Path, *flags: str):
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - the server writes to it until the fixture ends
    # Port 0: the system picks a free port when serve binds, and serve says which (no race with other processes).
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "serve", "--project", str(project), "--port", "0", *flags, "--output", str(tmp_path / "out")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    found: list[str] = []
    _wait(lambda: bool(found.extend(re.findall(r"at (http://127\.0\.0\.1:\d+)/", (tmp_path / "serve.log").read_text())) or found))
    base = found[0]
    _wait(lambda: "<html" in _get(base + "/"))
    yield project, base, tmp_path / "serve.log"
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def server(tmp_path: Path):
    yield from _serve(tmp_path, "--no-search")


@pytest.fixture
def search_server(tmp_path: Path):
    """serve with search on (the default): pages first, the index in the background."""
    yield from _serve(tmp_path)


def test_serves_rebuilds_and_keeps_last_good_build(server) -> None:
    project, base, log = server
    home = _get(base + "/")
    assert "/_sovereign/reload.js" in home  # added on the fly, not in the built files
    kr = project / "content" / "countries" / "kr.yaml"
    good = kr.read_text(encoding="utf-8")
    version = _get(base + "/_sovereign/version")

    # A broken edit: the old site stays, with a banner naming the problem.
    kr.write_text(good.replace("region: east-asia", "region: east-asia\nregoin: x\n'<b>bold</b>': y", 1), encoding="utf-8")
    _wait(lambda: _get(base + "/_sovereign/version") != version)
    broken = _get(base + "/countries/kr/")
    assert 'class="build-error"' in broken
    # The message is shown as text: markup in it (a contributor's key, say) is escaped, never parsed.
    banner = broken[broken.index('class="build-error"') :].split("</div>", 1)[0]
    assert "unknown key &#x27;regoin&#x27;" in banner
    assert "&#x27;&lt;b&gt;bold&lt;/b&gt;&#x27;" in banner
    assert "<b>" not in banner
    assert "대한민국" in broken
    assert "rebuild failed; still serving the last good build" in log.read_text()

    # A good edit: rebuilt, banner gone, the change visible.
    version = _get(base + "/_sovereign/version")
    kr.write_text(good.replace("  ko: 대한민국", "  ko: 대한민국(수정)", 1), encoding="utf-8")
    _wait(lambda: _get(base + "/_sovereign/version") != version)
    fixed = _get(base + "/countries/kr/")
    assert 'class="build-error"' not in fixed
    assert "대한민국(수정)" in fixed


@pytest.mark.browser
def test_browser_reloads_after_rebuild(server, page) -> None:
    project, base, _ = server
    page.goto(base + "/countries/kr/")
    assert "대한민국" in page.locator("h1").inner_text()
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("  ko: 대한민국", "  ko: 새이름나라", 1), encoding="utf-8")
    # No navigation by the test: the page's own reload script must bring the change in.
    expect(page.locator("h1")).to_contain_text("새이름나라", timeout=60000)


@pytest.mark.browser
def test_the_error_banner_is_in_view_after_a_failed_rebuild(server, page) -> None:
    """The page reloads at its old scroll position: the banner must be on screen, not above it."""
    project, base, _ = server
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(base + "/countries/kr/")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("region: east-asia", "region: east-asia\nregoin: x", 1), encoding="utf-8")
    banner = page.locator(".build-error")
    expect(banner).to_be_visible(timeout=60000)
    assert page.evaluate("() => window.scrollY") > 500, "the reload kept the reader's place"
    box = banner.bounding_box()
    assert box and 0 <= box["y"] < 700, box
    assert "regoin" in banner.inner_text()


def _status(base: str, **since: str) -> dict:
    query = "&".join(f"{k}={v}" for k, v in since.items())
    return json.loads(_get(base + "/_sovereign/status" + (f"?{query}" if query else "")))


def _index_is_whole(out: Path) -> bool:
    """The entry file parses and every language's metadata file it names exists (Pagefind's own layout)."""
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return all((out / "pagefind" / f"pagefind.{lang['hash']}.pf_meta").is_file() for lang in entry["languages"].values())


def test_pages_come_first_and_search_follows_in_the_background(search_server, tmp_path: Path) -> None:
    project, base, log = search_server
    _wait(lambda: _status(base)["search"] == "fresh")
    out = tmp_path / "out"
    assert _index_is_whole(out)
    first = _status(base)
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("  ko: 대한민국", "  ko: 검색새이름나라", 1), encoding="utf-8")

    # Read the index over and over while the rebuild and the background indexing run:
    # it is always whole (the old one or the new one), never half-written.
    checks = 0
    while True:
        assert _index_is_whole(out)
        checks += 1
        status = _status(base)
        if status["version"] != first["version"] and status["search"] == "fresh":
            break
        time.sleep(0.02)
    assert checks > 1
    # The new pages were served while search was stale: the log says the index followed them.
    text = log.read_text()
    assert text.index("Built ", text.index("changed: kr.yaml")) < text.rindex("search index updated")
    # The search source each rebuild collected beside the site was removed once indexed; no index folder is left behind.
    _wait(lambda: not list(tmp_path.glob(".out.tmp-*")), timeout=20)
    meta = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert meta["languages"]["ko"]["page_count"] >= 1


def test_status_answers_when_the_build_changes_and_says_search_is_stale(search_server) -> None:
    project, base, _ = search_server
    _wait(lambda: _status(base)["search"] == "fresh")
    now = _status(base)
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("  ko: 대한민국", "  ko: 대한민국(수정)", 1), encoding="utf-8")
    # The long poll returns as soon as the new build is published, before its index exists.
    changed = _status(base, version=str(now["version"]), search="fresh")
    assert changed["version"] == now["version"] + 1
    assert changed["search"] == "stale"
    page = _get(base + "/countries/kr/")
    assert "대한민국(수정)" in page
    assert 'id="sovereign-search-stale"' in page or _status(base)["search"] == "fresh"
    _wait(lambda: _status(base)["search"] == "fresh")
    assert 'id="sovereign-search-stale"' not in _get(base + "/countries/kr/")


@pytest.mark.browser
def test_search_finds_an_edit_and_the_stale_note_goes_without_a_reload(search_server, page) -> None:
    project, base, _ = search_server
    _wait(lambda: _status(base)["search"] == "fresh")
    page.goto(base + "/countries/kr/")
    page.evaluate("() => { window.__sameDocument = true; }")
    kr = project / "content" / "countries" / "kr.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("  ko: 대한민국", "  ko: 찾을새이름나라", 1), encoding="utf-8")
    # The page reloads itself into the new build, then the note leaves when the index is in place.
    expect(page.locator("h1")).to_contain_text("찾을새이름나라", timeout=60000)
    page.evaluate("() => { window.__sameDocument = true; }")
    expect(page.locator("#sovereign-search-stale")).to_have_count(0, timeout=60000)
    assert page.evaluate("() => window.__sameDocument === true"), "the note went without a reload"
    page.goto(base + "/search/?q=찾을새이름나라")
    expect(page.locator("#search-results li a").first).to_have_attribute("href", re.compile(r"/countries/kr/"), timeout=30000)
