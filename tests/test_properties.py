"""Property tests: whatever text arrives, loading and rendering end in a value or in problems, never a crash.

* random YAML-ish text, and random bytes, through ``yamlload`` and ``dataset.validate``
  end in a value or a ``YamlError`` / reported problems;
* random Markdown (data references, footnotes, raw HTML, hostile links) through
  ``markdown.render`` ends in HTML plus problems, and that HTML never holds a
  script element, an event-handler attribute or a dangerous URL.
"""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_broken_inputs import make_project

from sovereign_site.data import schema
from sovereign_site.data.dataset import load_dataset
from sovereign_site.data.errors import Report
from sovereign_site.data.validation import validate
from sovereign_site.data.yamlload import YamlError, load, read_text
from sovereign_site.prose.parser import validate_link
from sovereign_site.prose.pipeline import render

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
DANGEROUS = re.compile(r"^(javascript|data|vbscript):")

# --- YAML -------------------------------------------------------------------------------------

KEYS = [
    "code",
    "names",
    "ko",
    "en",
    "region",
    "as_of",
    "sources",
    "id",
    "url",
    "title",
    "funding",
    "amount",
    "currency",
    "facts",
    "<<",
    "? x",
]
SCALARS = [
    "kr", "no", "yes", "on", "~", "null", "1e3", "22:22", "0x1F", "2026-02-30", "2026-01-15", "unknown", ".inf", "-1", "1.46T",
    "'quoted'", '"dq\\u0041"', "&a x", "*a", "!!python/object/apply:os.system ['true']", "!!str 1", "!foo x", "|", ">-",
    "[a, b", "{a: 1}", "[]", "{}", "- x", "\t", "#c", "\u1100\u1161", "\ufeff", "\x00", "\x07", "\u2028", "javascript:alert(1)",
]  # fmt: skip


