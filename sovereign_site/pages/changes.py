"""The change history as readers see it: each change in words per language, the ``/changes/`` list, ``changes.csv``.

The history itself is read by the build (from git) and handed in; nothing
here knows where it came from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import format as fmt
from ..data.changes import Change, FieldChange, History
from ..data.types import UNKNOWN, PartialDate
from .downloads import safe_cell
from .i18n import Catalogue

CHANGES_CSV = "data/changes.csv"
#: Changes listed on /changes/ and in the data feed; changes.csv has them all.
LATEST = 100

#: The message of each compared field's name (templates/messages/).
FIELD_MESSAGES = {
    "amount": "field.amount", "bound": "changes.field.bound", "status": "field.status", "sector": "field.sector",
    "period": "field.period", "sources": "field.sources", "gpus": "field.gpus", "petaflops": "field.petaflops",
    "date": "field.date", "target_date": "field.target_date", "params_total": "field.params_total",
    "params_active": "field.params_active", "released": "field.released", "announced": "field.announced",
    "enacted": "field.enacted", "in_force": "field.in_force", "established": "field.established", "value": "field.value",
}  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One field of a change, in words: ``old`` or ``new`` is None when the item was added or removed."""

    field: str
    old: str | None
    new: str | None


def describe(change: Change, lang: str, catalogue: Catalogue) -> list[Line]:
    """What changed, field by field, formatted for ``lang``; sources say which were added and removed."""
    lines = []
    for f in change.diff.fields:
        label = catalogue.get(FIELD_MESSAGES.get(f.field, "field.value"), lang)
        if f.field == "sources" and change.diff.kind == "changed":
            lines.append(Line(label, None, _sources(f)))
        elif f.field != "sources" or change.diff.kind == "changed":
            old = (
                None if f.old is None and change.diff.kind == "added" else value_text(f.field, f.old, lang, catalogue, change.diff.section)
            )
            new = (
                None
                if f.new is None and change.diff.kind == "removed"
                else value_text(f.field, f.new, lang, catalogue, change.diff.section)
            )
            lines.append(Line(label, old, new))
    return lines


def _sources(f: FieldChange) -> str:
    """``+new-source, −old-source``: the sources added and removed, not two long lists."""
    before, after = set(f.old or ()), set(f.new or ())
    return ", ".join([*(f"+{s}" for s in sorted(after - before)), *(f"−{s}" for s in sorted(before - after))])


def value_text(name: str, value: Any, lang: str, catalogue: Catalogue, section: str = "") -> str:
    """A compared field's value as the page shows it: money and counts per language, words for statuses."""
    if value is None or value == UNKNOWN:
        return "–" if value is None else fmt.unknown(lang)
    if isinstance(value, tuple) and name in ("amount", "gpus", "value"):
        number, *rest = value
        if number is None or number == UNKNOWN or not isinstance(number, int | float):
            return fmt.unknown(lang) if number == UNKNOWN else str(number or "–")
        if name == "amount":
            top = rest[0] if isinstance(rest[0], int | float) else None
            return fmt.money(number, rest[1] or "", lang, amount_max=top)
        unit = rest[0] if lang == "ko" else rest[1]
        return fmt.count(number, lang, unit=unit or (catalogue.get("unit.gpus", lang) if name == "gpus" else ""))
    if isinstance(value, tuple):
        return ", ".join(value) or "–"
    if isinstance(value, int | float):
        return fmt.params(value, lang) if name.startswith("params") else f"{fmt.number(value, lang)} PF"
    if name in ("bound", "status", "sector"):
        # A funding status (spent, budgeted, planned…) is worded apart from a model's or a computer's.
        words = "indicator.status" if (name, section) == ("status", "funding") else name
        for key in (f"changes.{name}.{value}", f"{words}.{value}"):
            if key in catalogue.messages:
                return catalogue.get(key, lang)
    if name in ("announced", "enacted", "in_force", "date", "target_date", "released", "established"):
        try:
            return fmt.date(PartialDate.parse(value), lang)
        except ValueError:
            pass
    return str(value)


def for_country(history: History | None, code: str, present: set[str]) -> tuple[dict[str, list[Change]], list[list[Change]]]:
    """A country page's histories by ``section/id``, and those of removed items no longer in the file."""
    if history is None:
        return {}, []
    return history.of_country(code), [found for found in history.removed(code) if found[0].diff.id not in present]


