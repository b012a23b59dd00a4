"""What changed in a country file between two versions: its items, keyed by section and id, compared field by field.

Only the fields a reader audits are compared: an item's value, bound, status,
sector, dates and sources. An item is keyed by its section and id, so moving a
line, reformatting it or editing a label or note is no change. Where the two
versions come from (git, in the build) is not this module's business: it sees
parsed YAML and returns plain, picklable records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .types import UNKNOWN, _parse_quantity

#: The fields compared for each kind of item, in the order a change lists them.
TRACKED: dict[str, tuple[str, ...]] = {
    "documents": ("announced", "enacted", "in_force", "sources"),
    "funding": ("amount", "bound", "status", "sector", "period", "sources"),
    "compute": ("gpus", "petaflops", "bound", "status", "sector", "date", "target_date", "sources"),
    "models": ("params_total", "params_active", "bound", "status", "released", "sources"),
    "regulation.instruments": ("date", "sources"),
    "regulation.institutions": ("established", "sources"),
    "facts": ("value", "bound", "date", "sources"),
    "timeline": ("date", "sources"),
}
#: What a missing field means (the schema's defaults), so writing a default out is no change.
DEFAULTS = {"bound": "exact", ("funding", "status"): UNKNOWN, ("models", "status"): "released"}
QUANTITIES = {"amount", "amount_max", "gpus", "petaflops", "params_total", "params_active", "value"}
DATES = {"announced", "enacted", "in_force", "date", "target_date", "released", "established"}

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class Item:
    """One item as one version of a file has it: its label and its compared fields."""

    section: str
    id: str
    label: tuple[str, str]  # (ko, en)
    fields: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # None: the field was absent (or the item did not exist)
    new: Any


@dataclass(frozen=True, slots=True)
class ItemDiff:
    """How one item differs between two versions of its file."""

    section: str
    id: str
    kind: Kind
    label: tuple[str, str]
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """An item's change in one commit: the diff, with the country, the commit and its date and subject."""

    country: str
    diff: ItemDiff
    commit: str
    date: dt.datetime
    subject: str

    @property
    def uid(self) -> str:
        """Stable across builds (a commit's hash never changes): the feed's entry id."""
        return f"{self.commit}:{self.country}:{self.diff.section}:{self.diff.id}"

    @property
    def day(self) -> dt.date:
        return self.date.date()


Snapshot = dict[tuple[str, str], Item]


def items_of(data: Any) -> Snapshot:
    """Every id'd item of a parsed country file; whatever does not have the expected shape is skipped, never an error.

    Old versions in the history may predate today's schema or not validate at
    all: they are read as far as they go.
    """
    found: Snapshot = {}
    if not isinstance(data, dict):
        return found
    for section, entries in _sections(data):
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                kind = "facts" if section.startswith("facts.") else section
                fields = tuple((name, _field(kind, name, entry)) for name in TRACKED[kind])
                found[(section, entry["id"])] = Item(section, entry["id"], _label(entry), fields)
    return found


def _sections(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for section in ("documents", "funding", "compute", "models", "timeline"):
        yield section, data.get(section)
    regulation = data.get("regulation")
    if isinstance(regulation, dict):
        yield "regulation.instruments", regulation.get("instruments")
        yield "regulation.institutions", regulation.get("institutions")
    facts = data.get("facts")
    if isinstance(facts, dict):
        for dimension, entries in facts.items():
            yield f"facts.{dimension}", entries


def _label(entry: dict[str, Any]) -> tuple[str, str]:
    for key in ("label", "title", "name"):
        value = entry.get(key)
        if isinstance(value, dict) and isinstance(value.get("ko"), str) and isinstance(value.get("en"), str):
            return (value["ko"].strip(), value["en"].strip())
        if isinstance(value, str):
            return (value.strip(), value.strip())
    return (entry["id"], entry["id"])


def _field(kind: str, name: str, entry: dict[str, Any]) -> Any:
    """A field's value, normalised so that only a real change compares unequal (``1.46T`` equals 1460000000000)."""
    value = entry.get(name)
    if value is None:
        value = DEFAULTS.get((kind, name), DEFAULTS.get(name))
    if name == "amount":
        # The amount reads with its range and currency: one change, not three.
        return (_scalar("amount", value), _scalar("amount_max", entry.get("amount_max")), _text(entry.get("currency")))
    if name in ("gpus", "value"):
        return (_scalar(name, value), *_bilingual(entry.get("unit")))
    if name == "sources":
        return tuple(sorted(s for s in value if isinstance(s, str))) if isinstance(value, list) else ()
    return _scalar(name, value)


def _scalar(name: str, value: Any) -> Any:
    if value is None or value == UNKNOWN:
        return value
    if name in QUANTITIES and not isinstance(value, bool):
        try:
            number = _parse_quantity(value)
        except ValueError:  # pydantic's error is a ValueError: an old, invalid value is kept as written
            return _text(value)
        return int(number) if float(number).is_integer() else number
    return _text(value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, str | int | float | bool) else None


def _bilingual(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return (_text(value.get("ko")), _text(value.get("en")))
    return (None, None)


def diff(old: Snapshot, new: Snapshot) -> tuple[ItemDiff, ...]:
    """The items added, removed or changed from ``old`` to ``new``, in a fixed order."""
    out = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None and after is not None:
            fields = tuple(FieldChange(name, None, value) for name, value in after.fields if _present(value))
            out.append(ItemDiff(*key, "added", after.label, fields))
        elif after is None and before is not None:
            fields = tuple(FieldChange(name, value, None) for name, value in before.fields if _present(value))
            out.append(ItemDiff(*key, "removed", before.label, fields))
        elif before is not None and after is not None and before.fields != after.fields:
            was = dict(before.fields)
            fields = tuple(FieldChange(name, was.get(name), value) for name, value in after.fields if was.get(name) != value)
            out.append(ItemDiff(*key, "changed", after.label, fields))
    return tuple(out)


def _present(value: Any) -> bool:
    return value not in (None, ()) and not (isinstance(value, tuple) and value[0] is None)


@dataclass
class History:
    """Every change to every item, newest first, with indexes by country and by item."""

    changes: list[Change]
    #: The repository is a shallow clone: history before its oldest commit is missing.
    shallow: bool = False
    by_country: dict[str, list[Change]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_country = {}
        for change in self.changes:
            self.by_country.setdefault(change.country, []).append(change)

    def of_country(self, code: str) -> dict[str, list[Change]]:
        """A country's changes by ``"section/id"`` (the key the country page looks up), newest first."""
        items: dict[str, list[Change]] = {}
        for change in self.by_country.get(code, []):
            items.setdefault(f"{change.diff.section}/{change.diff.id}", []).append(change)
        return items

    def removed(self, code: str) -> list[list[Change]]:
        """The histories of a country's items whose latest change removed them."""
        return [found for found in self.of_country(code).values() if found[0].diff.kind == "removed"]
