"""The search index: Pagefind (from the pagefind[bin] package), fed only what readers search for, made reproducible.

Pagefind does not read the site. While pages render, the build collects a
*search source* beside it: for a country profile, a small document of its
prose and item names (``templates/search_country.html``); essays, pages and
the glossary, linked whole. The source mirrors the site's paths, so results
keep each page's address, and Pagefind parses a fraction of the bytes (no
source lists, tables or charts), which is most of its time and memory.

``build`` indexes the source into its temporary folder before swapping it in.
``serve`` serves pages first and indexes afterwards, in the background
(``Reindex``): the new index is written beside the site and swapped in with
one atomic rename, so a browser never reads a half-written index, only the
previous one or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ..data.errors import ContentError, Problem
from . import output as output_folder

#: Where the index lives in the site, as the search page loads it.
INDEX = "pagefind"

# Glossary pop-ups, footnote numbers and items' change histories (old values) are not
# text a reader searches for, and would show up in result excerpts.
_EXCLUDED = (".term .tip", "sup.footnote-ref", "sup.cite", ".item-history")


def command(source: Path, index: Path) -> list[str]:
    """The Pagefind command that indexes the search source ``source`` into the folder ``index``."""
    excluded = [arg for selector in _EXCLUDED for arg in ("--exclude-selectors", selector)]
    return [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(index), "--quiet", *excluded]


def run_pagefind(source: Path, index: Path) -> None:
    """Index ``source`` into ``index`` (the site's ``pagefind`` folder) with Pagefind."""
    result = subprocess.run(command(source, index), capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise ContentError([Problem(str(source), None, None, f"search indexing failed: {result.stderr.strip() or result.stdout.strip()}")])
    tidy(index)


def tidy(index: Path) -> None:
    """Make the index reproducible.

    Pagefind writes the languages of its entry file in a per-process random
    order (a hash map); sort them so two builds give the same bytes.
    """
    entry = index / "pagefind-entry.json"
    if entry.exists():
        data = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(data.get("languages"), dict):
            data["languages"] = dict(sorted(data["languages"].items()))
        entry.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def carry_over(previous: Path, new: Path) -> bool:
    """Give a new build the previous build's index, as hard links (a copy where links fail); False if there was none.

    ``serve`` publishes pages before their index is ready: until it is, search
    answers from the previous index (and the page says so) instead of failing.
    """
    old = previous / INDEX
    if not old.is_dir():
        return False

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(old, new / INDEX, copy_function=link)
    return True


class Reindex:
    """Index a served site in the background and swap the new index in atomically.

    One run at a time: ``start`` stops a run still indexing an older build
    (its pages are gone), and a run whose build was replaced meanwhile throws
    its index away. ``lock`` is the server's publish lock: the swap never
    happens while a rebuild is replacing the site.
    """

    def __init__(self, site: Path, lock: threading.Lock, done: Callable[[int, str | None], None]) -> None:
        self.site, self.lock, self.done = site, lock, done
        self.generation = 0
        self.process: subprocess.Popen[str] | None = None
        self.thread: threading.Thread | None = None
        self.guard = threading.Lock()

    def start(self, generation: int, source: Path) -> None:
        """Index the build numbered ``generation`` (the server's count of published builds) from its search source.

        The source is this object's from now on: removed once indexed or superseded.
        """
        with self.guard:
            self.generation = generation
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
        self.thread = threading.Thread(target=self._run, args=(generation, source), daemon=True)
        self.thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self, generation: int, source: Path) -> None:
        fresh = self.site.parent / f".{self.site.name}.tmp-index-{os.getpid()}-{generation}"
        shutil.rmtree(fresh, ignore_errors=True)
        with self.guard:
            if generation != self.generation:
                shutil.rmtree(source, ignore_errors=True)
                return
            process = self.process = subprocess.Popen(command(source, fresh), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, err = process.communicate()
        shutil.rmtree(source, ignore_errors=True)
        try:
            if generation != self.generation:
                return  # a newer build came in: its own run indexes it
            if process.returncode != 0:
                self.done(generation, f"search indexing failed: {err.strip()}")
                return
            tidy(fresh)
            with self.lock:
                if generation != self.generation:
                    return
                current = self.site / INDEX
                if current.exists() and output_folder.exchange(fresh, current):
                    pass  # ``fresh`` now holds the old index, removed below
                else:
                    shutil.rmtree(current, ignore_errors=True)
                    os.rename(fresh, current)
            self.done(generation, None)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