@st.composite
def yamlish(draw: Any) -> str:
    """Lines that look like YAML: indentation, keys, list dashes, scalars, flow brackets, tags, anchors."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 1, 3])) + draw(st.sampled_from(["", "", "- ", "\t"]))
        key = draw(st.sampled_from(KEYS))
        value = draw(st.one_of(st.sampled_from(SCALARS), st.text(max_size=12)))
        lines.append(draw(st.sampled_from([f"{indent}{key}: {value}", f"{indent}{value}", f"{indent}{key}:"])))
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


def _load_and_validate(text: str) -> None:
    report = Report(Path("."))
    try:
        doc = load(Path("x.yaml"), text)
    except YamlError as exc:
        assert exc.message
        assert exc.line is None or exc.line >= 1
        return
    for model in (schema.Country, schema.Dimensions, schema.Fx, schema.Glossary):
        result = validate(doc, model, report)
        assert result is not None or report.errors, "validation failed without saying why"
    for problem in report.problems:
        assert problem.line is None or problem.line >= 1
        str(problem)


@SETTINGS
@given(yamlish())
def test_yamlish_text_ends_in_a_value_or_problems(text: str) -> None:
    _load_and_validate(text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from([*list(":-[]{},&*!|>'\"#%@`?~\t\n \\"), "a", "1", "k", "é", "한"]), max_size=80))
def test_yaml_punctuation_soup_ends_in_a_value_or_problems(text: str) -> None:
    _load_and_validate(text)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_end_in_a_value_or_a_yaml_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(data)
        try:
            text = read_text(path)
        except YamlError as exc:
            assert "UTF-8" in exc.message or "limit" in exc.message
            return
        _load_and_validate(text)


@SETTINGS
@given(st.integers(1, 3000), st.sampled_from(["[", "{a: ", "- ", "a:\n"]))
def test_nesting_of_any_depth_is_refused_cleanly(depth: int, opener: str) -> None:
    if opener == "a:\n":
        depth = min(depth, 400)  # block nesting costs quadratic space: 400 levels are plenty
        text = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"
    else:
        text = opener * depth + "x" + {"[": "]", "{a: ": "}", "- ": ""}[opener] * depth
    try:
        load(Path("x.yaml"), text)
    except YamlError as exc:
        assert depth > 30 or "nesting" not in exc.message
        if depth > 40:
            assert "nesting is too deep" in exc.message
    else:
        assert depth <= 33


# --- Markdown ---------------------------------------------------------------------------------

PIECES = [
    "[[fig:kr.gpu-state-target]]", "[[fig:kr.nope]]", "[[date:kr.ai-basic-act.in_force]]", "[[country:kr]]", "[[country:zz]]", "[[fig:",
    "[[", "]]", "[^1]", "[^1]: note", "[^x]", "\n[^y]: unused\n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>", "[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a](&#106;avascript:x)",
    "[a](java\tscript:x)", "[a](data:text/html,x)", "[a](vbscript:x)", "![i](javascript:x)", "<javascript:alert(1)>",
    "[r]: javascript:alert(1)\n", "[r]", "[ok](https://example.org)", "<https://example.org>", "`[[fig:kr.nope]]`", "```\n<script>\n```",
    "## 제목", "# h", "- item", "1. item", "> quote", "| a | b |\n|---|---|\n| c | d |", "**b**", "_i_", "~~s~~", "\"q\"", "'q'",
    "GPU", "소버린 AI", "&amp;", "&#0;", "\\", "\n", "\n\n", " ", "onload=x", "{{ 7*7 }}", "{% raw %}", "\u200b", "\ufeff",
]  # fmt: skip


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Any:
    project = make_project(tmp_path_factory.mktemp("props") / "project", essays=False)
    return load_dataset(project / "content")


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "base", "meta", "svg", "math", "form"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src") and DANGEROUS.match(re.sub(r"[\x00-\x20\x7f]+", "", value or "").lower()):
                self.bad.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def check_html(out: str) -> None:
    assert not re.search(r"<script", out, re.I)
    assert not re.search(r"<[a-z][^<>]*\son\w+\s*=", out, re.I), "an event handler inside a tag"
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", out, re.I)
    scan = _Scan()
    scan.feed(out)
    assert scan.bad == []


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25), st.sampled_from(["ko", "en"]))
def test_random_markdown_renders_safely(dataset: Any, pieces: list[str], lang: str) -> None:
    body = "".join(pieces)
    text = f"---\ntitle: t\nslug: t\nlang: {lang}\ndate: 2026-01-01\n---\n\n{body}\n"
    report = Report(Path("."))
    rendered = render(Path("essay.md"), text, report, dataset)
    assert isinstance(rendered.html, str)
    check_html(rendered.html)
    for problem in report.problems:
        assert problem.line is None or problem.line >= 1


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_with_or_without_front_matter_never_crashes(dataset: Any, text: str) -> None:
    report = Report(Path("."))
    for candidate in (text, f"---\n{text}\n---\n{text}"):
        rendered = render(Path("essay.md"), candidate, report, dataset)
        check_html(rendered.html)


SCHEME_NOISE = st.sampled_from(["", "\t", "\n", " ", "\x00", "\x01", "\x7f", "&#9;", "&#x09;", "&#10;", "&Tab;", "&NewLine;"])


@SETTINGS
@given(
    st.sampled_from(["javascript", "vbscript", "data"]),
    st.lists(st.booleans(), min_size=10, max_size=10),
    st.lists(SCHEME_NOISE, min_size=11, max_size=11),
    st.sampled_from([":", "&colon;", "&#58;", "&#x3a;"]),
)
def test_obfuscated_dangerous_schemes_are_refused(scheme: str, upper: list[bool], noise: list[str], colon: str) -> None:
    """Mixed case, entities and whitespace or control characters inside the scheme never get through."""
    letters = [c.upper() if up else c for c, up in zip(scheme, upper, strict=False)]
    url = noise[0] + "".join(n + c for c, n in zip(letters, noise[1:], strict=False)) + colon + "alert(1)"
    assert validate_link(url) is False, url


SAFE_URLS = [
    "https://example.org/a",
    "http://example.org",
    "mailto:a@example.org",
    "../countries/kr/",
    "#fn1",
    "/x/y",
    "page.html",
    "HTTPS://X.ORG",
]


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_links_are_allowed(url: str) -> None:
    """The filter refuses by scheme, not by refusing everything."""
    assert validate_link(url) is True


# --- shared field sets (schema.Model._share_fields_set) -------------------------------------


def test_models_share_their_field_sets_and_copies_never_change_them() -> None:
    """Instances share one set per distinct set of fields (memory at scale); a copy must not alter the others."""
    ds = load_dataset(Path(__file__).resolve().parent.parent / "content")
    labels = [item.label for c in ds.countries if isinstance(c.funding, list) for item in c.funding]
    assert len(labels) > 5
    assert len({id(label.__pydantic_fields_set__) for label in labels}) == 1
    shared = labels[0].__pydantic_fields_set__
    assert shared == {"ko", "en"}

    changed = labels[0].model_copy(update={"ko": "바뀐 값"})
    assert changed.ko == "바뀐 값" and labels[0].ko != "바뀐 값"
    assert changed.__pydantic_fields_set__ is not shared
    assert shared == {"ko", "en"} and labels[1].model_fields_set == {"ko", "en"}
    with pytest.raises(Exception, match="frozen"):
        labels[1].ko = "x"  # type: ignore[misc]
