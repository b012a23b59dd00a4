"""format.py, table by table: every unit boundary and every bound, in Korean and English.

Expected strings are written out by hand. Nothing here calls the module to work out
what the module should print.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sovereign_site import format as fmt
from sovereign_site.data.schema import PartialDate

KOREAN_UNITS = [
    (0, "0"),
    (1, "1"),
    (9_999, "9,999"),
    (10_000, "1만"),  # the first 만: never "10,000"
    (10_001, "1만 1"),
    (13_000, "1만 3,000"),
    (50_000, "5만"),
    (99_999_999, "9,999만 9,999"),
    (100_000_000, "1억"),
    (100_010_000, "1억 1만"),
    (146_000_000_000, "1,460억"),
    (999_999_999_999, "1조"),  # 9,999억 9,999만… rounds up into 조
    (1_000_000_000_000, "1조"),
    (1_010_000_000_000, "1조 100억"),
    (1_460_000_000_000, "1조 4,600억"),
    (1_999_999_999_999, "2조"),  # rounded, not cut to "1조 9,999억"
    (1_999_949_999_999, "1조 9,999억"),  # …and below half of the last unit, rounded down
    (1_000_050_000_000, "1조 1억"),  # exactly half rounds up
    (10_100_000_000_000, "10조 1,000억"),
]


@pytest.mark.parametrize(("value", "expected"), KOREAN_UNITS)
def test_korean_units(value: float, expected: str) -> None:
    assert fmt.korean_units(value) == expected


def test_korean_units_with_one_part_rounds_into_it() -> None:
    assert fmt.korean_units(1_960_000_000_000, max_parts=1) == "2조"
    assert fmt.korean_units(1_440_000_000_000, max_parts=1) == "1조"
    assert fmt.korean_units(99_995_000, max_parts=1) == "1억"


ENGLISH_UNITS = [
    (999_999, "999,999"),
    (1_000_000, "1 million"),
    (12_345_678, "12.35 million"),
    (999_994_999, "999.99 million"),
    (999_999_999, "1 billion"),  # never "1,000 million"
    (193_600_000_000, "193.6 billion"),
    (999_999_999_999, "1 trillion"),
    (1_999_999_999_999, "2 trillion"),
    (10_100_000_000_000, "10.1 trillion"),
]


@pytest.mark.parametrize(("value", "expected"), ENGLISH_UNITS)
def test_english_units(value: float, expected: str) -> None:
    assert fmt.english_units(value) == expected


def test_both_languages_round_the_same_amount_the_same_way() -> None:
    """The reviewer's case: 1,999,999,999,999 won is 2조 in Korean and ₩2 trillion in English."""
    assert fmt.money(1_999_999_999_999, "KRW", "ko") == "2조 원"
    assert fmt.money(1_999_999_999_999, "KRW", "en") == "₩2 trillion"
    assert fmt.number(2.5, "en", 0) == "3" and fmt.number(2.5, "ko", 0) == "3"
    assert fmt.number(0.125, "en") == "0.13"


MONEY = [
    # amount, currency, bound, amount_max, Korean, English
    (10.1e12, "KRW", "exact", None, "10조 1,000억 원", "₩10.1 trillion"),
    (10.1e12, "KRW", "about", None, "약 10조 1,000억 원", "about ₩10.1 trillion"),
    (260e9, "USD", "up-to", None, "최대 2,600억 달러", "up to $260 billion"),
    (1e12, "KRW", "more-than", None, "1조 원 이상", "more than ₩1 trillion"),
    (500e6, "EUR", "at-least", None, "최소 5억 유로", "at least €500 million"),
    (2e12, "KRW", "exact", 2.5e12, "2조~2조 5,000억 원", "₩2 trillion–2.5 trillion"),
    (1.5e9, "GBP", "up-to", 2e9, "최대 15억~20억 파운드", "up to £1.5 billion–2 billion"),
    (54e9, "EUR", "exact", None, "540억 유로", "€54 billion"),
    (1.46e12, "KRW", "exact", None, "1조 4,600억 원", "₩1.46 trillion"),
    (27e9, "SGD", "exact", None, "270억 싱가포르달러", "S$27 billion"),
    (5e9, "CHF", "exact", None, "50억 CHF", "CHF 5 billion"),
    ("unknown", "KRW", "exact", None, "알 수 없음", "unknown"),
]


@pytest.mark.parametrize(("amount", "currency", "bound", "amount_max", "ko", "en"), MONEY)
def test_money(amount: float | str, currency: str, bound: str, amount_max: float | None, ko: str, en: str) -> None:
    assert fmt.money(amount, currency, "ko", bound, amount_max) == ko
    assert fmt.money(amount, currency, "en", bound, amount_max) == en


