"""The build cache: validated country files and rendered pages, keyed by what they depend on.

A warm build skips the work whose inputs did not change. Every key starts
with a *salt* that changes whenever the package (its version or any of its
source files), the templates or the settings change, so a cache can never
serve output made by other code. Entries live in ``.sovereign-cache/`` in the
project (never committed); deleting the folder is always safe.

Pages in the cache hold placeholders instead of the dataset version and
as-of date (see :mod:`sovereign_site.pages.placeholders`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..data.yamlload import read_text
from ..pages.placeholders import digest

T = TypeVar("T")

CACHE_DIR = ".sovereign-cache"


def tree_digest(*roots: Path) -> str:
    """A hash of every file under ``roots`` (names and contents)."""
    h = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            h.update(str(path.relative_to(root.parent)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


class BuildCache:
    """A folder of pickled entries under content-derived keys."""

    def __init__(self, root: Path, salt: str, enabled: bool = True, keep_in_memory: bool = False) -> None:
        self.dir = root / CACHE_DIR
        self.salt = salt
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        # In a long-running `serve`, entries also stay in memory between rebuilds;
        # a one-off build keeps nothing, so its memory stays flat.
        self.keep_in_memory = keep_in_memory
        self.memory: dict[str, Any] = {}
        #: Why the cache turned itself off during this build, if it did (shown as a warning).
        self.write_error: str | None = None
        # In a rendering child (parallel.py), what it adds to memory, to hand back to the parent.
        self.fresh: dict[str, Any] | None = None

    def _path(self, kind: str, key: str) -> Path:
        return self.dir / kind / key[:2] / key

    def key(self, *parts: object) -> str:
        return digest(self.salt, *parts)

    def get(self, kind: str, key: str) -> Any | None:
        if not self.enabled:
            return None
        memo = self.memory.get(f"{kind}/{key}")
        if memo is not None:
            self.hits += 1
            return memo
        path = self._path(kind, key)
        try:
            with path.open("rb") as f:
                value = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        self._remember(f"{kind}/{key}", value)
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        if not self.enabled:
            return
        self._remember(f"{kind}/{key}", value)
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a killed build never leaves a torn entry.
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError as exc:
            # A read-only project or a full disk: the cache only saves time, so the build goes on without it.
            self.enabled = False
            self.write_error = f"the build cache is off: cannot write {self.dir}: {exc.strerror or exc}"

    def _remember(self, name: str, value: Any) -> None:
        if self.keep_in_memory:
            self.memory[name] = value
            if self.fresh is not None:
                self.fresh[name] = value

    def text_hash(self, path: Path) -> str:
        """The hash of a file's text; a running ``serve`` rereads only files whose size or mtime changed."""
        try:
            stat = path.stat()
        except OSError:
            return "unreadable"  # parse() reports why, with the file named
        return self.in_memory(
            "text-hash", (str(path), stat.st_mtime_ns, stat.st_size), lambda: hashlib.sha256(read_text(path).encode()).hexdigest()
        )

    def in_memory(self, kind: str, key: object, make: Callable[[], T]) -> T:
        """``make()``, remembered in memory only (never on disk) while ``serve`` runs.

        For results cheaper to recompute than to pickle and read back, but worth
        keeping between a server's rebuilds, such as a country's JSON download.
        """
        if not (self.enabled and self.keep_in_memory):
            return make()
        name = f"{kind}/{self.key(key)}"
        if name in self.memory:
            return typing.cast(T, self.memory[name])
        value = make()
        self._remember(name, value)
        return value


#: Settings that change where or how fast a build runs, never what it writes.
_NOT_IN_OUTPUT = {"OUTPUT_PATH", "SOVEREIGN_WORKERS", "SOVEREIGN_SEARCH_SOURCE"}


def salt_for(settings: dict[str, Any], theme: Path) -> str:
    """What every cache key depends on: package code and version, templates, settings."""
    from .. import __version__

    package = Path(__file__).parent.parent  # the whole sovereign_site package, not only build/
    relevant = []
    for name, value in sorted(settings.items()):
        if name.isupper() and not name.startswith("_") and name not in _NOT_IN_OUTPUT:
            try:  # plain data only: reprs of functions carry memory addresses
                relevant.append((name, json.dumps(value, sort_keys=True)))
            except TypeError:
                continue
    return digest(__version__, tree_digest(package), tree_digest(theme), relevant)
