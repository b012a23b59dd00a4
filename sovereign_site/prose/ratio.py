"""Computed ratios of two dataset figures: ``[[ratio:kr.ai-budget-2026/kr.ai-budget-2025]]`` → "약 3배" / "about 3×".

Both sides are ``CODE.ID`` or ``CODE.ID.FIELD`` as in ``[[fig:…]]``. What may
be divided:

* two money figures. In the same currency they are divided as they stand; in
  different currencies each is converted to US dollars at its own year's rate
  (``Dataset.to_usd``, the rate every chart and indicator uses), and a missing
  rate is an error;
* two counts of the same thing: GPUs by GPUs (a compute item's ``unit`` must
  match: GPUs are never divided by superchips), peak PFLOPS by PFLOPS,
  parameters by parameters, a fact's value by another with the same unit.

Anything else (money by GPUs, a range, an unknown or zero value) is an error.

Rounding, so a ratio never claims more precision than its figures:

* 10 or more: two significant figures ("약 20배", "about 150×");
* from 1 to 10: the nearest whole number when that is within 5% ("3.06" → "3"),
  otherwise one decimal ("4.6");
* below 1: two significant figures ("0.33").

The result reads "약 …배" / "about …×" unless both figures are exact and the
ratio is exactly the number shown. Bounds carry over: a numerator "up to"
makes the ratio "up to" (최대), "more than" or "at least" likewise; a
denominator "up to" turns the ratio into "at least" and a denominator "more
than"/"at least" into "up to". Two bounded figures give no meaningful ratio
and are refused.
"""

from __future__ import annotations

import math
from typing import Any

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, Compute, Fact, FoundationModel, Funding

#: Bounds that leave a figure a point estimate.
_POINT = ("exact", "about")
#: What a bounded denominator does to the ratio.
_INVERTED = {"up-to": "at-least", "at-least": "up-to", "more-than": "up-to"}


class RatioError(LookupError):
    """A ratio that cannot be computed; the message says why."""


def _quantity(item: Any, field_name: str | None) -> tuple[float, tuple[str, ...], str]:
    """The value, what it measures (money in a currency and year, or a count of a unit), and its bound."""
    bound = getattr(item, "bound", "exact")
    value: Any
    kind: tuple[str, ...]
    if isinstance(item, Funding) and field_name in (None, "amount"):
        if item.amount_max is not None:
            raise RatioError("is a range; a ratio needs a single figure")
        value, kind = item.amount, ("money", item.currency, str(item.year))
    elif isinstance(item, Compute) and field_name in (None, "gpus"):
        value, kind = item.gpus, ("count", item.unit.en if item.unit else "GPUs")
    elif isinstance(item, Compute) and field_name == "petaflops":
        value, kind, bound = item.petaflops, ("count", "PFLOPS"), "exact"
    elif isinstance(item, FoundationModel) and field_name in (None, "params_total", "params_active"):
        value, kind = getattr(item, field_name or "params_total"), ("count", "parameters")
        bound = bound if field_name != "params_active" else "exact"
    elif isinstance(item, Fact) and field_name in (None, "value"):
        value, kind = item.value, ("count", item.unit.en if item.unit else "")
    else:
        raise RatioError(f"has no figure{' ' + repr(field_name) if field_name else ''}")
    if value is None or value == UNKNOWN:
        raise RatioError("has no known value")
    assert isinstance(value, int | float)
    if value == 0:
        raise RatioError("is zero")
    return float(value), kind, bound


def _divide(dataset: Dataset, a: tuple[float, tuple[str, ...]], b: tuple[float, tuple[str, ...]], names: tuple[str, str]) -> float:
    (va, ka), (vb, kb) = a, b
    if ka[0] != kb[0]:
        raise RatioError(f"cannot divide {names[0]} ({_what(ka)}) by {names[1]} ({_what(kb)})")
    if ka[0] == "count":
        if ka[1] != kb[1]:
            raise RatioError(f"units differ: {names[0]} counts {ka[1] or 'a bare number'}, {names[1]} counts {kb[1] or 'a bare number'}")
        return va / vb
    if ka[1] == kb[1]:
        return va / vb
    # Different currencies: both in US dollars, each at the rate of its own year.
    converted = []
    for value, kind, name in ((va, ka, names[0]), (vb, kb, names[1])):
        usd = dataset.to_usd(value, kind[1], int(kind[2]))
        if usd is None:
            raise RatioError(f"no exchange rate for {kind[1]} around {kind[2]} in content/fx.yaml (needed for {name})")
        converted.append(usd[0])
    return converted[0] / converted[1]


def _what(kind: tuple[str, ...]) -> str:
    return f"money in {kind[1]}" if kind[0] == "money" else f"a count of {kind[1] or 'a bare number'}"


def rounded(value: float) -> float:
    """The ratio as shown, by the rules in the module docstring."""
    if value >= 10 or value < 1:
        return float(fmt.half_up(value, 1 - math.floor(math.log10(value))))
    whole = float(fmt.half_up(value))
    return whole if abs(value - whole) <= 0.05 * value else float(fmt.half_up(value, 1))


def ratio_text(dataset: Dataset, left: tuple[Any, str | None], right: tuple[Any, str | None], names: tuple[str, str], lang: str) -> str:
    """The ratio ``left / right`` as "약 3배" / "about 3×"; raises RatioError."""
    try:
        va, ka, ba = _quantity(*left)
    except RatioError as exc:
        raise RatioError(f"{names[0]} {exc}") from None
    try:
        vb, kb, bb = _quantity(*right)
    except RatioError as exc:
        raise RatioError(f"{names[1]} {exc}") from None
    if ba not in _POINT and bb not in _POINT:
        raise RatioError(f"both {names[0]} ({ba}) and {names[1]} ({bb}) are bounds; their ratio means nothing")
    value = _divide(dataset, (va, ka), (vb, kb), names)
    shown = rounded(value)
    exact = ba == bb == "exact" and ka[:2] == kb[:2] and shown == value
    number = fmt.number(shown, lang, 2)
    text = (f"{number}배" if lang == "ko" else f"{number}×") if exact else (f"약 {number}배" if lang == "ko" else f"about {number}×")
    bound = ba if ba not in _POINT else _INVERTED.get(bb, "exact")
    return fmt.with_bound(text, bound, lang)
