"""Figures typed by hand in prose that equal a dataset value: ``validate`` warns, ``validate --strict`` fails.

A figure in a summary, a note or an essay should be a data reference
(``[[fig:kr.gpu-state-target]]``), so it follows the data when the data
changes. This check reads the prose (essay bodies; the Korean and English texts
of country files: summaries, notes, labels, justifications, roles) with every
data reference, code span, link target and footnote taken out, finds the
numbers in what is left, and reports each one that equals a dataset value,
naming the file, the line, the field (for YAML) and the reference to write.

How a number is read:

* Korean units: ``10조 1천억 원`` = 10.1 × 10¹², ``6만 5천 장`` = 65,000,
  ``2,929억 원`` = 292.9 × 10⁹, ``3천만 원`` = 3 × 10⁷ (조/억/만 with 천/백).
* English scales: ``$2 billion``, ``2bn``, ``₩292.9B``, ``€109B``, ``20k``
  (a one-letter scale must touch the number: ``768 B200`` is 768).
* Money: a currency sign or code before (₩ $ US$ S$ € £ ¥ KRW USD…) or a
  currency word after (원 달러 유로 파운드 위안 엔; won dollars euros pounds
  yuan yen). Money is compared only with money in the same currency (funding
  amounts and their upper ends, GDP); other numbers only with counts (GPUs,
  PFLOPS, parameters, fact values, population).

What is not a figure (so no false alarm):

* years: a bare 1900–2100 with no grouping comma, scale or currency; any
  number followed by 년/年; ISO dates (``2026-01-22``) and ranges (``2027-28``,
  ``2027~2028년``);
* dates and durations: a number followed by 월, 일, 시, 분, 초, 개월, 주, or by
  an English month name, or preceded by one (``26 December``, ``December 26``);
  English ``years``, ``months``, ``weeks``, ``days``, ``hours`` after a number;
* ordinals and labels: 제51조, 6호기, 1차, 3기, 2단계, 두 번째, 1위, 1st,
  ``Article 51``, ``No. 6``, ``Phase 2``, ``v4``, ``GPT-4``, ``B200``,
  ``Qwen3``, ``8x7B``, ``3.0`` in a version: a number touching a letter, a
  hyphen or a dot on its left, or a letter on its right (other than a scale);
* exponents: ``10²⁶``, ``10^26``;
* list numbers (``1.`` opening a line) and footnote labels and definitions
  (``[^1]``, ``[^nvidia]: …``: a footnote quotes a source's title as published);
* small numbers: a plain number below 10 with no scale or currency (``3년마다``,
  ``five``; number words are never read);
* essay front matter, source records and names.

A number matches a value when it is the value exactly, or when it has at least
two significant digits and is the value rounded to the precision written
(``6만 5천`` matches 65,400; ``약 3조`` does not match 3.3 × 10¹²).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data.dataset import Dataset
from ..data.errors import Report
from ..data.schema import UNKNOWN
from ..data.yamlload import YamlError, load, read_text
from .references import _REF

_KO_BIG = {"조": 1e12, "억": 1e8, "만": 1e4}
_KO_SMALL = {"천": 1e3, "백": 1e2}
_EN_WORDS = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "thousand": 1e3}
_EN_LETTERS = {"T": 1e12, "B": 1e9, "M": 1e6, "m": 1e6, "k": 1e3, "K": 1e3}
_SIGNS = [("US$", "USD"), ("S$", "SGD"), ("₩", "KRW"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "CNY JPY")]
_CODES = ("KRW", "USD", "EUR", "GBP", "CNY", "JPY", "SGD", "INR", "CAD", "TWD", "AED")
_WORDS_AFTER = [
    ("싱가포르달러", "SGD"), ("싱가포르 달러", "SGD"), ("달러", "USD"), ("유로", "EUR"), ("파운드", "GBP"), ("위안", "CNY"),
    ("원", "KRW"), ("엔", "JPY"), ("won", "KRW"), ("dollars", "USD"), ("dollar", "USD"), ("euros", "EUR"), ("euro", "EUR"),
    ("pounds", "GBP"), ("yuan", "CNY"), ("renminbi", "CNY"), ("yen", "JPY"), ("US dollars", "USD"), ("Singapore dollars", "SGD"),
]  # fmt: skip
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_KO_PART = re.compile(r"\s?(천|백)?(조|억|만)?")
_NEXT_PART = re.compile(r"\s(\d{1,3}(?:,\d{3})+|\d+)(?:(천|백)?(조|억|만)?)")
_EN_SCALE = re.compile(r"(?:\s?(trillion|billion|million|thousand|tn|bn|mn)|([TBMmkK]))(?![A-Za-z0-9])")
_NOT_AFTER = re.compile(
    r"(?:년|年|월|일|시|분|초|개월|주|호|차|기|단계|번째|위|회|세기|[²³¹⁰⁴-⁹^]|(?:st|nd|rd|th)\b|(?!PF)[A-Za-z]|\s(?:years?|months?|weeks?|days?|hours?|"
    + _MONTHS
    + r")\b)"
)
_NOT_BEFORE = re.compile(
    r"(?:[A-Za-z0-9_.,/#^\-–~]|제|(?:Article|Art\.|Section|No\.|no\.|Phase|phase|Tier|page|p\.|pp\.|Chapter|version|Version|§|"
    + _MONTHS
    + r")\s?)$"
)
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:")
_STRIP = re.compile(r"\[\^[^\]]+\]|\]\([^)]*\)|<https?://[^>]*>|https?://\S+|`[^`\n]*`|^\s*\d+[.)]\s")
#: Unit words after a count, and what they count. A count is compared only with values of the same
#: kind (or either of no stated kind): "50 recommendations" is not the 50% of a fact.
_KINDS = [
    ("gpu", re.compile(r"^(?:장|GPUs?|chips?|superchips?|accelerators?|칩|슈퍼칩)$")),
    ("pf", re.compile(r"^(?:PF|PFLOPS|petaflops|페타플롭스)$")),
    ("params", re.compile(r"^(?:parameters?|params|파라미터)")),
    ("percent", re.compile(r"^(?:%|percent|퍼센트)$")),
    ("people", re.compile(r"^(?:명|people|practitioners|researchers|workers|engineers|residents|인력|인재)")),
    ("power", re.compile(r"^(?:[kMG]W|MWh|GWh|TWh|megawatts?|gigawatts?|메가와트|기가와트)$")),
]
#: Which written kinds may stand for which value kinds ("개" counts parameters and other things alike).
_COMPATIBLE = {"개": {"params", "other"}}
#: Keys of a country file whose Korean/English texts are prose of ours.
_PROSE_KEYS = frozenset({"summary", "justification", "note", "label", "role"})


@dataclass(frozen=True)
class Written:
    """A number as written in prose."""

    text: str
    start: int
    value: float
    precision: float
    currency: str | None  # space-separated codes for ¥ (CNY or JPY); None for a count
    plain: bool  # no scale, no currency, no grouping comma
    kind: str | None = None  # what a count counts (gpu, pf, params, percent, people, other, 개), None if unsaid


def numbers(line: str) -> Iterator[Written]:
    """The figures written in one line of prose (see the module docstring for what counts)."""
    pos = 0
    while (m := _NUMBER.search(line, pos)) is not None:
        pos = m.end()
        if _NOT_BEFORE.search(line[max(0, m.start() - 12) : m.start()]):
            continue
        value, precision = _parsed(m.group())
        end, scaled = m.end(), False
        korean = _korean(line, end, value, precision)
        if korean is not None:
            value, precision, end = korean
            scaled = True
        elif scale := _EN_SCALE.match(line, end):
            factor = _EN_WORDS.get(scale.group(1) or "", 0) or _EN_LETTERS[scale.group(2)]
            value, precision, end, scaled = value * factor, precision * factor, scale.end(), True
        after = line[end : end + 12]
        if (not scaled and _NOT_AFTER.match(after)) or after.startswith(("년", "年")):
            continue
        currency = _currency(line, m.start(), end)
        plain = not scaled and currency is None and "," not in m.group()
        if plain and (value < 10 or (value.is_integer() and 1900 <= value <= 2100)):
            continue
        pos = end
        kind = None if currency else _kind(line[end : end + 40])
        yield Written(line[m.start() : end].strip(), m.start(), value, precision, currency, plain, kind)


def _kind(after: str) -> str | None:
    """What the words after a count say it counts: the first unit word among the next two, or "other" for another word."""
    words = re.findall(r"%|[A-Za-z]+|[가-힣]+", after)[:2]
    for word in words:
        for kind, pattern in _KINDS:
            if pattern.match(word):
                return kind
    first = words[0] if words else ""
    if first and ((first[0].isascii() and first.isalpha()) or first[0] in "건점곳팀종편명"):
        return "other"
    return "개" if first.startswith("개") else None


def _parsed(digits: str) -> tuple[float, float]:
    """A written number and the place value of its last digit: "292.9" -> (292.9, 0.1)."""
    digits = digits.replace(",", "")
    return float(digits), 10.0 ** -(len(digits.split(".")[1]) if "." in digits else 0)


def _korean(line: str, end: int, value: float, precision: float) -> tuple[float, float, int] | None:
    """A number in Korean units from ``end`` on (10조 1천억, 6만 5천, 1만 3,000): value, precision, end; None if no unit."""
    total, last, found = 0.0, math.inf, False
    while True:
        unit = _KO_PART.match(line, end)
        small, big = (unit.group(1), unit.group(2)) if unit else (None, None)
        if not small and not big:
            break
        factor = (_KO_SMALL[small] if small else 1) * (_KO_BIG[big] if big else 1)
        if factor >= last:
            break
        assert unit is not None
        total, precision, end, last, found = total + value * factor, precision * factor, unit.end(), factor, True
        if not big:
            break  # 5천 closes the number
        following = _NEXT_PART.match(line, end)
        if following is None:
            break
        value, step = _parsed(following.group(1))
        if following.group(2) or following.group(3):
            end = following.end(1)
            precision = step
            continue
        if "," in following.group(1) and value < last:  # a remainder in digits: 1만 3,000
            total, precision, end = total + value, step, following.end(1)
        break
    return (total, precision, end) if found else None


def _currency(line: str, start: int, end: int) -> str | None:
    before = line[max(0, start - 4) : start].rstrip()
    for sign, code in _SIGNS:
        if before.endswith(sign):
            return code
    for code in _CODES:
        if before.endswith(code) or line[end : end + 4].strip().startswith(code):
            return code
    after = line[end : end + 20].lstrip()
    for word, code in _WORDS_AFTER:
        if (
            after.startswith(word)
            and not (word == "엔" and after.startswith("엔비"))
            and not (word.isascii() and after[len(word) : len(word) + 1].isalpha())
        ):
            return code
    return None


@dataclass(frozen=True)
class Value:
    """A dataset value and the reference that prints it."""

    value: float
    currency: str | None
    reference: str
    kind: str | None = None


def dataset_values(dataset: Dataset) -> list[Value]:
    out: list[Value] = []

    def add(value: Any, currency: str | None, reference: str, kind: str | None = None) -> None:
        if isinstance(value, int | float) and value != 0:
            out.append(Value(float(value), currency, reference, kind))

    for c in dataset.countries:
        for f in c.funding if isinstance(c.funding, list) else []:
            add(f.amount, f.currency, f"[[fig:{c.code}.{f.id}]]")
            add(f.amount_max, f.currency, f"[[fig:{c.code}.{f.id}]]")
        for k in c.compute if isinstance(c.compute, list) else []:
            add(k.gpus, None, f"[[fig:{c.code}.{k.id}]]", "gpu")
            add(k.petaflops, None, f"[[fig:{c.code}.{k.id}.petaflops]]", "pf")
        for m in c.models if isinstance(c.models, list) else []:
            add(m.params_total, None, f"[[fig:{c.code}.{m.id}]]", "params")
            add(m.params_active, None, f"[[fig:{c.code}.{m.id}.params_active]]", "params")
        for facts in c.facts.values():
            for fact in facts if isinstance(facts, list) else []:
                add(fact.value, None, f"[[fig:{c.code}.{fact.id}]]", _kind(fact.unit.en) if fact.unit else None)
        if c.economy != UNKNOWN and not isinstance(c.economy, str):
            if c.economy.population != UNKNOWN and not isinstance(c.economy.population, str):
                add(c.economy.population.value, None, f"[[fig:{c.code}.population]]", "people")
            if c.economy.gdp != UNKNOWN and not isinstance(c.economy.gdp, str):
                add(c.economy.gdp.value, c.economy.gdp.currency, f"[[fig:{c.code}.gdp]]")
    return out


def matches(written: Written, values: list[Value]) -> list[Value]:
    found = []
    for v in values:
        if (written.currency is None) != (v.currency is None):
            continue
        if written.currency is not None and v.currency not in written.currency.split():
            continue
        if written.kind and v.kind and written.kind != v.kind and v.kind not in _COMPATIBLE.get(written.kind, ()):
            continue
        if math.isclose(written.value, v.value, rel_tol=1e-9):
            found.append(v)
            continue
        shown = round(written.value / written.precision)
        significant = len(str(shown).rstrip("0"))
        if significant >= 2 and abs(written.value - v.value) <= written.precision / 2 * (1 + 1e-9):
            found.append(v)
    return found


def _message(written: Written, found: list[Value]) -> str:
    refs = ", ".join(dict.fromkeys(v.reference for v in found[:3]))
    return f"'{written.text}' is typed by hand but equals a dataset figure; write {refs} instead"


def _scan(text: str) -> str:
    """A line of prose without references, footnotes, link targets, addresses and code."""
    return _STRIP.sub(lambda m: " " * len(m.group()), _REF.sub(lambda m: " " * len(m.group()), text))


def check_essay(path: Path, dataset: Dataset, report: Report, values: list[Value] | None = None) -> None:
    """Warn about every hand-typed dataset figure in an essay's body (front matter and footnote definitions skipped)."""
    try:
        text = read_text(path)
    except YamlError:
        return  # reading problems are reported by the essay check itself
    values = dataset_values(dataset) if values is None else values
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    fenced = False
    for number, line in enumerate(lines[start:], start + 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or _FOOTNOTE_DEF.match(line):
            continue
        for written in numbers(_scan(line)):
            found = matches(written, values)
            if found:
                report.warn(path, number, _message(written, found))
        if not path.name.endswith(".en.md"):
            for message in _style(_scan(line)):
                report.warn(path, number, message)


def _prose(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(field path, text) for every prose text of a country file's raw data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("sources", "names"):
                continue
            if key in _PROSE_KEYS and isinstance(value, dict):
                for lang in ("ko", "en"):
                    if isinstance(value.get(lang), str):
                        yield (*path, key, lang), value[lang]
            elif key == "note" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from _prose(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _prose(value, (*path, i))


#: "4천억", "3만 1천 장": the 천 form, where the site writes 4,000억 and 3만 1,000 장 (format.korean_units).
_CHEON = re.compile(r"(?<![\d,.])(\d{1,3})천(?=\s?(?:억|만|원|달러|유로|위안|엔|파운드|장|명|개|곳|건|노드|시간|토큰|\s|$))")


def _style(text: str) -> list[str]:
    """Korean numbers written in the 천 form, with what to write instead."""
    return [
        f"'{m.group(0)}' is written in the 천 form; write '{int(m.group(1)) * 1000:,}' (the site's one style)"
        for m in _CHEON.finditer(text)
    ]


def check_country_file(path: Path, dataset: Dataset, report: Report, values: list[Value] | None = None) -> None:
    """Warn about every hand-typed dataset figure, and every number in the 천 form, in the prose texts of one country file."""
    try:
        doc = load(path)
        lines = read_text(path).split("\n")
    except YamlError:
        return
    values = dataset_values(dataset) if values is None else values
    for field_path, text in _prose(doc.data, ()):
        if field_path[-1] == "ko":
            for message in _style(text):
                report.warn(path, doc.locate(field_path)[0], message, field=".".join(map(str, field_path)))
        flat = " ".join(text.split())
        hits = [(w, f) for w in numbers(_scan(flat)) if (f := matches(w, values))]
        if not hits:
            continue
        first, _ = doc.locate(field_path)
        cursor = (first or 1, 0)
        for written, found in hits:
            line, cursor = _line_of(lines, cursor, written.text)
            report.warn(path, line or first, _message(written, found), field=".".join(map(str, field_path)))


def _line_of(lines: list[str], cursor: tuple[int, int], text: str) -> tuple[int | None, tuple[int, int]]:
    """The line of the next occurrence of ``text``'s first word at or after ``cursor`` (a folded text spans lines)."""
    word = text.split()[0]
    number, column = cursor
    while number <= min(len(lines), cursor[0] + 80):
        found = lines[number - 1].find(word, column)
        if found >= 0:
            return number, (number, found + len(word))
        number, column = number + 1, 0
    return None, cursor


def check_content(content: Path, dataset: Dataset, report: Report) -> None:
    """The whole check: every country file and every essay and page."""
    values = dataset_values(dataset)
    for path in sorted((content / "countries").glob("*.yaml")):
        # A country's prose is checked against its own figures: with a dozen countries, a "10개 영역"
        # would otherwise always equal some other country's 10 of something.
        own = [v for v in values if v.reference.startswith(f"[[fig:{path.stem}.")]
        check_country_file(path, dataset, report, own)
    for folder in ("essays", "pages"):
        for path in sorted((content / folder).glob("*.md")):
            check_essay(path, dataset, report, values)
