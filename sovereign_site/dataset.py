"""Load and validate the dataset: country files, dimensions, exchange rates, glossary.

``load_dataset`` is the one entry point. It reads every YAML file, validates it
against :mod:`sovereign_site.schema`, runs the checks that span a whole file or
several files (cited sources, codes against ISO lists, duplicates), and returns
a :class:`Dataset` of typed objects, or raises :class:`ContentError` with every
problem found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import gc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import parallel, schema
from .cache import BuildCache
from .errors import Report
from .yamlload import Document, Path_, YamlError, load, read_text

M = TypeVar("M", bound=BaseModel)

#: Common mistakes in country codes and what was meant.
CODE_HINTS = {"uk": "gb", "en": "gb", "ko": "kr", "kor": "kr", "ja": "jp", "zh": "cn", "usa": "us"}
#: Sources checked longer ago than this many days are stale (a warning).
DEFAULT_MAX_SOURCE_AGE_DAYS = 548  # 18 months


@dataclass
class Dataset:
    """Everything the site is built from, as typed objects."""

    countries: list[schema.Country]
    dimensions: list[schema.Dimension]
    fx: schema.Fx
    glossary: schema.Glossary
    #: Relative path and content hash of every file read, for the dataset version.
    files: dict[str, str] = field(default_factory=dict)
    report: Report | None = None

    def __post_init__(self) -> None:
        self.by_code = {c.code: c for c in self.countries}
        self._rates = {(r.currency, r.year): r for r in self.fx.rates}

    @functools.cached_property
    def version(self) -> str:
        """A short content hash of every data file: changes whenever the data does."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(f"{name}\0{self.files[name]}\0".encode())
        return digest.hexdigest()[:12]

    @functools.cached_property
    def as_of(self) -> dt.date:
        """The newest 'as of' date in the dataset: the date the data was last checked."""
        return max((c.as_of for c in self.countries), default=dt.date(2026, 1, 1))

    def rate(self, currency: str, year: int) -> schema.FxRate | None:
        """The rate for that year, or the nearest earlier (then later) year the file has."""
        if currency == "USD":
            return schema.FxRate(currency="USD", year=year, per_usd=1.0, source=self.fx.sources[0].id)
        for candidate in [year, *range(year - 1, year - 6, -1), *range(year + 1, year + 3)]:
            if (currency, candidate) in self._rates:
                return self._rates[(currency, candidate)]
        return None

    def to_usd(self, amount: float, currency: str, year: int) -> tuple[float, schema.FxRate] | None:
        rate = self.rate(currency, year)
        return (amount / rate.per_usd, rate) if rate else None


def iter_country_files(content: Path) -> Iterator[Path]:
    yield from sorted((content / "countries").glob("*.yaml"))


def load_dataset(
    content: Path,
    *,
    max_source_age_days: int = DEFAULT_MAX_SOURCE_AGE_DAYS,
    today: dt.date | None = None,
    cache: BuildCache | None = None,
    workers: int = 1,
) -> Dataset:
    """Read and validate everything under ``content``; raise ContentError on errors.

    With a cache, a country file whose text (and exchange rates) did not change
    since it last validated cleanly is not parsed again. With two ``workers``,
    a large dataset's files are parsed in two processes (see ``parse_all``).
    """
    # Everything loaded stays alive, so the cyclic garbage collector has nothing to
    # find here, yet it would walk the growing heap again and again (a cost that
    # grows faster than the number of files). It runs again once loading is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(content, max_source_age_days, today or dt.date.today(), cache, workers)
    finally:
        if was_enabled:
            gc.enable()


