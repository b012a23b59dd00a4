"""One build, start to finish, published atomically.

``build()`` reads the settings, validates the content, runs Pelican into a
temporary folder beside the output, indexes it for search, and only then swaps
it in. Anything that fails on the way (bad content, a template error, Ctrl-C)
leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import indicators, parallel
from ..data.dataset import Dataset, load_dataset
from ..data.errors import ContentError, Problem, Report
from ..history import read_history
from ..prose.datatext import resolve_dataset
from ..prose.frontmatter import check_slugs
from ..state import STATE_KEY, BuildState, source_date
from . import output as output_folder
from .cache import BuildCache, salt_for
from .interrupts import Interrupts, pause_for_tests
from .search import INDEX, carry_over, run_pagefind

SETTINGS_FILE = "pelicanconf.py"
TMP_MARK = ".tmp-"


@dataclass
class BuildResult:
    output: Path
    pages: int
    countries: int
    essays: int
    seconds: float
    search_seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    #: With ``carry_search``: what search indexes for this build, for the caller to index and then remove.
    search_source: Path | None = None
    #: The most bytes a page should weigh with its CSS and JS (SOVEREIGN_PAGE_BUDGET).
    page_budget: int = 100 * 1024

    def summary(self) -> str:
        return f"Built {self.pages} pages ({self.countries} countries, {self.essays} essays) in {self.seconds:.2f} s into {self.output}"


class _NoFeedDomainWarning(logging.Filter):
    """Pelican warns that feeds need SITEURL; local builds without --site-url are normal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Feeds generated without SITEURL" not in record.getMessage()


def load_settings(root: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican settings from the project's pelicanconf.py, the one home of settings."""
    from pelican.settings import read_settings

    path = root / SETTINGS_FILE
    if not path.exists():
        raise ContentError([Problem(str(path), None, None, "no pelicanconf.py here; run from the project folder or pass --project")])
    quiet = _NoFeedDomainWarning()
    logging.getLogger("pelican.settings").addFilter(quiet)
    try:
        return read_settings(str(path), override=overrides or {})
    finally:
        logging.getLogger("pelican.settings").removeFilter(quiet)


#: Caches by project and salt; a long-running `serve` reuses them between rebuilds.
_CACHES: dict[tuple[str, str], BuildCache] = {}


def open_cache(root: Path, settings: dict[str, Any], theme: Path, enabled: bool, keep_in_memory: bool = False) -> BuildCache:
    salt = salt_for(settings, theme)
    key = (str(root.resolve()), salt)
    if key not in _CACHES:
        _CACHES.clear()  # code, templates or settings changed: the old entries are useless
        _CACHES[key] = BuildCache(root, salt)
    cache = _CACHES[key]
    cache.enabled = enabled
    cache.keep_in_memory = keep_in_memory
    if not keep_in_memory:
        cache.memory.clear()
    cache.hits = cache.misses = 0
    cache.write_error = None
    return cache


def warn_weak_inputs(dataset: Dataset, content: Path, report: Report) -> None:
    """A figure shown on the compare and indicator pages that rests only on secondary sources is a warning."""
    for country, item_id, sources in indicators.weak_inputs(dataset):
        path = content / "countries" / f"{country.code}.yaml"
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
            line = next((n for n, row in enumerate(lines, 1) if row.strip() == f"- id: {item_id}"), None)
        except OSError:
            line = None
        report.warn(
            path,
            line,
            f"'{item_id}' is shown on the comparison pages but rests only on secondary sources ({', '.join(sources)}); cite a primary or press source",
            field="sources",
        )


def prepare(
    root: Path,
    overrides: dict[str, Any] | None = None,
    strict: bool = False,
    use_cache: bool = False,
    keep_in_memory: bool = False,
    settings: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], BuildState]:
    """Settings plus a validated dataset: everything a build needs before writing."""
    if settings is None:
        settings = load_settings(root, overrides)
    content = Path(settings["PATH"])
    theme = Path(settings["THEME_TEMPLATES_OVERRIDES"][0])
    cache = open_cache(root, settings, theme, use_cache, keep_in_memory)
    dataset = load_dataset(
        content,
        max_source_age_days=settings.get("SOVEREIGN_MAX_SOURCE_AGE_DAYS", 548),
        today=source_date(settings),
        # The cache and the worker processes wrap loading from outside: the data layer knows neither.
        memo=cache if use_cache else None,
        parse_many=parallel.parser(parallel.workers(settings.get("SOVEREIGN_WORKERS"))),
    )
    report = dataset.report or Report(root)
    # References in the data's own texts (summaries, notes, labels) become figures once, here.
    dataset = resolve_dataset(dataset, content, report, cache.memory if use_cache and keep_in_memory else None)
    report.raise_if_errors()
    if settings.get("SOVEREIGN_CHECK_SOURCE_KINDS", False):
        warn_weak_inputs(dataset, content, report)
    if strict:
        report.raise_if_errors(strict=True)
    state = BuildState(root, content, theme, dataset, report, settings.get("SITEURL", ""), strict, cache=cache)
    settings[STATE_KEY] = state
    return settings, state


