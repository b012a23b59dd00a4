"""Where a cold build spends its time: cProfile on one in-process build.

``python bench/profile_build.py [--countries 1000] [--essays 30] [--top 40]``
generates (or reuses) the synthetic project under ``bench/.work/``, removes
its build cache, builds it once without the search index under cProfile, and
writes ``bench/results/profile-NxM.txt`` (top functions by cumulative and by
own time, and own time summed by package) plus the raw ``.prof`` for
``python -m pstats`` or snakeviz. ``--rebuild`` profiles a serve-style
rebuild instead (one process: a first build, one country edited, the second
build profiled; ``profile-NxM-rebuild.txt``). cProfile slows Python-heavy code
by 2–3×, so read the shares, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rebuild import serve_rebuilder  # noqa: E402
from synth import REPO, codes, edit_country, is_current, link_templates, make_project  # noqa: E402

#: Packages own time is summed by, in the order they are reported.
PACKAGES = ("sovereign_site", "pelican", "jinja2", "<template>", "pydantic", "yaml", "markdown_it", "mdit_py_plugins", "babel", "pycountry",
            "docutils", "blinker", "feedgenerator", "json", "re", "pathlib", "posixpath", "shutil", "pickle", "hashlib")  # fmt: skip


def package_of(filename: str) -> str:
    if filename.startswith("<template>") or filename.endswith(".html"):
        return "<template>"  # compiled Jinja templates: rendering proper
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    parts = Path(filename).parts
    for name in PACKAGES:
        if name in parts or f"{name}.py" in parts:
            return name
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    return "stdlib/other"


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        key = package_of(filename)
        totals[key] = totals.get(key, 0.0) + tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def profile(
    countries: int, essays: int, top: int, work: Path, results: Path, code: Path | None = None, rebuild: bool = False, workers: int = 1
) -> Path:
    if code is not None:  # a snapshot taken by run.py: profile the same code it measured
        sys.path.insert(0, str(code.resolve()))
    project = work / f"project-{countries}x{essays}"
    if not is_current(project, countries, essays):
        make_project(project, countries, essays)
    link_templates(project, code / "templates" if code is not None else REPO / "templates")
    for entry in project.iterdir():  # a cold build: no cache from earlier runs
        if entry.name not in ("pelicanconf.py", "templates", "content", ".synthetic.json"):
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    out = work / f"profile-out-{countries}x{essays}"
    shutil.rmtree(out, ignore_errors=True)

    import sovereign_site
    from sovereign_site.build import build

    profiler = cProfile.Profile()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):
        run = serve_rebuilder(project, out)[0] if rebuild else lambda: build(project, out, search=False, workers=workers)
        if rebuild:  # as `serve` does: a first build, one edit, then the rebuild is what is profiled
            run()
            edit_country(project, codes()[countries // 2], 4242)
        started = time.perf_counter()
        profiler.runcall(run)
        wall = time.perf_counter() - started

    results.mkdir(parents=True, exist_ok=True)
    stem = results / f"profile-{countries}x{essays}{'-rebuild' if rebuild else ''}"
    profiler.dump_stats(f"{stem}.prof")
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report).strip_dirs()
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    what = "Serve-style rebuild after editing one country" if rebuild else "In-process cold build"
    report.write(f"{what}, N={countries}, M={essays}, search excluded: {wall:.1f} s under cProfile\n")
    report.write(f"Code: {Path(sovereign_site.__file__).parent}\n\n")
    report.write("Own time by package\n")
    for name, seconds in by_package(pstats.Stats(profiler)):
        if seconds / total >= 0.005:
            report.write(f"  {name:<16} {seconds:8.2f} s  {100 * seconds / total:5.1f} %\n")
    report.write("\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    text = report.getvalue()
    Path(f"{stem}.txt").write_text(text, encoding="utf-8")
    print(text)
    return Path(f"{stem}.txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", "-n", type=int, default=1000)
    parser.add_argument("--essays", "-m", type=int, default=30)
    parser.add_argument("--top", type=int, default=40, help="rows per table")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--code", type=Path, help="import sovereign_site (and take templates/) from here, e.g. bench/.work/snapshot")
    parser.add_argument("--rebuild", action="store_true", help="profile a serve-style rebuild (same process, one country edited) instead")
    parser.add_argument(
        "--workers", type=int, default=1, help="rendering processes; cProfile sees only the first (default: 1, so it sees all)"
    )
    args = parser.parse_args(argv)
    profile(args.countries, args.essays, args.top, args.work, args.results, args.code, args.rebuild, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
