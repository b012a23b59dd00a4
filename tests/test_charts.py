"""Tests of the inline SVG charts: structure, accessibility, escaping, values, scale."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import typing
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry
import pytest
from conftest import need
from markupsafe import escape

from sovereign_site import charts
from sovereign_site import format as fmt
from sovereign_site.data.dataset import Dataset, load_dataset
from sovereign_site.data.schema import (
    CODE_PATTERN,
    Archetype,
    Compute,
    Country,
    FoundationModel,
    Funding,
    Fx,
    FxRate,
    Milestone,
    Names,
)
from sovereign_site.data.yamlload import load

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "templates" / "static" / "css" / "charts.css"
XSS_DIR = ROOT.parent / "shared" / "testdata" / "xss"
NS = "{http://www.w3.org/2000/svg}"
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
#: Every element a chart may contain; anything else (script, foreignObject, a, image…) is a failure.
ALLOWED_TAGS = {"svg", "title", "desc", "defs", "pattern", "line", "rect", "circle", "path", "text", "g"}
LANGS = ("ko", "en")
PAYLOADS = ["<script>alert(1)</script>", '"><svg onload=alert(1)>']


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(ROOT / "content")


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def every_chart(ds: Dataset, lang: str) -> list[charts.Chart]:
    """The five cross-country charts plus each country's own timeline."""
    return charts.all_charts(ds, lang) + [charts.timeline_chart(ds, lang, [c]) for c in ds.countries]


def texts(root: ET.Element, cls: str | None = None) -> Iterator[str]:
    """The visible text of every <text> element (without its tooltip), optionally of one class."""
    for el in root.iter(f"{NS}text"):
        if cls is None or cls in (el.get("class") or "").split():
            yield (el.text or "") + "".join((child.tail or "") for child in el)


def all_text(root: ET.Element) -> str:
    return "\n".join("".join(el.itertext()) for el in root.iter())


def classes(root: ET.Element) -> set[str]:
    return {c for el in root.iter() for c in (el.get("class") or "").split()}


def funding(
    ident: str,
    amount: float | str,
    *,
    currency: str = "KRW",
    period: str = "2025",
    sector: str = "public",
    bound: str = "exact",
    label: str = "Budget",
    amount_max: float | None = None,
) -> Funding:
    return Funding.model_validate(
        {
            "id": ident,
            "label": {"ko": f"{label} 예산", "en": label},
            "amount": amount,
            "bound": bound,
            "amount_max": amount_max,
            "currency": currency,
            "period": period,
            "sector": sector,
            "sources": ["s"],
        }
    )


def compute(
    ident: str,
    *,
    gpus: int | str | None = None,
    petaflops: float | None = None,
    status: str = "plan",
    kind: str = "gpu-plan",
    bound: str = "exact",
) -> Compute:
    return Compute.model_validate(
        {
            "id": ident,
            "kind": kind,
            "label": {"ko": f"{ident} GPU", "en": f"{ident} GPUs"},
            "status": status,
            "gpus": gpus,
            "petaflops": petaflops,
            "bound": bound,
            "sector": "public",
            "date": "2025-09",
            "sources": ["s"],
        }
    )


def model(
    ident: str,
    total: float | str,
    *,
    active: float | None = None,
    origin: str = "from-scratch",
    status: str = "released",
    released: str = "2025-06",
    name: str | None = None,
) -> FoundationModel:
    return FoundationModel.model_validate(
        {
            "id": ident,
            "name": name or ident.upper(),
            "organisation": "Lab",
            "params_total": total,
            "params_active": active,
            "architecture": "moe" if active else "dense",
            "origin": origin,
            "base_model": "Base" if origin == "derived" else None,
            "released": released,
            "status": status,
            "sources": ["s"],
        }
    )


def milestone(ident: str, date: str, label: str = "Milestone") -> Milestone:
    return Milestone.model_validate({"id": ident, "date": date, "label": {"ko": f"{label} 사건", "en": label}, "sources": ["s"]})


def archetype(state_led: float, builds: float, label: str = "Aspirant") -> Archetype:
    return Archetype.model_validate(
        {
            "id": "full-stack-aspirant",
            "label": {"ko": f"{label} 유형", "en": label},
            "justification": {"ko": "우리의 판단", "en": "Our judgment"},
            "state_led": state_led,
            "builds_stack": builds,
        }
    )


def country(base: Dataset, code: str, name_en: str, name_ko: str, **update: Any) -> Country:
    """A Country made from a shipped one with ``model_copy``, with every dimension replaced."""
    fields: dict[str, Any] = {
        "code": code,
        "names": Names(ko=name_ko, en=name_en),
        "funding": [],
        "compute": [],
        "models": [],
        "timeline": [],
        "archetype": archetype(0.1, 0.2),
    }
    fields.update(update)
    return base.countries[0].model_copy(update=fields)


