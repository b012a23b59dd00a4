"""Safe YAML loading that remembers where every value came from.

Each file is parsed once: libyaml's parser (PyYAML's own when libyaml is
missing; the events and their positions are the same) produces a stream of
events, and this module builds plain Python values straight from that stream,
with an explicit stack instead of recursion. Doing the construction here, in
that single pass, is what lets us:

* record the line and column of every value and key, for error messages;
* reject duplicate keys, aliases (and so "billion laughs"), merge keys, tags
  and deep nesting, and never hand a deep document to anything recursive;
* read scalars by YAML 1.2 core rules, so ``no``, ``on`` or ``22:22`` stay text
  instead of becoming booleans or sexagesimal numbers;
* never construct arbitrary Python objects: only mappings, lists, strings,
  numbers, booleans and null exist.

Errors keep the precedence of the three-pass loader this replaced (check the
events, compose nodes, build values): a syntax error, an alias or too-deep
nesting is reported where the parser meets it, even when a problem in the values
comes earlier in the file; then a second document or a repeated anchor; then
the first problem in the values, in document order.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

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
_CONSTANTS: dict[str, bool | None] = {**dict.fromkeys(_NULL), **_BOOL}
#: Every number matching _INT or _FLOAT starts with one of these; other text skips the regexes.
_NUMBER_START = frozenset("+-.0123456789")


class YamlError(Exception):
    """A file that cannot be read as YAML at all; carries a position where one is known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def __reduce__(self) -> tuple[type[YamlError], tuple[str, int | None, int | None]]:
        # Pickled whole (a file parsed in another process keeps its position).
        return (YamlError, (self.message, self.line, self.column))


