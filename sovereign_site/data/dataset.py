"""Load and validate the dataset: country files, dimensions, exchange rates, glossary.

``load_dataset`` is the one entry point. It reads every YAML file, validates it
against :mod:`.schema`, runs the checks that span a whole file or several
files (cited sources, codes against ISO lists, duplicates), and returns a
:class:`Dataset` of typed objects, or raises :class:`ContentError` with every
problem found. It knows nothing of caches or processes: the build passes in a
memo (which remembers validated files) and a parser (which may use two
processes), and without them it reads every file here, in order.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from . import schema
from .checks import check_code, check_country, check_sources
from .errors import Report
from .validation import validate
from .yamlload import Document, YamlError, load, read_text

M = TypeVar("M", bound=BaseModel)

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
    #: The like-for-like indicators (content/indicators.yaml; none when the file is absent).
    indicators: list[schema.Indicator] = field(default_factory=list)
    #: For a country whose texts quote figures of other countries ([[fig:jp.…]] in kr.yaml):
    #: a hash of those files, so a page cached by its own file's hash follows them too.
    text_inputs: dict[str, str] = field(default_factory=dict)

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


#: A file's text hash (None when it could not be read) and its document, or why it has none.
Parsed = tuple[str | None, Document | YamlError]
#: Parses files and yields ``(path, Parsed)`` in the order given.
ParseMany = Callable[[list[Path]], Iterator[tuple[Path, Parsed]]]


class Memo(Protocol):
    """What loading needs of a cache (the build's BuildCache is one): validated files by a key of their text."""

    def text_hash(self, path: Path) -> str: ...
    def key(self, *parts: object) -> str: ...
    def get(self, kind: str, key: str) -> Any | None: ...
    def put(self, kind: str, key: str, value: Any) -> None: ...


def iter_country_files(content: Path) -> Iterator[Path]:
    yield from sorted((content / "countries").glob("*.yaml"))


def load_dataset(
    content: Path,
    *,
    max_source_age_days: int = DEFAULT_MAX_SOURCE_AGE_DAYS,
    today: dt.date | None = None,
    memo: Memo | None = None,
    parse_many: ParseMany | None = None,
) -> Dataset:
    """Read and validate everything under ``content``; raise ContentError on errors.

    With a ``memo``, a country file whose text (and exchange rates) did not change
    since it last validated cleanly is not parsed again. ``parse_many`` parses the
    other country files, yielding them in order (the build's parses a large
    dataset in two processes: ``parallel.parse_all``).
    """
    # Everything loaded stays alive, so the cyclic garbage collector has nothing to
    # find here, yet it would walk the growing heap again and again (a cost that
    # grows faster than the number of files). It runs again once loading is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(content, max_source_age_days, today or dt.date.today(), memo, parse_many or parse_in_order)
    finally:
        if was_enabled:
            gc.enable()


def _load(content: Path, max_source_age_days: int, today: dt.date, cache: Memo | None, parse_many: ParseMany) -> Dataset:
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
    indicators = read(content / "indicators.yaml", schema.Indicators)[0] if (content / "indicators.yaml").exists() else None

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
                text_hash = cache.text_hash(path)
            except (OSError, YamlError):
                continue
            keys[path] = cache.key("country", report.rel(path), text_hash, shared)
            hit = cache.get("country", keys[path])
            if hit is not None:
                hits[path] = (text_hash, hit)
    parsed = parse_many([path for path in paths if path not in hits])

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
    _check_layers(countries, seen, report)
    _check_archetypes(countries, seen, report)
    if fx is not None and fx_doc is not None:
        check_sources(fx_doc, fx.sources, [r.source for r in fx.rates], report, max_source_age_days, today)
    if not countries and not report.errors:
        report.error(content / "countries", None, "no country files found")

    report.raise_if_errors()
    assert dimensions is not None and fx is not None and glossary is not None
    countries.sort(key=lambda c: c.code)
    return Dataset(countries, dimensions.dimensions, fx, glossary, files, report, indicators.indicators if indicators else [])


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


def parse_in_order(paths: list[Path]) -> Iterator[tuple[Path, Parsed]]:
    for path in paths:
        yield path, parse(path)


def _check_archetypes(countries: list[schema.Country], paths: dict[str, Path], report: Report) -> None:
    """One name per archetype: a typology whose "infrastructure-led" reads three ways in three files compares nothing."""
    first: dict[str, schema.Country] = {}
    for country in countries:
        arch = country.archetype
        if isinstance(arch, str):
            continue
        seen = first.setdefault(arch.id, country)
        other = seen.archetype
        assert not isinstance(other, str)
        if seen is not country and (arch.label.ko, arch.label.en) != (other.label.ko, other.label.en):
            _, doc = parse(paths[country.code])
            line, column = doc.locate(("archetype", "label")) if isinstance(doc, Document) else (None, None)
            report.warn(
                paths[country.code], line,
                f"archetype '{arch.id}' is named '{arch.label.ko}' / '{arch.label.en}' here but '{other.label.ko}' / "
                f"'{other.label.en}' in {report.rel(paths[seen.code])}; use one name per archetype",
                column, "archetype.label",
            )  # fmt: skip


def _check_layers(countries: list[schema.Country], paths: dict[str, Path], report: Report) -> None:
    """Each ``member_of`` code names a supranational file of this dataset (a layer can be left out: a warning)."""
    layers = {c.code: c for c in countries}
    for country in countries:
        hosts = [(i, k.counted_in) for i, k in enumerate(country.compute if isinstance(country.compute, list) else []) if k.counted_in]
        for i, code in hosts:
            host = layers.get(code)
            if host is None or country.code in host.member_of:
                continue
            _, doc = parse(paths[country.code])
            line, column = doc.locate(("compute", i, "counted_in")) if isinstance(doc, Document) else (None, None)
            report.error(
                paths[country.code],
                line,
                f"'{code}' is not a member of '{country.code}' (its file has no member_of: [{country.code}])",
                column,
                f"compute.{i}.counted_in",
            )
        for i, code in enumerate(country.member_of):
            layer = layers.get(code)
            if layer is not None and layer.layer == "supranational":
                continue
            path = paths[country.code]
            _, doc = parse(path)  # only on this rare path: the position of the offending entry
            line, column = doc.locate(("member_of", i)) if isinstance(doc, Document) else (None, None)
            if layer is None:
                report.warn(path, line, f"'{code}' is not in this dataset, so its rules are not shown here", column, f"member_of.{i}")
            else:
                report.error(
                    path, line, f"'{code}' is not a supranational layer (its file needs layer: supranational)", column, f"member_of.{i}"
                )


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
