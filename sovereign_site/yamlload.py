"""Safe YAML loading that remembers where every value came from.

PyYAML composes the document into nodes (with libyaml's C parser when it is
available; the nodes and their positions are the same either way), and this
module turns the nodes into plain Python values itself. Doing the construction
here is what lets us:

* record the line and column of every value and key, for error messages;
* reject duplicate keys, aliases (and so "billion laughs"), deep nesting;
* read scalars by YAML 1.2 core rules, so ``no``, ``on`` or ``22:22`` stay text
  instead of becoming booleans or sexagesimal numbers;
* never construct arbitrary Python objects: only mappings, lists, strings,
  numbers, booleans and null exist.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is several times faster; positions and errors are identical.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Files larger than this are refused before parsing (documented in the README).
MAX_BYTES = 1_000_000
#: Deeper nesting than this is refused; real country files need about 6 levels.
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]

# YAML 1.2 core schema, plus nothing else: "yes", "on", "no" and "22:22" stay strings.
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class YamlError(Exception):
    """A file that cannot be read as YAML at all; carries a position where one is known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class Document:
    """A loaded YAML file: its data plus the position of every value and key."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        while True:
            if path in self.key_positions and path not in self.positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def locate_key(self, path: Path_) -> tuple[int | None, int | None]:
        return self.key_positions.get(tuple(path)) or self.locate(path)


def read_text(path: Path) -> str:
    """Read a UTF-8 file (a BOM is allowed), normalised to NFC with LF line endings."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column) from None
    # Editors on macOS save Hangul decomposed (NFD); compare and search need NFC.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def load(path: Path, text: str | None = None) -> Document:
    """Load one YAML file into a :class:`Document`, or raise :class:`YamlError`."""
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise YamlError("file is empty")
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        # libyaml does not name the character it stopped at; look at it ourselves.
        if "\\t" in problem or "'\\t'" in problem or (mark and _char_at(text, mark.line, mark.column) == "\t"):
            problem = "a tab character; YAML indents with spaces only"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlError(f"YAML syntax error: {problem}", line, column) from None
    except yaml.reader.ReaderError as exc:
        # A control character (NUL, BEL…): say where it is rather than a character offset.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlError(f"control character U+{exc.character:04X} is not allowed in YAML; remove it", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlError(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    if node is None:
        raise YamlError("file has no content")
    doc = Document(path, None)
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def _check_events(text: str) -> None:
    """Refuse deep nesting and aliases from the event stream, before anything recursive sees it.

    libyaml's parser is iterative, but composing nodes recurses in C: a few hundred
    thousand ``[`` or ``- `` (well under MAX_BYTES) overflow the C stack and kill
    the interpreter with a segfault instead of raising. An alias is reported where
    it is used (``*name``), which is the place to write the value out.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH:
            mark = event.start_mark
            raise YamlError(f"nesting is too deep (more than {MAX_DEPTH} levels)", mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise YamlError("anchors and aliases (&name, *name) are not allowed; write the value out", mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if depth > MAX_DEPTH:
            raise YamlError(f"nesting is too deep (more than {MAX_DEPTH} levels)", line, column)
        if id(node) in self.seen:
            # A node reached twice came from an alias. Refusing aliases outright is
            # what makes expansion bombs impossible.
            raise YamlError("anchors and aliases (&name, *name) are not allowed; write the value out", line, column)
        self.seen.add(id(node))
        self.doc.positions[path] = (line, column)
        if isinstance(node, yaml.CollectionNode) and node.tag not in _ALLOWED_TAGS:
            # e.g. !!python/object/apply:os.system [...] or !!set: refused like scalar tags.
            raise YamlError(f"the tag {node.tag} is not allowed; only plain values are", line, column)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlError("a mapping key must be plain text", key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                key = key_node.value
                key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key == "<<":
                    raise YamlError("merge keys (<<) are not allowed; write the values out", *key_pos)
                if key in result:
                    first = self.doc.key_positions[(*path, key)][0]
                    raise YamlError(f"duplicate key '{key}' (first defined on line {first})", *key_pos)
                self.doc.key_positions[(*path, key)] = key_pos
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return _scalar(node, line, column)


def _scalar(node: yaml.ScalarNode, line: int, column: int) -> Any:
    tag, value = node.tag, node.value
    # The resolver's guesses for plain scalars (1.1 booleans, sexagesimals…) are all
    # in this set and are re-resolved below; any other tag was written explicitly.
    if tag not in _ALLOWED_TAGS:
        raise YamlError(f"the tag {tag} is not allowed; only plain values are", line, column)
    if node.style:  # quoted or block scalars are always text
        return value
    if tag == "tag:yaml.org,2002:str" and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != tag:
        return value  # an explicit !!str on a value that would otherwise not be text
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    return value


_RESOLVER = yaml.resolver.Resolver()
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}
