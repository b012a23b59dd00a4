"""Numbers, money and dates formatted for a page's language.

Korean pages count in 만/억/조 (10^4, 10^8, 10^12) and English pages in
thousand/million/billion/trillion. Babel supplies the CLDR digit grouping and
date patterns, so both languages follow their locale's conventions.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from .data.schema import UNKNOWN, PartialDate

#: Currency symbols as readers of each language expect them.
_SYMBOLS = {"KRW": "₩", "USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "SGD": "S$"}
_KO_CURRENCY_NAMES = {"KRW": "원", "USD": "달러", "EUR": "유로", "GBP": "파운드", "CNY": "위안", "JPY": "엔", "SGD": "싱가포르달러"}

_KO_UNITS = [(10**12, "조"), (10**8, "억"), (10**4, "만")]
_EN_UNITS = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million")]
_EN_SHORT = [(10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k")]

BOUND_PREFIX = {
    "ko": {"exact": "", "about": "약 ", "up-to": "최대 ", "more-than": "", "at-least": "최소 "},
    "en": {"exact": "", "about": "about ", "up-to": "up to ", "more-than": "more than ", "at-least": "at least "},
}
#: Korean puts "more than" after the number: "1조 원 이상".
BOUND_SUFFIX_KO = {"more-than": " 이상"}


def half_up(value: float, digits: int = 0) -> Decimal:
    """Round as people do (2.5 -> 3), not as floats do (round(2.5) == 2); one rule for both languages."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def number(value: float, lang: str, digits: int = 2) -> str:
    """A plain number with locale grouping, trailing zeros dropped; at most two decimals are shown."""
    # Rounded once, here, to what is shown: Babel would round a second time otherwise.
    return format_decimal(half_up(value, min(digits, 2)), format="#,##0.##" if digits else "#,##0", locale=lang)


def korean_units(value: float, *, max_parts: int = 2) -> str:
    """1_010_000_000_000 -> "1조 100억"; 50_000 -> "5만"; 13_000 -> "1만 3,000".

    At most ``max_parts`` units are written; what lies below the last one is
    rounded into it (1조 9,999억 9,999만 -> "2조"), never cut off.
    """
    if value < 10**4:
        return number(value, "ko")
    sizes = [size for size, _ in _KO_UNITS] + [1]
    top = next(i for i, size in enumerate(sizes) if value >= size)
    step = sizes[min(top + max_parts - 1, len(sizes) - 1)]
    remainder = int(half_up(value / step)) * step
    parts: list[str] = []
    for size, unit in _KO_UNITS:
        if remainder >= size:
            count, remainder = divmod(remainder, size)
            parts.append(f"{number(count, 'ko', 0)}{unit}")
    if remainder:
        parts.append(number(remainder, "ko", 0))
    return " ".join(parts)


def _korean_decimal_unit(value: float) -> str:
    """10.1T -> "10.1조"; 193.6B -> "1,936억": one unit with a decimal when it reads better."""
    for size, unit in _KO_UNITS:
        if value >= size:
            scaled = value / size
            return f"{number(scaled, 'ko', 4)}{unit}"
    return number(value, "ko")


def english_units(value: float) -> str:
    """2_000_000_000 -> "2 billion"; 999_999_999_999 -> "1 trillion", rounded up into the next unit, never "1,000 billion"."""
    for i, (size, unit) in enumerate(_EN_UNITS):
        if value >= size:
            if i > 0 and half_up(value / size, 2) >= 1000:
                size, unit = _EN_UNITS[i - 1]
            return f"{number(value / size, 'en')} {unit}"
    return number(value, "en")


def short(value: float, lang: str) -> str:
    """Compact axis labels: 519B, 1.5T (English); 5,190억, 1.5조 (Korean)."""
    if lang == "ko":
        return _korean_decimal_unit(value)
    for size, unit in _EN_SHORT:
        if value >= size:
            return f"{number(value / size, 'en', 1)}{unit}"
    return number(value, "en")


