"""``yamlload``: values, positions and errors, pinned case by case.

The expectations were computed with the three-pass loader (check the events,
compose nodes, build values) that the single-pass one replaced, and frozen here:
any change of value, type, message or position is a change of behaviour, so it
should show up as a failing case, not slip through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sovereign_site.data.yamlload import MAX_DEPTH, YamlError, load

PATH = Path("x.yaml")
TOO_DEEP = f"nesting is too deep (more than {MAX_DEPTH} levels)"
ALIASES = "anchors and aliases (&name, *name) are not allowed; write the value out"
MERGE = "merge keys (<<) are not allowed; write the values out"


def typed(value: Any) -> Any:
    """The value with each scalar paired with its type, so 1, 1.0, True and '1' all differ."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def error(text: str) -> tuple[str, int | None, int | None]:
    with pytest.raises(YamlError) as info:
        load(PATH, text)
    return (info.value.message, info.value.line, info.value.column)


# --- values -------------------------------------------------------------------------

SCALARS = [
    # YAML 1.2 core: null, booleans, decimal integers and floats; everything else is text.
    ("~", None),
    ("a:\n", {"a": None}),
    ("- \n- ~\n- null\n- Null\n- NULL\n- nULL\n", [None, None, None, None, None, "nULL"]),
    ("True", True),
    ("TRUE", True),
    ("tRue", "tRue"),
    ("yes", "yes"),
    ("No", "No"),
    ("on", "on"),
    ("22:22", "22:22"),
    ("1:30:00", "1:30:00"),
    ("2020-01-01", "2020-01-01"),
    ("+1", 1),
    ("-1", -1),
    ("-0", 0),
    ("0123", 123),
    ("09", 9),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("0x1F", "0x1F"),
    ("0o17", "0o17"),
    ("0b101", "0b101"),
    ("1_000", "1_000"),
    ("1e3", 1000.0),
    ("1E3", 1000.0),
    ("1.", 1.0),
    (".5", 0.5),
    ("-.5e-3", -0.0005),
    ("1e400", float("inf")),
    (".inf", ".inf"),
    ("-.inf", "-.inf"),
    (".nan", ".nan"),
    (".", "."),
    ("+", "+"),
    ("=", "="),
    ("<<", "<<"),
    ("a: <<\n", {"a": "<<"}),
    # Multi-line plain, block and quoted scalars.
    ("a b\n  c\n\n  d\n", "a b c\nd"),
    ("|\n  keep\n   this\n", "keep\n this\n"),
    (">\n  fold\n  this\n\n  para\n", "fold this\npara\n"),
    ('"a\\tb\\n\\u00e9\\x41"', "a\tb\néA"),
    ("'it''s'", "it's"),
    ("- 1\n- '1'\n- \"true\"\n- 1.0\n- !!str 1\n", [1, "1", "true", 1.0, "1"]),
    # Documents, flow collections, keys.
    ("---\n", None),
    ("\ufeffa: 1\n", {"a": 1}),
    ("{a, b}", {"a": None, "b": None}),
    ("? a\n", {"a": None}),
    ("[a: 1, b]", [{"a": 1}, "b"]),
    ("~: a\n'': b\nnull: c\n", {"~": "a", "": "b", "null": "c"}),
    ("1: a\n1.0: b\n", {"1": "a", "1.0": "b"}),
]

TAGGED = [
    # Allowed standard tags: quoted stays text, plain is read by the rules above…
    ('!!int "3"', "3"),
    ("!!float 3", 3),
    ("!!int abc", "abc"),
    ("!!bool yes", "yes"),
    ("!!null x", "x"),
    ("!!timestamp 2020-01-01", "2020-01-01"),
    ("!!merge x", "x"),
    ("! 3", 3),
    ("! '3'", "3"),
    # …and an explicit !!str always means text, whatever the value looks like.
    ("!!str 3", "3"),
    ("!!str .5", ".5"),
    ("!!str true", "true"),
    ("!<tag:yaml.org,2002:str> 3", "3"),
    ("!!str 09", "09"),
    ("!!str 1e3", "1e3"),
    # Collections with an allowed tag are plain collections.
    ("!!map {a: 1}", {"a": 1}),
    ("!!seq [1]", [1]),
    ("!!str [1]", [1]),
    # A key is its text as written; its tag is not looked at.
    ("!!str a: 1\n", {"a": 1}),
    ("!!int 3: x\n", {"3": "x"}),
    # Anchors that no alias uses are ignored.
    ("&a 1", 1),
    ("&a {&b a: 1}", {"a": 1}),
]


@pytest.mark.parametrize(("text", "expected"), SCALARS + TAGGED)
def test_values(text: str, expected: Any) -> None:
    assert typed(load(PATH, text).data) == typed(expected)


# --- errors -------------------------------------------------------------------------


def tag_error(tag: str) -> str:
    return f"the tag {tag} is not allowed; only plain values are"


