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

It is longer than 400 lines on purpose: the schema is one document, read from
top to bottom by contributors (and published as JSON Schema), and splitting its
models across files would make a reader look in several places for one country file.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .types import (
    CODE_PATTERN,
    ID_PATTERN,
    SCHEMA_VERSION,
    UNKNOWN,
    Bound,
    Code,
    Count,
    Currency,
    Day,
    Id,
    Model,
    PartialDate,
    Quantity,
    SourceIds,
    Text,
    Unknown,
    Url,
)

__all__ = ["CODE_PATTERN", "ID_PATTERN", "SCHEMA_VERSION", "UNKNOWN", "Bound", "PartialDate"]  # re-exported: the schema's public face


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


def _names(text: str) -> set[str]:
    """The names in "Chosun Biz (조선비즈)": each part outside and inside the brackets."""
    return {part.strip().casefold() for part in re.split(r"[()]", text) if part.strip()}


class Source(Model):
    id: Id
    title: Text | Unknown = Field(
        description="The title as published, in its language; unknown (with a description) when no copy shows one."
    )
    description: Text | None = Field(None, description="What the page is, when its title is unknown; never stands in for a title.")
    publisher: Text
    url: Url
    published: PartialDate | Unknown = Field(description="When the source was published.")
    accessed: Day = Field(description="When we last checked the source (YYYY-MM-DD).")
    lang: Literal["ko", "en", "zh", "fr", "other"] | None = None
    title_en: Text | None = Field(None, description="An English translation of a title in another language.")
    title_ko: Text | None = Field(None, description="A Korean translation of a title in another language.")
    locator: Text | None = Field(None, description="Where in the source the figure stands: page, section, table or paragraph.")
    kind: Literal["primary", "press", "secondary"] | None = Field(
        None,
        description="primary: a government, legislature, regulator or the organisation's own release; press: an established news outlet; secondary: an aggregator, a wiki, a blog.",
    )
    note: Text | None = Field(None, description="What was checked, or why a field could not be.")

    @model_validator(mode="after")
    def _a_title_is_a_title(self) -> Source:
        # A publisher's name or a description in `title` reads as a headline nobody published.
        if self.title == UNKNOWN:
            if not self.description:
                raise PydanticCustomError(
                    "untitled_source", "a source whose title is unknown needs a description of the page (and a note saying why)"
                )
        elif _names(self.title) <= _names(self.publisher):
            raise PydanticCustomError(
                "placeholder_title",
                "the title is the publisher's name: write the title as published, or title: unknown with a description",
            )
        return self


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
#: What a money figure is: spent, in a budget (proposed or passed), a plan's envelope, or a pledge.
FundingStatus = Literal["actual", "budgeted", "planned", "pledged"]


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
    status: FundingStatus | Unknown = Field("unknown", description="actual, budgeted, planned or pledged.")
    scope: Literal["ai-total", "ai", "broader"] = Field(
        "ai",
        description="ai-total: a government's whole AI budget for the period; ai: one AI programme; "
        "broader: a programme that covers AI among other things (semiconductors, a whole plan).",
    )
    part_of: Id | None = Field(None, description="The id of another funding item that already includes this money (never add the two).")
    note: Bilingual | None = None
    sources: SourceIds

    @property
    def years(self) -> list[int]:
        """The years the period covers: [2026], or 2024 to 2029."""
        first, _, last = self.period.partition("-")
        return list(range(int(first), int(last or first) + 1))

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
    accelerator: Text | None = Field(None, description="The chip, where the source names it (H100, GH200, GB200…).")
    unit: Bilingual | None = Field(None, description="What ``gpus`` counts, where the source counts something else (superchips, systems).")
    part_of: Id | None = Field(None, description="The id of another compute item (a national target, say) that already counts these.")
    counted_in: Code | None = Field(
        None,
        description="In a supranational file: the member state whose file counts the same system (its host); the layer's totals leave it out.",
    )
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
    key_document: Id | None = Field(None, description="The id of the document that gives AI rules their legal basis here.")
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


class Population(Model):
    value: Quantity | Unknown
    bound: Bound = "exact"
    year: int = Field(ge=PartialDate.MIN_YEAR, le=PartialDate.MAX_YEAR)
    note: Text | None = None
    sources: list[Id] = Field(default_factory=list)


class Gdp(Model):
    """Nominal GDP in current prices, in the currency the source gives (converted at that year's rate)."""

    value: Quantity | Unknown
    currency: Currency
    bound: Bound = "exact"
    year: int = Field(ge=PartialDate.MIN_YEAR, le=PartialDate.MAX_YEAR)
    note: Text | None = None
    sources: list[Id] = Field(default_factory=list)


class Economy(Model):
    """Population and GDP, so that money can be compared per person and as a share of the economy."""

    population: Population | Unknown = "unknown"
    gdp: Gdp | Unknown = "unknown"


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
    layer: Literal["national", "supranational"] = Field(
        "national", description="supranational: a union of states (the EU), whose rules and money apply inside its members."
    )
    member_of: list[Code] = Field(
        default_factory=list,
        description="Codes of supranational layers whose rules apply here (eu); their pages link to each other.",
    )
    main_strategy: Id | Unknown | None = Field(
        None, description="The id of the document that is the national AI strategy in force; newer documents are listed under it."
    )
    economy: Economy | Unknown = "unknown"
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


class Indicator(Model):
    """A like-for-like indicator, declared as data; ``indicators.py`` computes it by its ``method``."""

    id: Id
    method: Literal["public-spending-per-year", "private-commitments", "compute-operating-vs-planned", "sovereign-models", "legal-basis"]
    unit: Literal["usd-per-year", "usd", "gpus", "models", "category"]
    name: Bilingual
    definition: Bilingual
    how: Bilingual = Field(description="The method: which items count, how they are annualised and converted.")
    caveats: list[Bilingual] = Field(default_factory=list)


class Indicators(Model):
    indicators: list[Indicator]


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
