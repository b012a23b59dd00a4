"""The benchmark harness: build times, memory and output size against two baselines.

``python bench/run.py`` measures, for each size (N countries x M essays), as
whole processes and ``--runs`` times each (medians reported):

* a cold ``sovereign-site build --no-search`` into an empty folder, with no
  build cache in the project; its peak memory (max RSS); pages written, output
  bytes per country and the weight of the home, essay, country and compare
  pages (HTML plus the CSS and JS they load);
* the cold build as users run it, search index included (``sovereign-site
  build``, no flag), and its peak memory, Pagefind's process included;
* a warm rebuild into the same folder after one figure in one country file
  changed, and (first run, untimed) whether its pages equal a cold build's;
* serve-style rebuilds (``bench/rebuild.py``): one process, first build, then
  a rebuild after each edit, as ``sovereign-site serve`` does;
* the floor (``bench/floor.py``): plain Jinja2 rendering the same pages
  (checked byte for byte against the cold build);
* vanilla Pelican (default theme) building as many Markdown documents as our
  build writes pages, and the same in reStructuredText.

Children import a snapshot of ``sovereign_site/`` and ``templates/`` taken at
the start, so edits made while it runs do not mix versions. It prints Markdown
tables and the targets met or missed, and writes JSON
(``bench/results/latest.json`` unless ``--json``). See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

DEFAULT_SIZES = "6x3,6x30,60x30,250x30,1000x30"
QUICK_SIZES = "6x3"
#: The size most targets are stated for, and the two the linearity target compares.
TARGET_SIZE = (1000, 30)
LINEAR_SIZES = (60, 1000)
#: Pages whose weight has a budget, by the glob that finds them in the output.
WEIGHT_PAGES = {
    "home": ["index.html", "en/index.html"],
    "essay": ["essays/*/index.html", "en/essays/*/index.html"],
    "country": ["countries/*/index.html", "en/countries/*/index.html"],
    "compare": ["compare/index.html", "en/compare/index.html"],
    # No budget of its own: the heaviest other comparison page (a dimension's, or one region's
    # matrix or dimension table on a large dataset), which lists many countries.
    "dimension": ["compare/*/index.html", "compare/*/*/index.html", "en/compare/*/index.html", "en/compare/*/*/index.html"],
}
BUDGETED = ("home", "essay", "country", "compare")
_ASSET = re.compile(r'(?:href|src)="([^"]+\.(?:css|js))(?:\?[^"]*)?"')
_KEEP = {"pelicanconf.py", "templates", "content", synth.MARKER}
#: Children run from the work folder with the snapshot first on PYTHONPATH (see snapshot()).
CHILD: dict[str, Any] = {"cwd": None, "env": None}


# --- measuring one process -----------------------------------------------------------------


def measure(cmd: list[str], log: Path, cwd: Path | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd`` as a child process; wall time, CPU time and its peak RSS.

    ``os.wait4`` returns the resource usage of exactly that child (and of any
    grandchildren it waited for), which is what ``getrusage(RUSAGE_CHILDREN)``
    in a fresh wrapper process would report, without the wrapper.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd or CHILD["cwd"], env=CHILD["env"])
        rss_mb = cpu = None
        if hasattr(os, "wait4"):
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    _, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux and in bytes on macOS.
            rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows: no rusage for one child
            proc.wait(timeout)
            seconds = time.perf_counter() - started
    stdout = log.with_suffix(".out").read_text(encoding="utf-8", errors="replace")
    stderr = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    return {"seconds": seconds, "cpu_s": cpu, "max_rss_mb": rss_mb, "returncode": proc.returncode, "stdout": stdout, "stderr": stderr}


def python(*args: str | Path) -> list[str]:
    return [sys.executable, *(str(a) for a in args)]


def markdown_python(work: Path, say: Any) -> Path | None:
    """A Python with Pelican (our version) and the ``markdown`` package: the baseline's own venv.

    Pelican reads Markdown only when ``markdown`` is installed, and that package is
    not our dependency, so the baseline gets a venv of its own under ``work``
    (made once; never the system interpreter, never the project's venv). None if
    it cannot be made (no network, say): the Markdown baseline is then missing.
    """
    import importlib.metadata

    venv = work / "vanilla-venv"
    py = venv / "bin" / "python"
    version = importlib.metadata.version("pelican")
    ready = venv / ".ready"
    if ready.exists() and ready.read_text(encoding="utf-8") == version:
        return py
    say(f"making the baseline's venv (pelican=={version}, markdown)…")
    made = subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True)
    if made.returncode == 0:
        made = subprocess.run([str(py), "-m", "pip", "install", "-q", f"pelican=={version}", "markdown"], capture_output=True, text=True)
    if made.returncode != 0:
        say(f"  could not make it: {made.stderr.strip().splitlines()[-1:] or made.returncode}")
        return None
    ready.write_text(version, encoding="utf-8")
    return py


def snapshot(work: Path) -> tuple[Path, str]:
    """Copy the package and the templates as they are now; every child process uses the copy.

    A run takes long enough for the working tree to change under it (and the
    build cache is salted with the package's source, so an edit between a cold
    and a warm build would turn the warm build cold). Measuring a snapshot keeps
    one run about one version of the code.
    """
    import hashlib

    dest = work / "snapshot"
    shutil.rmtree(dest, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "sovereign_site", dest / "sovereign_site", ignore=ignore)
    shutil.copytree(REPO / "templates", dest / "templates", ignore=ignore)
    digest = hashlib.sha256()
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(dest)).encode() + b"\0" + path.read_bytes())
    CHILD["cwd"] = work  # not the repository: `python -m` would import ./sovereign_site from there
    CHILD["env"] = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))}
    return dest, digest.hexdigest()[:12]


def clean_project(project: Path) -> None:
    """Remove whatever a build left in the project (the build cache), so the next build is cold."""
    for entry in project.iterdir():
        if entry.name not in _KEEP:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


# --- reading an output folder --------------------------------------------------------------


def site_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(site).parts]


def page_weight(site: Path, page: Path, assets: dict[str, int]) -> int:
    """HTML bytes plus every local stylesheet and script the page loads (the search index excluded)."""
    html = page.read_text(encoding="utf-8")
    total = len(html.encode())
    for ref in set(_ASSET.findall(html)):
        if ref not in assets:
            local = ref.split("/static/", 1)
            path = site / "static" / local[1] if len(local) == 2 else site / ref.lstrip("/")
            assets[ref] = path.stat().st_size if "pagefind" not in ref and path.is_file() else 0
        total += assets[ref]
    return total


def site_stats(site: Path) -> dict[str, Any]:
    files = site_files(site)
    assets: dict[str, int] = {}
    weights: dict[str, float] = {}
    heaviest: dict[str, str] = {}
    for kind, patterns in WEIGHT_PAGES.items():
        found = [(page_weight(site, p, assets), str(p.relative_to(site))) for pattern in patterns for p in site.glob(pattern)]
        if found:
            size, name = max(found)
            weights[kind], heaviest[kind] = round(size / 1024, 1), name
    return {
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "output_bytes": sum(p.stat().st_size for p in files),
        "page_weight_kb": weights,
        "heaviest": heaviest,
    }


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts]


def identical_pages(site: Path, other: Path) -> set[Path]:
    """``site``'s HTML pages that ``other`` has with exactly the same bytes."""
    same = set()
    for page in html_pages(site):
        twin = other / page.relative_to(site)
        if twin.is_file() and twin.read_bytes() == page.read_bytes():
            same.add(page)
    return same


# --- one size --------------------------------------------------------------------------------


def med(values: list[float | None]) -> float | None:
    clean = [v for v in values if v is not None]
    return statistics.median(clean) if clean else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def bench_size(
    n: int, m: int, runs: int, work: Path, say: Any, vanilla_mode: str = "pages", templates: Path | None = None
) -> dict[str, Any]:
    tag = f"{n}x{m}"
    logs = work / "logs" / tag
    project = work / f"project-{tag}"
    if not synth.is_current(project, n, m):
        say(f"[{tag}] generating the synthetic project…")
        synth.make_project(project, n, m)
    synth.link_templates(project, templates or REPO / "templates")
    edited = synth.codes()[n // 2]
    out, floor_out, vanilla_out = work / f"out-{tag}", work / f"floor-{tag}", work / f"vanilla-out-{tag}"
    search_out = work / f"search-out-{tag}"
    vanilla, vanilla_rst = work / f"vanilla-{tag}", work / f"vanilla-rst-{tag}"
    md_python = markdown_python(work, say)
    rows: dict[str, list[Any]] = {
        k: [] for k in ("cold", "search", "warm", "floor", "vanilla", "vanilla_rst", "rss", "search_rss", "floor_rss", "floor_detail")
    }
    cpu: dict[str, list[Any]] = {k: [] for k in ("cold", "search", "warm", "floor", "vanilla", "vanilla_rst")}
    errors: list[str] = []
    stats: dict[str, Any] = {}
    vanilla_docs = None
    floor_identical: int | None = None
    warm_stale: dict[str, Any] | None = None

    def failed(what: str, result: dict[str, Any]) -> bool:
        if result["returncode"] == 0:
            return False
        tail = (result["stderr"] or result["stdout"]).strip().splitlines()[-5:]
        errors.append(f"{what} exited {result['returncode']}: " + " | ".join(tail))
        say(f"[{tag}] {what} FAILED: {' | '.join(tail)}")
        return True

    for run in range(runs):
        say(f"[{tag}] run {run + 1}/{runs}: cold build…")
        clean_project(project)
        cold = measure(
            python("-m", "sovereign_site", "build", "--project", project, "--output", fresh(out), "--no-search"), logs / f"cold-{run}"
        )
        if failed("cold build", cold):
            break
        rows["cold"].append(cold["seconds"])
        cpu["cold"].append(cold["cpu_s"])
        rows["rss"].append(cold["max_rss_mb"])
        if run == 0:
            stats = site_stats(out)

        # The build as users run it, search index included (its own folder, cache deleted again).
        say(f"[{tag}] run {run + 1}/{runs}: cold build with search…")
        clean_project(project)
        search = measure(
            python("-m", "sovereign_site", "build", "--project", project, "--output", fresh(search_out)), logs / f"search-{run}"
        )
        if not failed("cold build with search", search):
            rows["search"].append(search["seconds"])
            cpu["search"].append(search["cpu_s"])
            # Pagefind runs as the build's child: wait4 reports the largest process of the tree.
            rows["search_rss"].append(search["max_rss_mb"])

        # The floor renders the same project state, so its pages must equal the cold build's.
        say(f"[{tag}] run {run + 1}/{runs}: floor…")
        floor = measure(python(HERE / "floor.py", project, fresh(floor_out)), logs / f"floor-{run}")
        if not failed("floor", floor):
            rows["floor"].append(floor["seconds"])
            rows["floor_rss"].append(floor["max_rss_mb"])
            cpu["floor"].append(floor["cpu_s"])
            rows["floor_detail"].append(json.loads(floor["stdout"].strip().splitlines()[-1]))
            if run == 0:
                floor_identical = len(identical_pages(out, floor_out))

        say(f"[{tag}] run {run + 1}/{runs}: warm rebuild after editing {edited}.yaml…")
        synth.edit_country(project, edited, run)
        warm = measure(python("-m", "sovereign_site", "build", "--project", project, "--output", out, "--no-search"), logs / f"warm-{run}")
        if failed("warm build", warm):
            break
        rows["warm"].append(warm["seconds"])
        cpu["warm"].append(warm["cpu_s"])
        if run == 0:
            # A cache may skip work but never change the output: build the edited state cold
            # (untimed) and compare. Pages the warm build got wrong are listed.
            clean_project(project)
            reference = work / f"check-{tag}"
            check = measure(
                python("-m", "sovereign_site", "build", "--project", project, "--output", fresh(reference), "--no-search"),
                logs / "warm-check",
            )
            if not failed("warm check", check):
                same = identical_pages(out, reference)
                stale = sorted(str(p.relative_to(out)) for p in html_pages(out) if p not in same)
                warm_stale = {"count": len(stale), "pages": stale[:20]}

        if vanilla_docs is None:
            vanilla_docs = stats["pages"] if vanilla_mode == "pages" else n + m
            synth.make_vanilla(vanilla, vanilla_docs, fmt="md")
            synth.make_vanilla(vanilla_rst, vanilla_docs, fmt="rst")
        # The baseline is Pelican as its users run it: Markdown. reStructuredText (docutils, which
        # ships with Pelican) is slower, and is kept as a second column only.
        baselines = [("vanilla_rst", python(), vanilla_rst)]
        if md_python is not None:
            baselines.insert(0, ("vanilla", [str(md_python)], vanilla))
        for key, interpreter, folder in baselines:
            say(f"[{tag}] run {run + 1}/{runs}: vanilla Pelican, {'Markdown' if key == 'vanilla' else 'rST'} ({vanilla_docs} documents)…")
            plain = measure([*interpreter, "-m", "pelican", str(folder / "content"), "-s", str(folder / "pelicanconf.py"),
                             "-o", str(fresh(vanilla_out)), "-q"], logs / f"{key}-{run}", cwd=folder)  # fmt: skip
            if not failed(f"vanilla Pelican ({key})", plain):
                rows[key].append(plain["seconds"])
                cpu[key].append(plain["cpu_s"])

    serve: dict[str, Any] = {}
    if rows["cold"] and not errors:
        say(f"[{tag}] serve-style rebuilds ({runs}) in one process…")
        clean_project(project)
        result = measure(
            python(HERE / "rebuild.py", project, fresh(work / f"serve-out-{tag}"), "--code", edited, "--runs", str(runs)), logs / "serve"
        )
        if not failed("serve-style rebuild", result):
            serve = json.loads(result["stdout"].strip().splitlines()[-1])

    details = rows["floor_detail"]
    cold_s = med(rows["cold"])
    vanilla_pages = sum(1 for _ in vanilla_out.rglob("*.html")) if vanilla_out.exists() else None
    return {
        "countries": n,
        "essays": m,
        **stats,
        "bytes_per_country": stats["output_bytes"] / n if stats else None,
        "cold_s": cold_s,
        # The cold build with search, as `sovereign-site build` runs by default.
        "search_s": med(rows["search"]),
        "warm_s": med(rows["warm"]),
        "serve_first_s": serve.get("first_s"),
        "serve_rebuild_s": med(serve.get("rebuild_s", [])),
        # From the edit until a page long-polling serve has fetched the changed page again.
        "serve_reload_s": med(serve.get("reload_s", [])),
        "serve_max_rss_mb": serve.get("max_rss_mb"),
        "peak_rss_mb": med(rows["rss"]),
        # A default build runs the two one after the other: its peak is the larger.
        "peak_with_search_mb": med(rows["search_rss"]),
        "floor_s": med(rows["floor"]),
        "floor_load_s": med([d["load_s"] for d in details]),
        "floor_render_s": med([d["render_s"] for d in details]),
        "floor_pages": details[0]["pages"] if details else None,
        "floor_skipped": details[0]["skipped"] if details else [],
        "floor_identical": floor_identical,
        "floor_rss_mb": med(rows["floor_rss"]),
        "warm_stale": warm_stale,
        "vanilla_s": med(rows["vanilla"]),
        "vanilla_rst_s": med(rows["vanilla_rst"]),
        "vanilla_docs": vanilla_docs,
        "vanilla_pages": vanilla_pages,
        "ratios": {
            "cold_vs_floor": ratio(cold_s, med(rows["floor"])),
            "cold_vs_vanilla": ratio(cold_s, med(rows["vanilla"])),
            # A build with search, as users run it by default: the cold build plus its Pagefind run.
            "cold_search_vs_vanilla": ratio(med(rows["search"]), med(rows["vanilla"])),
            "cold_vs_vanilla_rst": ratio(cold_s, med(rows["vanilla_rst"])),
            "warm_vs_cold": ratio(med(rows["warm"]), cold_s),
            "serve_vs_cold": ratio(med(serve.get("rebuild_s", [])), cold_s),
            "serve_reload_vs_cold": ratio(med(serve.get("reload_s", [])), cold_s),
        },
        # CPU seconds (user + system) of each child: steadier than wall time on a shared machine.
        "cpu_s": {k: med(v) for k, v in cpu.items()} | {"serve_rebuild": med(serve.get("rebuild_cpu_s", []))},
        "cpu_ratios": {
            "cold_vs_floor": ratio(med(cpu["cold"]), med(cpu["floor"])),
            "cold_vs_vanilla": ratio(med(cpu["cold"]), med(cpu["vanilla"])),
            "warm_vs_cold": ratio(med(cpu["warm"]), med(cpu["cold"])),
            "serve_vs_cold": ratio(med(serve.get("rebuild_cpu_s", [])), med(cpu["cold"])),
        },
        "runs": {k: v for k, v in rows.items() if k != "floor_detail"} | {"serve_rebuild": serve.get("rebuild_s", [])},
        "cpu_runs": cpu,
        "errors": errors,
    }


# --- targets ---------------------------------------------------------------------------------


def _find(sizes: list[dict[str, Any]], n: int, m: int | None = None) -> dict[str, Any] | None:
    return next((s for s in sizes if s["countries"] == n and (m is None or s["essays"] == m) and s.get("cold_s")), None)


def _per_country(sizes: list[dict[str, Any]], size: dict[str, Any], key: str) -> tuple[float | None, str]:
    """Cost per additional country: (value(N) - value(6)) / (N - 6) at the same M, so fixed costs cancel."""
    small = _find(sizes, 6, size["essays"])
    if small and size[key] is not None and small[key] is not None and size["countries"] > 6:
        return (size[key] - small[key]) / (size["countries"] - 6), "net of the 6-country build"
    return (size[key] / size["countries"] if size[key] is not None else None), "raw (no 6-country build at this M)"


def targets(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    measured = [s for s in sizes if s.get("cold_s")]
    if not measured:
        return []
    big = _find(measured, *TARGET_SIZE) or max(measured, key=lambda s: (s["countries"], s["essays"]))
    at = f"N={big['countries']}, M={big['essays']}"
    small = _find(measured, 6) or min(measured, key=lambda s: s["countries"])
    rows: list[dict[str, Any]] = []

    def check(name: str, goal: str, value: float | None, limit: float, fmt: str, note: str = "", lower: float | None = None) -> None:
        met = None if value is None else (lower is None or value >= lower) and value <= limit
        rows.append(
            {"target": name, "goal": goal, "value": value, "shown": "n/a" if value is None else fmt.format(value), "met": met, "note": note}
        )

    r, c = big["ratios"], big.get("cpu_ratios", {})

    def cpu(key: str, fmt: str) -> str:
        return f"CPU time: {fmt.format(c[key])}" if c.get(key) is not None else ""

    check(f"cold build vs floor ({at})", "≤ 1.5×", r["cold_vs_floor"], 1.5, "{:.2f}×", cpu("cold_vs_floor", "{:.2f}×"))
    check(
        f"cold build with search vs vanilla Pelican ({at})",
        "≤ 1.0×",
        r.get("cold_search_vs_vanilla"),
        1.0,
        "{:.2f}×",
        f"`sovereign-site build` as users run it: the cold build plus Pagefind; vanilla built {big['vanilla_docs']} documents",
    )
    check(
        f"cold build without search vs vanilla Pelican ({at})",
        "≤ 0.6×",
        r["cold_vs_vanilla"],
        0.6,
        "{:.2f}×",
        cpu("cold_vs_vanilla", "{:.2f}×"),
    )
    check(f"warm rebuild after one edit ({at})", "≤ 40 % of cold", r["warm_vs_cold"], 0.40, "{:.0%}", cpu("warm_vs_cold", "{:.0%}"))
    check(
        f"serve: edit until the open page has the change ({at})",
        "≤ 5 % of cold",
        r.get("serve_reload_vs_cold") or r["serve_vs_cold"],
        0.05,
        "{:.0%}",
        "the rebuild in `serve`'s process (pages only: search follows in the background) plus the live-reload long poll and the page fetch; "
        + cpu("serve_vs_cold", "{:.0%}"),
    )
    floor_mb = big.get("floor_rss_mb")
    check(
        f"peak memory, search included ({at})",
        "≤ 300 MB",
        big.get("peak_with_search_mb"),
        300,
        "{:.0f} MB",
        f"build {big['peak_rss_mb']:.0f} MB, then Pagefind; the floor peaks at {floor_mb:.0f} MB"
        if floor_mb and big["peak_rss_mb"]
        else "",
    )
    checked = [s for s in measured if s.get("warm_stale") is not None]
    stale = sum(s["warm_stale"]["count"] for s in checked) if checked else None
    where = ", ".join(f"N={s['countries']}: {s['warm_stale']['count']}" for s in checked if s["warm_stale"]["count"])
    check("correctness: warm rebuild writes the same pages as a cold build", "0 stale pages", stale, 0, "{:d} stale", where)
    lo, hi = (_find(measured, n, TARGET_SIZE[1]) or _find(measured, n) for n in LINEAR_SIZES)
    for key, label, fmt in (("output_bytes", "output bytes per country", "{:+.0%}"), ("cold_s", "build time per country", "{:+.0%}")):
        if lo and hi and lo["essays"] == hi["essays"]:
            a, how = _per_country(measured, lo, key)
            b, _ = _per_country(measured, hi, key)
            change = (b / a - 1) if a and b is not None else None
            check(f"linear growth: {label}, N=60 → N=1,000", "within ±25 %", change, 0.25, fmt, f"per country {how}", lower=-0.25)
        else:
            check(f"linear growth: {label}, N=60 → N=1,000", "within ±25 %", None, 0.25, fmt, "needs N=60 and N=1,000 at the same M")
    for kind in BUDGETED:
        weight = small.get("page_weight_kb", {}).get(kind)
        check(f"{kind} page weight (N={small['countries']})", "≤ 100 KB", weight, 100, "{:.0f} KB", small.get("heaviest", {}).get(kind, ""))
    weight = big.get("page_weight_kb", {}).get("compare")
    check(f"compare page weight ({at})", "≤ 300 KB", weight, 300, "{:.0f} KB")
    return rows


# --- reporting -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        )
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    try:
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        info["memory_gib"] = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        info["memory_gib"] = None
    with contextlib.suppress(OSError):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    for module in ("pelican", "jinja2", "pydantic", "yaml"):
        try:
            from importlib.metadata import version

            info[module] = version({"yaml": "pyyaml"}.get(module, module))
        except Exception:  # informational only
            pass
    with contextlib.suppress(OSError, subprocess.SubprocessError):  # read-only: which commit was measured
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    return info


def _s(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| N | M | pages | cold s | cold + search s | warm s (of cold) | serve s (of cold) | peak MB | KB / country | floor s | cold ÷ floor "
        "| vanilla Markdown s (docs) | cold ÷ vanilla | cold + search ÷ vanilla | vanilla rST s | cold ÷ rST |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in result["sizes"]:
        r = s["ratios"]
        lines.append(
            f"| {s['countries']:,} | {s['essays']} | {s.get('pages', 0):,} | {_s(s['cold_s'])} | {_s(s['search_s'])} "
            f"| {_s(s['warm_s'])} ({_pct(r['warm_vs_cold'])}) | {_s(s['serve_rebuild_s'])} ({_pct(r['serve_vs_cold'])}) "
            f"| {_s(s['peak_rss_mb'], 0)} | {_s((s['bytes_per_country'] or 0) / 1024, 1)} | {_s(s['floor_s'])} | {_x(r['cold_vs_floor'])} "
            f"| {_s(s['vanilla_s'])} ({s['vanilla_docs'] or '–'}) | {_x(r['cold_vs_vanilla'])} | {_x(r.get('cold_search_vs_vanilla'))} "
            f"| {_s(s.get('vanilla_rst_s'))} | {_x(r.get('cold_vs_vanilla_rst'))} |"
        )
    lines += [
        "",
        "| N | M | home KB | essay KB | country KB | compare KB | heaviest other comparison page KB | floor load s | floor render s | floor MB "
        "| floor pages (identical to cold) | stale pages after warm |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in result["sizes"]:
        w = s.get("page_weight_kb", {})
        lines.append(
            f"| {s['countries']:,} | {s['essays']} | {_s(w.get('home'), 0)} | {_s(w.get('essay'), 0)} | {_s(w.get('country'), 0)} | {_s(w.get('compare'), 0)} "
            f"| {_s(w.get('dimension'), 0)} | {_s(s['floor_load_s'])} | {_s(s['floor_render_s'])} | {_s(s.get('floor_rss_mb'), 0)} "
            f"| {s['floor_pages'] or '–'} ({s.get('floor_identical', '–')}) | {(s.get('warm_stale') or {}).get('count', '–')} |"
        )
    lines += [
        "",
        "CPU seconds (user + system of the child), medians: steadier than wall time when the machine is shared.",
        "",
        "| N | M | cold | warm (of cold) | serve (of cold) | floor | cold ÷ floor | vanilla | cold ÷ vanilla | cold + search |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for s in result["sizes"]:
        c, r = s.get("cpu_s", {}), s.get("cpu_ratios", {})
        lines.append(
            f"| {s['countries']:,} | {s['essays']} | {_s(c.get('cold'))} | {_s(c.get('warm'))} ({_pct(r.get('warm_vs_cold'))}) "
            f"| {_s(c.get('serve_rebuild'))} ({_pct(r.get('serve_vs_cold'))}) | {_s(c.get('floor'))} | {_x(r.get('cold_vs_floor'))} "
            f"| {_s(c.get('vanilla'))} | {_x(r.get('cold_vs_vanilla'))} | {_s(c.get('search'))} |"
        )
    lines += ["", "| target | goal | measured | status |", "|---|---|--:|---|"]
    for t in result["targets"]:
        status = "not measured" if t["met"] is None else ("met" if t["met"] else "**missed**")
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(f"| {t['target']}{note} | {t['goal']} | {t['shown']} | {status} |")
    return "\n".join(lines)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", part)
        if not match:
            raise argparse.ArgumentTypeError(f"sizes are NxM (countries x essays), comma-separated; got {part!r}")
        sizes.append((int(match.group(1)), int(match.group(2))))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES}, one run")
    parser.add_argument("--sizes", type=parse_sizes, help=f"countries x essays, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, help="runs per measurement; medians are reported (default 3; 1 with --quick)")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json", help="where to write the results")
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="scratch folder for projects and outputs")
    parser.add_argument("--vanilla-docs", choices=["pages", "sources"], default="pages",
                        help="vanilla Pelican builds as many documents as our build writes pages (default) or N + M")  # fmt: skip
    parser.add_argument(
        "--no-snapshot", dest="snapshot", action="store_false", help="measure the live working tree, not a copy taken at the start"
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or parse_sizes(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    runs = args.runs or (1 if args.quick else 3)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": runs,
        "vanilla_docs": args.vanilla_docs,
        "sizes": [],
    }
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    templates = None
    if args.snapshot:
        code, result["machine"]["snapshot"] = snapshot(work)
        templates = code / "templates"
    for n, m in sizes:
        result["sizes"].append(bench_size(n, m, runs, work, say, args.vanilla_docs, templates))
        result["targets"] = targets(result["sizes"])
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")  # partial results survive a crash
    result["seconds"] = time.perf_counter() - started
    result["targets"] = targets(result["sizes"])
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    m = result["machine"]
    print(
        f"{result['date']} · {m['nproc']} CPUs ({m['cpu']}) · {m.get('memory_gib')} GiB · Python {m['python']} · {runs} run(s), medians\n"
    )
    print(markdown(result))
    print(f"\nWrote {args.json} in {result['seconds']:.0f} s")
    builds_failed = any(e.startswith(("cold build", "warm build")) for s in result["sizes"] for e in s["errors"])
    return 1 if builds_failed else 0


if __name__ == "__main__":
    sys.exit(main())