def _load(content: Path, max_source_age_days: int, today: dt.date, cache: BuildCache | None, workers: int) -> Dataset:
    report = Report(content.parent)
    files: dict[str, str] = {}

    def read(path: Path, model: type[M], parsed: Parsed | None = None) -> tuple[M | None, Document | None]:
        if not path.exists() and not path.is_symlink():  # a dangling link is read, to say what it is
            report.error(path, None, "file is missing")
            return None, None
        text_hash, doc = parsed or parse(path)
        if text_hash is not None:
            files[report.rel(path)] = text_hash
        if isinstance(doc, YamlError):
            report.error(path, doc.line, doc.message, doc.column)
            return None, None
        return validate(doc, model, report), doc

    dimensions, _ = read(content / "dimensions.yaml", schema.Dimensions)
    fx, fx_doc = read(content / "fx.yaml", schema.Fx)
    glossary, _ = read(content / "glossary.yaml", schema.Glossary)

    countries: list[schema.Country] = []
    seen: dict[str, Path] = {}
    known_dimensions = {d.id for d in dimensions.dimensions} if dimensions is not None else None
    # A cached result depends on the file's text and on the files it is checked against.
    shared = (files.get(report.rel(content / "fx.yaml")), files.get(report.rel(content / "dimensions.yaml")), max_source_age_days, today)
    paths = list(iter_country_files(content))
    keys: dict[Path, str] = {}
    hits: dict[Path, tuple[str, Any]] = {}
    if cache is not None:
        for path in paths:
            try:
                text_hash = _text_hash(path, cache)
            except (OSError, YamlError):
                continue
            keys[path] = cache.key("country", report.rel(path), text_hash, shared)
            hit = cache.get("country", keys[path])
            if hit is not None:
                hits[path] = (text_hash, hit)
    parsed = parse_all([path for path in paths if path not in hits], workers)

    for path in paths:
        if path in hits:
            text_hash, (country, problems, code_position) = hits[path]
            files[report.rel(path)] = text_hash
            report.problems.extend(problems)
            if _register(country, path, code_position, seen, report):
                countries.append(country)
            continue
        key = keys.get(path)
        parsed_path, outcome = next(parsed)
        assert parsed_path == path
        before = len(report.problems)
        country, doc = read(path, schema.Country, outcome)
        if country is None or doc is None:
            continue
        code_position = doc.locate(("code",))
        check_code(country.code, report, path, *code_position)
        check_country(country, doc, report, fx, max_source_age_days, today)
        if known_dimensions is not None:
            for facts_key in country.facts:
                if facts_key not in known_dimensions:
                    line, column = doc.locate_key(("facts", facts_key))
                    report.error(path, line, f"'{facts_key}' is not a dimension in dimensions.yaml", column, f"facts.{facts_key}")
        own = report.problems[before:]
        if cache is not None and key is not None and not any(p.severity == "error" for p in own):
            cache.put("country", key, (country, own, code_position))
        if _register(country, path, code_position, seen, report):
            countries.append(country)

    assert next(parsed, None) is None  # every file taken; this also waits for the child to finish
    if fx is not None and fx_doc is not None:
        check_sources(fx_doc, fx.sources, [r.source for r in fx.rates], report, max_source_age_days, today)
    if not countries and not report.errors:
        report.error(content / "countries", None, "no country files found")

    report.raise_if_errors()
    assert dimensions is not None and fx is not None and glossary is not None
    countries.sort(key=lambda c: c.code)
    return Dataset(countries, dimensions.dimensions, fx, glossary, files, report)


def _text_hash(path: Path, cache: BuildCache) -> str:
    """The hash of a file's text; a running ``serve`` rereads only files whose size or mtime changed."""
    try:
        stat = path.stat()
    except OSError:
        return "unreadable"  # parse() reports why, with the file named
    return cache.in_memory(
        "text-hash", (str(path), stat.st_mtime_ns, stat.st_size), lambda: hashlib.sha256(read_text(path).encode()).hexdigest()
    )


#: A file's text hash (None when it could not be read) and its document, or why it has none.
Parsed = tuple[str | None, Document | YamlError]

#: Below this many files, a second process costs more than it saves.
PARALLEL_PARSE_MIN = 50


def parse(path: Path) -> Parsed:
    try:
        text = read_text(path)
    except YamlError as exc:
        return None, exc
    text_hash = hashlib.sha256(text.encode()).hexdigest()
    try:
        return text_hash, load(path, text)
    except YamlError as exc:
        return text_hash, exc


def parse_all(paths: list[Path], workers: int) -> Iterator[tuple[Path, Parsed]]:
    """Parse files, yielding them in order; with two workers and many files, every other one in a forked child.

    Parsing is most of the time of loading a large dataset, and files are
    independent: while the parent parses and validates one file, the child
    parses the next. It sends back plain values and each file's position of
    ``code`` only (pickling every position would cost about what the split
    saves); a document that later needs another position, to report a problem,
    parses its file again (``Document.complete``). Files travel one at a time,
    so memory holds a few parsed files, not all of them.
    """
    if workers < 2 or len(paths) < PARALLEL_PARSE_MIN:
        for path in paths:
            yield path, parse(path)
        return

    def in_child() -> Iterator[Parsed]:
        for path in paths[1::2]:
            text_hash, doc = parse(path)
            if isinstance(doc, Document):
                code: Path_ = ("code",)
                doc = Document(doc.path, doc.data, {code: doc.positions[code]} if code in doc.positions else {}, complete=False)
            yield text_hash, doc

    with parallel.Child(in_child, stream=True) as child:
        theirs = child.items()
        for i, path in enumerate(paths):
            yield path, (parse(path) if i % 2 == 0 else next(theirs))
        child.result()


