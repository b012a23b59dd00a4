"""The dataset's scalar types and base model: unknown, ids and codes, text, amounts, partial dates, URLs, currencies.

Each type parses what a contributor writes (``1.46T``, ``2023-10``) and refuses,
with a message a person can act on, what cannot be right.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import total_ordering
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

SCHEMA_VERSION = "1.0"

UNKNOWN = "unknown"
Unknown = Literal["unknown"]

#: A dataset identifier: lower-case ASCII words joined by hyphens. Ids become
#: URL fragments and file names, so the pattern is deliberately strict.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]

#: ISO 3166-1 alpha-2 (``kr``), ``eu``, or ISO 3166-2 (``us-ca``), lower case.
CODE_PATTERN = r"^[a-z]{2}(?:-[a-z0-9]{1,3})?$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]

#: Invisible characters that reorder text as it is displayed (U+202A–U+202E, U+2066–U+2069): the
#: "Trojan Source" trick makes a title or a name read differently from what it says.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _no_bidi_controls(value: Any) -> Any:
    if isinstance(value, str) and (found := _BIDI_CONTROLS.search(value)):
        raise PydanticCustomError(
            "bidi_control",
            "contains an invisible bidirectional control character (U+{code}); remove it",
            {"code": f"{ord(found.group()):04X}"},
        )
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), BeforeValidator(_no_bidi_controls)]


#: One shared set per distinct set of fields given; see Model._share_fields_set.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Model(BaseModel):
    """Base for every dataset object: unknown keys are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Model:
        # Pydantic gives every instance its own set of the fields it was given. At a
        # thousand countries that is 110,000 sets, 45 MB, nearly all alike (every
        # Bilingual has {"ko", "en"}). The models are frozen, so instances can share
        # one set per distinct content (model_copy copies the set before changing it).
        fields = frozenset(self.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_fields_set__", _FIELD_SETS.setdefault(fields, set(fields)))
        return self


# --- scalar types -----------------------------------------------------------

_SCALE = {"": 1, "k": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_QUANTITY_RE = re.compile(r"^([0-9]{1,30}(?:\.[0-9]{1,30})?)\s*([kMBT]?)$")
#: The largest amount or count a file may give: 10^18 (a quintillion). Every real figure is far
#: below it (world GDP is about 10^14 dollars, 10^17 won); past it is a typo, and past about
#: 10^308 a float is infinite, which would crash every page that divides by it.
MAX_QUANTITY = 1e18


def _parse_quantity(value: Any) -> Any:
    """Accept 1460000000000, 1.46e12 or "1.46T"; reject booleans, junk and absurd sizes."""
    if isinstance(value, bool):
        raise PydanticCustomError("quantity", "expected a number such as 13000, 1.46T or 193.6B")
    number: float | None = None
    if isinstance(value, int):
        number = float(value) if value <= MAX_QUANTITY else math.inf  # a 400-digit int would overflow float()
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        match = _QUANTITY_RE.match(value.strip().replace(",", ""))
        if match:
            number = float(Decimal(match.group(1)) * _SCALE[match.group(2)])
    if number is None:
        raise PydanticCustomError("quantity", "expected a number such as 13000, 1.46T or 193.6B, found {found}", {"found": repr(value)})
    if math.isnan(number) or number < 0:
        raise PydanticCustomError("quantity", "expected a positive number, found {found}", {"found": repr(value)})
    if number > MAX_QUANTITY:
        raise PydanticCustomError("quantity", "{found} is larger than 10^18; check the figure and its scale suffix", {"found": repr(value)})
    return number


Quantity = Annotated[
    float,
    BeforeValidator(_parse_quantity),
    Field(json_schema_extra={"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?\s*[kMBT]?$"}]}),
]


def _parse_count(value: Any) -> Any:
    number = _parse_quantity(value)
    if number != int(number):
        raise PydanticCustomError("count", "expected a whole number, found {found}", {"found": repr(value)})
    return int(number)


