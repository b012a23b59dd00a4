"""Pydantic's validation errors, turned into problems at a file, line and column, in plain words."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Report
from .yamlload import Document

M = TypeVar("M", bound=BaseModel)


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