def _register(country: schema.Country, path: Path, position: tuple[int | None, int | None], seen: dict[str, Path], report: Report) -> bool:
    """Checks across files; returns False if the country must be left out (a duplicate)."""
    line, column = position
    if country.code in seen:
        report.error(path, line, f"duplicate country code '{country.code}' (also in {report.rel(seen[country.code])})", column, "code")
        return False
    seen[country.code] = path
    if path.stem != country.code:
        report.error(
            path, line, f"file name '{path.name}' does not match code '{country.code}'; name it {country.code}.yaml", column, "code"
        )
    return True


def validate(doc: Document, model: type[M], report: Report) -> M | None:
    """Validate a loaded document, turning pydantic's errors into positioned problems."""
    if not isinstance(doc.data, dict):
        line, column = doc.locate(())
        found = "a list" if isinstance(doc.data, list) else f"a single value ({doc.data!r})"
        report.error(doc.path, line, f"expected a mapping of keys to values at the top level, found {found}", column)
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in _dedupe(exc.errors(include_url=False)):
            loc = tuple(err["loc"])
            field_path = ".".join(str(p) for p in loc)
            if err["type"] in ("extra_forbidden", "missing"):
                line, column = doc.locate_key(loc)
            else:
                line, column = doc.locate(loc)
            report.error(doc.path, line, _plain(err, model, loc), column, field_path)
        return None


def _dedupe(errors: list[Any]) -> list[Any]:
    """A value that fails every branch of ``X | "unknown"`` yields one error per branch.

    Keep the most telling one per location: the first, skipping the "unknown"
    literal branch, so the message says what was expected rather than listing
    every alternative.
    """
    best: dict[tuple[Any, ...], Any] = {}
    for err in errors:
        # Pydantic appends the union branch to the location (e.g. ``list[Funding]``
        # or ``literal['unknown']``); strip those so the path is the YAML path.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _BRANCH_NAMES)))
        err = {**err, "loc": loc}
        if err["type"] == "literal_error" and "'unknown'" in err["msg"] and loc in best:
            continue
        if loc not in best or (best[loc]["type"] == "literal_error" and "'unknown'" in best[loc]["msg"]):
            best[loc] = err
    # A problem inside a value makes its parent's "unknown" branch noise.
    locs = set(best)
    return [e for loc, e in best.items() if not any(other[: len(loc)] == loc and other != loc for other in locs)]