Count = Annotated[int, BeforeValidator(_parse_count)]


@total_ordering
class PartialDate:
    """A date known to the year, the month or the day: ``2019``, ``2023-10``, ``2026-01-22``."""

    __slots__ = ("day", "month", "year")
    PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

    #: Dates outside these years are typos (0001, 9999): they would break Atom feeds and timelines.
    MIN_YEAR, MAX_YEAR = 1900, 2200

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        if not self.MIN_YEAR <= year <= self.MAX_YEAR:
            raise ValueError(f"year {year} is outside {self.MIN_YEAR}–{self.MAX_YEAR}")
        # Constructing a real date checks the month and the day.
        dt.date(year, month or 1, day or 1)
        self.year, self.month, self.day = year, month, day

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        try:
            if isinstance(value, dt.date):
                return cls(value.year, value.month, value.day)
            if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
                return cls(value)
        except ValueError as exc:
            raise PydanticCustomError("partial_date", "{problem}", {"problem": str(exc)}) from None
        if isinstance(value, str):
            match = cls.PATTERN.match(value.strip())
            if match:
                year, month, day = (int(g) if g else None for g in match.groups())
                if year is not None and not cls.MIN_YEAR <= year <= cls.MAX_YEAR:
                    raise PydanticCustomError(
                        "partial_date", "year {year} is outside {lo}–{hi}", {"year": year, "lo": cls.MIN_YEAR, "hi": cls.MAX_YEAR}
                    )
                try:
                    return cls(year, month, day)  # type: ignore[arg-type]
                except ValueError:
                    pass
        raise PydanticCustomError(
            "partial_date",
            "expected a date as YYYY-MM-DD, YYYY-MM or YYYY, found {found}",
            {"found": repr(value)},
        )

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def sort_key(self) -> tuple[int, int, int]:
        """Orders as the dates do: a year before its months, a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self.sort_key() == other.sort_key()

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __hash__(self) -> int:
        return hash(self.sort_key())

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.isoformat())
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "YYYY, YYYY-MM or YYYY-MM-DD"}


def _parse_day(value: Any) -> Any:
    date = PartialDate.parse(value)
    if date.precision != "day":
        raise PydanticCustomError("date", "expected a full date as YYYY-MM-DD, found {found}", {"found": repr(value)})
    return date.first_day


Day = Annotated[dt.date, BeforeValidator(_parse_day), PlainSerializer(lambda d: d.isoformat(), return_type=str)]


#: An absolute http(s) URL of RFC 3986 characters only: no spaces, quotes, angle brackets,
#: backslashes or braces, which could close the Markdown or HTML a URL is placed in. Parentheses
#: are RFC 3986 sub-delimiters and stay allowed; every place a URL lands escapes them.
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$")


def _check_url(value: Any) -> Any:
    if not isinstance(value, str) or not _URL.match(value.strip()) or len(value) > 2000:
        raise PydanticCustomError(
            "url",
            "expected an http:// or https:// address, found {found} (URL characters only: percent-encode spaces, quotes and angle brackets)",
            {"found": repr(value)},
        )
    return value.strip()


Url = Annotated[str, BeforeValidator(_check_url), Field(json_schema_extra={"format": "uri", "pattern": "^https?://"})]


def _check_currency(value: Any) -> Any:
    # Imported here: pycountry loads its database lazily and only validation needs it.
    import pycountry

    if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value.upper()) is None or value != value.upper():
        raise PydanticCustomError(
            "currency", "expected an ISO 4217 currency code such as KRW, USD or EUR, found {found}", {"found": repr(value)}
        )
    return value


Currency = Annotated[str, BeforeValidator(_check_currency), Field(pattern=r"^[A-Z]{3}$")]

SourceIds = Annotated[list[Id], Field(min_length=1, description="Ids of the sources backing this item.")]

Bound = Literal["exact", "about", "up-to", "more-than", "at-least"]
"""How a figure relates to the truth: "up to" and "more than" are kept, never rounded away."""
