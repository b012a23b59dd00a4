"""The benchmark harness (bench/): a quick smoke run, and the synthetic projects it builds.

Timings are never asserted: the machine is shared. What is asserted is that the
harness runs end to end and reports every number, and that a synthetic
60-country project builds with --strict into a site where every country has
its own page and a row in the comparison matrix.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import synth  # noqa: E402

SIZE_KEYS = (
    "cold_s",
    "search_s",
    "warm_s",
    "serve_rebuild_s",
    "serve_reload_s",
    "peak_with_search_mb",
    "peak_rss_mb",
    "floor_s",
    "vanilla_s",
    "pages",
    "output_bytes",
    "bytes_per_country",
)


def test_quick_run_writes_every_number(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--runs", "1", "--json", str(out), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"date", "machine", "runs", "sizes", "targets"} <= set(data)
    assert data["machine"]["nproc"] >= 1 and data["machine"]["python"]
    (size,) = data["sizes"]
    assert (size["countries"], size["essays"]) == (6, 3)
    assert size["errors"] == []
    for key in SIZE_KEYS:
        assert isinstance(size[key], (int, float)) and size[key] > 0, key
    assert all(value > 0 for value in size["ratios"].values())
    assert {"home", "essay", "country", "compare"} <= set(size["page_weight_kb"])
    assert all(kb > 0 for kb in size["page_weight_kb"].values())
    # The floor must render the pages the build writes, or its ratio compares different work.
    assert size["floor_skipped"] == []
    assert size["floor_pages"] == size["pages"], "bench/floor.py no longer mirrors the generator's pages; update it"
    assert size["floor_identical"] == size["pages"], "bench/floor.py renders pages that differ from the build's; update it"
    assert data["targets"]
    for t in data["targets"]:
        # A target is judged exactly when it was measured: a number gives met or missed, a gap gives neither.
        if t["value"] is None:
            assert t["met"] is None and t["shown"] == "n/a", t
        else:
            assert isinstance(t["met"], bool) and t["shown"] != "n/a", t
    assert sum(t["value"] is not None for t in data["targets"]) >= 4, "the quick run measures the single-size targets"
    assert "| N | M |" in result.stdout and "| target |" in result.stdout

    # bench/weight.py splits a built page into parts that add up to the whole page.
    import weight

    site = tmp_path / "work" / "out-6x3"
    page = next(site.glob("countries/*/sources/index.html"))
    parts = dict(weight.split(page.read_text(encoding="utf-8")))
    assert sum(parts.values()) == page.stat().st_size
    assert parts["source lists"] > 0 and parts["head and navigation"] > 0
    shown = subprocess.run([sys.executable, str(REPO / "bench" / "weight.py"), str(site)], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "| source lists |" in shown.stdout and "static/css/site.css" in shown.stdout


def test_pool_comparison_runs_and_a_child_dies_with_its_parent(tmp_path: Path) -> None:
    """bench/pool.py, the measurement behind parallel.py's choice, runs end to end; its behavioural half holds."""
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pool.py"), "--countries", "60", "--runs", "1", "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    for variant in ("serial", "child", "pool-split", "pool-all"):
        assert re.search(rf"^\| {variant} \| \d+\.\d\d \| \d+\.\d\d× \| \d+ \|$", result.stdout, re.M), variant
    # The reason the hand-written fork stays: it ends with a killed build, a pool worker does not.
    assert "| child | no |" in result.stdout
    assert "| pool | yes |" in result.stdout


def test_synthetic_project_is_deterministic(tmp_path: Path) -> None:
    a = synth.make_project(tmp_path / "a", 8, 3)
    b = synth.make_project(tmp_path / "b", 8, 3)
    files = sorted(p.relative_to(a) for p in (a / "content").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in (b / "content").rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert synth.is_current(a, 8, 3) and not synth.is_current(a, 9, 3)


def test_codes_are_valid_and_country_codes_come_first() -> None:
    import pycountry

    from sovereign_site.data.checks import CODE_HINTS

    codes = synth.codes()
    assert len(codes) >= 1000
    assert not set(codes) & set(CODE_HINTS)
    first_subdivision = next(i for i, c in enumerate(codes) if "-" in c)
    assert all("-" not in c for c in codes[:first_subdivision]) and all("-" in c for c in codes[first_subdivision:])
    assert all(pycountry.subdivisions.get(code=c.upper()) is not None for c in codes[first_subdivision : first_subdivision + 50])


def test_refuses_to_overwrite_a_real_project(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(FileExistsError):
        synth.make_project(tmp_path, 6, 0)


def test_sixty_countries_build_strictly_and_all_are_compared(tmp_path: Path) -> None:
    project = synth.make_project(tmp_path / "project", 60, 3)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sovereign_site", "build", "--project", str(project), "--output", str(out), "--strict", "--no-search"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    # Nothing warns but the page budget, and only for two chart pages: at sixty countries the compute
    # chart and the timeline's axis outgrow it by themselves (every table splits to fit).
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert all("page budget" in line for line in warnings), warnings
    named = re.findall(r"(\S+/index\.html) \(", " ".join(warnings))
    assert all(re.fullmatch(r"(en/)?(compare/compute|timeline)/index\.html", name) for name in named), named
    assert "60 countries, 3 essays" in result.stdout
    codes = synth.codes()[:60]
    for prefix in ("", "en/"):
        compare = (out / prefix / "compare" / "index.html").read_text(encoding="utf-8")
        # Past the grouping threshold the matrix rows may live on per-region pages the overview links to.
        matrix = compare + "".join(
            p.read_text(encoding="utf-8") for p in sorted((out / prefix / "compare" / "regions").glob("*/index.html"))
        )
        rows = re.findall(r'<tr data-code="([a-z0-9-]+)"', matrix)
        for code in codes:
            assert re.search(rf'(?:value|data-code)="{code}"|countries/{code}/', compare), f"{code} missing from {prefix}compare/index.html"
            assert rows.count(code) == 1, f"{code} has {rows.count(code)} rows in the {prefix or 'ko '}comparison matrix"
            assert (out / prefix / "countries" / code / "index.html").is_file()