@dataclass
class Document:
    """A loaded YAML file: its data plus the position of every value and key."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: False when only some positions came along (a file parsed in another process,
    #: see parallel.parse_all): asking for any other one parses the file again, which only
    #: happens when there is a problem to report.
    complete: bool = True

    def locate(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        if not self.complete and path not in self.positions:
            self._complete()
        while True:
            if path in self.key_positions and path not in self.positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def locate_key(self, path: Path_) -> tuple[int | None, int | None]:
        if not self.complete:
            self._complete()
        return self.key_positions.get(tuple(path)) or self.locate(path)

    def _complete(self) -> None:
        again = load(self.path)
        self.positions, self.key_positions, self.complete = again.positions, again.key_positions, True


def read_text(path: Path, inside: Path | None = None) -> str:
    """Read a UTF-8 file (a BOM is allowed), normalised to NFC with LF line endings.

    Nothing is opened before it is known to be a regular file of at most
    MAX_BYTES: a FIFO would hang the read and ``/dev/zero`` would never end. A
    symbolic link is followed only to a file within ``inside`` (the project).
    """
    try:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(inside or _project_of(path.parent)):
                raise YamlError("is a symbolic link to a file outside the project; copy the file in instead")
        info = os.stat(path)
    except FileNotFoundError:
        raise YamlError("is a symbolic link to a file that does not exist") from None
    except OSError as exc:
        raise YamlError(f"cannot read the file: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise YamlError(f"is {what}; content files must be plain files")
    if info.st_size > MAX_BYTES:
        raise YamlError(f"file is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise YamlError(f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, column) from None
    # Editors on macOS save Hangul decomposed (NFD); compare and search need NFC.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@lru_cache(maxsize=64)
def _project_of(folder: Path) -> Path:
    """The project a content file belongs to: the nearest folder above it with a pelicanconf.py (else its own folder)."""
    real = Path(os.path.realpath(folder))
    for candidate in (real, *real.parents):
        if (candidate / "pelicanconf.py").is_file():
            return candidate
    return real


def load(path: Path, text: str | None = None) -> Document:
    """Load one YAML file into a :class:`Document`, or raise :class:`YamlError`."""
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise YamlError("file is empty")
    try:
        try:
            return _build(path, text)
        except yaml.MarkedYAMLError as exc:
            if "maximum nesting depth" not in str(exc.problem):
                raise
            # libyaml 0.2.6 has a nesting limit of its own (1,000), which its scanner
            # can hit while looking ahead, before we see the level that passes ours.
            # The pure-Python parser has none and builds the same events, so our
            # check decides, with our message and position, whatever libyaml is installed.
            return _build(path, text, yaml.SafeLoader)
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


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


_TOO_DEEP = f"nesting is too deep (more than {MAX_DEPTH} levels)"
_NO_ALIASES = "anchors and aliases (&name, *name) are not allowed; write the value out"


def _build(path: Path, text: str, loader_class: Any = _Loader) -> Document:
    """Parse ``text`` once and build the document's values and positions from the events.

    Nesting deeper than MAX_DEPTH and aliases are refused as soon as the parser
    reaches them. Nothing here recurses, but code walking the values does, and
    PyYAML's own composer, recursive in C, dies on a few hundred thousand ``[``.
    Refusing aliases outright is what makes expansion bombs impossible; one is
    reported where it is used (``*name``), which is the place to write the value out.

    A problem in the values themselves (a duplicate key, a tag…) stops the building
    but not the parsing: the rest of the stream may hold an error that takes
    precedence (see the module docstring).
    """
    doc = Document(path, None)
    positions, key_positions = doc.positions, doc.key_positions
    # The collection being filled and its path; the collections around it wait on the
    # stack. In a mapping, ``pending`` is the path of the key just read, and None while
    # the next key is awaited. Locals rather than stack frames: this loop is the hot path.
    container: Any = None
    parent: Path_ = ()
    pending: Path_ | None = None
    stack: list[tuple[Any, Path_]] = []
    depth = 0  # open collections, still counted once building has stopped
    documents = 0
    anchors: set[str] = set()
    composing: yaml.MarkedYAMLError | None = None  # a second document or a repeated anchor
    problem: YamlError | None = None  # the first problem in the values
    building = True
    loader = loader_class(text)
    try:
        # The parser's events one by one, until get_event has no more (what yaml.parse does, minus a generator).
        for event in iter(loader.get_event, None):
            kind = event.__class__
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                if depth > MAX_DEPTH:
                    raise YamlError(_TOO_DEEP, mark.line + 1, mark.column + 1)
                if kind is not ScalarEvent:
                    depth += 1
                if event.anchor is not None and documents == 1:
                    # An anchor without an alias is harmless and ignored, but composing the
                    # nodes used to refuse a repeated one; keep refusing it, with its message.
                    if event.anchor in anchors and composing is None:
                        composing = yaml.composer.ComposerError("found duplicate anchor; first occurrence", None, "second occurrence", mark)
                    anchors.add(event.anchor)
                if not building:
                    continue
                position = (mark.line + 1, mark.column + 1)
                # Where the node goes: the root, the next item of a list, a key, or a key's value.
                if container is None:
                    where: Path_ = ()
                elif container.__class__ is list:
                    where = (*parent, len(container))
                elif pending is None:  # a key: its text as written, whatever its quotes or plain-value tag
                    if kind is not ScalarEvent:
                        problem = YamlError("a mapping key must be plain text", *position)
                    elif event.tag is not None and event.tag != "!" and event.tag not in _ALLOWED_TAGS:
                        problem = YamlError(f"the tag {event.tag} is not allowed; only plain values are", *position)
                    elif event.value == "<<":
                        problem = YamlError("merge keys (<<) are not allowed; write the values out", *position)
                    elif event.value in container:
                        first = key_positions[(*parent, event.value)][0]
                        problem = YamlError(f"duplicate key '{event.value}' (first defined on line {first})", *position)
                    else:
                        pending = (*parent, event.value)
                        key_positions[pending] = position
                    building = problem is None
                    continue
                else:
                    where, pending = pending, None
                positions[where] = position
                if kind is ScalarEvent:
                    value = event.value
                    if event.tag is not None:
                        try:
                            value = _tagged(event, position)
                        except YamlError as exc:
                            problem, building = exc, False
                            continue
                    elif not event.style:  # quoted and block scalars are always text
                        value = _plain(value)
                elif event.tag is None or event.tag == "!" or event.tag in _ALLOWED_TAGS:
                    value = {} if kind is MappingStartEvent else []
                else:  # e.g. !!python/object/apply:os.system [...] or !!set: refused like scalar tags
                    problem, building = YamlError(f"the tag {event.tag} is not allowed; only plain values are", *position), False
                    continue
                if container is None:
                    doc.data = value
                elif container.__class__ is list:
                    container.append(value)
                else:
                    container[where[-1]] = value
                if kind is not ScalarEvent:
                    stack.append((container, parent))
                    container, parent = value, where
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                if building:
                    container, parent = stack.pop()
            elif kind is AliasEvent:
                mark = event.start_mark
                raise YamlError(_TOO_DEEP if depth > MAX_DEPTH else _NO_ALIASES, mark.line + 1, mark.column + 1)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents == 2:
                    building = False
                    if composing is None:
                        composing = yaml.composer.ComposerError(
                            "expected a single document in the stream", None, "but found another document", event.start_mark
                        )
    finally:
        loader.dispose()
    if composing:
        raise composing
    if problem:
        raise problem
    if not documents:
        raise YamlError("file has no content")
    return doc


def _plain(value: str) -> Any:
    """A plain (unquoted, untagged) scalar read by YAML 1.2 core rules."""
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    if value[0] in _NUMBER_START:
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):  # the pattern needs a digit, so "." or "-" stay text
            return float(value)
    return value


def _tagged(event: ScalarEvent, position: tuple[int, int]) -> Any:
    """A scalar written with a tag (rare): its tag settled as PyYAML's composer settles it, then read."""
    tag, value = event.tag, event.value
    if tag == "!":  # the non-specific tag: resolved from the value, as if untagged and plain
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
    if tag not in _ALLOWED_TAGS:
        raise YamlError(f"the tag {tag} is not allowed; only plain values are", *position)
    if event.style:  # quoted or block scalars are always text
        return value
    if tag == "tag:yaml.org,2002:str":
        return value  # an explicit !!str is the writer saying "this is text": ``!!str 09`` stays "09"
    return _plain(value)


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