def with_bound(text: str, bound: str, lang: str) -> str:
    prefix = BOUND_PREFIX[lang].get(bound, "")
    suffix = BOUND_SUFFIX_KO.get(bound, "") if lang == "ko" else ""
    return f"{prefix}{text}{suffix}"


def money(amount: float | str, currency: str, lang: str, bound: str = "exact", amount_max: float | None = None) -> str:
    """₩10.1T -> "10조 1,000억 원" (ko) or "₩10.1 trillion" (en)."""
    if amount == UNKNOWN:
        return unknown(lang)
    assert isinstance(amount, float | int)
    if lang == "ko":
        name = _KO_CURRENCY_NAMES.get(currency, currency)
        text = f"{korean_units(amount)} {name}"
        if amount_max:
            text = f"{korean_units(amount)}~{korean_units(amount_max)} {name}"
    else:
        symbol = _SYMBOLS.get(currency, currency + " ")
        text = f"{symbol}{english_units(amount)}"
        if amount_max:
            text = f"{symbol}{english_units(amount)}–{english_units(amount_max)}"
    return with_bound(text, bound, lang)


def _significant(value: float, digits: int = 3) -> float:
    """Round to a few significant figures: a converted amount is never more precise than its rate."""
    if value <= 0:
        return value
    from math import floor, log10

    return round(value, -floor(log10(value)) + digits - 1)


def usd(amount: float, lang: str, bound: str = "exact") -> str:
    """A converted amount, rounded to three significant figures: "약 71억 달러" / "about $7.1 billion".

    A bound the source gave ("up to", "more than") stays on the conversion too.
    """
    rounded = _significant(amount)
    text = f"약 {korean_units(rounded)} 달러" if lang == "ko" else f"about ${english_units(rounded)}"
    return with_bound(text, bound if bound not in ("exact", "about") else "exact", lang)


def count(value: int | float | str | None, lang: str, bound: str = "exact", unit: str = "") -> str:
    """50_000 GPUs -> "5만 장" / "50,000 GPUs"."""
    if value is None or value == UNKNOWN:
        return unknown(lang)
    assert isinstance(value, float | int)
    text = korean_units(value) if lang == "ko" else number(value, "en", 0)
    if unit:
        # A percent sign follows its number directly in both languages: "50%", never "50 %".
        text = f"{text}{unit}" if unit == "%" else f"{text} {unit}"
    return with_bound(text, bound, lang)


def params(value: float | str | None, lang: str, bound: str = "exact") -> str:
    """519e9 -> "5,190억 개" / "519B"."""
    if value is None or value == UNKNOWN:
        return unknown(lang)
    assert isinstance(value, float | int)
    text = f"{korean_units(value, max_parts=2)} 개" if lang == "ko" else short(value, "en")
    return with_bound(text, bound, lang)


def date(value: PartialDate | dt.date | str | None, lang: str) -> str:
    """A full, month-only or year-only date in the page's language."""
    if value is None or value == UNKNOWN:
        return unknown(lang)
    if isinstance(value, dt.date):
        value = PartialDate(value.year, value.month, value.day)
    assert isinstance(value, PartialDate)
    return _date(value, lang)


@lru_cache(maxsize=8192)
def _date(value: PartialDate, lang: str) -> str:
    # Babel's pattern formatting is slow and a big site formats the same dates thousands of times.
    if value.precision == "day":
        return _babel_date(value.first_day, format="long", locale=lang)
    if value.precision == "month":
        return _babel_date(value.first_day, format="yyyy년 M월" if lang == "ko" else "MMMM yyyy", locale=lang)
    return f"{value.year}년" if lang == "ko" else str(value.year)


def unknown(lang: str) -> str:
    return "알 수 없음" if lang == "ko" else "unknown"


def country_order(countries: list[Any], lang: str) -> list[Any]:
    """The one fixed order of countries, outside indicator pages (which order by value): Korea first
    on Korean pages, since Korean readers come first, then by code."""
    return sorted(countries, key=lambda c: (not (lang == "ko" and c.code == "kr"), c.code))