class _CopyFailures(logging.Handler):
    """Pelican logs a failed copy of a static file (a full disk, say) as a mere warning; for us it fails the build."""

    PREFIXES = ("A problem occurred copying", "While copying", "Cannot copy", "Skipped copy")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(self.PREFIXES):
            self.messages.append(message)


class _ErrorCounter(logging.Handler):
    """Pelican logs (and skips) a file it cannot process; we make that fail the build."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build(
    root: Path,
    output: Path | None = None,
    *,
    site_url: str | None = None,
    strict: bool = False,
    search: bool = True,
    cache: bool = True,
    keep_in_memory: bool = False,
    workers: int | None = None,
    log: Any = None,
    force: bool = False,
    carry_search: bool = False,
) -> BuildResult:
    """Build the site into ``output`` (default: the settings' OUTPUT_PATH).

    Raises ContentError for bad content and OutputError for an output folder that
    may not be replaced (see output.py; ``force`` allows a non-empty folder no
    build made, and nothing else). ``carry_search`` (with ``search`` off): keep
    the previous build's search index, for ``serve``, which refreshes it later.
    """
    started = time.perf_counter()
    say = log or (lambda message: print(message, file=sys.stderr))
    overrides: dict[str, Any] = {}
    if site_url is not None:
        overrides["SITEURL"] = site_url.rstrip("/")
        overrides["FEED_DOMAIN"] = site_url.rstrip("/")
    if workers is not None:
        overrides["SOVEREIGN_WORKERS"] = workers
    settings = load_settings(root, overrides)
    # The output folder is checked before anything is read or written: a path that
    # must never be replaced is refused at once, and nothing at it is opened.
    output = Path(os.path.abspath(output or settings["OUTPUT_PATH"]))
    protected = output_folder.protected_folders(root, settings)
    output_folder.check(output, root, protected, force)
    say("Validating content…")
    settings, state = prepare(root, overrides, strict, use_cache=cache, keep_in_memory=keep_in_memory, settings=settings)
    # Before Pelican runs: two pages with one address would make it overwrite one with the other, or stop half-way.
    check_slugs(state.content, state.report)
    state.report.raise_if_errors()
    # The change history comes from git, not from the content files: the pages get it handed in.
    state.history = read_history(state.content, state.cache if cache else None)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_folder.OutputError(f"{output.parent}: cannot make the folder: {exc.strerror}") from None
    with output_folder.locked(output, say):
        # Checked again under the lock: another build or a person may have changed it meanwhile.
        output_folder.check(output, root, protected, force)
        return _build_locked(root, output, settings, state, search, keep_in_memory, started, say, carry_search)


def _build_locked(
    root: Path,
    output: Path,
    settings: dict[str, Any],
    state: BuildState,
    search: bool,
    keep_in_memory: bool,
    started: float,
    say: Any,
    carry_search: bool = False,
) -> BuildResult:
    """Render into a temporary folder beside ``output`` and swap it in; the caller holds the output's lock."""
    from pelican import Pelican

    tmp = output.parent / f".{output.name}{TMP_MARK}{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    settings["OUTPUT_PATH"] = str(tmp)
    # What search indexes is collected beside the site while pages render (see search.py).
    source = output.parent / f".{output.name}{TMP_MARK}search-{os.getpid()}-{time.monotonic_ns()}" if search or carry_search else None
    settings["SOVEREIGN_SEARCH_SOURCE"] = str(source) if source else None
    if source:
        source.mkdir()

    counter = _ErrorCounter()
    pelican_log = logging.getLogger("pelican")
    pelican_log.addHandler(counter)
    copies = _CopyFailures()
    logging.getLogger("pelican.utils").addHandler(copies)
    # The dataset lives for the whole build. Frozen, the garbage collector stops
    # walking its hundred thousand objects on every collection (10 % of a large
    # build) and stops touching their pages, which forked workers share.
    gc.freeze()
    interrupts = Interrupts()
    try:
        interrupts.__enter__()
        say("Rendering pages…")
        # Pelican prints its own summary on stdout; ours is the one that belongs there.
        with contextlib.redirect_stdout(sys.stderr):
            Pelican(settings).run()
        if counter.messages or copies.messages:
            raise ContentError(
                [Problem(str(state.content), None, None, f"Pelican: {m}") for m in counter.messages]
                + [Problem(str(output), None, None, f"could not write the site: {m}") for m in copies.messages]
            )
        pause_for_tests()
        search_seconds = 0.0
        if search and source:
            say("Indexing for search…")
            search_started = time.perf_counter()
            run_pagefind(source, tmp / INDEX)
            search_seconds = time.perf_counter() - search_started
            shutil.rmtree(source, ignore_errors=True)
        elif carry_search:
            carry_over(output, tmp)
        pages = sum(1 for _ in tmp.rglob("*.html"))
        output_folder.stamp(tmp)
        interrupts.check()
        publish(tmp, output, background=keep_in_memory)
    except OSError as exc:
        # A full disk, a read-only folder: the build fails, with the file named, and the old output stays.
        shutil.rmtree(tmp, ignore_errors=True)
        if source:
            shutil.rmtree(source, ignore_errors=True)
        where = exc.filename or tmp
        raise ContentError([Problem(str(where), None, None, f"could not write the site: {exc.strerror or exc}")]) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if source:
            shutil.rmtree(source, ignore_errors=True)
        raise
    finally:
        interrupts.__exit__()
        logging.getLogger("pelican.utils").removeHandler(copies)
        pelican_log.removeHandler(counter)
        gc.unfreeze()  # a long-running `serve` must be able to collect this build's leftovers
    clean_stale(output)
    if state.cache is not None and state.cache.write_error:
        say(f"warning: {state.cache.write_error}")
    essays = state.stats.get("essays", 0)
    return BuildResult(
        output,
        pages,
        len(state.dataset.countries),
        essays,
        time.perf_counter() - started,
        search_seconds,
        state.report.warnings,
        search_source=source if carry_search and not search else None,
        page_budget=int(settings.get("SOVEREIGN_PAGE_BUDGET", 100 * 1024)),
    )


# Stylesheets and scripts a page loads. Matching whole <link>/<script> tags (not every
# href) keeps the scan cheap on pages with thousands of links.
_ASSET_REF = re.compile(rb'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+\.(?:css|js))"')


def page_weights(site: Path) -> list[tuple[str, int]]:
    """HTML plus the CSS and JS each page loads, largest first (search index and downloads excluded).

    Only a page's <head> is read: base.html loads every stylesheet and script
    there, and reading thousands of whole pages back would cost a warm build
    more than rendering what changed.
    """
    asset_sizes: dict[bytes, int] = {}
    weights = []
    for page in site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        with page.open("rb") as f:
            head = f.read(16384)
            while b"</head>" not in head and (more := f.read(65536)):
                head += more
            total = os.fstat(f.fileno()).st_size
        for ref in _ASSET_REF.findall(head.partition(b"</head>")[0]):
            if ref not in asset_sizes:
                path = site / "static" / ref.split(b"/static/", 1)[1].decode() if b"/static/" in ref else None
                asset_sizes[ref] = path.stat().st_size if path and path.exists() else 0
            total += asset_sizes[ref]
        weights.append((str(page.relative_to(site)), total))
    return sorted(weights, key=lambda w: (-w[1], w[0]))


def publish(tmp: Path, output: Path, background: bool = False) -> None:
    """Swap the new build in. On Linux the swap is one atomic renameat2(RENAME_EXCHANGE).

    ``background``: remove the previous build on a thread instead of waiting for
    it, for a long-lived ``serve`` (a one-off build must finish its own cleanup).
    """
    if not output.exists():
        os.rename(tmp, output)
        return
    if not output_folder.exchange(tmp, output):
        # Fallback: two renames. The window between them is tiny, and the old
        # build is kept under a temporary name until the new one is in place.
        old = output.parent / f".{output.name}{TMP_MARK}old-{os.getpid()}"
        os.rename(output, old)
        os.rename(tmp, output)
        tmp = old
    if background:
        # A unique name first: the next rebuild reuses this one for its own folder.
        old = output.parent / f".{output.name}{TMP_MARK}old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(tmp, old)
        threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def clean_stale(output: Path) -> None:
    """Remove temporary folders that killed builds left beside the output.

    Folders named for this process are its own: a ``serve`` may be removing an old
    build in the background (see ``publish``).
    """
    mine = re.compile(rf"-{os.getpid()}(-|$)")
    for leftover in output.parent.glob(f".{output.name}{TMP_MARK}*"):
        if not mine.search(leftover.name):
            shutil.rmtree(leftover, ignore_errors=True)