ERRORS = [
    # Tags other than the standard ones.
    ("!!python/name:os.system", tag_error("tag:yaml.org,2002:python/name:os.system"), 1, 1),
    ("!!python/name:os.system x", tag_error("tag:yaml.org,2002:python/name:os.system"), 1, 1),
    ("!!python/object/apply:os.system [ls]", tag_error("tag:yaml.org,2002:python/object/apply:os.system"), 1, 1),
    ("!!set {a, b}", tag_error("tag:yaml.org,2002:set"), 1, 1),
    ("!!binary aGVsbG8=", tag_error("tag:yaml.org,2002:binary"), 1, 1),
    ("!foo 3", tag_error("!foo"), 1, 1),
    ("!foo [1]", tag_error("!foo"), 1, 1),
    ("a: !!binary |\n  aGVsbG8=\n", tag_error("tag:yaml.org,2002:binary"), 1, 4),
    # …on keys too: a key is text, and a Python tag on one is as suspect as on a value.
    ("!!python/name:x a: 1\n", tag_error("tag:yaml.org,2002:python/name:x"), 1, 1),
    ("b: 1\n!foo a: 1\n", tag_error("!foo"), 2, 1),
    ("! '&'", tag_error("tag:yaml.org,2002:yaml"), 1, 1),
    ("%TAG !e! tag:example.com,2000:\n---\n!e!foo 3\n", tag_error("tag:example.com,2000:foo"), 3, 1),
    # Aliases, repeated anchors, merge keys.
    ("a: &x 1\nb: *x\n", ALIASES, 2, 4),
    ("*a", ALIASES, 1, 1),
    ("a: &x [1]\nb: &x 2\n", "YAML syntax error: second occurrence", 2, 4),
    ("<<: {a: 1}\n", MERGE, 1, 1),
    ("a:\n  <<: {b: 1}\n", MERGE, 2, 3),
    ("'<<': 1\n", MERGE, 1, 1),
    # Duplicate keys, at several depths; keys compare as written.
    ("a: 1\na: 2\n", "duplicate key 'a' (first defined on line 1)", 2, 1),
    ("a:\n  b: 1\n  b: 2\n", "duplicate key 'b' (first defined on line 2)", 3, 3),
    ("- a: 1\n  b: 2\n  a: 3\n", "duplicate key 'a' (first defined on line 1)", 3, 3),
    ("a:\n - b:\n    c: 1\n    c: 2\n", "duplicate key 'c' (first defined on line 3)", 4, 5),
    ("{a: 1, a: 2}", "duplicate key 'a' (first defined on line 1)", 1, 8),
    ("1: a\n'1': b\n", "duplicate key '1' (first defined on line 1)", 2, 1),
    # Keys that are not text.
    ("? [a]\n: 1\n", "a mapping key must be plain text", 1, 3),
    ("{[a]: 1}", "a mapping key must be plain text", 1, 2),
    ("? !!set {a}\n: 1\n", "a mapping key must be plain text", 1, 3),
    # Empty files, several documents, syntax.
    ("", "file is empty", None, None),
    ("# only\n# comments\n", "file has no content", None, None),
    ("\ufeff", "file has no content", None, None),
    ("a: 1\n---\nb: 2\n", "YAML syntax error: but found another document", 2, 1),
    ("a:\n\tb: 1\n", "YAML syntax error: a tab character; YAML indents with spaces only", 2, 1),
    ("a: 1\x00\n", "control character U+0000 is not allowed in YAML; remove it", 1, 5),
    ("a: [1, 2\n", "YAML syntax error: did not find expected ',' or ']'", 2, 1),
]

PRECEDENCE = [
    # A syntax error, an alias or too-deep nesting is reported where the parser meets
    # it, even after a problem in the values (here a duplicate key)…
    ("a: 1\na: 2\nb: [\n", "YAML syntax error: did not find expected node content", 4, 1),
    ("a: 1\na: 2\nb: *x\n", ALIASES, 3, 4),
    ("a: 1\na: 2\nb: " + "[" * 40 + "]" * 40 + "\n", TOO_DEEP, 3, 36),
    ("a: *x\nb: [\n", ALIASES, 1, 4),
    ("a: 1\n---\nb: *x\n", ALIASES, 3, 4),
    ("a: 1\n---\nb: [\n", "YAML syntax error: did not find expected node content", 4, 1),
    # …then a second document or a repeated anchor, anywhere in the first document…
    ("a: 1\na: 2\n---\nb: 1\n", "YAML syntax error: but found another document", 3, 1),
    ("a: !!set {}\n---\nx\n", "YAML syntax error: but found another document", 2, 1),
    ("a: &x 1\n---\nb: &x 2\n", "YAML syntax error: but found another document", 2, 1),
    ("a: 1\na: 2\nb: &x 1\nc: &x 1\n", "YAML syntax error: second occurrence", 4, 4),
    # …then the first problem in the values, in document order.
    ("a: !!set {}\na: 1\n", tag_error("tag:yaml.org,2002:set"), 1, 4),
]


@pytest.mark.parametrize(("text", "message", "line", "column"), ERRORS + PRECEDENCE)
def test_errors(text: str, message: str, line: int | None, column: int | None) -> None:
    assert error(text) == (message, line, column)


# --- nesting ------------------------------------------------------------------------

