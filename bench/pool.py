"""The hand-written fork (``parallel.Child``) against ``concurrent.futures.ProcessPoolExecutor``.

``parallel.py`` forks by hand. The standard tool is ``ProcessPoolExecutor``
with the ``fork`` context. This script measures the one place where the two
designs differ in cost, and checks the one place where they differ in
behaviour, so the choice in ``parallel.py``'s docstring rests on numbers:

1. **Loading a large dataset** (``load_dataset``, parsing and validating
   every country file), the way the build runs it, with:
   ``serial`` (one process), ``child`` (``parallel.parse_all``: a forked
   child parses every other file and streams it back), ``pool-split`` (the
   same split through a one-worker ``ProcessPoolExecutor``: ``map`` over the
   odd files, ``chunksize`` 8) and ``pool-all`` (a two-worker pool parses
   every file while the parent only validates). Each variant runs in a fresh
   process, the variants take turns, and medians are reported with their
   ratio to ``serial``.
2. **A worker whose parent is killed** (SIGKILL, as the OOM killer or a
   closed terminal does): does it stop, or does it run on? A build worker that
   runs on would keep writing into the staging folder after the build died.

    python bench/pool.py                      # N=1,000 synthetic countries, 5 runs each
    python bench/pool.py --countries 250 --runs 3

Prints Markdown; writes nothing outside ``--work`` (``bench/.work`` by default).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import is_current, make_project  # noqa: E402

VARIANTS = ("serial", "child", "pool-split", "pool-all")

# One load, in a fresh interpreter: prints {"s": wall seconds, "rss_mb": peak of this process and its children}.
LOAD = textwrap.dedent(
    """
    import json, multiprocessing, resource, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path
    from sovereign_site import parallel
    from sovereign_site.data.dataset import load_dataset, parse

    variant, content = sys.argv[1], Path(sys.argv[2])
    FORK = multiprocessing.get_context("fork")

    def pool_split(paths):
        with ProcessPoolExecutor(1, mp_context=FORK) as pool:
            theirs = pool.map(parse, paths[1::2], chunksize=8)
            for i, path in enumerate(paths):
                yield path, (parse(path) if i % 2 == 0 else next(theirs))

    def pool_all(paths):
        with ProcessPoolExecutor(2, mp_context=FORK) as pool:
            yield from zip(paths, pool.map(parse, paths, chunksize=8))

    parse_many = {
        "serial": None,
        "child": parallel.parser(2),
        "pool-split": pool_split,
        "pool-all": pool_all,
    }[variant]
    started = time.perf_counter()
    dataset = load_dataset(content, parse_many=parse_many)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"s": seconds, "rss_mb": peak / 1024, "countries": len(dataset.countries)}))
    """
)

# A worker busy for a while; its parent then dies by SIGKILL. Prints the worker's pid, then sleeps.
ORPHAN = textwrap.dedent(
    """
    import multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from sovereign_site import parallel

    def busy():
        print(os.getpid(), flush=True)
        time.sleep(30)

    if sys.argv[1] == "pool":
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        pool.submit(busy)
    else:
        parallel.Child(busy)
    time.sleep(60)
    """
)


def load_once(variant: str, content: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD, variant, str(content)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def outlives_parent(kind: str) -> bool:
    """Start a busy worker, SIGKILL its parent, and say whether the worker is still running a second later."""
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN, kind], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)
    try:
        with open(f"/proc/{worker}/stat") as stat:
            state = stat.read().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    alive = state not in ("Z", "X")
    if alive:
        os.kill(worker, signal.SIGKILL)
    return alive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    project = args.work / f"pool-{args.countries}"
    if not is_current(project, args.countries, 0):
        make_project(project, args.countries, 0)
    content = project / "content"

    results: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
    load_once("serial", content)  # warm the page cache, so the first variant is not charged for the disk
    for _ in range(args.runs):
        for variant in VARIANTS:
            results[variant].append(load_once(variant, content))

    serial = statistics.median(r["s"] for r in results["serial"])
    print(f"## Loading {args.countries} countries ({args.runs} runs each, medians; {os.cpu_count()} CPUs)\n")
    print("| variant | wall s | vs serial | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for variant in VARIANTS:
        wall = statistics.median(r["s"] for r in results[variant])
        rss = statistics.median(r["rss_mb"] for r in results[variant])
        print(f"| {variant} | {wall:.2f} | {wall / serial:.2f}× | {rss:.0f} |")
    print("\n## A worker whose parent is killed (SIGKILL)\n")
    print("| worker | still running 1 s later |")
    print("|---|---|")
    for kind in ("child", "pool"):
        print(f"| {kind} | {'yes' if outlives_parent(kind) else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
