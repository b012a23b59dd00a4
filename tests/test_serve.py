"""`sovereign-site serve`: serves the build, rebuilds on change, keeps the last good build on failure."""

from __future__ import annotations

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


@pytest.fixture
def server(tmp_path: Path):
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - the server writes to it until the fixture ends
    # Port 0: the system picks a free port when serve binds, and serve says which (no race with other processes).
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovereign_site", "serve", "--project", str(project), "--port", "0", "--no-search", "--output", str(tmp_path / "out")],
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
