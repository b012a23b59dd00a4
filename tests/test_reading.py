"""Reading defects a new reader hit (#15): each checked on the built pages, in a browser where only a browser can see it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sovereign_site.data.dataset import load_dataset

REPO = Path(__file__).resolve().parents[1]


def section(html: str, anchor: str) -> str:
    start = html.index(f'aria-labelledby="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_a_dimension_with_no_data_reads_as_a_sentence_not_an_empty_table(built_site: Path) -> None:
    ds = load_dataset(REPO / "content")
    # Every country whose whole energy dimension is unknown, or missing, gets one sentence.
    unknown = [c.code for c in ds.countries if c.facts.get("energy", "unknown") == "unknown"]
    assert unknown
    for code in unknown:
        for prefix, sentence in (("", "이 항목은 아직 확인된 자료가 없습니다."), ("en/", "No verified data for this dimension yet.")):
            part = section((built_site / prefix / "countries" / code / "index.html").read_text(encoding="utf-8"), "dim-energy")
            assert "<table" not in part and f'<p class="unknown">{sentence}</p>' in part, (code, prefix)
    # A country with energy facts still gets its table.
    known = next(c.code for c in ds.countries if isinstance(c.facts.get("energy"), list) and c.facts["energy"])
    assert "<table" in section((built_site / "countries" / known / "index.html").read_text(encoding="utf-8"), "dim-energy")


def test_the_compute_tables_dash_is_explained_next_to_it(built_site: Path) -> None:
    for prefix, key in (("", "표의 ‘–’ 표시는"), ("en/", "– means the item has no such figure")):
        part = section((built_site / prefix / "countries" / "kr" / "index.html").read_text(encoding="utf-8"), "dim-compute")
        table_end = part.index("</table>")
        assert key in part[table_end:], prefix  # right under the table that shows the dash
        assert re.search(r'<td class="num"[^>]*>–</td>', part[:table_end])


@pytest.mark.browser
def test_the_glossarys_other_language_term_is_readable(page, site_url: str) -> None:
    page.goto(f"{site_url}/glossary/")
    sizes = page.locator("dl.glossary dt .alt-name").evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 14, sizes  # it was about 9 px
