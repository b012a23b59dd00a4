"""Data references in YAML texts, computed ratios, and the check for figures typed by hand (issue #13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, copy_project, run_cli

from sovereign_site.data.dataset import load_dataset
from sovereign_site.data.errors import Report
from sovereign_site.prose.handtyped import _scan, numbers
from sovereign_site.prose.pipeline import render
from sovereign_site.prose.ratio import rounded

FRONT = "---\ntitle: t\nslug: t\nlang: {lang}\ndate: 2026-01-01\n---\n"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REPO / "content")


def _render(dataset, text: str, lang: str = "ko") -> tuple[str, list[str]]:
    report = Report(REPO)
    out = render(REPO / "content" / "essays" / "case.md", FRONT.format(lang=lang) + text + "\n", report, dataset)
    return out.html, [p.message for p in report.errors]


# --- ratios -------------------------------------------------------------------


def test_ratio_reads_about_three_times_in_both_languages(dataset) -> None:
    ko, problems = _render(dataset, "예산은 [[ratio:kr.ai-budget-2026/kr.ai-budget-2025]]로 늘었다.")
    assert problems == []
    assert "약 3배" in ko
    # Both figures are cited; here they share their first source, so one footnote, once.
    assert ko.count('class="footnote-ref"') == 1 and "koreajoongangdaily" in ko
    en, problems = _render(dataset, "It grew [[ratio:kr.ai-budget-2026/kr.ai-budget-2025]].", "en")
    assert problems == []
    assert "about 3×" in en


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.0606, 3.0), (4.615, 4.6), (1.5, 1.5), (20.3, 20.0), (147.0, 150.0), (0.333, 0.33), (9.96, 10.0), (2.5, 2.5)],
)
def test_ratio_rounding_rules(value: float, shown: float) -> None:
    assert rounded(value) == shown


def test_ratio_across_currencies_goes_through_the_exchange_rates(dataset) -> None:
    html, problems = _render(dataset, "[[ratio:us.stargate/fr.paris-summit-pledges]]", "en")
    assert problems == []
    assert re.search(r"about [\d.]+×", html)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "[[ratio:kr.ai-budget-2026/kr.gpu-state-target]]",
            "cannot divide kr.ai-budget-2026 (money in KRW) by kr.gpu-state-target (a count of GPUs)",
        ),
        ("[[ratio:fr.mistral-compute/kr.gpu-state-target]]", "units differ"),
        ("[[ratio:kr.ai-budget-2026/kr.nope]]", "no item 'nope' in content/countries/kr.yaml"),
        ("[[ratio:zz.a/kr.ai-budget-2025]]", "unknown country 'zz'"),
        ("[[ratio:cn.compute-target-2025/kr.gpu-state-target]]", "cn.compute-target-2025 has no known value"),
        ("[[ratio:kr.ai-budget-2026]]", "write [[ratio:CODE.ID/CODE.ID]]"),
        ("[[ratio:kr.nvidia-260k/sg.ai-practitioners-target]]", "units differ"),
    ],
)
def test_ratio_errors_say_why(dataset, ref: str, message: str) -> None:
    html, problems = _render(dataset, f"값은 {ref}이다.")
    assert len(problems) == 1 and message in problems[0], problems
    assert ref in html.replace("\\", "")  # left as written, visibly


# --- YAML texts follow the data ----------------------------------------------------


def _set_budget(project: Path, amount: str) -> None:
    path = project / "content" / "countries" / "kr.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    amount: 10.1T\n" in text
    path.write_text(text.replace("    amount: 10.1T\n", f"    amount: {amount}\n", 1), encoding="utf-8")


def test_a_changed_value_reaches_every_page_that_quotes_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    _set_budget(project, "12.3T")
    kr = project / "content" / "countries" / "kr.yaml"
    text = kr.read_text(encoding="utf-8")
    start = text.index("  - id: ai-budget-2025\n")
    at = text.index("    amount: 3.3T\n", start)
    kr.write_text(text[:at] + "    amount: 1.1T\n" + text[at + len("    amount: 3.3T\n") :], encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--no-search")
    assert result.returncode == 0, result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    country = (out / "countries" / "kr" / "index.html").read_text(encoding="utf-8")
    timeline = (out / "timeline" / "index.html").read_text(encoding="utf-8")
    en_timeline = (out / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    data = (out / "data" / "countries" / "kr.json").read_text(encoding="utf-8")
    for page in (home, country, timeline, data):
        assert "12조 3,000억 원" in page
    assert "₩12.3 trillion" in en_timeline
    # A ratio follows its figures too: the essay's passed 2026 budget over the 2025 one, 9.9 / 3.3 = 3
    # before; with the 2025 budget at 1.1 trillion, 9.9 / 1.1 = 9.
    essay = (out / "essays" / "korea-sovereign-ai" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"2025년의 약 9배(<sup[^>]*>.*?</sup>)*다", essay), "the ratio did not follow the data"
    # The old figure is nowhere: not in any page, feed or download, in any form.
    for path in out.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(encoding="utf-8")
            for old in ("10조 1,000억", "10조 1천억", "₩10.1 trillion", "[[fig:"):
                assert old not in text, f"{old!r} still in {path.relative_to(out)}"


def test_a_bad_reference_in_yaml_names_file_line_and_field(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    path = project / "content" / "countries" / "kr.yaml"
    text = path.read_text(encoding="utf-8")
    assert "[[fig:kr.gpu-state-target]]을 2027~2028년까지" in text
    path.write_text(
        text.replace("[[fig:kr.gpu-state-target]]을 2027~2028년까지", "[[fig:kr.no-such-item]]을 2027~2028년까지"), encoding="utf-8"
    )
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "kr.no-such-item" in row)
    for command in ("validate", "build"):
        args = [command, "--project", str(project)] + (["--output", str(tmp_path / "out")] if command == "build" else [])
        result = run_cli(*args)
        assert result.returncode != 0
        assert f"content/countries/kr.yaml:{line}: error: summary.ko: [[fig:kr.no-such-item]]: no item 'no-such-item'" in result.stderr
        assert "Traceback" not in result.stderr


def test_yaml_text_stays_text(tmp_path: Path) -> None:
    """A reference's output is printed escaped like any data text: no markup gets in."""
    project = copy_project(tmp_path / "p", essays=False)
    path = project / "content" / "countries" / "kr.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("갖추는 것이 목표입니다.", "갖추는 것이 [[num:<b>목표</b>]]입니다.", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--project", str(project), "--output", str(out), "--no-search")
    assert result.returncode == 0, result.stderr
    page = (out / "countries" / "kr" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;목표&lt;/b&gt;" in page and "<b>목표</b>" not in page


# --- the hand-typed check -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("예산안은 10조 1천억 원으로", [("10조 1천억", 10.1e12, "KRW")]),
        ("2,929억 원에서 4,483억 원으로", [("2,929억", 292.9e9, "KRW"), ("4,483억", 448.3e9, "KRW")]),
        ("약 6만 5천 장에서 30만 장 이상", [("6만 5천", 65000, None), ("30만", 300000, None)]),
        ("1만 3,000장과 65,000장", [("1만 3,000", 13000, None), ("65,000", 65000, None)]),
        ("from ₩292.9B to ₩448.3B", [("292.9B", 292.9e9, "KRW"), ("448.3B", 448.3e9, "KRW")]),
        ("$2 billion, or 2bn", [("2 billion", 2e9, "USD"), ("2bn", 2e9, None)]),
        ("768 B200 GPUs and 19 bills", [("768", 768, None), ("19", 19, None)]),
        ("최대 3천만 원", [("3천만", 3e7, "KRW")]),
        # Not figures: years, dates, ranges, ordinals, versions, exponents, small numbers.
        ("2026년 1월 22일, 2027~2028년, 2024-12-26, 26 December 2024, December 26", []),
        ("6호기, 1차 평가, 제51조, Article 51, No. 6, Phase 2, 3년마다", []),
        ("GPT-4, Qwen3-235B, B200, Mixtral 8x7B, EXAONE 4.0, 10²⁶ FLOPs, 10^26", []),
        ("12. 첫째 항목[^12]", []),
    ],
)
def test_numbers_are_read_as_written(text: str, found: list[tuple[str, float, str | None]]) -> None:
    got = [(w.text, w.value, w.currency) for w in numbers(_scan(text))]
    assert [(t, pytest.approx(v), c) for t, v, c in found] == got


