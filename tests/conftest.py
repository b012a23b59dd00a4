"""Shared fixtures: tiny projects, the shipped site built once, a local server, Chromium.

Browser tests drive Debian's Chromium through Playwright's ``executable_path``;
no browser is ever downloaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"
SITE_URL = "https://sovereign-site.example"
#: "Today" for every test: 2026-12-01T00:00:00Z. Source-age checks compare `accessed`
#: dates with it, so a strict build passes in 2028 as it does now. Set here, before any
#: test runs, so subprocesses inherit it; tests of the age rule itself set their own.
TODAY_EPOCH = "1796083200"
os.environ["SOURCE_DATE_EPOCH"] = TODAY_EPOCH
#: Under CI a missing browser, axe-core or shared corpus is a failure, never a skip.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, message: str) -> None:
    """Skip a test whose tool or data is missing on a developer's machine; fail it under CI."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{message} (CI must have it)")
        pytest.skip(message)


def copy_project(dest: Path, *, essays: bool = True, countries: list[str] | None = None) -> Path:
    """A copy of the shipped project (content and settings; templates linked) to change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pelicanconf.py", dest / "pelicanconf.py")
    (dest / "templates").symlink_to(REPO / "templates")
    shutil.copytree(REPO / "content", dest / "content")
    if not essays:
        for md in (dest / "content" / "essays").glob("*.md"):
            md.unlink()
    if countries is not None:
        for path in (dest / "content" / "countries").glob("*.yaml"):
            if path.stem not in countries:
                path.unlink()
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sovereign_site`` as a user would, capturing both streams."""
    return subprocess.run(
        [sys.executable, "-m", "sovereign_site", *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built once (with the search index) for every test that reads output."""
    out = tmp_path_factory.mktemp("site") / "output"
    result = run_cli("build", "--output", str(out), "--site-url", SITE_URL, "--strict")
    assert result.returncode == 0, result.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path) -> tuple[str, Callable[[], None]]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server.shutdown


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    url, stop = serve_directory(built_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright: launch Debian's Chromium, never a downloaded browser."""
    need(Path(CHROMIUM).exists(), f"{CHROMIUM} not found: install Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (CI keeps the folder)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True, timeout=20_000)  # type: ignore[attr-defined]
    except Exception:  # headless Chromium can stall capturing one very tall page whole
        # (the English /changes/ list at 360 px); the page itself renders, so keep what a reader sees first.
        page.screenshot(path=str(path), timeout=20_000)  # type: ignore[attr-defined]
    return path


def watch_page(page: object) -> list[str]:
    """Collect console errors and warnings, page errors, failed requests and HTTP errors of a page."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))  # type: ignore[attr-defined]
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)  # type: ignore[attr-defined]
    return problems