USD = [
    (7_214_285_714, "exact", "약 72억 1,000만 달러", "about $7.21 billion"),
    (7_214_285_714, "about", "약 72억 1,000만 달러", "about $7.21 billion"),
    (1_042_857_143, "up-to", "최대 약 10억 4,000만 달러", "up to about $1.04 billion"),
    (1_042_857_143, "more-than", "약 10억 4,000만 달러 이상", "more than about $1.04 billion"),
    (1_042_857_143, "at-least", "최소 약 10억 4,000만 달러", "at least about $1.04 billion"),
    (1_428_571_428.57, "exact", "약 14억 3,000만 달러", "about $1.43 billion"),
    (63_882_645_215, "exact", "약 639억 달러", "about $63.9 billion"),
]


@pytest.mark.parametrize(("amount", "bound", "ko", "en"), USD)
def test_converted_dollars_keep_the_bound(amount: float, bound: str, ko: str, en: str) -> None:
    assert fmt.usd(amount, "ko", bound) == ko
    assert fmt.usd(amount, "en", bound) == en


COUNTS = [
    (50_000, "exact", "5만", "50,000"),
    (13_000, "exact", "1만 3,000", "13,000"),
    (260_000, "up-to", "최대 26만", "up to 260,000"),
    (9_999, "more-than", "9,999 이상", "more than 9,999"),
    (10_000, "about", "약 1만", "about 10,000"),
    ("unknown", "exact", "알 수 없음", "unknown"),
    (None, "exact", "알 수 없음", "unknown"),
]


@pytest.mark.parametrize(("value", "bound", "ko", "en"), COUNTS)
def test_count(value: int | str | None, bound: str, ko: str, en: str) -> None:
    assert fmt.count(value, "ko", bound) == ko
    assert fmt.count(value, "en", bound) == en


def test_count_with_a_unit() -> None:
    assert fmt.count(50_000, "ko", unit="장") == "5만 장"
    assert fmt.count(8_496, "en", "about", unit="GPUs") == "about 8,496 GPUs"


PARAMS = [
    (519e9, "exact", "5,190억 개", "519B"),
    (33e9, "exact", "330억 개", "33B"),
    (1.5e12, "about", "약 1조 5,000억 개", "about 1.5T"),
    (14.74e9, "exact", "147억 4,000만 개", "14.7B"),
    (300e9, "up-to", "최대 3,000억 개", "up to 300B"),
    ("unknown", "exact", "알 수 없음", "unknown"),
]


@pytest.mark.parametrize(("value", "bound", "ko", "en"), PARAMS)
def test_params(value: float | str, bound: str, ko: str, en: str) -> None:
    assert fmt.params(value, "ko", bound) == ko
    assert fmt.params(value, "en", bound) == en


SHORT = [
    (519e9, "5,190억", "519B"),
    (1.5e12, "1.5조", "1.5T"),
    (20e3, "2만", "20k"),
    (999, "999", "999"),
]


@pytest.mark.parametrize(("value", "ko", "en"), SHORT)
def test_short_axis_labels(value: float, ko: str, en: str) -> None:
    assert fmt.short(value, "ko") == ko
    assert fmt.short(value, "en") == en


DATES = [
    (PartialDate(2026, 1, 22), "2026년 1월 22일", "January 22, 2026"),
    (PartialDate(2025, 10), "2025년 10월", "October 2025"),
    (PartialDate(2019), "2019년", "2019"),
    (dt.date(2024, 12, 26), "2024년 12월 26일", "December 26, 2024"),
    ("unknown", "알 수 없음", "unknown"),
    (None, "알 수 없음", "unknown"),
]


@pytest.mark.parametrize(("value", "ko", "en"), DATES)
def test_dates(value: PartialDate | dt.date | str | None, ko: str, en: str) -> None:
    assert fmt.date(value, "ko") == ko
    assert fmt.date(value, "en") == en


BOUNDS = [
    ("exact", "100", "100"),
    ("about", "약 100", "about 100"),
    ("up-to", "최대 100", "up to 100"),
    ("more-than", "100 이상", "more than 100"),
    ("at-least", "최소 100", "at least 100"),
]


@pytest.mark.parametrize(("bound", "ko", "en"), BOUNDS)
def test_every_bound_in_both_languages(bound: str, ko: str, en: str) -> None:
    assert fmt.with_bound("100", bound, "ko") == ko
    assert fmt.with_bound("100", bound, "en") == en


def test_a_percent_sign_follows_its_number() -> None:
    assert fmt.count(50, "ko", "more-than", "%") == "50% 이상"
    assert fmt.count(50, "en", "exact", "%") == "50%"