def dataset(base: Dataset, countries: list[Country], fx: Fx | None = None) -> Dataset:
    return Dataset(countries, base.dimensions, fx or base.fx, base.glossary)


def fixed_fx(base: Dataset) -> Fx:
    return Fx(rates=[FxRate(currency="KRW", year=2025, per_usd=1400, source=base.fx.sources[0].id)], sources=base.fx.sources)


def valid_codes(n: int) -> list[str]:
    """``n`` distinct codes that pass the dataset's checks: ISO 3166-1 first, then ISO 3166-2."""
    codes = sorted(c.alpha_2.lower() for c in pycountry.countries)
    if n > len(codes):
        subs = sorted(s.code.lower() for s in pycountry.subdivisions)
        codes += [c for c in subs if re.match(CODE_PATTERN, c)]
    assert len(codes) >= n
    return codes[:n]


def synthetic(base: Dataset, n: int) -> Dataset:
    """``n`` countries, each with funding, compute, models, milestones and an archetype."""
    out = []
    for i, code in enumerate(valid_codes(n)):
        out.append(
            country(
                base,
                code,
                f"Country {i}",
                f"나라{i}",
                funding=[
                    funding("budget", 1e11 * (1 + i % 37)),
                    funding("pledge", 3e12 * (1 + i % 5), sector="private"),
                ],
                compute=[
                    compute("plan", gpus=1000 * (1 + i % 50)),
                    compute("pf", petaflops=10.0 + i, status="operational", kind="supercomputer"),
                ],
                models=[model("m", 1e9 * (1 + i % 300), released=f"{2019 + i % 7}-0{1 + i % 9}")],
                timeline=[milestone("a", f"{2017 + i % 9}-03"), milestone("b", f"{2018 + i % 8}-11-0{1 + i % 9}")],
                archetype=archetype(((i * 37) % 201 - 100) / 100, ((i * 53) % 201 - 100) / 100),
            )
        )
    return dataset(base, out)


# --- structure and accessibility ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_well_formed_and_accessible(ds: Dataset, lang: str) -> None:
    found = every_chart(ds, lang)
    assert [c.id for c in found[:5]] == ["funding", "compute", "models", "timeline", "archetypes"]
    for chart in found:
        svg = str(chart.svg)
        root = parse(chart)  # raises on malformed XML
        assert root.tag == f"{NS}svg"
        assert root.get("role") == "img"
        ids = root.get("aria-labelledby", "").split()
        assert ids == [f"{chart.id}-title", f"{chart.id}-desc"]
        children = {el.get("id"): el for el in root}
        assert children[ids[0]].tag == f"{NS}title" and children[ids[0]].text == chart.title
        assert children[ids[1]].tag == f"{NS}desc" and children[ids[1]].text == chart.desc
        view_box = [float(v) for v in (root.get("viewBox") or "").split()]
        assert len(view_box) == 4 and 640 <= view_box[2] <= 720 and view_box[3] > 0
        assert root.get("width") is None and root.get("height") is None, "the chart must scale to its container"
        assert "style=" not in svg and "<script" not in svg.lower()
        for el in root.iter():
            assert el.tag.removeprefix(NS) in ALLOWED_TAGS, el.tag
            assert "style" not in el.attrib
            assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
        # Colours come from classes, so dark mode and print can restyle them.
        assert not re.search(r'(fill|stroke)="#', svg)
        assert all(len(row) == len(chart.columns) for row in chart.rows), chart.id
        assert chart.title and chart.desc and chart.notes


