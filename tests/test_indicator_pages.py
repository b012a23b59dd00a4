"""Indicator pages in the built site: definition, method, caveats, the chart, ordered values with their inputs, and downloads."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

IDS = ["public-ai-spending", "private-commitments", "compute", "sovereign-models", "legal-basis"]


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("indicator", IDS)
def test_every_indicator_has_a_page_with_its_method(built_site: Path, indicator: str, prefix: str) -> None:
    html = (built_site / prefix / "compare" / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    meta = json.loads((built_site / "data" / "indicators" / f"{indicator}.json").read_text(encoding="utf-8"))
    lang = "ko" if not prefix else "en"
    for text in (meta["name"][lang], meta["definition"][lang], meta["how"][lang], *(c[lang] for c in meta["caveats"])):
        assert text.split()[0] in html
    assert 'id="method"' in html and 'id="values"' in html
    # Every input links to its item on the country page, and that item exists there.
    for code, item in re.findall(r'href="/' + re.escape(prefix) + r'countries/([a-z-]+)/#item-\1-([a-z0-9-]+)"', html):
        country = (built_site / prefix / "countries" / code / "index.html").read_text(encoding="utf-8")
        assert f'id="item-{code}-{item}"' in country, (code, item)
    assert f'href="/data/indicators/{indicator}.csv"' in html and f'href="/data/indicators/{indicator}.json"' in html


def test_values_are_ordered_by_value_with_unknowns_last(built_site: Path) -> None:
    html = (built_site / "en" / "compare" / "indicators" / "public-ai-spending" / "index.html").read_text(encoding="utf-8")
    order = re.findall(r'<tr id="value-([a-z-]+)">', html)
    # The order the page shows is the order of the values it publishes: largest first, unknowns last.
    meta = json.loads((built_site / "data" / "indicators" / "public-ai-spending.json").read_text(encoding="utf-8"))
    value = {v["country"]: v["value"] for v in meta["values"]}
    assert sorted(order) == sorted(value) and len(order) >= 6
    known = [value[c] for c in order if value[c] is not None]
    assert known == sorted(known, reverse=True) and len(known) >= 5
    assert all(value[c] is None for c in order[len(known) :])
    assert "<svg" in html and "linear" in html  # the chart says its scale


def test_downloads_carry_the_metadata_and_the_inputs(built_site: Path) -> None:
    meta = json.loads((built_site / "data" / "indicators" / "public-ai-spending.json").read_text(encoding="utf-8"))
    assert {"id", "name", "definition", "how", "caveats", "unit", "values"} <= set(meta)
    kr = next(v for v in meta["values"] if v["country"] == "kr")
    assert kr["inputs"] == ["ai-budget-2026-final"] and kr["statuses"] == ["budgeted"] and kr["period"] == "2026" and kr["partial"] is False
    rows = list(csv.DictReader((built_site / "data" / "indicators" / "public-ai-spending.csv").open(encoding="utf-8", newline="")))
    by_code = {r["country"]: r for r in rows}
    assert by_code["kr"]["inputs"] == "ai-budget-2026-final" and by_code["fr"]["partial"] == "yes"
    assert by_code["kr"]["name_en"] == "Public AI spending per year" and by_code["kr"]["name_ko"] == "연간 공공 AI 지출"
    assert round(float(by_code["kr"]["value"])) == round(9.9e12 / 1422.16)  # the budget as passed, not the Cabinet's proposal


def test_the_compare_page_shows_indicators_before_the_matrix_korea_first(built_site: Path) -> None:
    html = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    assert html.index('id="indicators"') < html.index('id="matrix"')
    table = html[html.index('class="data indicator-matrix"') :].split("</table>", 1)[0]
    assert re.findall(r'<tr><th scope="row">([^<]+)</th>', table)[0] == "대한민국"
    assert table.count('class="chip chip-status"') >= 6


def test_a_country_shows_its_main_strategy_and_every_other_country(built_site: Path) -> None:
    fr = (built_site / "en" / "countries" / "fr" / "index.html").read_text(encoding="utf-8")
    strategy = fr[fr.index('class="main-strategy"') :].split("</p>", 1)[0]
    assert 'href="#item-fr-snia-2"' in strategy
    us = (built_site / "countries" / "us" / "index.html").read_text(encoding="utf-8")
    others = us[us.index('class="other-countries"') :].split("</nav>", 1)[0]
    every = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "content" / "countries").glob("*.yaml"))
    assert sorted(re.findall(r"countries/([a-z]+)/", others)) == [c for c in every if c != "us"]
