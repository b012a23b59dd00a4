"""The EU as a layer, not a country: member pages show its rules, it is marked among countries, its money is never counted twice."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import copy_project, run_cli

from sovereign_site import indicators
from sovereign_site.data.dataset import load_dataset

MEMBERS = ("fr", "de")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, anchor: str) -> str:
    start = html.index(f'aria-labelledby="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_member_pages_show_the_eu_panel_in_both_languages(built_site: Path) -> None:
    for code in MEMBERS:
        for prefix, heading in (("", "유럽연합 규칙도 적용됩니다"), ("en/", "Also bound by European Union rules")):
            html = (built_site / prefix / "countries" / code / "index.html").read_text(encoding="utf-8")
            panel = section(html, "layer-eu")
            assert heading in text_of(panel)
            # It links to the EU page, and names the AI Act with a date.
            assert f'href="/{prefix}countries/eu/"' in panel
            assert re.search(r'href="/' + prefix + r'countries/eu/#item-eu-[a-z0-9-]+"', panel)
            assert re.search(r"<li><a [^>]+>[^<]*(Artificial Intelligence Act|인공지능법|AI법)[^<]*</a> <span class=\"when\">\(", panel)
    # A country outside the EU has no such panel.
    for code in ("kr", "us", "gb"):
        assert 'id="layer-eu"' not in (built_site / "countries" / code / "index.html").read_text(encoding="utf-8")


def test_eu_page_lists_its_members_and_is_marked_supranational(built_site: Path) -> None:
    html = (built_site / "en" / "countries" / "eu" / "index.html").read_text(encoding="utf-8")
    members = section(html, "layer-members")
    for code in MEMBERS:
        assert f'href="/en/countries/{code}/"' in members
    assert "/countries/kr/" not in members
    # Among countries the EU carries its mark: the overview matrix, the country list, an indicator table.
    for page in ("en/compare/index.html", "en/countries/index.html", "en/compare/indicators/public-ai-spending/index.html"):
        page_html = (built_site / page).read_text(encoding="utf-8")
        marks = [m.start() for m in re.finditer(r'<span class="layer-mark"[^>]*>supranational</span>', page_html)]
        assert marks, page
        for at in marks:  # only the EU is marked, right after its name
            assert re.search(r"European Union(</a>)?\s*$", page_html[at - 40 : at]), (page, page_html[at - 80 : at])
    indicator = (built_site / "compare" / "indicators" / "public-ai-spending" / "index.html").read_text(encoding="utf-8")
    assert "같은 돈이 두 번 세어지지 않습니다" in indicator


def test_eu_money_is_not_counted_in_member_states(tmp_path: Path) -> None:
    """Members' indicator values are the same with or without the EU file: EU money lives only in eu.yaml."""
    with_eu = load_dataset(copy_project(tmp_path / "a", essays=False) / "content")
    without = copy_project(tmp_path / "b", essays=False)
    (without / "content" / "countries" / "eu.yaml").unlink()
    without_eu = load_dataset(without / "content")
    assert "eu" in with_eu.by_code and "eu" not in without_eu.by_code
    assert without_eu.report.warnings  # the members' member_of now names a missing layer
    for indicator in with_eu.indicators:
        for code in MEMBERS:
            a = indicators.compute(with_eu, indicator, with_eu.by_code[code])
            b = indicators.compute(without_eu, indicator, without_eu.by_code[code])
            assert (a.amount, a.category, a.inputs) == (b.amount, b.category, b.inputs), (indicator.id, code)
    # No funding item of a member state is part of an EU item (a cross-file part_of would add them).
    eu_ids = {f.id for f in with_eu.by_code["eu"].funding}
    for code in MEMBERS:
        assert not {f.part_of for f in with_eu.by_code[code].funding} & eu_ids


def test_member_of_must_name_a_supranational_layer(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    de = project / "content" / "countries" / "de.yaml"
    text = de.read_text(encoding="utf-8")
    assert "member_of: [eu]" in text
    de.write_text(text.replace("member_of: [eu]", "member_of: [fr]"), encoding="utf-8")
    line = text.splitlines().index("member_of: [eu]") + 1
    result = run_cli("validate", "--project", str(project))
    assert result.returncode == 1
    assert f"content/countries/de.yaml:{line}:" in result.stderr
    assert "member_of.0: 'fr' is not a supranational layer" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_layer_is_a_warning_that_strict_refuses(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    (project / "content" / "countries" / "eu.yaml").unlink()
    out = tmp_path / "out"
    built = run_cli("build", "--project", str(project), "--output", str(out), "--no-search")
    assert built.returncode == 0, built.stderr
    assert "member_of.0: 'eu' is not in this dataset" in built.stderr
    assert 'id="layer-eu"' not in (out / "countries" / "fr" / "index.html").read_text(encoding="utf-8")
    strict = run_cli("validate", "--project", str(project), "--strict")
    assert strict.returncode == 1


def test_a_system_both_a_layer_and_its_member_count_is_counted_once(tmp_path: Path) -> None:
    """JUPITER is in the EU's file and Germany's: Germany's GPUs in operation count it, the EU's leave it out."""
    ds = load_dataset(copy_project(tmp_path / "p", essays=False) / "content")
    (indicator,) = [i for i in ds.indicators if i.method == "compute-operating-vs-planned"]
    eu = indicators.compute(ds, indicator, ds.by_code["eu"])
    de = indicators.compute(ds, indicator, ds.by_code["de"])
    assert "jupiter" in de.inputs and "jupiter" not in eu.inputs
    assert "lumi" in eu.inputs  # a system outside any member in the dataset stays the EU's


def test_counted_in_must_name_a_member(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    eu = project / "content" / "countries" / "eu.yaml"
    text = eu.read_text(encoding="utf-8")
    eu.write_text(text.replace("    counted_in: de\n", "    counted_in: kr\n"), encoding="utf-8")
    line = text.splitlines().index("    counted_in: de") + 1
    result = run_cli("validate", "--project", str(project))
    assert result.returncode == 1
    assert f"content/countries/eu.yaml:{line}:" in result.stderr and "'kr' is not a member of 'eu'" in result.stderr