@pytest.mark.parametrize("lang", LANGS)
def test_ids_are_unique_across_a_page(ds: Dataset, lang: str) -> None:
    ids = [el.get("id") for chart in every_chart(ds, lang) for el in parse(chart).iter() if el.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(i.startswith(("funding-", "compute-", "models-", "timeline-", "archetypes-")) for i in ids)


def test_korean_charts_speak_korean_and_english_charts_do_not(ds: Dataset) -> None:
    for chart in every_chart(ds, "ko"):
        root = parse(chart)
        assert HANGUL.search(chart.title) and HANGUL.search(chart.desc)
        assert all(HANGUL.search(" ".join(c)) for c in [chart.columns, chart.notes])
        labels = list(texts(root, "axis")) + list(texts(root, "legend"))
        if labels:
            assert any(HANGUL.search(t) for t in labels), chart.id
    for chart in every_chart(ds, "en"):
        root = parse(chart)
        for text in [chart.title, chart.desc, *chart.columns, *chart.notes]:
            assert not HANGUL.search(text), text
        for cls in ("axis", "tick", "legend"):
            for text in texts(root, cls):
                assert not HANGUL.search(text), (chart.id, text)


def test_funding_chart_axes_say_log_scale(ds: Dataset) -> None:
    assert any("log" in t for t in texts(parse(charts.funding_chart(ds, "en")), "axis"))
    assert any("로그" in t for t in texts(parse(charts.funding_chart(ds, "ko")), "axis"))


def test_every_class_is_styled_and_the_stylesheet_has_dark_and_print(ds: Dataset) -> None:
    css = CSS.read_text(encoding="utf-8")
    used: set[str] = set()
    for lang in LANGS:
        for chart in every_chart(ds, lang) + every_chart(synthetic(ds, 40), lang):
            used |= classes(parse(chart))
    missing = sorted(c for c in used if not c.startswith("chart-") and not re.search(rf"\.{re.escape(c)}(?![\w-])", css))
    assert not missing, f"classes used by charts but not in charts.css: {missing}"
    assert {f"c{i}" for i in range(8)} <= used
    assert "@media (prefers-color-scheme: dark)" in css and "@media print" in css
    for i in range(8):
        assert css.count(f"--chart-c{i}:") >= 2, f"--chart-c{i} needs a light and a dark value"


def test_output_is_deterministic(ds: Dataset) -> None:
    for lang in LANGS:
        first = [(c.svg, c.rows, c.notes) for c in every_chart(ds, lang)]
        again = [(c.svg, c.rows, c.notes) for c in every_chart(load_dataset(ROOT / "content"), lang)]
        assert first == again


def test_message_catalogue_is_complete() -> None:
    keys = charts.message_keys()
    catalogue = charts.base._catalogue()
    for key in keys:
        entry = catalogue[key]
        assert set(entry) == {"ko", "en"}, key
        assert entry["ko"].strip() and entry["en"].strip(), key
        placeholders = {lang: set(re.findall(r"\{(\w+)\}", entry[lang])) for lang in LANGS}
        assert placeholders["ko"] == placeholders["en"], key
    # Every literal key the module asks for exists ...
    code = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sovereign_site" / "charts").glob("*.py")))
    short = {key.removeprefix("charts.") for key in keys}
    literal = set(re.findall(r'_t\(\s*"([a-z_.-]+)"\s*[,)]', code))
    assert literal and literal <= short, sorted(literal - short)
    # ... and so does every key built from a dataset value.
    for prefix, model_cls, name in [
        ("sector.", Funding, "sector"),
        ("kind.", Compute, "kind"),
        ("status.", Compute, "status"),
        ("origin.", FoundationModel, "origin"),
        ("arch.", FoundationModel, "architecture"),
        ("model_status.", FoundationModel, "status"),
    ]:
        values = typing.get_args(model_cls.model_fields[name].annotation)
        for value in values:
            if value != "unknown":
                assert prefix + value in short, prefix + value


def test_message_keys_cannot_clash_with_other_message_files() -> None:
    keys = set(charts.message_keys())
    assert all(key.startswith("charts.") for key in keys)
    for other in sorted((ROOT / "templates" / "messages").glob("*.yaml")):
        if other.name != "charts.yaml":
            data = load(other).data or {}
            assert not keys & set(data), (other.name, sorted(keys & set(data)))


# --- escaping ---------------------------------------------------------------------------------


def hostile_dataset(base: Dataset, payload: str) -> Dataset:
    """Every text a chart takes from the data set to ``payload``."""
    text = archetype(0, 0, payload).label.model_copy(update={"ko": payload, "en": payload})
    hostile = country(
        base,
        "kr",
        payload,
        payload,
        funding=[funding("f", 1e12).model_copy(update={"label": text, "note": text})],
        compute=[compute("c", gpus=5000).model_copy(update={"label": text, "note": text})],
        models=[model("m", 5e10, name=payload).model_copy(update={"organisation": payload})],
        timeline=[milestone("t", "2024-05-01", payload)],
        archetype=archetype(0.3, 0.4, payload),
    )
    plain = country(base, "jp", "Japan", "일본", funding=[funding("g", 2e12)], timeline=[milestone("u", "2021")])
    return dataset(base, [hostile, plain])


def check_inert(chart: charts.Chart, payload: str) -> None:
    svg = str(chart.svg)
    root = parse(chart)  # still well-formed
    for el in root.iter():
        assert el.tag.removeprefix(NS) in ALLOWED_TAGS, el.tag
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
        assert not any("javascript:" in value.lower() for value in el.attrib.values())
    if any(ch in payload for ch in "<>&\"'"):
        assert payload not in svg, "the payload reached the SVG unescaped"
    assert "<script" not in svg.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("lang", LANGS)
def test_data_strings_are_escaped(ds: Dataset, payload: str, lang: str) -> None:
    hostile = hostile_dataset(ds, payload)
    for chart in [*charts.all_charts(hostile, lang), charts.timeline_chart(hostile, lang, [hostile.countries[0]])]:
        check_inert(chart, payload)
        # The payload is shown as text (escaped in the markup, readable once parsed) ...
        assert str(escape(payload))[:12] in str(chart.svg), chart.id
        assert payload in all_text(parse(chart)), chart.id
        # ... and is handed to the template verbatim in the table, for the template to escape.
        assert any(payload in cell for row in chart.rows for cell in row), chart.id


def test_payload_corpus_is_inert(ds: Dataset) -> None:
    corpus = XSS_DIR / "html-xss-payloads.txt"
    need(corpus.exists(), f"payload corpus not found at {corpus} (it lives in ../shared beside the repository)")
    payloads = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert payloads
    for payload in payloads:
        hostile = hostile_dataset(ds, payload.strip())
        for lang in LANGS:
            for chart in charts.all_charts(hostile, lang):
                check_inert(chart, payload.strip())


# --- values -----------------------------------------------------------------------------------


def three_significant(value: float) -> float:
    return float(f"{value:.3g}")


#: Dollar columns worked out by hand at ₩1,400 = $1 (2025): 10.1T / 1,400 = 7,214,285,714; 1.46T / 1,400 = 1,042,857,143.
FUNDING_USD = {
    "ko": {"a": "약 72억 1,000만 달러", "b": "최대 약 10억 4,000만 달러", "c": "527억 달러"},
    "en": {"a": "about $7.21 billion", "b": "up to about $1.04 billion", "c": "$52.7 billion"},
}


@pytest.mark.parametrize("lang", LANGS)
def test_funding_usd_values_match_the_exchange_rate(ds: Dataset, lang: str) -> None:
    kr = country(
        ds, "kr", "South Korea", "대한민국", funding=[funding("a", "10.1T"), funding("b", "1.46T", sector="private", bound="up-to")]
    )
    us = country(ds, "us", "United States", "미국", funding=[funding("c", "52.7B", currency="USD")])
    source = ds.fx.sources[0].id
    fx = Fx(
        rates=[FxRate(currency="KRW", year=2025, per_usd=1400, source=source), FxRate(currency="USD", year=2025, per_usd=1, source=source)],
        sources=ds.fx.sources,
    )
    chart = charts.funding_chart(dataset(ds, [kr, us], fx), lang)
    # Every bar carries the dollar value it was drawn from.
    bars = {el.get("data-value") for el in parse(chart).iter(f"{NS}rect") if el.get("data-value")}
    assert bars == {"7214285714", "1042857143", "52700000000"}
    usd_column = sorted(row[5] for row in chart.rows)
    assert usd_column == sorted(FUNDING_USD[lang].values())
    rate_column = {row[6] for row in chart.rows}
    assert rate_column == ({"—", "1달러 = 1,400 KRW(2025년 평균)"} if lang == "ko" else {"—", "1,400 KRW per US dollar (2025 average)"})


def test_funding_label_gives_original_conversion_and_rate_year(ds: Dataset) -> None:
    kr = country(ds, "kr", "South Korea", "대한민국", funding=[funding("b", "10.1T", period="2026")])
    fixed = dataset(ds, [kr], fixed_fx(ds))
    en = charts.funding_chart(fixed, "en")
    ko = charts.funding_chart(fixed, "ko")
    # 10.1 trillion won at 1,400 won to the dollar (the 2025 rate, the nearest to 2026) is $7.21 billion.
    assert "₩10.1 trillion (about $7.21 billion, 2025 rate)" in texts_joined(en)
    assert "10조 1,000억 원(약 72억 1,000만 달러, 2025년 환율)" in texts_joined(ko)
    assert en.rows == [
        [
            "South Korea",
            "Budget",
            "public",
            "2026",
            "₩10.1 trillion",
            "about $7.21 billion",
            "1,400 KRW per US dollar (2025 average)",
            "",
        ]
    ]
    assert any("1,400 KRW per US dollar (2025 average)" in note for note in en.notes)
    rect = next(el for el in parse(en).iter(f"{NS}rect") if el.get("data-value"))
    assert rect.get("data-value") == str(round(10.1e12 / 1400))


def texts_joined(chart: charts.Chart) -> str:
    return "\n".join(texts(parse(chart)))


def test_funding_bars_follow_a_log_scale(ds: Dataset) -> None:
    kr = country(ds, "kr", "Korea", "한국", funding=[funding(f"f{i}", 1.4e9 * 10**i) for i in range(4)])
    chart = charts.funding_chart(dataset(ds, [kr], fixed_fx(ds)), "en")
    bars = sorted(
        (float(el.get("data-value", 0)), float(el.get("width", 0))) for el in parse(chart).iter(f"{NS}rect") if el.get("data-value")
    )
    assert [round(v) for v, _ in bars] == [10**6, 10**7, 10**8, 10**9]
    # Each tenfold step adds the same length: the bars are on a log scale.
    steps = [b[1] - a[1] for a, b in itertools.pairwise(bars)]
    assert min(steps) > 0 and max(steps) - min(steps) < 0.5


def test_public_and_private_funding_are_drawn_apart(ds: Dataset) -> None:
    kr = country(ds, "kr", "Korea", "한국", funding=[funding("pub", 1e12), funding("priv", 5e12, sector="private")])
    chart = charts.funding_chart(dataset(ds, [kr]), "en")
    root = parse(chart)
    rects = {el.get("class"): el for el in root.iter(f"{NS}rect") if el.get("data-value")}
    assert set(rects) == {"bar public soft", "bar private soft"}  # no status given: not firm
    assert rects["bar public soft"].get("fill") is None
    assert rects["bar private soft"].get("fill") == "url(#funding-hatch)"
    assert root.find(f".//{NS}pattern[@id='funding-hatch']") is not None
    legend = list(texts(root, "legend"))
    assert "Public money" in legend and "Private or foreign pledge (hatched)" in legend


@pytest.mark.parametrize(
    ("bound", "glyph", "legend"),
    [
        ("up-to", "≤", "up to (upper bound)"),
        ("more-than", "+", "more than, at least (lower bound)"),
    ],
)
def test_bounds_are_marked(ds: Dataset, bound: str, glyph: str, legend: str) -> None:
    kr = country(
        ds,
        "kr",
        "Korea",
        "한국",
        funding=[funding("f", 1e12, bound=bound)],
        compute=[compute("c", gpus=260000, bound=bound, status="announced")],
    )
    fixed = dataset(ds, [kr])
    for chart in (charts.funding_chart(fixed, "en"), charts.compute_chart(fixed, "en")):
        root = parse(chart)
        values = list(texts(root, "value"))
        assert any(v.startswith(f"{glyph} ") for v in values), values
        assert legend in list(texts(root, "legend"))
        assert any(glyph in note for note in chart.notes)
    exact = charts.funding_chart(dataset(ds, [country(ds, "kr", "Korea", "한국", funding=[funding("f", 1e12)])]), "en")
    assert not any(v.startswith(("≤", "+")) for v in texts(parse(exact), "value"))


def test_compute_keeps_plans_apart_from_deliveries(ds: Dataset) -> None:
    kr = country(
        ds,
        "kr",
        "Korea",
        "한국",
        compute=[
            compute("plan", gpus=50000),
            compute("got", gpus=13000, status="delivered", kind="gpu-delivery"),
            compute("super", petaflops=614.0, status="operational", kind="supercomputer"),
            compute("nope", gpus="unknown"),
        ],
    )
    chart = charts.compute_chart(dataset(ds, [kr]), "en")
    root = parse(chart)
    bars = {el.get("data-value"): el for el in root.iter(f"{NS}rect") if el.get("data-value")}
    assert bars["50000"].get("class") == "bar planned" and bars["50000"].get("fill") == "url(#compute-hatch)"
    assert bars["13000"].get("class") == "bar delivered" and bars["13000"].get("fill") is None
    assert bars["614"].get("class") == "bar delivered"
    assert "614 PFLOPS" in list(texts(root, "value"))
    assert any(r[1] == "nope GPUs" and r[4] == "unknown" for r in chart.rows)
    assert charts.base._t("chart.note.unknown", "en", n="1") in chart.notes


def test_models_chart_marks(ds: Dataset) -> None:
    kr = country(
        ds,
        "kr",
        "Korea",
        "한국",
        models=[
            model("moe", 519e9, active=33e9, name="Big MoE"),
            model("derived", 32e9, origin="derived", name="Child"),
            model("plan", 300e9, status="planned", released="2026-12", name="Future"),
            model("secret", "unknown", name="Secret"),
            model("undated", 7e9, released="unknown", name="Undated"),
        ],
    )
    chart = charts.models_chart(dataset(ds, [kr]), "en")
    root = parse(chart)
    marks = [el for el in root.iter() if "mk" in (el.get("class") or "").split() and "swatch" not in el.get("class", "")]
    assert len(marks) == 3, "unknown parameters or release dates are not plotted"
    cls = [set(m.get("class", "").split()) for m in marks]
    assert sum("hollow" in c for c in cls) == 1 and sum("planned" in c for c in cls) == 1
    assert (
        len([el for el in root.iter(f"{NS}line") if "moe" in el.get("class", "").split() and "swatch" not in el.get("class", "")]) == 2
    )  # the stem and its end tick
    shown = all_text(root)
    assert "Secret" not in shown and "Undated" not in shown
    secret = next(r for r in chart.rows if r[1] == "Secret")
    assert secret[3] == "unknown"
    assert any("Parameters" in t and "log" in t for t in texts(root, "axis"))


def test_timeline_uses_the_data_date_not_the_clock(ds: Dataset) -> None:
    checked = dt.date(2025, 6, 30)  # a date that is not today, so the clock cannot pass for it
    kr = country(ds, "kr", "Korea", "한국", as_of=checked, timeline=[milestone("a", "2024-05-01")])
    data = dataset(ds, [kr])
    assert data.as_of == checked
    for chart in (charts.timeline_chart(data, "en"), charts.timeline_chart(data, "en", [kr])):
        assert f"As of {fmt.date(checked, 'en')}" in texts_joined(chart)
    chart = charts.timeline_chart(ds, "en")
    assert f"As of {fmt.date(ds.as_of, 'en')}" in texts_joined(chart)
    later = charts.timeline_chart(ds, "en", today=dt.date(2030, 6, 1))
    assert f"As of {fmt.date(dt.date(2030, 6, 1), 'en')}" in texts_joined(later)
    years = [t for t in texts(parse(chart), "tick")]
    assert years[0] == "2017"


def test_country_timeline_labels_every_milestone(ds: Dataset) -> None:
    kr = country(
        ds,
        "kr",
        "Korea",
        "한국",
        timeline=[
            milestone("a", "2019-12", "Strategy announced"),
            milestone("b", "2024-12-26", "Act passed"),
            milestone("c", "2012", "Old plan"),
        ],
    )
    other = country(ds, "jp", "Japan", "일본", timeline=[milestone("d", "2023", "Hiroshima process")])
    data = dataset(ds, [kr, other])
    chart = charts.timeline_chart(data, "en", [kr])
    assert chart.id == "timeline-kr"
    assert parse(chart).get("aria-labelledby") == "timeline-kr-title timeline-kr-desc"
    shown = texts_joined(chart)
    for label in ("Strategy announced", "Act passed", "Old plan"):
        assert label in shown
    assert "Hiroshima" not in shown
    assert [r[2] for r in chart.rows] == ["Old plan", "Strategy announced", "Act passed"]
    # 2012 is before the axis: drawn as an arrowhead at the edge and explained in a note.
    assert any("outside the axis" in n for n in chart.notes)
    assert sum(1 for el in parse(chart).iter(f"{NS}path")) == 1
    both = charts.timeline_chart(data, "en")
    assert len([el for el in parse(both).iter(f"{NS}line") if el.get("class") == "lane"]) == 2


def test_archetype_chart_places_and_labels(ds: Dataset) -> None:
    kr = country(ds, "kr", "Korea", "한국", archetype=archetype(0.5, 0.6, "Full-stack aspirant"), funding=[funding("f", 1e12)])
    us = country(ds, "us", "United States", "미국", archetype=archetype(-0.7, 0.95, "Full-stack leader"))
    unknown = country(ds, "jp", "Japan", "일본", archetype="unknown")
    chart = charts.archetype_chart(dataset(ds, [kr, us, unknown]), "en")
    root = parse(chart)
    dots = [el for el in root.iter(f"{NS}circle") if "mk" in el.get("class", "")]
    assert len(dots) == 2
    shown = texts_joined(chart)
    for label in ("Korea", "United States", "Full-stack aspirant", "Full-stack leader"):
        assert label in shown
    # Korea is right of centre (state-led) and above it (builds); the US is left and higher.
    by_title = {("".join(d.itertext())).split(":")[0]: (float(d.get("cx", 0)), float(d.get("cy", 0))) for d in dots}
    (kx, ky), (ux, uy) = by_title["Korea"], by_title["United States"]
    assert ux < 320 < kx and uy < ky < 336
    assert any("our analysis" in n for n in chart.notes)
    assert ["Japan", "unknown", "—", "—", ""] in chart.rows


# --- unknown, empty, single ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_and_empty_dimensions(ds: Dataset, lang: str) -> None:
    nothing = country(
        ds,
        "kr",
        "Korea",
        "한국",
        funding="unknown",
        compute=[],
        models="unknown",
        timeline="unknown",
        archetype="unknown",
    )
    some = country(
        ds,
        "jp",
        "Japan",
        "일본",
        funding=[funding("f", "unknown"), funding("g", 2e12)],
        compute="unknown",
        models=[],
        timeline=[],
        archetype=archetype(0, 0),
    )
    data = dataset(ds, [nothing, some])
    unknown, none = fmt.unknown(lang), ("없음" if lang == "ko" else "none recorded")
    for chart in [*charts.all_charts(data, lang), charts.timeline_chart(data, lang, [nothing])]:
        parse(chart)
        assert chart.rows, chart.id
    funding_rows = charts.funding_chart(data, lang).rows
    assert any(r[0] == getattr(nothing.names, lang) and r[1] == unknown for r in funding_rows)
    assert any(r[0] == getattr(some.names, lang) and r[4] == unknown for r in funding_rows)
    assert any(r[1] == none for r in charts.compute_chart(data, lang).rows)
    assert any(r[1] == unknown for r in charts.compute_chart(data, lang).rows)
    assert any(r[1] == unknown for r in charts.models_chart(data, lang).rows)
    assert any(r[2] == unknown for r in charts.timeline_chart(data, lang).rows)
    own = charts.timeline_chart(data, lang, [nothing])
    assert any(HANGUL.search(t) if lang == "ko" else "No data" in t for t in texts(parse(own)))
    # Only the one known funding figure is drawn.
    assert len([el for el in parse(charts.funding_chart(data, lang)).iter(f"{NS}rect") if el.get("data-value")]) == 1


def test_a_dataset_with_one_country(ds: Dataset) -> None:
    one = dataset(ds, [ds.countries[0]])
    for lang in LANGS:
        for chart in every_chart(one, lang):
            parse(chart)
            assert all(row[0] == getattr(ds.countries[0].names, lang) for row in chart.rows)


def test_unsupported_language_is_refused(ds: Dataset) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        charts.funding_chart(ds, "fr")


# --- scale ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sixty(ds: Dataset) -> Dataset:
    return synthetic(ds, 60)


@pytest.mark.parametrize("lang", LANGS)
def test_sixty_countries_stay_readable(sixty: Dataset, lang: str) -> None:
    found = {c.id: c for c in charts.all_charts(sixty, lang)}
    others = charts.base._t("chart.others", lang, n=60 - charts.base.TOP_N)
    for chart in found.values():
        assert len(str(chart.svg)) < 60_000, (chart.id, len(str(chart.svg)))
        parse(chart)
    for key in ("funding", "compute"):
        assert others in list(texts(parse(found[key]), "strong")), key
    # The table still lists every country.
    assert len({r[0] for r in found["funding"].rows}) == 60
    # TOP_N labelled countries in the bar charts: their headings plus "others".
    headings = [t for t in texts(parse(found["funding"]), "strong")]
    assert len(headings) == charts.base.TOP_N + 1
    # The timeline caps its lanes: 19 countries and one "others" lane.
    lanes = [el for el in parse(found["timeline"]).iter(f"{NS}line") if el.get("class") == "lane"]
    assert len(lanes) == charts.base.MAX_LANES
    assert charts.base._t("chart.others", lang, n=41) in list(texts(parse(found["timeline"]), "strong"))
    # The models chart and the archetype chart say what they left out.
    rest = str(60 - charts.base.TOP_N)
    assert any(rest in n for n in found["models"].notes)
    assert any(rest in n for n in found["archetypes"].notes)
    labelled = [el for el in parse(found["archetypes"]).iter(f"{NS}circle") if el.find(f"{NS}title") is not None]
    assert len(labelled) == charts.base.TOP_N


def test_size_grows_at_most_linearly(ds: Dataset, sixty: Dataset) -> None:
    double = synthetic(ds, 120)
    for lang in LANGS:
        for small, big in zip(charts.all_charts(sixty, lang), charts.all_charts(double, lang), strict=True):
            svg_small, svg_big = len(str(small.svg)), len(str(big.svg))
            assert svg_big <= 2.2 * svg_small, (small.id, svg_small, svg_big)
            table_small = sum(len(cell) for row in small.rows for cell in row)
            table_big = sum(len(cell) for row in big.rows for cell in row)
            assert table_big <= 2.2 * table_small, (small.id, table_small, table_big)


def test_a_thousand_countries_keep_each_chart_small(ds: Dataset) -> None:
    thousand = synthetic(ds, 1000)
    for chart in charts.all_charts(thousand, "en"):
        size = len(str(chart.svg).encode())
        assert size < 60_000, (chart.id, size)
        parse(chart)


def test_log_scale_helper_covers_values() -> None:
    scale = charts.svg._LogScale.around([70e6, 500e9], 0, 100)
    assert scale.lo == 1e7 and scale.hi == 1e12
    assert scale(1e7) == 0 and scale(1e12) == 100
    assert math.isclose(scale(1e9), 40)
    # An exact power of ten still gets a visible bar.
    assert charts.svg._LogScale.around([1e9, 5e9], 0, 100).lo == 1e8


def test_a_range_is_drawn_as_a_whisker(ds: Dataset) -> None:
    kr = country(ds, "kr", "Korea", "한국", funding=[funding("r", 2e12, amount_max=2.5e12)])
    chart = charts.funding_chart(dataset(ds, [kr], fixed_fx(ds)), "en")
    root = parse(chart)
    assert len([el for el in root.iter(f"{NS}line") if el.get("class") == "range"]) == 2
    assert "₩2 trillion–2.5 trillion" in texts_joined(chart)
    # 2T / 1,400 = 1,428,571,429 and 2.5T / 1,400 = 1,785,714,286, to three significant figures.
    assert chart.rows[0][5] == "about $1.43 billion–$1.79 billion"


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_no_text_runs_off_the_chart(ds: Dataset, lang: str, page: Any) -> None:
    """Every label, as Chromium lays it out with the site's fonts and CSS, lies inside its chart's viewBox."""
    css = (ROOT / "templates" / "static" / "css" / "site.css").read_text(encoding="utf-8") + CSS.read_text(encoding="utf-8")
    drawn = [(c, svg) for c in every_chart(ds, lang) + every_chart(synthetic(ds, 30), lang) for svg in (c.svg, c.narrow) if svg]
    assert sum(svg is c.narrow for c, svg in drawn) >= 5, "the phone versions are checked too"
    for chart, svg in drawn:
        page.set_content(f'<html lang="{lang}"><head><style>{css}</style></head><body><figure class="chart">{svg}</figure></body></html>')
        outside = page.evaluate(
            """() => {
                const svg = document.querySelector('svg');
                const [x0, , width] = svg.getAttribute('viewBox').split(/\\s+/).map(Number);
                return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
                    .filter(([, b]) => b.width > 0 && (b.x < x0 - 0.5 || b.x + b.width > x0 + width + 0.5))
                    .map(([text, b]) => [text, Math.round(b.x), Math.round(b.x + b.width), width]);
            }"""
        )
        assert not outside, (chart.id, outside[:5])


@pytest.mark.parametrize("lang", LANGS)
def test_national_targets_and_single_systems_never_share_an_axis(ds: Dataset, lang: str) -> None:
    """/compare/compute/: systems in one panel, national targets and announcements in another, both linear."""
    chart = charts.compute_chart(ds, lang)
    svg = str(chart.svg)
    panels = svg.split('class="strong panel"')
    assert len(panels) == 4, "systems, targets and petaflops: three panels"
    systems, targets, petaflops = panels[1], panels[2], panels[3]
    # Bars carry the value they were drawn from: the 50,000 target and NVIDIA's 260,000 sit with the plans only.
    assert 'data-value="50000"' in targets and 'data-value="260000"' in targets
    assert 'data-value="50000"' not in systems and 'data-value="260000"' not in systems
    assert 'data-value="5448"' in systems  # Isambard-AI, in operation
    # China's nationwide 300 EFLOPS target is not drawn against one supercomputer's 614 PF.
    assert 'data-value="614"' in petaflops and 'data-value="300000"' not in petaflops
    axis = "선형 눈금" if lang == "ko" else "linear scale"
    axes = svg.split("</desc>", 1)[1]  # the description says it too
    assert axes.count(axis) == 3 and ("로그" not in svg if lang == "ko" else "log scale" not in svg)


def test_the_funding_chart_says_its_scale_is_log_in_its_title(ds: Dataset) -> None:
    assert charts.funding_chart(ds, "en").title.endswith("(log scale)")
    assert "로그 눈금" in charts.funding_chart(ds, "ko").title


def test_a_linear_scale_keeps_ratios() -> None:
    scale = charts.svg._LinearScale.around([5448, 260000], 0, 100)
    assert scale(0) == 0 and scale(scale.hi) == 100
    assert scale(260000) / scale(5448) == pytest.approx(260000 / 5448)
    assert scale.ticks()[0] == 0 and scale.ticks()[-1] == scale.hi >= 260000


@pytest.mark.parametrize("lang", LANGS)
def test_funding_bars_say_whether_money_is_spent_budgeted_planned_or_pledged(ds: Dataset, lang: str) -> None:
    """Plans and actuals are never drawn alike: the status is in the label and in the bar's weight."""
    chart = charts.funding_chart(ds, lang)
    root = parse(chart)
    bars = {el.get("data-value"): el.get("class") for el in root.iter(f"{NS}rect") if el.get("data-value")}
    kr_2026 = str(round(10.1e12 / 1422.16))
    assert bars[kr_2026] == "bar public firm"  # the Cabinet's budget: budgeted
    stargate = str(round(500e9))
    assert bars[stargate] == "bar private soft"  # a pledge
    labels = texts_joined(chart)
    # Long labels wrap onto a second line, so the status is checked on its own.
    assert ("· 예산" if lang == "ko" else "· budgeted") in labels
    assert ("· 약속" if lang == "ko" else "· pledged") in labels
    legend = [t for t in texts(root, "legend")]
    assert ("집행·예산(진한 막대)" if lang == "ko" else "Spent or budgeted (solid)") in legend
    assert ("계획·약속(옅은 점선 막대)" if lang == "ko" else "Planned or pledged (pale, dashed)") in legend


ORDER = {
    "ko": ["대한민국", "중국", "프랑스", "영국", "싱가포르", "미국"],
    "en": ["China", "France", "United Kingdom", "South Korea", "Singapore", "United States"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_charts_show_their_countries_in_the_fixed_order(ds: Dataset, lang: str) -> None:
    """Outside indicator pages one order holds: Korea first on Korean pages, then by code (cn, fr, gb, sg, us)."""
    for chart in (charts.funding_chart(ds, lang), charts.compute_chart(ds, lang)):
        # Each panel starts with its title (class "strong panel"); the country headings follow.
        panels = str(chart.svg).split('class="strong panel"')
        for panel in panels[1:] if len(panels) > 1 else panels:
            names = [n for n in re.findall(r'class="strong"[^>]*>(?:<title>[^<]*</title>)?([^<]+)<', panel) if n in ORDER[lang]]
            assert names and names == sorted(names, key=ORDER[lang].index), (chart.id, names)
    assert re.findall(r'class="strong"[^>]*>([^<]+)<', str(charts.funding_chart(ds, "ko").svg))[0] == "대한민국"
