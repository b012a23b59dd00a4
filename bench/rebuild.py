"""Serve-style rebuilds: one process, one first build, then a rebuild after each edit.

``sovereign-site serve`` keeps one Python process alive and rebuilds for every
change, so whatever that process keeps between builds (imports, compiled
templates, in-memory caches) is what an editor waits on. ``python
bench/rebuild.py PROJECT OUT --code CODE --runs R`` does exactly that, through
serve's own rebuild function: a first build (timed, not counted as a rebuild),
then R times: change one figure in ``CODE``'s file, rebuild, time it. Prints
one JSON line: ``{"first_s", "rebuild_s": [...], "rebuild_cpu_s": [...], "max_rss_mb"}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import edit_country


def serve_rebuilder(project: Path, out: Path) -> Callable[[], None]:
    """A function that rebuilds the way ``serve`` does after a change (without the search index)."""
    try:
        from sovereign_site.serve import ServeState, _rebuild
    except ImportError:  # serve's internals moved: fall back to the public build()
        from sovereign_site.build import build

        def build_again() -> None:
            build(project, out, search=False)

        return build_again
    state = ServeState()

    def rebuild() -> None:
        if _rebuild(project, out, False, state) is None:
            raise RuntimeError(f"rebuild failed: {state.error}")

    return rebuild


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--code", required=True, help="country whose file is edited before each rebuild")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    rebuild = serve_rebuilder(args.project, args.out)
    quiet = open(os.devnull, "w")  # noqa: SIM115 - progress lines would only add noise
    with contextlib.redirect_stderr(quiet):
        started = time.perf_counter()
        rebuild()
        first = time.perf_counter() - started
        rebuilds, cpu = [], []
        for run in range(args.runs):
            edit_country(args.project, args.code, 1000 + run)
            started, cpu_started = time.perf_counter(), time.process_time()
            rebuild()
            rebuilds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"first_s": first, "rebuild_s": rebuilds, "rebuild_cpu_s": cpu, "max_rss_mb": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
