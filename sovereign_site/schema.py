"""The dataset schema, declared once.

Every YAML file in ``content/`` is validated against these pydantic models, and
the JSON Schema published on the downloads page is generated from them. Field
descriptions double as the schema's documentation.

Conventions that hold throughout:

* ``"unknown"`` is a value of its own. It is never the same as an empty list
  ("none") or as zero, and pages show it as such.
* Every figure and dated fact cites one or more sources by id.
* Amounts are written as numbers, optionally with a scale suffix
  (``1.46T``, ``193.6B``, ``500M``, ``20k``) so a person can read them.
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


# --- building blocks --------------------------------------------------------


class Bilingual(Model):
    """A text in Korean and in English, both written by us."""

    ko: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


class Names(Model):
    ko: Text = Field(description="Korean name, e.g. 대한민국.")
    en: Text = Field(description="English name, e.g. South Korea.")
    native: Text | Unknown | None = Field(None, description="Native name where it differs from both.")


class Source(Model):
    id: Id
    title: Text
    publisher: Text
    url: Url
    published: PartialDate | Unknown = Field(description="When the source was published.")
    accessed: Day = Field(description="When we last checked the source (YYYY-MM-DD).")
    lang: Literal["ko", "en", "zh", "fr", "other"] | None = None


class Archetype(Model):
    """Our analytic judgment, not a sourced fact: pages label it as analysis."""

    id: Literal["full-stack", "full-stack-aspirant", "state-directed-full-stack", "ops-hub", "rule-setter", "infrastructure-led"]
    label: Bilingual
    justification: Bilingual
    state_led: float = Field(ge=-1, le=1, description="-1 market-led … +1 state-led (our placement).")
    builds_stack: float = Field(ge=-1, le=1, description="-1 adopts the stack … +1 builds it (our placement).")


DocumentKind = Literal["strategy", "law", "executive-order", "regulation", "plan", "budget", "framework", "declaration", "report"]


class Document(Model):
    """A strategy, law, order or plan."""

    id: Id
    kind: DocumentKind
    title_original: Text = Field(description="Title in the original language.")
    title: Bilingual
    issuer: Bilingual | Unknown
    announced: PartialDate | Unknown | None = None
    enacted: PartialDate | Unknown | None = None
    in_force: PartialDate | Unknown | None = None
    url: Url | Unknown
    note: Bilingual | None = None
    sources: SourceIds


Sector = Literal["public", "private", "mixed"]


class Funding(Model):
    """A money figure: what it covers, how much, when, and whose money it is."""

    id: Id
    label: Bilingual = Field(description="What the money covers.")
    amount: Quantity | Unknown
    bound: Bound = "exact"
    amount_max: Quantity | None = Field(None, description="Upper end where a source gives a range.")
    currency: Currency
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{4})?$")] = Field(description="A year or YYYY-YYYY.")
    sector: Sector
    note: Bilingual | None = None
    sources: SourceIds

    @property
    def year(self) -> int:
        """The year whose exchange rate converts this figure: the start of the period."""
        return int(self.period[:4])


class Compute(Model):
    """A GPU plan or delivery, a national supercomputer, or a computing centre."""

    id: Id
    kind: Literal["gpu-plan", "gpu-delivery", "supercomputer", "computing-centre"]
    label: Bilingual
    status: Literal["plan", "delivered", "operational", "announced"]
    gpus: Count | Unknown | None = Field(None, description="Number of GPUs or accelerators.")
    bound: Bound = "exact"
    petaflops: Quantity | None = Field(None, description="Peak performance in PFLOPS, where published.")
    sector: Sector
    date: PartialDate | Unknown = Field(description="When it was announced, delivered or is due.")
    target_date: PartialDate | None = Field(None, description="When a plan is due to be met.")
    note: Bilingual | None = None
    sources: SourceIds


class FoundationModel(Model):
    id: Id
    name: Text
    organisation: Text
    params_total: Quantity | Unknown = Field(description="Total parameters (e.g. 519B).")
    params_active: Quantity | Unknown | None = Field(None, description="Active parameters per token for MoE models.")
    bound: Bound = "exact"
    architecture: Literal["dense", "moe", "unknown"] = "unknown"
    origin: Literal["from-scratch", "derived", "unknown"]
    base_model: Text | None = Field(None, description="For derived models: the model it continues.")
    released: PartialDate | Unknown
    status: Literal["released", "planned"] = "released"
    note: Bilingual | None = None
    sources: SourceIds


class Instrument(Model):
    id: Id
    name: Bilingual
    kind: Literal["law", "regulation", "executive-order", "guideline", "framework", "treaty", "institution"]
    date: PartialDate | Unknown
    summary: Bilingual
    sources: SourceIds


class Institution(Model):
    id: Id
    name: Bilingual
    role: Bilingual
    established: PartialDate | Unknown
    sources: SourceIds


class Regulation(Model):
    approach: Literal["comprehensive-law", "sectoral-rules", "principles-based", "voluntary", "supranational", "executive-led"]
    summary: Bilingual
    instruments: list[Instrument] | Unknown
    institutions: list[Institution] | Unknown


class Milestone(Model):
    id: Id
    date: PartialDate
    label: Bilingual
    sources: SourceIds


class Fact(Model):
    """A figure or statement for a generic dimension such as talent or data."""

    id: Id
    label: Bilingual
    value: Quantity | Unknown | None = None
    unit: Bilingual | None = None
    bound: Bound = "exact"
    date: PartialDate | Unknown
    sources: SourceIds


class Country(Model):
    """One jurisdiction: a country, the EU, or a subdivision such as us-ca."""

    code: Code = Field(description="ISO 3166-1 alpha-2, eu, or ISO 3166-2, lower case; must match the file name.")
    names: Names
    region: Literal[
        "east-asia",
        "southeast-asia",
        "south-asia",
        "north-america",
        "latin-america",
        "europe",
        "middle-east",
        "africa",
        "oceania",
        "central-asia",
    ]
    as_of: Day = Field(description="When the file was last checked as a whole.")
    archetype: Archetype | Unknown
    summary: Bilingual | Unknown
    documents: list[Document] | Unknown
    funding: list[Funding] | Unknown
    compute: list[Compute] | Unknown
    models: list[FoundationModel] | Unknown
    regulation: Regulation | Unknown
    facts: dict[Id, list[Fact] | Unknown] = Field(
        default_factory=dict, description="Generic dimensions (talent, data, …) keyed by dimension id."
    )
    timeline: list[Milestone] | Unknown
    sources: list[Source]


class Dimension(Model):
    id: Id
    label: Bilingual
    description: Bilingual
    kind: Literal["documents", "funding", "compute", "models", "regulation", "facts"] = Field(
        description="Which part of a country file the dimension compares."
    )


class Dimensions(Model):
    dimensions: list[Dimension]


class FxRate(Model):
    currency: Currency
    year: int = Field(ge=PartialDate.MIN_YEAR, le=PartialDate.MAX_YEAR)
    per_usd: float = Field(ge=1e-6, le=1e6, description="Units of the currency per US dollar, yearly average.")
    source: Id


class Fx(Model):
    """Yearly average exchange rates to USD, so every amount can be compared in one unit."""

    rates: list[FxRate]
    sources: list[Source]


def _check_slug(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(ID_PATTERN, value) or len(value) > 64:
        raise PydanticCustomError(
            "slug",
            "slug {found} must be lower-case letters, digits and hyphens (at most 64), such as korea-sovereign-ai",
            {"found": repr(value)},
        )
    return value


Slug = Annotated[str, BeforeValidator(_check_slug), Field(json_schema_extra={"pattern": ID_PATTERN})]


class FrontMatter(Model):
    """The ``---`` block at the top of an essay or page."""

    title: Text
    slug: Slug = Field(description="The page's address: essays/<slug>/; the English version has the same slug.")
    lang: Literal["ko", "en"]
    date: PartialDate
    modified: PartialDate | None = None
    summary: Text | None = None
    countries: list[Code] = Field(default_factory=list, description="Country codes the essay is about.")
    status: Literal["published", "draft"] = "published"

    def metadata(self) -> dict[str, Any]:
        """What Pelican gets: the keys given, dates as written (YYYY-MM-DD)."""
        return {key: value for key, value in self.model_dump(exclude_none=True).items() if key in self.model_fields_set or key == "status"}


class GlossaryTerm(Model):
    id: Id
    term: Bilingual
    aliases: list[Text] = Field(default_factory=list, description="Other spellings marked up on first use (e.g. 독파모).")
    definition: Bilingual


class Glossary(Model):
    terms: list[GlossaryTerm]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a country file, as published on the downloads page."""
    schema = Country.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sovereign-site country file"
    schema["$comment"] = f"schema version {SCHEMA_VERSION}"
    return schema
