"""The known errors a fact-checker found (checked against ../shared/facts/factsheet.md): one test per row, on the data and the built pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sovereign_site import indicators
from sovereign_site.data.dataset import Dataset, load_dataset
from sovereign_site.data.errors import Report
from sovereign_site.prose.datatext import resolve_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds() -> Dataset:
    # The texts as the pages show them: data references ([[fig:…]]) resolved.
    return resolve_dataset(load_dataset(ROOT / "content"), ROOT / "content", Report(ROOT))


def item(ds: Dataset, code: str, section: str, ident: str):
    return next(i for i in getattr(ds.by_code[code], section) if i.id == ident)


def text(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))


def test_korea_gpu_target_is_2027_28_as_sourced(ds: Dataset) -> None:
    target = item(ds, "kr", "compute", "gpu-state-target")
    assert target.target_date is None, "the source gives 2027 or 2028, not a single year"
    summary = ds.by_code["kr"].summary
    assert "2027~2028년까지" in summary.ko and "by 2027-28" in summary.en
    assert "GPU 5만 장을 2028년까지" not in summary.ko and "by 2028." not in summary.en


def test_france_phase_2_keeps_public_and_private_apart(ds: Dataset) -> None:
    public, private = item(ds, "fr", "funding", "snia-2-funding"), item(ds, "fr", "funding", "snia-2-private")
    assert (public.amount, public.sector, private.amount, private.sector) == (1.5e9, "public", 506e6, "private")
    summary = ds.by_code["fr"].summary
    assert "€2.22 billion" not in summary.en and "22억 2천만" not in summary.ko
    assert "€1.5 billion of public money and €506 million of private co-funding" in summary.en


def test_nvidia_260k_is_mixed_with_the_state_share_noted(ds: Dataset) -> None:
    nvidia = item(ds, "kr", "compute", "nvidia-260k")
    assert nvidia.sector == "mixed" and nvidia.bound == "up-to"
    assert "state's share inside it" in nvidia.note.en and "정부 몫이 들어 있어" in nvidia.note.ko


def test_edinburgh_sits_inside_the_two_billion(ds: Dataset) -> None:
    edinburgh = item(ds, "gb", "funding", "edinburgh-supercomputer-funding")
    # Inside the ~£2 billion: the Compute Roadmap's envelope holds it (part_of), so no total adds it twice.
    envelope = item(ds, "gb", "funding", edinburgh.part_of)
    assert edinburgh.part_of == "compute-roadmap-envelope" and envelope.amount == 2e9 and envelope.part_of is None
    assert "inside the Compute Roadmap" in edinburgh.note.en and "never be added" in edinburgh.note.en
    assert "not clear" not in edinburgh.note.en and "unclear" not in edinburgh.note.en


def test_mistral_compute_counts_grace_blackwell_superchips(ds: Dataset, built_site: Path) -> None:
    mistral = item(ds, "fr", "compute", "mistral-compute")
    assert mistral.unit.en == "Grace Blackwell superchips"
    # The essay on how we compare is the one that cites Mistral Compute since the rewrite (#18).
    essay_en = text(built_site / "en" / "essays" / "how-we-compare" / "index.html")
    essay_ko = text(built_site / "essays" / "how-we-compare" / "index.html")
    assert "Mistral Compute (about 18,000 Grace Blackwell superchips" in essay_en
    assert "about 18,000 GPUs" not in essay_en
    assert "미스트랄 컴퓨트(약 1만 8,000 그레이스 블랙웰 슈퍼칩" in essay_ko


def test_sea_lion_2025_is_built_on_qwen(built_site: Path) -> None:
    ko = text(built_site / "essays" / "korea-sovereign-ai" / "index.html")
    en = text(built_site / "en" / "essays" / "korea-sovereign-ai" / "index.html")
    assert "알리바바의 Qwen을 바탕으로 한다" in ko and "구글과 메타의 공개 모델" not in ko
    assert "is built on Alibaba’s Qwen" in en and "open models from Google and Meta" not in en  # typographic apostrophe


def test_unsourced_claims_about_naver_and_motif_are_cut(built_site: Path) -> None:
    ko = text(built_site / "essays" / "korea-sovereign-ai" / "index.html")
    en = text(built_site / "en" / "essays" / "korea-sovereign-ai" / "index.html")
    assert "상위권" not in ko and "근소한 경합" not in ko
    assert "near the top" not in en and "narrow contest" not in en


def test_korea_2026_budget_is_the_cabinets_proposal(ds: Dataset) -> None:
    """The Cabinet's proposal is never presented as the final budget: it is labelled as a proposal, and
    the budget the National Assembly passed is its own item, the one the indicators count."""
    budget = item(ds, "kr", "funding", "ai-budget-2026")
    assert budget.status == "budgeted" and "Cabinet's proposal" in budget.label.en and "정부안" in budget.label.ko
    passed = item(ds, "kr", "funding", "ai-budget-2026-final")
    assert passed.status == "budgeted" and "parliamentary passage" in passed.label.en and "국회 통과" in passed.label.ko
    assert budget.part_of == passed.id and passed.part_of is None, "the proposal is never added to, or counted as, the passed budget"
    summary = ds.by_code["kr"].summary
    assert "예산안" in summary.ko and "Cabinet's proposed" in summary.en
    # The summary's figure for the budget is a reference to the passed item, in the file as written.
    written = yaml.safe_load((ROOT / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8"))["summary"]
    assert "[[fig:kr.ai-budget-2026-final]]" in written["ko"] and "[[fig:kr.ai-budget-2026-final]]" in written["en"]
    spending = next(i for i in ds.indicators if i.method == "public-spending-per-year")
    value = indicators.compute(ds, spending, ds.by_code["kr"])
    assert value.period == "2026" and "ai-budget-2026-final" in value.inputs and "ai-budget-2026" not in value.inputs


def test_the_10_26_threshold_is_set_by_the_enforcement_decree(built_site: Path) -> None:
    raw = (ROOT / "content" / "countries" / "kr.yaml").read_text(encoding="utf-8")
    assert "10^26" not in raw, "written with a superscript: 10²⁶"
    assert raw.count("시행령") >= 2 and raw.count("enforcement decree") >= 2
    ko = text(built_site / "essays" / "korea-sovereign-ai" / "index.html")
    en = text(built_site / "en" / "essays" / "korea-sovereign-ai" / "index.html")
    assert "시행령이 정하는 학습 연산량 기준" in ko
    assert "a compute threshold that the enforcement decree sets" in en