NESTINGS = {
    # name: (text nested n levels deep, (line, column) of the first node too deep at MAX_DEPTH + 1)
    "flow sequences": (lambda n: "[" * n + "1" + "]" * n, (1, 34)),
    "flow mappings": (lambda n: "{a: " * n + "1" + "}" * n, (1, 130)),
    "compact block sequences": (lambda n: "- " * n + "x\n", (1, 67)),
    "block sequences": (lambda n: "".join("  " * i + "- \n" for i in range(n)) + "  " * n + "x\n", (34, 67)),
    "block mappings": (lambda n: "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "x\n", (33, 65)),
}


@pytest.mark.parametrize("name", NESTINGS)
def test_nesting_up_to_max_depth_loads_and_one_more_is_refused(name: str) -> None:
    nest, (line, column) = NESTINGS[name]
    data = load(PATH, nest(MAX_DEPTH)).data
    for _ in range(MAX_DEPTH):
        data = data[0] if isinstance(data, list) else next(iter(data.values()))
    assert data in (1, "x")
    assert error(nest(MAX_DEPTH + 1)) == (TOO_DEEP, line, column)


@pytest.mark.parametrize("text", ["[" * 300_000, "[" * 300_000 + "]" * 300_000, "- " * 150_000 + "x\n"])
def test_pathological_nesting_is_refused_not_a_crash(text: str) -> None:
    """Composing this recursively overflows the C stack and kills the interpreter."""
    assert error(text) == (TOO_DEEP, 1, MAX_DEPTH + 2 if text[0] == "[" else 2 * MAX_DEPTH + 3)


def test_alias_below_max_depth_is_reported_as_too_deep() -> None:
    assert error("[" * (MAX_DEPTH + 1) + "*a" + "]" * (MAX_DEPTH + 1)) == (TOO_DEEP, 1, MAX_DEPTH + 2)
    assert error("[" * MAX_DEPTH + "*a" + "]" * MAX_DEPTH) == (ALIASES, 1, MAX_DEPTH + 1)


# --- positions ----------------------------------------------------------------------

REALISTIC = """\
# A country, trimmed.
code: kr
names:
  ko: 대한민국
  en: "South Korea"
as_of: 2026-11-27
archetype: {id: fast-follower, state_led: 0.6}
summary:
  en: >-
    Folded
    text.
documents:
  - id: ai-basic-act
    year: 2024
    tags: [law, 'ai']
  - id: plan
    pages: ~
"""


def test_positions_of_a_realistic_document() -> None:
    doc = load(Path("kr.yaml"), REALISTIC)
    assert typed(doc.data) == typed(
        {
            "code": "kr",
            "names": {"ko": "대한민국", "en": "South Korea"},
            "as_of": "2026-11-27",
            "archetype": {"id": "fast-follower", "state_led": 0.6},
            "summary": {"en": "Folded text."},
            "documents": [{"id": "ai-basic-act", "year": 2024, "tags": ["law", "ai"]}, {"id": "plan", "pages": None}],
        }
    )
    # A value is where its node starts: a block collection on the line after its key.
    assert doc.positions == {
        (): (2, 1),
        ("code",): (2, 7),
        ("names",): (4, 3),
        ("names", "ko"): (4, 7),
        ("names", "en"): (5, 7),
        ("as_of",): (6, 8),
        ("archetype",): (7, 12),
        ("archetype", "id"): (7, 17),
        ("archetype", "state_led"): (7, 43),
        ("summary",): (9, 3),
        ("summary", "en"): (9, 7),
        ("documents",): (13, 3),
        ("documents", 0): (13, 5),
        ("documents", 0, "id"): (13, 9),
        ("documents", 0, "year"): (14, 11),
        ("documents", 0, "tags"): (15, 11),
        ("documents", 0, "tags", 0): (15, 12),
        ("documents", 0, "tags", 1): (15, 17),
        ("documents", 1): (16, 5),
        ("documents", 1, "id"): (16, 9),
        ("documents", 1, "pages"): (17, 12),
    }
    assert doc.key_positions == {
        ("code",): (2, 1),
        ("names",): (3, 1),
        ("names", "ko"): (4, 3),
        ("names", "en"): (5, 3),
        ("as_of",): (6, 1),
        ("archetype",): (7, 1),
        ("archetype", "id"): (7, 13),
        ("archetype", "state_led"): (7, 32),
        ("summary",): (8, 1),
        ("summary", "en"): (9, 3),
        ("documents",): (12, 1),
        ("documents", 0, "id"): (13, 5),
        ("documents", 0, "year"): (14, 5),
        ("documents", 0, "tags"): (15, 5),
        ("documents", 1, "id"): (16, 5),
        ("documents", 1, "pages"): (17, 5),
    }
    assert doc.locate(("documents", 1, "missing")) == (16, 5)
    assert doc.locate_key(("names", "en")) == (5, 3)
    assert doc.locate(("nope",)) == (2, 1)


def test_positions_of_an_empty_document_and_a_root_scalar() -> None:
    assert load(PATH, "---\n").positions == {(): (2, 1)}
    assert load(PATH, "\n\n  x\n").positions == {(): (3, 3)}
