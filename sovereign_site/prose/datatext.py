"""Data references inside the dataset's own texts: summaries, notes, labels, archetype justifications.

A country file may write ``[[fig:kr.ai-budget-2026]]``, ``[[date:…]]``,
``[[ratio:…/…]]`` or ``[[country:…]]`` in any of its Korean/English texts, as
essays do. ``resolve_dataset`` replaces them once, right after loading, with
the formatted value in each text's language, so every page that prints the
text (country page, home card, compare tables, timeline, feeds, JSON and CSV
downloads) prints the same, current figure. A download therefore carries the
rendered plain text: a reader of the JSON sees "10조 1,000억 원", not a
directive only this site understands; the YAML files keep the references.

The result is plain text (no footnote, no link): templates and charts escape
it like any other data text, so a reference can never inject markup. A
reference that does not resolve is an error naming the file, the line and the
field (``summary.ko``).

Not resolved: source records (a title is quoted as published) and names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..data import schema
from ..data.dataset import Dataset
from ..data.errors import Report
from ..data.yamlload import YamlError, load
from .references import plain_refs, referenced_codes

FieldPath = tuple[str | int, ...]
#: What a text is resolved with: (text, language, field path) -> new text.
Resolver = Callable[[str, str, FieldPath], str]


def _text_fields(cls: type[BaseModel]) -> list[tuple[str, bool]]:
    """The fields of a model class that may hold a text with references: (name, is a plain-string note)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = []
        for name, info in cls.model_fields.items():
            shown = repr(info.annotation)
            if name == "note" and "Bilingual" not in shown:
                found.append((name, True))
            elif any(kind in shown for kind in _HOLDERS):
                found.append((name, False))
        _FIELDS[cls] = found
    return found


#: Model classes whose fields can lead to a text; a field typed only as numbers, dates or ids is never walked.
_HOLDERS = ("Bilingual", "Archetype", "Document", "Funding", "Compute", "FoundationModel", "Regulation", "Instrument",
            "Institution", "Milestone", "Fact", "Economy", "Population", "Gdp")  # fmt: skip
_FIELDS: dict[type[BaseModel], list[tuple[str, bool]]] = {}


def walk_texts(obj: Any, path: FieldPath, fix: Resolver) -> Any:
    """``obj`` with every text that holds a reference passed through ``fix``; unchanged objects are returned as they are.

    Korean texts resolve in Korean and English texts in English; a plain ``note``
    (economy figures) is English.
    """
    if isinstance(obj, schema.Bilingual):
        ko = fix(obj.ko, "ko", (*path, "ko")) if "[[" in obj.ko else obj.ko
        en = fix(obj.en, "en", (*path, "en")) if "[[" in obj.en else obj.en
        return obj if (ko is obj.ko and en is obj.en) else obj.model_copy(update={"ko": ko, "en": en})
    if isinstance(obj, BaseModel):
        updates = {}
        for name, plain in _text_fields(type(obj)):
            value = getattr(obj, name)
            if plain:
                if isinstance(value, str) and "[[" in value:
                    updates[name] = fix(value, "en", (*path, name))
                continue
            new = walk_texts(value, (*path, name), fix)
            if new is not value:
                updates[name] = new
        return obj.model_copy(update=updates) if updates else obj
    if isinstance(obj, list):
        items = [walk_texts(value, (*path, i), fix) for i, value in enumerate(obj)]
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    if isinstance(obj, dict):
        entries = {key: walk_texts(value, (*path, key), fix) for key, value in obj.items()}
        return obj if all(entries[k] is obj[k] for k in obj) else entries
    return obj


def locate_text(path: Path, field_path: FieldPath, needle: str, memo: dict[Path, Any] | None = None) -> int | None:
    """The line of ``needle`` inside the value at ``field_path`` (a folded text spans lines), or the value's first line.

    Only asked when there is a problem to report; ``memo`` keeps each file parsed once however many problems it has.
    """
    memo = {} if memo is None else memo
    if path not in memo:
        try:
            memo[path] = (load(path), path.read_text(encoding="utf-8").split("\n"))
        except (OSError, UnicodeDecodeError, YamlError):
            memo[path] = None
    if memo[path] is None:
        return None
    doc, lines = memo[path]
    start, _ = doc.locate(field_path)
    if start is None:
        return None
    # A folded text may break a long needle across lines: look for its first word.
    first = needle.split()[0] if needle.split() else needle
    for number in range(start, min(len(lines), start + 60) + 1):
        if first in lines[number - 1]:
            return number
    return start


def dotted(field_path: FieldPath) -> str:
    return ".".join(str(part) for part in field_path)


def resolve_dataset(dataset: Dataset, content: Path, report: Report, remembered: dict[str, Any] | None = None) -> Dataset:
    """The dataset with the references in its texts replaced; problems go to ``report``.

    ``dataset.text_inputs`` records, for each country whose texts name other
    countries, the content hashes of those files: a page cached by its own
    file's hash must be rebuilt when a figure it quotes changes elsewhere.

    ``remembered`` (``serve``'s memory, kept between rebuilds): a country whose
    file, whose quoted countries' files and whose shared files (rates,
    dimensions) are unchanged keeps the texts it was resolved to last time.
    After one edit, that is every country but one.
    """
    countries = []
    text_inputs: dict[str, str] = {}
    parsed: dict[Path, Any] = {}
    memo: dict[tuple[str, str, str], str] = {}
    shared = hashlib.sha256(repr(sorted((k, v) for k, v in dataset.files.items() if "/countries/" not in k)).encode()).hexdigest()

    def file_hash(code: str) -> str | None:
        return dataset.files.get(f"content/countries/{code}.yaml")

    for country in dataset.countries:
        own = file_hash(country.code)
        before = remembered.get(f"resolved/{country.code}") if remembered is not None and own else None
        if before is not None and before[:2] == (own, shared) and all(file_hash(code) == h for code, h in before[2].items()):
            countries.append(before[3])
            if before[4]:
                text_inputs[country.code] = before[4]
            continue
        errors_before = len(report.errors)
        file = content / "countries" / f"{country.code}.yaml"
        named: set[str] = set()

        def fix(text: str, lang: str, field_path: FieldPath, file: Path = file, named: set[str] = named) -> str:
            named.update(code for code in referenced_codes(text) if code in dataset.by_code)

            def fail(reference: str, message: str) -> None:
                report.error(file, locate_text(file, field_path, reference, parsed), message, field=dotted(field_path))

            return plain_refs(text, dataset, lang, fail, memo)

        resolved = walk_texts(country, (), fix)
        countries.append(resolved)
        others = sorted(named - {country.code})
        if others:
            text_inputs[country.code] = hashlib.sha256(
                "\0".join(f"{code}:{dataset.files.get(f'content/countries/{code}.yaml', '')}" for code in others).encode()
            ).hexdigest()[:16]
        if remembered is not None and own and len(report.errors) == errors_before:
            quoted = {code: file_hash(code) for code in others}
            remembered[f"resolved/{country.code}"] = (own, shared, quoted, resolved, text_inputs.get(country.code))
    if all(a is b for a, b in zip(countries, dataset.countries, strict=True)):
        return dataset
    return Dataset(
        countries, dataset.dimensions, dataset.fx, dataset.glossary, dataset.files, dataset.report, dataset.indicators, text_inputs
    )