def test_strict_validate_catches_planted_figures_and_passes_shipped_content(tmp_path: Path) -> None:
    clean = run_cli("validate", "--project", str(REPO), "--strict")
    assert clean.returncode == 0, clean.stderr
    project = copy_project(tmp_path / "p")
    essay = project / "content" / "essays" / "korea-sovereign-ai.md"
    lines = essay.read_text(encoding="utf-8").split("\n")
    at = next(i for i, row in enumerate(lines) if row.startswith("## "))  # before the essay's first section
    lines.insert(at, "정부 예산은 10조 1천억 원이고 GPU 목표는 5만 장이다. 2026년 1월 22일, 6호기, [^oojoo]와 무관한 숫자.\n")
    essay.write_text("\n".join(lines), encoding="utf-8")
    kr = project / "content" / "countries" / "kr.yaml"
    text = kr.read_text(encoding="utf-8")
    kr.write_text(
        text.replace(
            "      en: The presidential AI control tower,", "      en: Holds ₩1.46 trillion. The presidential AI control tower,", 1
        ),
        encoding="utf-8",
    )
    yaml_line = next(n for n, row in enumerate(kr.read_text(encoding="utf-8").split("\n"), 1) if "₩1.46 trillion. The presidential" in row)

    loose = run_cli("validate", "--project", str(project))
    assert loose.returncode == 0, loose.stderr  # warnings only
    result = run_cli("validate", "--project", str(project), "--strict")
    assert result.returncode != 0
    warnings = [row for row in result.stderr.split("\n") if "typed by hand" in row]
    assert warnings == [
        f"content/countries/kr.yaml:{yaml_line}: warning: regulation.institutions.0.role.en: '1.46 trillion' is typed by hand but equals a dataset figure; write [[fig:kr.gpu-supplementary-2025]] instead",
        f"content/essays/korea-sovereign-ai.md:{at + 1}: warning: '10조 1천억' is typed by hand but equals a dataset figure; write [[fig:kr.ai-budget-2026]] instead",
        f"content/essays/korea-sovereign-ai.md:{at + 1}: warning: '5만' is typed by hand but equals a dataset figure; write [[fig:kr.gpu-state-target]] instead",
    ]
    assert "Traceback" not in result.stderr