_BRANCH_NAMES = {
    "Bilingual",
    "Archetype",
    "Regulation",
    "function-after",
    "function-before",
    "function-plain",
    "str",
    "int",
    "float",
    "constrained-str",
    "Names",
    "Fx",
    "Source",
    "lax-or-strict",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _plain(err: Any, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """Rewrite a pydantic error in plain words: what was found, what was expected."""
    kind, value = err["type"], err.get("input")
    key = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
        return f"unknown key '{key}'{suggestion}"
    if kind == "missing":
        return f"required key '{key}' is missing"
    if kind in ("string_type",):
        quote = " (put it in quotes)" if isinstance(value, (int, float, bool)) else ""
        return f"expected text, found {_describe(value)}{quote}"
    if kind in ("list_type",):
        return f"expected a list, found {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, found {_describe(value)}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"found {_describe(value)}, expected one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"found {_describe(value)}, which does not match the pattern {err['ctx']['pattern']}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return f"expected a number, found {_describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than"):
        return f"found {_describe(value)}; {err['msg'][0].lower()}{err['msg'][1:]}"
    if kind == "too_short":
        return f"expected at least {err['ctx']['min_length']} item(s), found {_describe(value)}"
    if kind == "string_too_short":
        return "expected text, found an empty value"
    message = err["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:]


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Follow ``loc`` through the model's fields to list the keys allowed there."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The first BaseModel type mentioned in an annotation such as ``list[X] | "unknown"``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def check_code(code: str, report: Report, path: Path, line: int | None, column: int | None) -> None:
    """Check a code against ISO 3166-1 / 3166-2 (``eu`` is allowed for the European Union)."""
    import pycountry

    if CODE_HINTS.get(code):
        report.error(path, line, f"'{code}' is not an ISO 3166 code; did you mean {CODE_HINTS[code]}?", column, "code")
        return
    if code == "eu":
        return
    if "-" in code:
        if pycountry.subdivisions.get(code=code.upper()) is None:
            report.error(path, line, f"'{code}' is not an ISO 3166-2 subdivision code", column, "code")
        return
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        report.error(path, line, f"'{code}' is not an ISO 3166-1 alpha-2 country code", column, "code")


def check_country(country: schema.Country, doc: Document, report: Report, fx: schema.Fx | None, max_age: int, today: dt.date) -> None:
    """Checks that span one file: sources cited and defined, unique ids, exchange rates."""
    cited: list[tuple[str, tuple[Any, ...]]] = []
    ids: dict[str, tuple[Any, ...]] = {}
    for path, mapping in _mappings(doc.data):
        if "sources" in mapping and path != ():
            for i, sid in enumerate(mapping["sources"] or []):
                cited.append((sid, (*path, "sources", i)))
        if isinstance(mapping.get("id"), str) and path and path[0] != "sources" and "archetype" not in path:
            if mapping["id"] in ids:
                line, column = doc.locate((*path, "id"))
                report.error(doc.path, line, f"duplicate id '{mapping['id']}' in this file", column, _dotted((*path, "id")))
            ids[mapping["id"]] = path
    defined = {s.id for s in country.sources}
    for sid, path in cited:
        if sid not in defined:
            line, column = doc.locate(path)
            hint = difflib.get_close_matches(sid, sorted(defined), n=1)
            report.error(
                doc.path,
                line,
                f"source '{sid}' is cited but not defined under sources" + (f"; did you mean '{hint[0]}'?" if hint else ""),
                column,
                _dotted(path),
            )
    check_sources(doc, country.sources, [sid for sid, _ in cited], report, max_age, today)
    if fx is not None and isinstance(country.funding, list):
        have = {r.currency for r in fx.rates} | {"USD"}
        for i, item in enumerate(country.funding):
            if item.currency not in have:
                line, column = doc.locate(("funding", i, "currency"))
                report.error(doc.path, line, f"no exchange rate for {item.currency} in content/fx.yaml", column, f"funding.{i}.currency")
    for key in ("documents", "funding", "compute", "models", "timeline", "regulation", "summary", "archetype"):
        if getattr(country, key) == schema.UNKNOWN:
            line, column = doc.locate((key,))
            report.warn(doc.path, line, "the whole dimension is unknown", column, key)


def check_sources(doc: Document, sources: list[schema.Source], cited: list[str], report: Report, max_age: int, today: dt.date) -> None:
    seen: set[str] = set()
    used = set(cited)
    for i, source in enumerate(sources):
        # Positions only for problems: finding one may mean parsing the file again (Document.complete).
        if source.id in seen:
            line, column = doc.locate(("sources", i, "id"))
            report.error(doc.path, line, f"source id '{source.id}' is defined twice", column, f"sources.{i}.id")
        seen.add(source.id)
        if source.id not in used:
            line, column = doc.locate(("sources", i, "id"))
            report.warn(doc.path, line, f"source '{source.id}' is defined but never cited", column, f"sources.{i}.id")
        if source.accessed > today:
            line, column = doc.locate(("sources", i, "accessed"))
            report.warn(
                doc.path,
                line,
                f"source '{source.id}' says it was checked on {source.accessed}, which is in the future; give the day it was read",
                column,
                f"sources.{i}.accessed",
            )
        elif (today - source.accessed).days > max_age:
            line, column = doc.locate(("sources", i, "accessed"))
            report.warn(
                doc.path,
                line,
                f"source '{source.id}' was last checked on {source.accessed}, more than {max_age} days ago",
                column,
                f"sources.{i}.accessed",
            )


def _mappings(value: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every mapping in a loaded file with its path, parents first, in document order.

    Iterative, and scalars are never visited: a thousand country files hold
    three million values, of which only the mappings matter here.
    """
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            yield path, node
            children = [((*path, key), child) for key, child in node.items() if isinstance(child, (dict, list))]
        else:
            children = [((*path, i), child) for i, child in enumerate(node) if isinstance(child, (dict, list))]
        stack.extend(reversed(children))


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)