def present_ids(country: Any) -> set[str]:
    """The ids a country page gives anchors to (``item-<code>-<id>``)."""
    ids: set[str] = set()
    for section in (country.documents, country.funding, country.compute, country.models, country.timeline, *country.facts.values()):
        if isinstance(section, list):
            ids.update(item.id for item in section)
    if not isinstance(country.regulation, str):
        for part in (country.regulation.instruments, country.regulation.institutions):
            if isinstance(part, list):
                ids.update(item.id for item in part)
    return ids


#: Changes per item a country's history page shows, newest first; changes.csv has the rest.
ITEM_HISTORY_SHOWN = 10


def commits_of(groups: list[tuple[str, list[ItemHistory]]]) -> list[Change]:
    """One change per commit shown on a history page (for its date and subject), newest first."""
    seen: dict[str, Change] = {}
    for _, items in groups:
        for entry in items:
            for change in entry.changes[:ITEM_HISTORY_SHOWN]:
                seen.setdefault(change.commit, change)
    return sorted(seen.values(), key=lambda c: c.date, reverse=True)


@dataclass(frozen=True)
class ItemHistory:
    """One item's changes, newest first, and the page (under the language prefix) where it stands now; None once removed."""

    changes: list[Change]
    page: str | None


def history_groups(
    item_changes: dict[str, list[Change]], country: Any, headings: dict[str, str], removed: str
) -> list[tuple[str, list[ItemHistory]]]:
    """A country's item histories for its history page, grouped under ``headings`` (by section: a dimension's
    kind or ``facts.<id>``, ``regulation.*``, ``timeline``) in their order, removed items last, newest change first."""
    present = present_ids(country)
    events = {m.id for m in country.timeline} if isinstance(country.timeline, list) else set()
    groups: dict[str, list[ItemHistory]] = {heading: [] for heading in [*headings.values(), removed]}
    for found in sorted(item_changes.values(), key=lambda f: f[0].date, reverse=True):
        diff = found[0].diff
        if diff.id not in present:
            groups[removed].append(ItemHistory(found, None))
            continue
        # An item can move between sections; it links to where it stands now.
        page = f"countries/{country.code}/timeline/" if diff.id in events else f"countries/{country.code}/"
        key = diff.section if diff.section in headings else diff.section.split(".")[0]
        groups.setdefault(headings.get(key, diff.section), []).append(ItemHistory(found, page))
    return [(heading, items) for heading, items in groups.items() if items]


CSV_COLUMNS = ["date", "commit", "subject", "country", "section", "id", "label_ko", "label_en", "change", "field", "old", "new"]


def changes_csv(changes: Iterable[Change]) -> str:
    """One row per changed field, newest first; every cell goes through ``safe_cell`` (no cell starts a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in changes:
        d = c.diff
        head = [c.date.isoformat(), c.commit, c.subject, c.country, d.section, d.id, d.label[0], d.label[1], d.kind]
        for f in d.fields or (FieldChange("", None, None),):
            writer.writerow([safe_cell(cell) for cell in [*head, f.field, raw_text(f.field, f.old), raw_text(f.field, f.new)]])
    return buffer.getvalue()


def raw_text(name: str, value: Any) -> str:
    """A value as the CSV gives it: numbers in full, an amount with its range and currency, a count with its unit."""
    if value is None:
        return ""
    if isinstance(value, tuple) and name == "amount":
        amount, top, currency = value
        return f"{_number(amount)}{'-' + _number(top) if top is not None else ''} {currency or ''}".strip()
    if isinstance(value, tuple) and name in ("gpus", "value"):
        number, _, unit_en = value
        return f"{_number(number)} {unit_en or ''}".strip()
    if isinstance(value, tuple):
        return " ".join(value)
    return _number(value)


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def summary(change: Change, lang: str, catalogue: Catalogue) -> str:
    """One line saying what changed: a feed entry's text."""
    parts = []
    for line in describe(change, lang, catalogue):
        if line.old is not None and line.new is not None:
            parts.append(f"{line.field}: {line.old} → {line.new}")
        else:
            parts.append(f"{line.field}: {line.new if line.new is not None else line.old}")
    kind = catalogue.get(f"changes.kind.{change.diff.kind}", lang)
    return f"{kind}. {'; '.join(parts)}" if parts else kind
