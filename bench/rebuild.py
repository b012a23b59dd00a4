"""Serve-style rebuilds: one process, one first build, then a rebuild after each edit.

``sovereign-site serve`` keeps one Python process alive and rebuilds for every
change, so whatever that process keeps between builds (imports, compiled
templates, in-memory caches) is what an editor waits on. ``python
bench/rebuild.py PROJECT OUT --code CODE --runs R`` does exactly that, through
serve's own rebuild function: a first build (timed, not counted as a rebuild),
then R times: change one figure in ``CODE``'s file, rebuild, time it. It also
serves the output with serve's own request handler and, like an open page,
long-polls it: ``reload_s`` runs from the edit until that page has fetched the
changed country page (the rebuild plus the live-reload round trip; a browser
adds only its own rendering). Prints one JSON line: ``{"first_s", "rebuild_s":
[...], "reload_s": [...], "rebuild_cpu_s": [...], "max_rss_mb"}``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import edit_country


def serve_rebuilder(project: Path, out: Path) -> tuple[Callable[[], None], Any]:
    """A function that rebuilds the way ``serve`` does after a change (pages only: search follows in the background), and serve's state."""
    try:
        from sovereign_site.serve import ServeState, _rebuild
    except ImportError:  # serve's internals moved: fall back to the public build()
        from sovereign_site.build import build

        def build_again() -> None:
            build(project, out, search=False)

        return build_again, None
    state = ServeState()

    def rebuild() -> None:
        if _rebuild(project, out, False, state) is None:
            raise RuntimeError(f"rebuild failed: {state.error}")

    return rebuild, state


def open_page(out: Path, state: Any, path: str) -> tuple[Callable[[], None], Callable[[], float | None]]:
    """Serve ``out`` as ``serve`` does; returns (watch, seen): ``watch()`` starts a long poll like an open page's, and
    ``seen()`` waits for it and gives the time it had fetched ``path`` again after the rebuild."""
    from sovereign_site.serve import Handler

    handler = functools.partial(type("BenchHandler", (Handler,), {"state": state}), directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    done: list[float] = []
    thread: list[threading.Thread] = []

    def page() -> None:
        with urllib.request.urlopen(f"{base}/_sovereign/status?version={state.version}&search={state.search}", timeout=600) as r:
            r.read()
        with urllib.request.urlopen(base + path, timeout=60) as r:
            r.read()
        done.append(time.perf_counter())

    def watch() -> None:
        done.clear()
        thread[:] = [threading.Thread(target=page, daemon=True)]
        thread[0].start()
        time.sleep(0.05)  # the request is waiting in the server before the edit

    def seen() -> float | None:
        thread[0].join(600)
        return done[0] if done else None

    return watch, seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--code", required=True, help="country whose file is edited before each rebuild")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    rebuild, state = serve_rebuilder(args.project, args.out)
    quiet = open(os.devnull, "w")  # noqa: SIM115 - progress lines would only add noise
    with contextlib.redirect_stderr(quiet):
        started = time.perf_counter()
        rebuild()
        first = time.perf_counter() - started
        rebuilds, reloads, cpu = [], [], []
        watch, seen = open_page(args.out, state, f"/countries/{args.code}/") if state is not None else (None, None)
        for run in range(args.runs):
            if watch:
                watch()
            edit_country(args.project, args.code, 1000 + run)
            started, cpu_started = time.perf_counter(), time.process_time()
            rebuild()
            rebuilds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            fetched = seen() if seen else None
            if fetched is not None:
                reloads.append(fetched - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"first_s": first, "rebuild_s": rebuilds, "reload_s": reloads, "rebuild_cpu_s": cpu, "max_rss_mb": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
