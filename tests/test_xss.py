"""Injection payloads in every kind of text field reach the built pages inert.

One hostile project is built once: every payload goes into every kind of YAML
text field (names, summaries, labels, notes, titles, sources, glossary,
dimensions) and into Markdown (essay and page bodies, titles, summaries). Then:

* static checks parse every HTML page: no element or attribute a payload could
  have brought in, no ``on*`` handlers, no ``javascript:``/``data:``/``vbscript:``
  URLs, only our own scripts, the Content-Security-Policy on every page, and
  each payload shown as text where it was placed (template syntax included);
* a browser test opens every page in Chromium, with the CSP bypassed so that
  escaping alone is what is tested, and fails if anything runs.

The shared payload corpora in ``../shared/testdata/xss/`` are added when present.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, need, run_cli, serve_directory
from test_broken_inputs import ENV, make_project

XSS_DIR = REPO.parent / "shared" / "testdata" / "xss"
SHARED_FILES = ("html-xss-payloads.txt", "markdown-xss-payloads.txt")

#: Our own payloads: breakouts from every context a value lands in, template syntax, obfuscated schemes.
OWN_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<script>alert('own-script')</script>",
    "<img src=x onerror=alert('own-img')>",
    "<svg onload=alert('own-svg')>",
    "<svg><script>alert('own-svg-script')</script></svg>",
    "</script><script>alert('own-breakout')</script>",
    "</title><script>alert('own-title')</script>",
    "</textarea></style></noscript><script>alert('own-rawtext')</script>",
    '"><script>alert("own-attr")</script>',
    "' onmouseover='alert(1)' x='",
    '" onfocus="alert(1)" autofocus="',
    "javascript:alert('own-bare-scheme')",
    '<a href="javascript:alert(1)">own-link</a>',
    '<a href="&#106;avascript:alert(1)">own-entity-link</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('own-mxss')>",
    "<!--<img src=x onerror=alert('own-comment')>-->",
    "<![CDATA[<script>alert('own-cdata')</script>]]>",
    "<details open ontoggle=alert('own-details')>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name=q autofocus onfocus=alert(1)></form>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<style>@import "https://evil.example/x.css";</style>',
    "&lt;script&gt;alert('own-pre-escaped')&lt;/script&gt;",
    "\u2028</script>\u2029<script>alert('own-separators')</script>",
    # template syntax: must show literally, never be evaluated
    "tpl:{{ 7*7 }}:tpl",
    "tpl:{% raw %}{{ 7*7 }}{% endraw %}:tpl",
    "tpl:{{ config }}:tpl",
    "tpl:{% for x in range(3) %}loop{% endfor %}:tpl",
    "tpl:${7*7}:tpl",
    # Markdown links and images with obfuscated schemes
    "[own-mixed](JaVaScRiPt:alert('md-mixed'))",
    "[own-entity](&#106;avascript:alert('md-entity'))",
    "[own-hex](&#x6A;avascript:alert('md-hex'))",
    "[own-colon](javascript&colon;alert('md-colon'))",
    "[own-tab](java\tscript:alert('md-tab'))",
    "[own-tab-entity](java&#x09;script:alert('md-tab-entity'))",
    "[own-newline-entity](java&#10;script:alert('md-nl-entity'))",
    "[own-space](&#x20;javascript:alert('md-space'))",
    "[own-vb](vbscript:msgbox('md-vb'))",
    "[own-data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![own-img](javascript:alert('md-img'))",
    "![own-img-data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert('md-autolink')>",
    "[own-ref][evil]\n\n[evil]: javascript:alert('md-ref')",
    '[own-title](https://example.org "x\\" onmouseover=\\"alert(1)")',
]
TEMPLATE_PAYLOADS = [p for p in OWN_PAYLOADS if p.startswith("tpl:")]
#: What the template payloads would become if evaluated.
EVALUATED = ["tpl:49:tpl", "tpl:looploop", "tpl:loop:tpl", "<Config"]

CODES = ["kr", "jp", "de", "fr", "gb", "sg"]
ESSAY_TITLES = [
    "</script><svg onload=alert('title-breakout')>",
    "<img src=x onerror=alert('title-img')>",
    "tpl:{{ 7*7 }}:tpl",
]
DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript|livescript|mocha):")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "manifest",
    "codebase",
}
#: Elements Markdown may produce in essay and page bodies besides those the templates use.
MARKDOWN_TAGS = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "em": set(), "strong": set(), "s": set(), "del": set(), "code": set(),
    "pre": set(), "blockquote": set(), "hr": set(), "br": set(), "p": set(), "ul": set(), "ol": {"start"}, "li": set(),
    "h2": {"id"}, "h3": {"id"}, "h4": set(), "h5": set(), "h6": set(), "table": set(), "thead": set(), "tbody": set(),
    "tr": set(), "th": set(), "td": set(), "section": set(), "sup": set(),
}  # fmt: skip
CSP = "default-src 'self'; script-src 'self'"


def shared_payloads() -> list[str]:
    if not XSS_DIR.is_dir():
        return []
    lines: list[str] = []
    for name in SHARED_FILES:
        lines += [line for line in (XSS_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


PAYLOADS = OWN_PAYLOADS + shared_payloads()


def test_every_shared_payload_is_in_the_hostile_project(hostile_site: Site) -> None:
    """Read back from the project that was built, not from the list it was made from."""
    need(XSS_DIR.is_dir(), f"{XSS_DIR} is absent: only the built-in payloads were tested (the shared corpora live beside the repository)")
    from sovereign_site.data.yamlload import load

    placed: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            placed.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in (hostile_site.out.parent / "project" / "content" / "countries").glob("*.yaml"):
        collect(load(path).data)
    expected = [line for name in SHARED_FILES for line in (XSS_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(expected) >= 50, "the shared corpora look truncated"
    missing = [line for line in expected if line.strip() not in placed and line not in placed]
    assert not missing, f"{len(missing)} shared payloads never reached the project: {missing[:5]}"


# --- the hostile project -------------------------------------------------------------------


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def bi(text: str) -> str:
    return f"{{ko: {q(text)}, en: {q(text)}}}"


@dataclass
class Placement:
    """Which payloads went where, for the checks."""

    by_country: dict[str, list[str]] = field(default_factory=dict)


def country_yaml(code: str, index: int, mine: list[tuple[int, str]], extra: list[str]) -> str:
    """A valid country whose every text field carries a payload; one item of each kind per payload."""
    a, b, c = (extra * 3)[:3]
    lines = [
        f"code: {code}",
        f"names: {{ko: {q(a)}, en: {q(b)}, native: {q(c)}}}",
        "region: east-asia",
        "as_of: 2026-01-15",
        "archetype:",
        "  id: ops-hub",
        f"  label: {bi(b)}",
        f"  justification: {bi(c)}",
        "  state_led: 0.1",
        "  builds_stack: -0.2",
        f"summary: {bi(a)}",
    ]
    docs, funding, compute, models, instruments, institutions, facts, timeline, sources = ([] for _ in range(9))
    for i, p in mine:
        docs += [
            f"  - id: doc-{i}",
            "    kind: strategy",
            f"    title_original: {q(p)}",
            f"    title: {bi(p)}",
            f"    issuer: {bi(p)}",
            "    announced: 2024-05-01",
            f"    url: https://example.org/doc/{i}",
            f"    note: {bi(p)}",
            f"    sources: [src-{i}]",
        ]
        funding += [
            f"  - id: fund-{i}",
            f"    label: {bi(p)}",
            f"    amount: {i + 1}B",
            "    bound: up-to",
            "    currency: KRW",
            '    period: "2025"',
            "    sector: public",
            f"    note: {bi(p)}",
            f"    sources: [src-{i}]",
        ]
        compute += [
            f"  - id: gpu-{i}",
            "    kind: gpu-plan",
            f"    label: {bi(p)}",
            "    status: plan",
            f"    gpus: {(i + 1) * 100}",
            "    sector: public",
            "    date: 2025-03",
            f"    note: {bi(p)}",
            f"    sources: [src-{i}]",
        ]
        models += [
            f"  - id: model-{i}",
            f"    name: {q(p)}",
            f"    organisation: {q(p)}",
            f"    params_total: {i + 1}B",
            "    origin: derived",
            f"    base_model: {q(p)}",
            "    released: 2025-02",
            f"    note: {bi(p)}",
            f"    sources: [src-{i}]",
        ]
        instruments += [
            f"    - id: law-{i}",
            f"      name: {bi(p)}",
            "      kind: guideline",
            "      date: 2025",
            f"      summary: {bi(p)}",
            f"      sources: [src-{i}]",
        ]
        institutions += [
            f"    - id: body-{i}",
            f"      name: {bi(p)}",
            f"      role: {bi(p)}",
            "      established: 2024",
            f"      sources: [src-{i}]",
        ]
        facts += [
            f"    - id: fact-{i}",
            f"      label: {bi(p)}",
            f"      value: {i + 1}",
            f"      unit: {bi(p)}",
            "      date: 2025",
            f"      sources: [src-{i}]",
        ]
        timeline += [f"  - id: step-{i}", f"    date: 2025-{(i % 12) + 1:02d}", f"    label: {bi(p)}", f"    sources: [src-{i}]"]
        sources += [
            f"  - id: src-{i}",
            f"    title: {q(p)}",
            # The publisher carries the payload too, after a word: a title equal to its publisher is refused.
            f"    publisher: {q('Publisher ' + p)}",
            f"    url: https://example.org/src/{i}",
            "    published: 2025",
            "    accessed: 2026-11-01",
        ]
    lines += ["documents:", *docs, "funding:", *funding, "compute:", *compute, "models:", *models]
    lines += [
        "regulation:",
        "  approach: principles-based",
        f"  summary: {bi(a)}",
        "  instruments:",
        *instruments,
        "  institutions:",
        *institutions,
    ]
    lines += ["facts:", "  talent:", *facts, "timeline:", *timeline, "sources:", *sources]
    return "\n".join(lines) + "\n"


def essay(title: str, slug: str, lang: str, body_payloads: list[str], refs: str) -> str:
    front = f"---\ntitle: {q(title)}\nslug: {slug}\nlang: {lang}\ndate: 2026-01-20\nsummary: {q(title)}\ncountries: [kr]\n---\n\n"
    body = "## " + title.replace("\n", " ") + "\n\n" + refs + "\n\n" + "\n\n".join(body_payloads) + "\n"
    return front + body


def build_hostile_project(root: Path, payloads: list[str], theme: Path) -> tuple[Path, Placement]:
    """The hostile project; with harmless ``payloads`` of the same count, its clean twin."""
    project = make_project(root / "project", essays=False, templates=theme)
    content = project / "content"
    for old in (content / "countries").glob("*.yaml"):
        old.unlink()
    placement = Placement()
    titles = ESSAY_TITLES if payloads is PAYLOADS else [f"clean title {k}" for k in range(len(ESSAY_TITLES))]
    for n, code in enumerate(CODES):
        mine = [(i, p) for i, p in enumerate(payloads) if i % len(CODES) == n]
        names = [payloads[(n * 7 + k) % len(payloads)] for k in range(3)]
        (content / "countries" / f"{code}.yaml").write_text(country_yaml(code, n, mine, names), encoding="utf-8")
        placement.by_country[code] = [p for _, p in mine] + names
    # Dimensions and glossary: payloads in every label, description, term and definition.
    dims = [
        ("documents", "documents"),
        ("funding", "funding"),
        ("compute", "compute"),
        ("models", "models"),
        ("regulation", "regulation"),
        ("talent", "facts"),
    ]
    text = "dimensions:\n"
    for k, (ident, kind) in enumerate(dims):
        text += f"  - id: {ident}\n    kind: {kind}\n    label: {bi(payloads[k])}\n    description: {bi(payloads[-k - 1])}\n"
    (content / "dimensions.yaml").write_text(text, encoding="utf-8")
    text = "terms:\n"
    for k, p in enumerate(payloads[:30]):
        text += f"  - id: term-{k}\n    term: {bi(p)}\n    aliases: [{q(p + ' alias')}]\n    definition: {bi(payloads[-k - 1])}\n"
    (content / "glossary.yaml").write_text(text, encoding="utf-8")
    # Essays and pages: every payload in the body, hostile titles and summaries, data references
    # that pull hostile names and source titles into the Markdown.
    refs = " ".join(f"[[country:{c}]] [[fig:{c}.fund-{i}]] [[date:{c}.doc-{i}]]" for i, c in enumerate(CODES))
    for k, title in enumerate(titles):
        for lang in ("ko", "en"):
            name = f"xss-{k}" + ("" if lang == "ko" else ".en")
            (content / "essays" / f"{name}.md").write_text(essay(title, f"xss-{k}", lang, payloads, refs), encoding="utf-8")
    for lang in ("ko", "en"):
        page = essay(payloads[0], "about", lang, payloads, "").replace("countries: [kr]\n", "")
        (content / "pages" / ("about.md" if lang == "ko" else "about.en.md")).write_text(page, encoding="utf-8")
    return project, placement


@dataclass
class Site:
    out: Path
    placement: Placement
    stderr: str


@pytest.fixture(scope="module")
def theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One snapshot of the templates for the hostile build and its clean twin (others may edit templates/ meanwhile)."""
    return Path(shutil.copytree(REPO / "templates", tmp_path_factory.mktemp("theme") / "templates"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, theme: Path) -> Site:
    root = tmp_path_factory.mktemp("xss")
    project, placement = build_hostile_project(root, PAYLOADS, theme)
    out = root / "output"
    result = run_cli("build", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr[-5000:]
    assert "Traceback" not in result.stderr
    return Site(out, placement, result.stderr)


# --- parsing a page ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}


@dataclass
class Element:
    tag: str
    attrs: list[tuple[str, str]]
    parent: Element | None
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Any:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()


class TreeParser(HTMLParser):
    """A small tree builder over html.parser (which unescapes text and attribute values)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, [(k, v or "") for k, v in attrs], self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, [(k, v or "") for k, v in attrs], self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(path: Path) -> Element:
    parser = TreeParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.root


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.relative_to(out).parts)


def vocabulary(out: Path) -> dict[str, set[str]]:
    """Every element and the attributes it carries in a build."""
    found: dict[str, set[str]] = {}
    for page in html_pages(out):
        for element in parse(page).iter():
            found.setdefault(element.tag, set()).update(name for name, _ in element.attrs)
    return found


def page_problems(page: Path, allowed: dict[str, set[str]], link_rels: set[str]) -> list[str]:
    """Everything on one page that a payload could have brought in."""
    problems = []
    root = parse(page)
    elements = list(root.iter())[1:]
    counts = {tag: sum(1 for e in elements if e.tag == tag) for tag in ("html", "head", "body")}
    if counts != {"html": 1, "head": 1, "body": 1}:
        problems.append(f"document structure broken: {counts}")
    csp = [e for e in elements if e.tag == "meta" and dict(e.attrs).get("http-equiv", "").lower() == "content-security-policy"]
    if (
        len(csp) != 1
        or not dict(csp[0].attrs).get("content", "").startswith(CSP)
        or "unsafe-inline" in dict(csp[0].attrs).get("content", "")
    ):
        problems.append("the Content-Security-Policy meta is missing or weakened")
    elif csp[0].parent is None or csp[0].parent.tag != "head":
        problems.append("the Content-Security-Policy meta is not in <head>")
    for e in elements:
        attrs = dict(e.attrs)
        if e.tag not in allowed:
            problems.append(f"<{e.tag}> is not an element the templates or Markdown make")
            continue
        for name, value in e.attrs:
            if name.startswith("on"):
                problems.append(f"<{e.tag} {name}=...>: an event handler attribute")
            elif name not in allowed[e.tag]:
                problems.append(f"<{e.tag} {name}=...>: an attribute the templates never put on <{e.tag}>")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value)).lower()):
                problems.append(f"<{e.tag} {name}={value!r}>: a dangerous URL")
            if name == "srcdoc" or name == "style":
                problems.append(f"<{e.tag} {name}=...>: inline document or style")
        if e.tag == "script":
            if attrs.get("type") == "application/ld+json":
                try:
                    json.loads(e.text())
                except ValueError:
                    problems.append("a JSON-LD block that is not JSON: something broke out of it")
            elif "src" not in attrs or e.text().strip() or re.match(r"^([a-z][a-z0-9+.-]*:|//)", attrs["src"], re.I):
                problems.append(f"a script that is not one of ours: {attrs} {e.text()[:80]!r}")
        if e.tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"].lower() != "content-security-policy":
            problems.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        if e.tag == "link" and attrs.get("rel") not in link_rels:
            problems.append(f"<link rel={attrs.get('rel')!r}>")
        if e.tag == "meta" and e.parent is not None and e.parent.tag != "head":
            problems.append("a <meta> outside <head>")
    raw = page.read_text(encoding="utf-8")
    problems += [f"template syntax was evaluated: {bad!r}" for bad in EVALUATED if bad in raw]
    return problems


def all_text(page: Path) -> str:
    """The page's text and attribute values, unescaped, as a reader (or a screen reader) gets them."""
    root = parse(page)
    return root.text() + "\n".join(v for e in root.iter() for _, v in e.attrs)


@pytest.fixture(scope="module")
def allowed(tmp_path_factory: pytest.TempPathFactory, theme: Path) -> tuple[dict[str, set[str]], set[str]]:
    """What the templates make of the hostile project's clean twin (same shape, harmless text), plus what Markdown may add."""
    root = tmp_path_factory.mktemp("clean-twin")
    project, _ = build_hostile_project(root, [f"clean text {i}" for i in range(len(PAYLOADS))], theme)
    out = root / "output"
    result = run_cli("build", "--no-search", "--output", str(out), cwd=project, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    vocab = vocabulary(out)
    assert {"svg", "script", "form", "table", "dfn"} <= set(vocab), "the clean twin lacks elements it should have"
    for tag, attrs in MARKDOWN_TAGS.items():
        vocab.setdefault(tag, set()).update(attrs)
    rels = {dict(e.attrs).get("rel") for page in html_pages(out) for e in parse(page).iter() if e.tag == "link"}
    return vocab, {r for r in rels if r}


# --- static checks ---------------------------------------------------------------------------


def test_hostile_build_has_every_page(hostile_site: Site) -> None:
    out = hostile_site.out
    for code in CODES:
        assert (out / "countries" / code / "index.html").is_file()
        assert (out / "en" / "countries" / code / "index.html").is_file()
    for k in range(len(ESSAY_TITLES)):
        assert (out / "essays" / f"xss-{k}" / "index.html").is_file()
        assert (out / "en" / "essays" / f"xss-{k}" / "index.html").is_file()
    assert (out / "about" / "index.html").is_file()
    assert len(html_pages(out)) >= 40


def test_no_page_carries_anything_a_payload_brought_in(hostile_site: Site, allowed: tuple[dict[str, set[str]], set[str]]) -> None:
    vocab, rels = allowed
    problems = {}
    for page in html_pages(hostile_site.out):
        found = page_problems(page, vocab, rels)
        if found:
            problems[str(page.relative_to(hostile_site.out))] = sorted(set(found))[:10]
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)[:6000]


def test_the_checks_catch_an_injection(tmp_path: Path, allowed: tuple[dict[str, set[str]], set[str]]) -> None:
    """The static checks are not vacuous: an unescaped payload in a copy of a page is caught."""
    vocab, rels = allowed
    clean = (
        '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="' + CSP + '"></head><body><p>x</p></body></html>'
    )
    page = tmp_path / "page.html"
    page.write_text(clean, encoding="utf-8")
    assert page_problems(page, vocab, rels) == []
    for injected in [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        "<iframe src=x></iframe>",
        "</p></body><body onload=alert(1)>",
        "<p>tpl:49:tpl</p>",
        '<meta http-equiv="refresh" content="0">',
    ]:
        page.write_text(clean.replace("<p>x</p>", injected), encoding="utf-8")
        assert page_problems(page, vocab, rels), injected


def test_payloads_show_as_text_where_they_were_placed(hostile_site: Site) -> None:
    """Each payload in a country file appears whole, as text, on that country's page: escaped, not parsed or dropped."""
    missing = {}
    for code, payloads in hostile_site.placement.by_country.items():
        for lang_prefix in ("", "en/"):
            text = all_text(hostile_site.out / lang_prefix / "countries" / code / "index.html")
            lost = [p for p in payloads if p.strip() not in text]
            if lost:
                missing[f"{lang_prefix}countries/{code}"] = lost
    assert not missing, json.dumps(missing, indent=1, ensure_ascii=False)[:4000]


def test_template_syntax_shows_literally(hostile_site: Site) -> None:
    pages = html_pages(hostile_site.out)
    texts = {p: all_text(p) for p in pages}
    for payload in TEMPLATE_PAYLOADS:
        assert any(payload in t for t in texts.values()), f"{payload!r} is not shown anywhere"
    essay = texts[hostile_site.out / "essays" / "xss-2" / "index.html"]
    assert "tpl:{{ 7*7 }}:tpl" in essay  # the essay's title and summary
    for page, raw in ((p, p.read_text(encoding="utf-8")) for p in pages):
        for bad in EVALUATED:
            assert bad not in raw, f"{bad!r} in {page}"


def test_essay_body_safe_output_is_escaped(hostile_site: Site) -> None:
    """``article.content|safe``: the Markdown pipeline's HTML, with raw HTML off, shows tags as text."""
    for lang_prefix in ("", "en/"):
        root = parse(hostile_site.out / lang_prefix / "essays" / "xss-0" / "index.html")
        body = next(e for e in root.iter() if e.tag == "div" and ("class", "essay-body") in e.attrs)
        text = body.text()
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        tags = {e.tag for e in body.iter()}
        assert not tags & {"script", "iframe", "svg", "object", "embed", "form", "input", "details", "base", "meta", "style", "math"}
        for e in body.iter():
            for name, value in e.attrs:
                assert not name.startswith("on")
                if name in ("href", "src"):
                    assert not DANGEROUS_SCHEME.match(re.sub(r"[\x00-\x20]+", "", value).lower()), value
        # Links and images with safe addresses still work (the filter does not just drop everything).
        assert any(e.tag == "a" and dict(e.attrs).get("href", "").startswith("https://example.org") for e in body.iter())


def test_page_body_safe_output_is_escaped(hostile_site: Site) -> None:
    """``page.content|safe`` on the about page."""
    root = parse(hostile_site.out / "about" / "index.html")
    article = next(e for e in root.iter() if e.tag == "article")
    assert "<script>alert(1)</script>" in article.text()
    assert PAYLOADS[0] in next(e for e in article.iter() if e.tag == "h1").text()
    assert not {e.tag for e in article.iter()} & {"script", "iframe", "svg", "object", "embed", "form", "input", "base", "meta", "style"}
    assert all(not name.startswith("on") for e in article.iter() for name, _ in e.attrs)


def test_chart_svg_markup_is_escaped(hostile_site: Site) -> None:
    """Chart SVG is passed to templates as Markup (the equivalent of ``|safe``): hostile labels in it are text."""
    hostile = [p for p in PAYLOADS if "<" in p]
    seen = set()
    for page in html_pages(hostile_site.out):
        for svg in (e for e in parse(page).iter() if e.tag == "svg"):
            text = svg.text()
            seen.update(p for p in hostile if p.strip() in text)
            inner = {e.tag for e in svg.iter()} - {"svg"}
            assert inner <= {"title", "desc", "defs", "pattern", "line", "rect", "circle", "text", "g", "path", "polyline", "tspan"}, (
                page,
                inner,
            )
    assert "<script>alert(1)</script>" in seen or "<img src=x onerror=alert(1)>" in seen, "no hostile label reached a chart"
    assert len(seen) >= 5


def test_feeds_and_sitemap_stay_well_formed_xml(hostile_site: Site) -> None:
    files = [*sorted((hostile_site.out / "feeds").glob("*.xml")), hostile_site.out / "sitemap.xml"]
    assert len(files) >= 3
    for path in files:
        tree = ET.parse(path)  # payloads in essay titles must not break the XML
        assert not any(el.tag.endswith("script") for el in tree.iter()), path


# --- the browser --------------------------------------------------------------------------------

HOOKS = """
window.__xss = [];
for (const name of ["alert", "prompt", "confirm", "print"]) {
  window[name] = function () { window.__xss.push(name + ":" + Array.from(arguments).join(",")); };
}
"""
DOM_SCAN = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]+/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(el.tagName + " " + name);
      const url = ["href", "src", "action", "formaction", "xlink:href", "data"].includes(name);
      if (url && /^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + " " + name + "=" + value);
    }
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Bypass the CSP: these tests check escaping alone (the CSP is checked statically above)."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(hostile_site: Site, page: Any) -> None:
    base, stop = serve_directory(hostile_site.out)
    dialogs: list[str] = []
    errors: list[str] = []
    console: list[str] = []
    page.add_init_script(HOOKS)
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    urls = [str(p.relative_to(hostile_site.out)).removesuffix("index.html") for p in html_pages(hostile_site.out)]
    urls += [
        "compare/?c=kr,jp,de,fr",
        "en/compare/?c=gb,sg",
        "search/?q=alert",
        "en/search/?q=script",
        "search/?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    ]
    findings: dict[str, list[str]] = {}
    try:
        for url in urls:
            for found_so_far in (dialogs, errors, console):
                found_so_far.clear()
            page.goto(f"{base}/{url}", wait_until="load")
            if "search/?q=" in url:
                page.wait_for_function("document.getElementById('search-results').textContent.length > 0", timeout=15000)
            if "compare/?c=" in url:
                page.wait_for_selector("table.side-by-side", timeout=15000)
            page.wait_for_timeout(50)
            calls = page.evaluate("window.__xss")
            found = [*dialogs, *calls, *(f"pageerror: {e}" for e in errors), *page.evaluate(DOM_SCAN)]
            found += [m for m in console if "Failed to load resource" not in m]
            if found:
                findings[url] = found
    finally:
        stop()
    assert not findings, json.dumps(findings, indent=1, ensure_ascii=False)[:5000]
    assert len(urls) >= 45


@pytest.mark.browser
def test_the_browser_check_catches_a_payload(tmp_path: Path, page: Any) -> None:
    """The hooks are not vacuous: a page where a payload does run is caught."""
    (tmp_path / "index.html").write_text("<!doctype html><p>x</p><img src=x onerror=alert(1)><script>confirm(2)</script>", encoding="utf-8")
    base, stop = serve_directory(tmp_path)
    dialogs: list[str] = []
    page.add_init_script(HOOKS)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{base}/", wait_until="load")
        page.wait_for_timeout(200)
        assert sorted(page.evaluate("window.__xss")) == ["alert:1", "confirm:2"]
        assert page.evaluate(DOM_SCAN) == ["IMG onerror"]
    finally:
        stop()
