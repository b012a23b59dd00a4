"""Every indicator, for each of the six countries, against values worked out by hand from the cited figures.

The expected numbers below were computed by hand from the country files' sourced
amounts and the yearly rates in content/fx.yaml (each line says how), not by
calling the code under test. A value the data cannot support is ``None`` with a
reason, and the reason is asserted too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sovereign_site import indicators
from sovereign_site.data.dataset import Dataset, load_dataset
from sovereign_site.data.schema import Funding

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(ROOT / "content")


def value(ds: Dataset, indicator_id: str, code: str) -> indicators.Value:
    indicator = next(i for i in ds.indicators if i.id == indicator_id)
    return indicators.compute(ds, indicator, ds.by_code[code])


# --- public AI spending per year ---------------------------------------------------------------------
# (code, US dollars, bound, year, inputs, partial, reason, per person, share of GDP)
PUBLIC = [
    # About ₩9.9T, the 2026 AI budget after the National Assembly passed it (News1, ZDNet Korea), the government's total;
    # the Cabinet's ₩10.1T proposal sits inside it (part_of) and is never counted. No 2026 rate yet, so 2025's ₩1,422.16.
    ("kr", 9.9e12 / 1422.16, "about", "2026", ["ai-budget-2026-final"], False, None, 9.9e12 / 1422.16 / 51.75e6, 9.9e12 / 1422.16 / 1.8689e12),
    # ¥60.06B National AI Industry Investment Fund (2025) at 2023's ¥7.0809; no total AI budget: a partial sum.
    ("cn", 60.06e9 / 7.0809, "exact", "2025", ["national-ai-fund"], True, "programmes-only", 60.06e9 / 7.0809 / 1.408e9, (60.06e9 / 7.0809) / (134.9084e12 / 7.0809)),
    # $3.1B NITRD AI R&D request FY2024 (the FY2025 supplement is not readable); GDP unknown, population "more than 340 million".
    ("us", 3.1e9, "exact", "2024", ["nitrd-fy2024"], True, "programmes-only", 3.1e9 / 340e6, None),
    # 2026: about £2B over five years = £400M, at 2023's £0.8039. The Sovereign AI Unit sits inside the Spending Review
    # money and the Edinburgh supercomputer inside the Compute Roadmap envelope (a "broader" item): neither is added.
    ("gb", 2e9 / 5 / 0.8039, "about", "2026", ["spending-review-2025"], True, "programmes-only", 2e9 / 5 / 0.8039 / 69.3e6, None),
    # 2025: the public €1.5B of the strategy's phase 2 (2021–2025) spread over five years, at 2023's €0.9245
    # (the €506M of private co-funding is a separate, private item).
    ("fr", 1.5e9 / 5 / 0.9245, "exact", "2025", ["snia-2-funding"], True, "programmes-only", 1.5e9 / 5 / 0.9245 / 68.4e6,
     (1.5e9 / 5 / 0.9245) / (2.9199e12 / 0.9245)),
    # 2026: more than S$1B over 2024–2029 (/6) + more than S$1B over 2025–2030 (/6), at 2023's S$1.3428.
    ("sg", (1e9 / 6 + 1e9 / 6) / 1.3428, "at-least", "2026", ["budget-2024-ai", "naird"], True, "programmes-only",
     (1e9 / 6 + 1e9 / 6) / 1.3428 / 6.04e6, ((1e9 / 6 + 1e9 / 6) / 1.3428) / (673.3e9 / 1.3428)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "usd", "bound", "year", "inputs", "partial", "reason", "per_person", "share"), PUBLIC, ids=[p[0] for p in PUBLIC]
)
def test_public_ai_spending_per_year(ds: Dataset, code: str, usd: float, bound: str, year: str, inputs: list[str], partial: bool,
                                     reason: str | None, per_person: float, share: float | None) -> None:  # fmt: skip
    v = value(ds, "public-ai-spending", code)
    assert v.amount == pytest.approx(usd, rel=1e-9)
    assert (v.bound, v.period, v.inputs, v.partial, v.reason, v.sector) == (bound, year, inputs, partial, reason, "public")
    assert v.details["per_person"] == pytest.approx(per_person, rel=1e-9)
    assert v.details["share_of_gdp"] == (pytest.approx(share, rel=1e-9) if share is not None else None)
    assert "pledged" not in v.statuses


def test_korea_2026_is_budgeted_not_spent(ds: Dataset) -> None:
    assert value(ds, "public-ai-spending", "kr").statuses == ["budgeted"]


# --- private and foreign commitments ---------------------------------------------------------------------
PRIVATE = [
    ("us", 500e9, "exact", "2025-2028", ["stargate"], None),  # Stargate's stated intention, US dollars
    # Paris summit pledges and Mistral's round (2025, at 2023's €0.9245) and the strategy's private co-funding (from 2021, at €0.8453).
    (
        "fr",
        109e9 / 0.9245 + 1.7e9 / 0.9245 + 506e6 / 0.8453,
        "exact",
        "2021-2025",
        ["snia-2-private", "paris-summit-pledges", "mistral-series-c"],
        None,
    ),
    # Tech Prosperity Deal £31B, North East AI Growth Zone up to £30B (2025) and Lanarkshire £8.2B (2026), all at 2023's £0.8039.
    (
        "gb",
        (31e9 + 30e9 + 8.2e9) / 0.8039,
        "up-to",
        "2025-2026",
        ["tech-prosperity-deal", "north-east-aigz-investment", "lanarkshire-aigz-investment"],
        None,
    ),
    # SK-AWS Ulsan ₩7T (2025, at ₩1,422.16) and Rebellions' Series C target of up to $200M; the National Growth Fund's
    # private tranche is a target inside the fund's total (part_of), not counted.
    ("kr", 7e12 / 1422.16 + 200e6, "up-to", "2025", ["sk-aws-ulsan", "rebellions-series-c"], None),
    ("cn", None, "exact", None, [], "no-private-items"),
    ("sg", None, "exact", None, [], "no-private-items"),
]


@pytest.mark.parametrize(("code", "usd", "bound", "period", "inputs", "reason"), PRIVATE, ids=[p[0] for p in PRIVATE])
def test_private_commitments(
    ds: Dataset, code: str, usd: float | None, bound: str, period: str | None, inputs: list[str], reason: str | None
) -> None:
    v = value(ds, "private-commitments", code)
    assert v.amount == (pytest.approx(usd, rel=1e-9) if usd is not None else None)
    assert (v.bound, v.period, v.inputs, v.reason) == (bound, period, inputs, reason)


def test_mixed_money_is_listed_apart_not_counted(ds: Dataset) -> None:
    assert value(ds, "private-commitments", "kr").details["mixed"] == [
        "national-ai-computing-centre-cost",
        "ngf-total",
        "furiosa-series-c-bridge",
    ]
    assert value(ds, "private-commitments", "fr").details["mixed"] == []  # phase 2 is now split into its public and private parts


# --- compute in operation versus planned ---------------------------------------------------------------
COMPUTE = [
    # (code, GPUs in operation, reason, largest plan per sector)
    ("gb", 5448, None, {"private": "tech-prosperity-gpus"}),  # Isambard-AI, operational
    # About 65,000 GPUs installed nationwide (NVIDIA's count, mixed); the 4,224 allocated in 2026 sit inside the 2025
    # purchase (part_of). NVIDIA's "up to" includes a state share; SK-AWS Ulsan is the largest private plan.
    ("kr", 65000, None, {"public": "supercomputer-6", "mixed": "nvidia-260k", "private": "sk-aws-ulsan-dc"}),
    ("fr", None, "no-operating-count", {"private": "mistral-compute"}),  # Jean Zay runs, but no GPU count is sourced
    ("us", None, "no-operating-count", {}),
    ("cn", None, "no-operating-count", {}),
    ("sg", None, "no-operating-count", {}),
]


@pytest.mark.parametrize(("code", "gpus", "reason", "plans"), COMPUTE, ids=[c[0] for c in COMPUTE])
def test_compute_in_operation_apart_from_plans(ds: Dataset, code: str, gpus: int | None, reason: str | None, plans: dict[str, str]) -> None:
    v = value(ds, "compute", code)
    assert v.amount == gpus and v.reason == reason
    assert {sector: item.id for sector, item in v.details["largest_plan"].items()} == plans


def test_purchases_inside_a_target_are_not_counted_twice(ds: Dataset) -> None:
    v = value(ds, "compute", "kr")
    largest = v.details["largest_plan"]
    # The 13,000 secured and 15,000 planned GPUs are part of the 50,000 target: never added to it, nor shown
    # on their own; and plans are never summed (260,000 "up to", not 260,000 + 50,000).
    assert (largest["mixed"].gpus, largest["mixed"].bound) == (260000, "up-to")
    assert all(item.id not in ("gpu-secured-2025", "gpu-2026-plan") for item in largest.values())
    assert v.details["accelerators"] == ["GH200"]


# --- home-grown foundation models ---------------------------------------------------------------------
MODELS = [
    ("kr", 5, 0, "ax-k1", None, "origin-unknown"),  # HyperCLOVA X SEED Think's origin is unknown
    ("cn", 3, 1, "qwen3-max", "deepseek-r1", None),  # DeepSeek-R1 is post-trained on DeepSeek-V3-Base
    ("us", 2, 0, "llama-3-1-405b", None, None),
    ("fr", 2, 0, "mistral-large-2", None, None),
    ("gb", 1, 0, "stablelm-2-12b", None, "origin-unknown"),  # BritLLM's origin is unknown
    ("sg", 1, 5, "sea-lion-v1", "sea-lion-v3-70b", None),  # v2 (Llama 3) and v3-70B (Llama 3.1) added
]


@pytest.mark.parametrize(("code", "scratch", "derived", "largest", "largest_derived", "reason"), MODELS, ids=[m[0] for m in MODELS])
def test_sovereign_models(
    ds: Dataset, code: str, scratch: int, derived: int, largest: str, largest_derived: str | None, reason: str | None
) -> None:
    v = value(ds, "sovereign-models", code)
    assert v.amount == scratch and v.details["derived"] == derived and v.reason == reason
    assert v.details["largest_from_scratch"].id == largest
    assert (v.details["largest_derived"].id if v.details["largest_derived"] else None) == largest_derived


# --- the legal basis ----------------------------------------------------------------------------------
LEGAL = [
    ("kr", "comprehensive-law", "ai-basic-act", "2026-01-22"),
    ("fr", "comprehensive-law", "eu-ai-act", "2024-08"),
    ("cn", "sectoral-rules", "genai-measures", "2023-08-15"),
    ("us", "executive-action", "eo-14179", "2025-01-23"),
    ("gb", "guidance", "ai-white-paper", "2023-03-29"),
    ("sg", "guidance", "genai-governance-framework", "2024-05-30"),
]


@pytest.mark.parametrize(("code", "category", "document", "since"), LEGAL, ids=[c[0] for c in LEGAL])
def test_legal_basis(ds: Dataset, code: str, category: str, document: str, since: str) -> None:
    v = value(ds, "legal-basis", code)
    assert (v.category, v.inputs, v.period) == (category, [document], since)


# --- rules that hold for any data --------------------------------------------------------------------


def _with_funding(ds: Dataset, code: str, funding: list[Funding]) -> Dataset:
    countries = [c.model_copy(update={"funding": funding}) if c.code == code else c for c in ds.countries]
    return Dataset(countries, ds.dimensions, ds.fx, ds.glossary, ds.files, None, ds.indicators)


def _funding(ident: str, amount: float | str, **extra: object) -> Funding:
    data = {"id": ident, "label": {"ko": "예산", "en": "Budget"}, "amount": amount, "currency": "USD", "period": "2026", "sector": "public",
            "status": "budgeted", "sources": ["x"], **extra}  # fmt: skip
    return Funding.model_validate(data)


def test_an_unknown_amount_never_becomes_zero(ds: Dataset) -> None:
    changed = _with_funding(ds, "us", [_funding("total", "unknown", scope="ai-total")])
    v = value(changed, "public-ai-spending", "us")
    assert v.amount is None and v.reason == "amount-unknown" and v.inputs == ["total"]


def test_a_sum_missing_an_amount_is_partial(ds: Dataset) -> None:
    changed = _with_funding(ds, "us", [_funding("a", 1e9), _funding("b", "unknown")])
    v = value(changed, "public-ai-spending", "us")
    assert v.amount == 1e9 and v.partial and v.inputs == ["a", "b"]


def test_up_to_and_more_than_are_never_added_into_one_number(ds: Dataset) -> None:
    changed = _with_funding(ds, "us", [_funding("a", 1e9, bound="up-to"), _funding("b", 2e9, bound="more-than")])
    v = value(changed, "public-ai-spending", "us")
    assert v.amount is None and v.reason == "mixed-bounds"


def test_a_published_total_is_used_alone(ds: Dataset) -> None:
    changed = _with_funding(ds, "us", [_funding("total", 5e9, scope="ai-total"), _funding("programme", 1e9)])
    v = value(changed, "public-ai-spending", "us")
    assert v.amount == 5e9 and v.inputs == ["total"] and not v.partial


def test_broader_programmes_and_pledges_are_left_out(ds: Dataset) -> None:
    changed = _with_funding(
        ds, "us", [_funding("chips", 50e9, scope="broader"), _funding("pledge", 9e9, status="pledged"), _funding("ai", 1e9)]
    )
    assert value(changed, "public-ai-spending", "us").inputs == ["ai"]


def test_indicator_pages_order_by_value(ds: Dataset) -> None:
    indicator = next(i for i in ds.indicators if i.id == "public-ai-spending")
    amounts = [v.amount for v in indicators.table(ds, indicator)]
    known = [a for a in amounts if a is not None]
    assert known == sorted(known, reverse=True) and amounts[: len(known)] == known


def test_a_headline_figure_on_secondary_sources_only_is_a_warning(tmp_path: Path) -> None:
    """With SOVEREIGN_CHECK_SOURCE_KINDS on, validate names the file, the line and the item."""
    from conftest import copy_project, run_cli

    project = copy_project(tmp_path / "p", essays=False, countries=["kr", "us"])
    settings = project / "pelicanconf.py"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("SOVEREIGN_CHECK_SOURCE_KINDS = False", "SOVEREIGN_CHECK_SOURCE_KINDS = True")
    )
    # The shipped data passes; a headline item whose sources are all demoted to secondary does not.
    assert run_cli("validate", "--strict", "--project", str(project)).returncode == 0
    us = project / "content/countries/us.yaml"
    text = us.read_text(encoding="utf-8")
    for source in ("nitrd-fy2024-supplement", "executivegov-ai-rd-fy2024"):
        start = text.index(f"  - id: {source}\n")
        end = text.index("  - id: ", start + 1)
        text = text[:start] + re.sub(r"kind: (primary|press)", "kind: secondary", text[start:end]) + text[end:]
    us.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--strict", "--project", str(project))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.strip() == "- id: nitrd-fy2024")
    assert (
        f"content/countries/us.yaml:{line}: warning: sources: 'nitrd-fy2024' is shown on the comparison pages but rests only on secondary sources"
        in result.stderr
    )
    # Without --strict it is a warning, not a failure.
    assert run_cli("validate", "--project", str(project)).returncode == 0
