"""What every chart shares: sizes and fonts, the Chart result, the chart strings (package data), colours by country, money in dollars."""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import Country, Funding, FxRate
from ..data.yamlload import load

LANGS = ("ko", "en")
#: Every chart is this wide in user units; charts with many items grow taller, never
#: narrower, so the text keeps its size (see the font sizes below).
WIDTH = 640
#: The phone version of every chart: drawn again at this width, not shrunk, so a 360 px screen
#: shows it at about its own size, its text as large as the page's small print.
NARROW_WIDTH = 340
MARGIN = 16
#: How many countries a chart names before it groups the rest as "others".
TOP_N = 15
#: The timeline's lane cap: this many countries, then one "others" lane.
MAX_LANES = 20
#: Bars drawn per country in the funding and compute charts; the table has the rest.
MAX_ITEMS_PER_COUNTRY = 6
#: The archetype chart groups unlabelled countries on a grid of this many cells a side,
#: so its size stays bounded however many countries there are.
ARCHETYPE_GRID = 20
PALETTE_SIZE = 8
#: Font sizes in user units. At 360px the 640-wide chart is drawn at 0.56 scale, so the
#: smallest (15) still comes out near 8.5px and body text near 9.5px; at full width 1.1 scale.
FS_TICK = 15
FS_SMALL = 15
FS_AXIS = 16
FS_VALUE = 16
FS_BODY = 17
FS_HEAD = 19
TIMELINE_START_YEAR = 2017

#: The charts' own strings ship with the package (package data, see pyproject.toml): they are
#: part of the code that draws the charts, not of a theme, and must be found in any install.
_MESSAGES_PATH = Path(str(resources.files("sovereign_site.charts") / "messages.yaml"))
#: Every key in charts.yaml carries this prefix, so it cannot clash with the site's messages.
_KEY_PREFIX = "charts."
_BOUND_MARK = {"up-to": "≤", "more-than": "+", "at-least": "+", "about": "≈"}
_SECTOR_ORDER = {"public": 0, "mixed": 1, "private": 2}
_STATUS_ORDER = {"operational": 0, "delivered": 1, "announced": 2, "plan": 3}


@dataclass(frozen=True)
class Chart:
    """One chart: the SVG plus its equivalent table and notes, all in one language."""

    id: str
    title: str
    desc: str
    svg: Markup
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    #: The same chart drawn for a phone (see ``responsive``).
    narrow: Markup | None = None


_width = contextvars.ContextVar("chart_width", default=WIDTH)


def chart_width() -> int:
    """The width of the chart being drawn: ``WIDTH``, or ``NARROW_WIDTH`` while the phone version is."""
    return _width.get()


@contextlib.contextmanager
def _narrow() -> Iterator[None]:
    token = _width.set(NARROW_WIDTH)
    try:
        yield
    finally:
        _width.reset(token)


def responsive(make: Callable[..., Chart]) -> Callable[..., Chart]:
    """Make a chart function draw its chart twice: at ``WIDTH``, and for phones at ``NARROW_WIDTH``.

    The page shows one or the other by CSS (charts.css). Each chart lays itself out for
    the width it is given (labels move, wrap or shorten), which a scaled-down SVG cannot.
    """

    @functools.wraps(make)
    def both(*args: Any, **kwargs: Any) -> Chart:
        chart = make(*args, **kwargs)
        if chart_width() != WIDTH:
            return chart
        with _narrow():
            phone = make(*args, **kwargs)
        return replace(chart, narrow=phone.svg)

    return both


# --- messages -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    """The chart strings, read once with the project's YAML loader.

    The site's i18n module merges the theme's templates/messages/ for the templates;
    the charts read only their own file, which ships with the package.
    """
    data = load(_MESSAGES_PATH).data
    if not isinstance(data, dict):
        raise ValueError(f"{_MESSAGES_PATH}: expected a mapping of keys to {{ko, en}}")
    return data


def message_keys() -> list[str]:
    """Every key in the chart catalogue, with its "charts." prefix (the tests check them all)."""
    return sorted(_catalogue())


def _t(key: str, lang: str, **values: Any) -> str:
    """A localized string; ``values`` fill its ``{placeholders}`` (data never becomes a template)."""
    text = _catalogue()[_KEY_PREFIX + key][lang]
    return text.format(**values) if values else text


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")


@dataclass(frozen=True)
class _Money:
    country: Country
    item: Funding
    usd: float | None
    usd_max: float | None
    rate: FxRate | None


def _convert(ds: Dataset, country: Country, item: Funding) -> _Money:
    if isinstance(item.amount, str):  # "unknown"
        return _Money(country, item, None, None, None)
    assert isinstance(item.amount, float)
    converted = ds.to_usd(item.amount, item.currency, item.year)
    if converted is None:
        return _Money(country, item, None, None, None)
    usd, rate = converted
    usd_max = item.amount_max / rate.per_usd if item.amount_max else None
    return _Money(country, item, usd, usd_max, rate)


def _headline(moneys: list[_Money], sector: str | None = "public") -> float:
    return max((m.usd for m in moneys if m.usd is not None and (sector is None or m.item.sector == sector)), default=0.0)


# --- data helpers ----------------------------------------------------------------------


def _name(country: Country, lang: str) -> str:
    return country.names.ko if lang == "ko" else country.names.en


def _listed(value: Any) -> list[Any]:
    """A dimension's items, or none when the whole dimension is "unknown"."""
    return value if isinstance(value, list) else []


# The last dataset asked about and its slots. Holding the dataset itself (not its id, which
# Python reuses once an object is freed) means a new dataset can never be served stale slots.
_STYLE_MEMO: list[tuple[Dataset, tuple[str, ...], dict[str, int]]] = []


def _style_index(ds: Dataset) -> dict[str, int]:
    """One palette slot per country (memoised: each country page's timeline asks for it)."""
    codes = tuple(c.code for c in ds.countries)
    if not (_STYLE_MEMO and _STYLE_MEMO[0][0] is ds and _STYLE_MEMO[0][1] == codes):
        _STYLE_MEMO[:] = [(ds, codes, _compute_style_index(ds))]
    return _STYLE_MEMO[0][2]


def _compute_style_index(ds: Dataset) -> dict[str, int]:
    """One palette slot per country, the same in every chart of a page, by prominence.

    Prominence is the largest public funding figure in US dollars (then the code), so with up
    to eight countries each has a colour of its own, and the best-known ones keep theirs as
    more countries are added.
    """

    def headline(country: Country) -> float:
        return _headline([_convert(ds, country, item) for item in _listed(country.funding)])

    ranked = sorted(ds.countries, key=lambda c: (-headline(c), c.code))
    return {c.code: i for i, c in enumerate(ranked)}


def _colour(index: int) -> str:
    return f"c{index % PALETTE_SIZE}"


def _shape(index: int) -> int:
    # Colour cycles every 8 and shape every 4; offsetting by index // 8 keeps pairs unique for 32 countries.
    return (index + index // PALETTE_SIZE) % 4


def _others_label(n: int, lang: str) -> str:
    return _t("chart.others", lang, n=fmt.number(n, lang, 0))


def _country_sort_key(country: Country) -> str:
    return country.code