def test_num_marks_a_figure_that_is_not_data(dataset) -> None:
    html, problems = _render(dataset, "Chinchilla는 [[num:700억]] 개의 파라미터를 가졌다.")
    assert problems == [] and "700억 개" in html


def test_the_cheon_form_is_flagged_in_korean_prose_only(tmp_path: Path) -> None:
    """One Korean number style (format.korean_units): '4천억' and '3만 1천 장' are flagged, with the form to write."""
    project = copy_project(tmp_path / "p")
    essay = project / "content" / "essays" / "korea-sovereign-ai.md"
    lines = essay.read_text(encoding="utf-8").split("\n")
    at = next(i for i, row in enumerate(lines) if row.startswith("## "))
    lines.insert(at, "민간 투자는 약 3만 1천 장과 4천억 원 규모로 알려졌다.\n")
    essay.write_text("\n".join(lines), encoding="utf-8")
    english = project / "content" / "essays" / "korea-sovereign-ai.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA quoted Korean headline: '4천억'.\n", encoding="utf-8")
    result = run_cli("validate", "--project", str(project), "--strict")
    assert result.returncode == 1
    style = [row for row in result.stderr.split("\n") if "천 form" in row]
    assert style == [
        f"content/essays/korea-sovereign-ai.md:{at + 1}: warning: '1천' is written in the 천 form; write '1,000' (the site's one style)",
        f"content/essays/korea-sovereign-ai.md:{at + 1}: warning: '4천' is written in the 천 form; write '4,000' (the site's one style)",
    ], result.stderr
