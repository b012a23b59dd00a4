"""Static inline SVG charts of the dataset, built at build time with no JavaScript.

Each chart is returned as a :class:`Chart`: the ``<svg>`` element plus an equivalent
data table and notes, all localized. Colours come from CSS classes defined in
``templates/static/css/charts.css`` (the pages' Content-Security-Policy forbids
inline styles), and every string taken from the data is escaped here, in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from . import format as fmt
from .dataset import Dataset
from .schema import UNKNOWN, Compute, Country, FoundationModel, Funding, FxRate, PartialDate
from .yamlload import load

LANGS = ("ko", "en")
#: Every chart is this wide in user units; charts with many items grow taller, never
#: narrower, so the text keeps its size (see the font sizes below).
WIDTH = 640
MARGIN = 16
#: How many countries a chart names before it groups the rest as "others".
TOP_N = 12
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
_MESSAGES_PATH = Path(str(resources.files("sovereign_site") / "messages" / "charts.yaml"))
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


# --- numbers and text geometry --------------------------------------------------


def _f(value: float) -> str:
    """Fixed coordinate formatting: one decimal, no trailing ".0", no "-0" (same input, same bytes)."""
    text = f"{round(value, 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _sig(value: float, digits: int = 3) -> float:
    """Round to significant digits: converted amounts are estimates, not to the dollar."""
    if value <= 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(value)))


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    """Width in ems, sized for wide fonts (DejaVu Sans, Noto Sans CJK) so estimates err wide."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in " .,:;'|!il()[]·`":
        return 0.34
    if ch.isupper() or ch in "mwMW@%—₩€£≈≤":
        return 0.8
    return 0.62


@functools.lru_cache(maxsize=16384)
def _text_width(text: str, size: float) -> float:
    """A generous estimate of rendered width: Hangul is about one em, Latin about half."""
    return sum(_char_width(ch) for ch in text) * size


def _fit(text: str, size: float, width: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` (the full text is in the table)."""
    if _text_width(text, size) <= width:
        return text
    budget = width - _char_width("…") * size
    out = []
    used = 0.0
    for ch in text:
        used += _char_width(ch) * size
        if used > budget:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def _wrap(text: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """Break ``text`` at spaces into at most ``max_lines`` lines of ``width``; the last is shortened if needed."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if not current or _text_width(candidate, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [_fit(line, size, width) for line in lines]


# --- the SVG writer --------------------------------------------------------------


def _attr_name(key: str) -> str:
    return "class" if key == "cls" else key.rstrip("_").replace("_", "-")


class _Svg:
    """Collects SVG elements. All attribute values and texts are escaped here."""

    def __init__(self, chart_id: str, title: str, desc: str) -> None:
        self.id = chart_id
        self.title = title
        self.desc = desc
        self.defs: list[str] = []
        self.parts: list[str] = []

    @staticmethod
    def _attrs(attrs: dict[str, Any]) -> str:
        out = []
        for key, value in attrs.items():
            if value is None:
                continue
            text = _f(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
            out.append(f' {_attr_name(key)}="{escape(text)}"')
        return "".join(out)

    def el(self, tag: str, **attrs: Any) -> None:
        if tag == "line" and "stroke" not in attrs and attrs.get("cls") != "grid":
            # A fallback for readers without the stylesheet (feeds, reader modes): lines would
            # otherwise be invisible. charts.css overrides it, as CSS beats presentation attributes.
            attrs["stroke"] = "currentColor"
        self.parts.append(f"<{tag}{self._attrs(attrs)}/>")

    def open(self, tag: str, **attrs: Any) -> None:
        self.parts.append(f"<{tag}{self._attrs(attrs)}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 15,
        cls: str | None = None,
        anchor: str | None = None,
        tip: str | None = None,
    ) -> None:
        """A text element; ``tip`` adds a <title> child (a tooltip with the full text)."""
        attrs = self._attrs({"x": x, "y": y, "font_size": size, "cls": cls, "text_anchor": anchor})
        inner = f"<title>{escape(tip)}</title>" if tip and tip != text else ""
        self.parts.append(f"<text{attrs}>{inner}{escape(text)}</text>")

    def hatch(self, name: str, cls: str) -> str:
        """Define a diagonal hatch pattern once per chart; its id is prefixed by the chart id."""
        pattern_id = f"{self.id}-{name}"
        self.defs.append(
            f'<pattern id="{escape(pattern_id)}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch-line {escape(cls)}" '
            'stroke="currentColor"/></pattern>'
        )
        return f"url(#{pattern_id})"

    def render(self, height: float, kind: str) -> Markup:
        ident = escape(self.id)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_f(math.ceil(height))}" '
            f'class="chart-svg chart-{escape(kind)}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            'fill="currentColor">'
            f'<title id="{ident}-title">{escape(self.title)}</title>'
            f'<desc id="{ident}-desc">{escape(self.desc)}</desc>'
        )
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return Markup(head + defs + "".join(self.parts) + "</svg>")


# --- scales and shared pieces -------------------------------------------------------


@dataclass(frozen=True)
class _LogScale:
    """Maps a positive value to a coordinate on a log axis running from ``a`` to ``b``."""

    lo: float
    hi: float
    a: float
    b: float

    @classmethod
    def around(cls, values: Iterable[float], a: float, b: float, headroom: bool = False) -> _LogScale:
        """Whole decades around the values; ``headroom`` keeps the largest off the far edge (for marks)."""
        vals = [v for v in values if v > 0]
        if not vals:
            return cls(1.0, 10.0, a, b)
        if headroom:
            # Marks, not bars: a margin of a fifth of a decade each side rather than whole empty decades,
            # widened to span at least one decade so there is always a gridline to read against.
            lo_exp, hi_exp = math.log10(min(vals)) - 0.2, math.log10(max(vals)) + 0.2
            widen = max(0.0, 1.0 - (hi_exp - lo_exp)) / 2
            return cls(10.0 ** (lo_exp - widen), 10.0 ** (hi_exp + widen), a, b)
        low = math.floor(math.log10(min(vals)) + 1e-9)
        # The smallest bar must stay visible: start a decade lower when it sits just above a power of ten.
        if math.log10(min(vals)) - low < 0.15:
            low -= 1
        high = max(math.ceil(math.log10(max(vals)) - 1e-9), low + 1)
        return cls(10.0**low, 10.0**high, a, b)

    def __call__(self, value: float) -> float:
        value = min(max(value, self.lo), self.hi)
        share = (math.log10(value) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return self.a + share * (self.b - self.a)

    def ticks(self) -> list[float]:
        low, high = math.ceil(math.log10(self.lo) - 1e-9), math.floor(math.log10(self.hi) + 1e-9)
        step = 1 if high - low <= 7 else 2
        return [10.0**k for k in range(low, high + 1, step)]


@dataclass(frozen=True)
class _DateScale:
    start: dt.date
    end: dt.date
    a: float
    b: float

    def __call__(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.a + (day - self.start).days / span * (self.b - self.a)

    def clamp(self, day: dt.date) -> dt.date:
        return min(max(day, self.start), self.end)

    def year_ticks(self) -> list[int]:
        first = self.start.year if (self.start.month, self.start.day) == (1, 1) else self.start.year + 1
        years = list(range(first, self.end.year + 1))
        step = 1 if len(years) <= 12 else 2
        return years[::step]


def _midpoint(date: PartialDate) -> dt.date:
    """Where an imprecise date is drawn: mid-year for a year, mid-month for a month."""
    if date.precision == "year":
        return dt.date(date.year, 7, 1)
    if date.precision == "month":
        return dt.date(date.year, date.month or 1, 15)
    return date.first_day


def _period_end(date: PartialDate) -> dt.date:
    """The last day an imprecise date may mean (the end of its year or month)."""
    if date.precision == "year":
        return dt.date(date.year, 12, 31)
    if date.precision == "month":
        month = date.month or 1
        return dt.date(date.year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return date.first_day


Box = tuple[float, float, float, float]


class _Placer:
    """Greedy label placement: a label goes in the first candidate spot that overlaps nothing."""

    def __init__(self, bounds: Box) -> None:
        self.bounds = bounds
        self.boxes: list[Box] = []

    def reserve(self, box: Box) -> None:
        self.boxes.append(box)

    def free(self, box: Box) -> bool:
        x0, y0, x1, y1 = self.bounds
        if box[0] < x0 or box[1] < y0 or box[2] > x1 or box[3] > y1:
            return False
        return not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes)

    def around(self, x: float, y: float, r: float, w: float, h: float) -> tuple[float, str, Box] | None:
        """Try right, left, above, below a point, then the same farther out.

        Returns the text x, its anchor and the box the label may fill (the caller sets baselines
        from the box's top), or None when every spot is taken.
        """
        for gap in (r + 4, r + 16, r + 32):
            d = gap * 0.7
            spots: list[tuple[float, str, Box]] = [
                (x + gap, "start", (x + gap, y - h / 2, x + gap + w, y + h / 2)),
                (x - gap, "end", (x - gap - w, y - h / 2, x - gap, y + h / 2)),
                (x, "middle", (x - w / 2, y - gap - h, x + w / 2, y - gap)),
                (x, "middle", (x - w / 2, y + gap, x + w / 2, y + gap + h)),
                (x + d, "start", (x + d, y - d - h, x + d + w, y - d)),
                (x + d, "start", (x + d, y + d, x + d + w, y + d + h)),
                (x - d, "end", (x - d - w, y - d - h, x - d, y - d)),
                (x - d, "end", (x - d - w, y + d, x - d, y + d + h)),
            ]
            for lx, anchor, box in spots:
                if self.free(box):
                    self.reserve(box)
                    return lx, anchor, box
        return None


@dataclass(frozen=True)
class _Swatch:
    """A legend entry: ``kind`` is rect, glyph, marker or line; ``cls`` the CSS classes."""

    kind: str
    cls: str
    label: str
    fill: str | None = None
    glyph: str = ""
    shape: int = 0


def _legend(svg: _Svg, y: float, items: list[_Swatch]) -> float:
    """Lay legend entries out left to right, wrapping; return the y below the legend."""
    x: float = MARGIN
    row_h = 28
    size = FS_AXIS
    for item in items:
        w = 22 + _text_width(item.label, size) + 16
        if x > MARGIN and x + w > WIDTH - MARGIN:
            x, y = MARGIN, y + row_h
        cy = y + row_h / 2
        if item.kind == "rect":
            svg.el("rect", x=x, y=cy - 6, width=16, height=12, cls=f"{item.cls} swatch", fill=item.fill)
        elif item.kind == "glyph":
            svg.text(x + 8, cy + 5, item.glyph, size=16, cls="bound", anchor="middle")
        elif item.kind == "marker":
            _marker(svg, item.shape, x + 8, cy, 6, f"{item.cls} swatch")
        elif item.kind == "line":
            svg.el("line", x1=x + 8, y1=cy - 8, x2=x + 8, y2=cy + 8, cls=f"{item.cls} swatch")
            svg.el("line", x1=x + 4, y1=cy + 8, x2=x + 12, y2=cy + 8, cls=f"{item.cls} swatch")
        svg.text(x + 22, cy + 5, _fit(item.label, size, WIDTH - 2 * MARGIN - 22), size=size, cls="legend", tip=item.label)
        x += w
    return y + row_h + 6


def _marker(svg: _Svg, shape: int, x: float, y: float, r: float, cls: str) -> None:
    """Circle, square, triangle or diamond: shape varies with colour so print in grey still tells them apart."""
    shape %= 4
    if shape == 0:
        svg.el("circle", cx=x, cy=y, r=r, cls=cls)
    elif shape == 1:
        s = r * 0.9
        svg.el("rect", x=x - s, y=y - s, width=2 * s, height=2 * s, cls=cls)
    elif shape == 2:
        s = r * 1.15
        svg.el("path", d=f"M{_f(x)},{_f(y - s)}L{_f(x + s)},{_f(y + s * 0.8)}L{_f(x - s)},{_f(y + s * 0.8)}Z", cls=cls)
    else:
        s = r * 1.2
        svg.el("path", d=f"M{_f(x)},{_f(y - s)}L{_f(x + s)},{_f(y)}L{_f(x)},{_f(y + s)}L{_f(x - s)},{_f(y)}Z", cls=cls)


def _leader(svg: _Svg, x: float, y: float, r: float, box: Box) -> None:
    """A thin line from a mark to its label when the label had to move away from the mark."""
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    if math.hypot(nx - x, ny - y) > r + 8:
        svg.el("line", x1=x, y1=y, x2=nx, y2=ny, cls="leader")


def _no_data(svg: _Svg, y: float, lang: str) -> float:
    svg.text(WIDTH / 2, y + 30, _t("chart.no_data", lang), size=16, cls="muted", anchor="middle")
    return y + 50


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


# --- bar panels (funding and compute) ----------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    label: str
    value: float
    text: str
    cls: str
    fill: str | None = None
    bound: str = "exact"
    value_max: float | None = None
    data_value: float | None = None


@dataclass
class _Group:
    title: str
    bars: list[_Bar] = field(default_factory=list)
    hidden: int = 0


def _bar_panel(
    svg: _Svg,
    y: float,
    groups: list[_Group],
    axis_label: str,
    tick_label: Callable[[float], str],
    lang: str,
) -> float:
    """Horizontal bars on a log axis, grouped by country, each bar's label on the line above it.

    Labels above the bars (not beside them) give long Korean and English labels the full width,
    which is what keeps them readable on a phone.
    """
    values = [v for g in groups for b in g.bars for v in (b.value, b.value_max or b.value)]
    x0, x1 = MARGIN, WIDTH - MARGIN
    scale = _LogScale.around(values, x0, x1)
    svg.text(x0, y + 15, axis_label, size=FS_AXIS, cls="axis muted")
    y += 24
    ticks = scale.ticks()
    tick_row = _tick_labeller(svg, [(scale(t), tick_label(t)) for t in ticks], x0, x1)
    tick_row(y + 14)
    y += 22
    grid_top = y
    parts_start = len(svg.parts)
    n_bars = 0
    for group in groups:
        svg.text(x0, y + 22, _fit(group.title, FS_HEAD, x1 - x0), size=FS_HEAD, cls="strong", tip=group.title)
        y += 30
        for bar in group.bars:
            n_bars += 1
            lines = _wrap(bar.label, FS_BODY, x1 - x0)
            for line in lines:
                svg.text(x0, y + 17, line, size=FS_BODY, tip=bar.label if len(lines) == 1 else None)
                y += 21
            top = y + 2
            end = scale(bar.value)
            svg.el(
                "rect",
                x=x0,
                y=top,
                width=max(end - x0, 1),
                height=16,
                cls=f"bar {bar.cls}",
                fill=bar.fill,
                data_value=None if bar.data_value is None else str(round(bar.data_value)),
            )
            tip_end = end
            if bar.value_max and bar.value_max > bar.value:
                tip_end = scale(bar.value_max)
                svg.el("line", x1=end, y1=top + 8, x2=tip_end, y2=top + 8, cls="range")
                svg.el("line", x1=tip_end, y1=top + 3, x2=tip_end, y2=top + 13, cls="range")
            mark = _BOUND_MARK.get(bar.bound, "")
            text = f"{mark} {bar.text}" if mark else bar.text
            width = _text_width(text, FS_VALUE)
            if tip_end + 6 + width <= x1:
                svg.text(tip_end + 6, top + 13.5, text, size=FS_VALUE, cls="value")
            else:
                # No room after a long bar: the value goes on its own line, ending under the bar's end,
                # rather than over the bar where hatching would make it hard to read.
                y += 20
                fitted = _fit(text, FS_VALUE, x1 - x0)
                if _text_width(fitted, FS_VALUE) <= tip_end - x0:
                    svg.text(tip_end, top + 34, fitted, size=FS_VALUE, cls="value", anchor="end", tip=text)
                else:
                    # Longer than the bar: start at the axis, so a wider font can only run right, into the margin.
                    svg.text(x0, top + 34, fitted, size=FS_VALUE, cls="value", tip=text)
            y += 28
        if group.hidden:
            svg.text(
                x0,
                y + 12,
                _t("chart.more_in_table", lang, n=fmt.number(group.hidden, lang, 0)),
                size=FS_SMALL,
                cls="muted",
            )
            y += 20
        y += 6
    # Gridlines go under the bars: insert them before the bars drawn above.
    grid = [f'<line x1="{_f(scale(t))}" y1="{_f(grid_top)}" x2="{_f(scale(t))}" y2="{_f(y)}" class="grid"/>' for t in ticks]
    svg.parts[parts_start:parts_start] = grid
    if n_bars > 8:
        tick_row(y + 16)
        y += 24
    return y


def _tick_labeller(svg: _Svg, ticks: list[tuple[float, str]], x0: float, x1: float) -> Callable[[float], None]:
    """A function drawing a row of tick labels, skipping any that would overlap the previous one."""
    kept: list[tuple[float, str, str]] = []
    right_edge = -math.inf
    for i, (x, label) in enumerate(ticks):
        w = _text_width(label, FS_TICK)
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        if left < right_edge + 8:
            if anchor != "end" or not kept:
                continue
            kept.pop()  # the last tick matters more than the one before it
        kept.append((x, label, anchor))
        right_edge = left + w

    def draw(y: float) -> None:
        for x, label, anchor in kept:
            svg.text(x, y, label, size=FS_TICK, cls="tick muted", anchor=anchor)

    return draw


# --- funding -----------------------------------------------------------------------------


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


def _usd_text(money: _Money, lang: str) -> str:
    if money.usd is None:
        return fmt.unknown(lang)
    item = money.item
    if item.currency == "USD":
        # Already in dollars: exact, not "about" a conversion.
        return fmt.money(item.amount, "USD", lang, "exact", item.amount_max)
    if money.usd_max:
        return fmt.with_bound(f"{fmt.usd(_sig(money.usd), lang)}–{fmt.money(_sig(money.usd_max), 'USD', lang)}", item.bound, lang)
    return fmt.usd(_sig(money.usd), lang, item.bound)


def _money_label(money: _Money, lang: str) -> str:
    """ "₩10.1 trillion (about $7.1 billion, 2025 rate)": the original first, the conversion in brackets."""
    item = money.item
    original = fmt.money(item.amount, item.currency, lang, item.bound, item.amount_max)
    if item.currency == "USD" or money.rate is None:
        return original
    return _t("funding.converted", lang, original=original, usd=_usd_text(money, lang), year=money.rate.year)


def _rate_text(rate: FxRate | None, currency: str, lang: str) -> str:
    if currency == "USD":
        return "—"
    if rate is None:
        return _t("funding.no_rate", lang)
    return _t("funding.rate", lang, currency=currency, rate=_per_usd(rate.per_usd, lang), year=rate.year)


@functools.lru_cache(maxsize=1024)
def _per_usd(value: float, lang: str) -> str:
    # fmt.number keeps two decimals; a rate such as 0.8039 GBP needs four to be exact.
    # Cached: a large dataset has thousands of figures but few distinct rates, and Babel is slow.
    return format_decimal(round(value, 4), format="#,##0.####", locale=lang)


def _used_rates(moneys: Iterable[_Money]) -> list[FxRate]:
    """The distinct exchange rates a chart used, in a stable order (for the note)."""
    seen = {(m.rate.currency, m.rate.year): m.rate for m in moneys if m.rate is not None and m.item.currency != "USD"}
    return [seen[key] for key in sorted(seen)]


def _headline(moneys: list[_Money], sector: str | None = "public") -> float:
    return max((m.usd for m in moneys if m.usd is not None and (sector is None or m.item.sector == sector)), default=0.0)


def funding_chart(ds: Dataset, lang: str) -> Chart:
    """Public and private AI funding per country, in US dollars at each figure's exchange-rate year."""
    _check_lang(lang)
    chart_id = "funding"
    per_country = {c.code: [_convert(ds, c, item) for item in _listed(c.funding)] for c in ds.countries}
    plotted = [c for c in ds.countries if any(m.usd is not None for m in per_country[c.code])]
    plotted.sort(key=lambda c: (-_headline(per_country[c.code]), -_headline(per_country[c.code], None), c.code))
    top, rest = plotted[:TOP_N], plotted[TOP_N:]

    svg = _Svg(chart_id, _t("funding.title", lang), _t("funding.desc", lang))
    hatch = svg.hatch("hatch", "private")
    groups: list[_Group] = []
    sectors_seen: set[str] = set()
    bounds_seen: set[str] = set()
    for country in top:
        moneys = sorted(
            (m for m in per_country[country.code] if m.usd is not None),
            key=lambda m: (_SECTOR_ORDER[m.item.sector], -(m.usd or 0), m.item.id),
        )
        shown = moneys[:MAX_ITEMS_PER_COUNTRY]
        group = _Group(_name(country, lang), hidden=len(moneys) - len(shown))
        for m in shown:
            assert m.usd is not None
            sectors_seen.add(m.item.sector)
            bounds_seen.add(m.item.bound)
            group.bars.append(
                _Bar(
                    label=f"{m.item.label.get(lang)} · {_t('sector.' + m.item.sector, lang)}",
                    value=m.usd,
                    value_max=m.usd_max,
                    text=_money_label(m, lang),
                    cls=m.item.sector,
                    fill=hatch if m.item.sector == "private" else None,
                    bound=m.item.bound,
                    data_value=m.usd,
                )
            )
        groups.append(group)
    # "Others": the sum of each remaining country's largest public figure (summing one figure
    # per country never double-counts, unlike summing a country's overlapping programmes).
    others_total = sum(_headline(per_country[c.code]) for c in rest)
    if others_total > 0:
        others_bar = _Bar(
            label=_t("funding.others_bar", lang),
            value=others_total,
            text=fmt.usd(_sig(others_total), lang),
            cls="others",
            data_value=others_total,
        )
        groups.append(_Group(_others_label(len(rest), lang), [others_bar]))

    legend = [
        _Swatch("rect", f"bar {s}", _t(f"legend.{s}", lang), fill=hatch if s == "private" else None)
        for s in ("public", "mixed", "private")
        if s in sectors_seen
    ]
    if others_total > 0:
        legend.append(_Swatch("rect", "bar others", _t("legend.others", lang)))
    legend += _bound_swatches(bounds_seen, lang)
    y = _legend(svg, 4, legend) if legend else 8
    if groups:
        y = _bar_panel(svg, y, groups, _t("funding.axis", lang), lambda v: _t("funding.tick", lang, n=fmt.short(v, lang)), lang)
    else:
        y = _no_data(svg, y, lang)

    columns = [_t(f"funding.col.{k}", lang) for k in ("country", "item", "sector", "period", "amount", "usd", "rate", "note")]
    rows: list[list[str]] = []
    plotted_codes = {c.code for c in plotted}
    order = plotted + sorted((c for c in ds.countries if c.code not in plotted_codes), key=_country_sort_key)
    for country in order:
        name = _name(country, lang)
        if isinstance(country.funding, str):  # "unknown"
            rows.append([name, fmt.unknown(lang), "—", "—", fmt.unknown(lang), fmt.unknown(lang), "—", ""])
            continue
        if not country.funding:
            rows.append([name, _t("table.none", lang), "—", "—", "—", "—", "—", ""])
            continue
        moneys = sorted(per_country[country.code], key=lambda m: (_SECTOR_ORDER[m.item.sector], -(m.usd or -1), m.item.id))
        for m in moneys:
            item = m.item
            rows.append(
                [
                    name,
                    item.label.get(lang),
                    _t("sector." + item.sector, lang),
                    item.period,
                    fmt.money(item.amount, item.currency, lang, item.bound, item.amount_max),
                    _usd_text(m, lang),
                    _rate_text(m.rate, item.currency, lang),
                    item.note.get(lang) if item.note else "",
                ]
            )

    notes = [_t("funding.note.not_summed", lang)]
    rates = _used_rates(m for ms in per_country.values() for m in ms)
    if rates:
        listed = ", ".join(_rate_text(rate, rate.currency, lang) for rate in rates)
        notes.append(_t("funding.note.rates", lang, rates=listed))
    notes += _bound_notes(bounds_seen, lang)
    if rest:
        notes.append(_t("funding.note.others", lang, n=fmt.number(len(rest), lang, 0), top=TOP_N))
    if any(g.hidden for g in groups):
        notes.append(_t("chart.note.hidden_items", lang, n=MAX_ITEMS_PER_COUNTRY))
    unknown_items = sum(1 for ms in per_country.values() for m in ms if m.usd is None)
    unknown_countries = sum(1 for c in ds.countries if c.funding == UNKNOWN)
    if unknown_items or unknown_countries:
        notes.append(_t("chart.note.unknown", lang, n=fmt.number(unknown_items + unknown_countries, lang, 0)))
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, chart_id), columns, rows, notes)


def _bound_swatches(bounds: set[str], lang: str) -> list[_Swatch]:
    out = []
    if "up-to" in bounds:
        out.append(_Swatch("glyph", "", _t("legend.up_to", lang), glyph="≤"))
    if bounds & {"more-than", "at-least"}:
        out.append(_Swatch("glyph", "", _t("legend.at_least", lang), glyph="+"))
    if "about" in bounds:
        out.append(_Swatch("glyph", "", _t("legend.about", lang), glyph="≈"))
    return out


def _bound_notes(bounds: set[str], lang: str) -> list[str]:
    if bounds & {"up-to", "more-than", "at-least", "about"}:
        return [_t("chart.note.bounds", lang)]
    return []


# --- compute -------------------------------------------------------------------------------


def _is_planned(item: Compute) -> bool:
    return item.status in ("plan", "announced")


def _gpus(item: Compute) -> float | None:
    return float(item.gpus) if isinstance(item.gpus, int) and item.gpus > 0 else None


def _compute_groups(
    countries: list[Country],
    value: Callable[[Compute], float | None],
    text: Callable[[Compute], str],
    hatch: str,
    lang: str,
    others_label: Callable[[float], str],
) -> tuple[list[_Group], int, set[str], set[str]]:
    """Groups for one compute panel: the top countries by their largest figure, then "others"."""
    have = [c for c in countries if any(value(i) for i in _listed(c.compute))]

    def largest(c: Country) -> float:
        return max(value(i) or 0.0 for i in _listed(c.compute))

    have.sort(key=lambda c: (-largest(c), c.code))
    top, rest = have[:TOP_N], have[TOP_N:]
    groups: list[_Group] = []
    statuses: set[str] = set()
    bounds: set[str] = set()
    for country in top:
        # Deliveries first, then announcements, then plans: that contrast is what the panel is for.
        items = sorted(
            (i for i in _listed(country.compute) if value(i)),
            key=lambda i: (_STATUS_ORDER[i.status], -(value(i) or 0), i.id),
        )
        group = _Group(_name(country, lang), hidden=max(len(items) - MAX_ITEMS_PER_COUNTRY, 0))
        for item in items[:MAX_ITEMS_PER_COUNTRY]:
            planned = _is_planned(item)
            statuses.add("planned" if planned else "delivered")
            bounds.add(item.bound)
            group.bars.append(
                _Bar(
                    label=f"{item.label.get(lang)} · {_t('status.' + item.status, lang)}",
                    value=value(item) or 0.0,
                    text=text(item),
                    cls="planned" if planned else "delivered",
                    fill=hatch if planned else None,
                    bound=item.bound,
                    data_value=value(item),
                )
            )
        groups.append(group)
    if rest:
        total = sum(largest(c) for c in rest)
        groups.append(
            _Group(
                _others_label(len(rest), lang),
                [_Bar(label=_t("compute.others_bar", lang), value=total, text=others_label(total), cls="others")],
            )
        )
    return groups, len(rest), statuses, bounds


def compute_chart(ds: Dataset, lang: str) -> Chart:
    """GPUs planned against delivered, and national supercomputers in petaflops."""
    _check_lang(lang)
    chart_id = "compute"
    svg = _Svg(chart_id, _t("compute.title", lang), _t("compute.desc", lang))
    hatch = svg.hatch("hatch", "planned")
    unit = _t("compute.unit_gpus", lang)

    def gpu_text(item: Compute) -> str:
        return fmt.count(item.gpus, lang, item.bound, unit)

    def pf_text(item: Compute) -> str:
        assert item.petaflops is not None
        return fmt.with_bound(_t("compute.pflops", lang, n=fmt.number(item.petaflops, lang, 1)), item.bound, lang)

    gpu_groups, gpu_rest, st1, b1 = _compute_groups(ds.countries, _gpus, gpu_text, hatch, lang, lambda v: fmt.count(v, lang, "exact", unit))
    pf_groups, pf_rest, st2, b2 = _compute_groups(
        ds.countries,
        lambda i: i.petaflops if i.petaflops else None,
        pf_text,
        hatch,
        lang,
        lambda v: _t("compute.pflops", lang, n=fmt.number(v, lang, 1)),
    )
    statuses, bounds = st1 | st2, b1 | b2

    legend = []
    if "delivered" in statuses:
        legend.append(_Swatch("rect", "bar delivered", _t("legend.delivered", lang)))
    if "planned" in statuses:
        legend.append(_Swatch("rect", "bar planned", _t("legend.planned", lang), fill=hatch))
    if gpu_rest or pf_rest:
        legend.append(_Swatch("rect", "bar others", _t("legend.others", lang)))
    legend += _bound_swatches(bounds, lang)
    y = _legend(svg, 4, legend) if legend else 8
    if not gpu_groups and not pf_groups:
        y = _no_data(svg, y, lang)
    if gpu_groups:
        svg.text(MARGIN, y + 20, _t("compute.panel_gpus", lang), size=FS_HEAD + 2, cls="strong panel")
        y = _bar_panel(svg, y + 30, gpu_groups, _t("compute.axis_gpus", lang), lambda v: fmt.short(v, lang), lang)
    if pf_groups:
        svg.text(MARGIN, y + 28, _t("compute.panel_pflops", lang), size=FS_HEAD + 2, cls="strong panel")
        y = _bar_panel(svg, y + 38, pf_groups, _t("compute.axis_pflops", lang), lambda v: fmt.short(v, lang), lang)

    columns = [
        _t(f"compute.col.{k}", lang) for k in ("country", "item", "kind", "status", "gpus", "pflops", "date", "target", "sector", "note")
    ]
    rows: list[list[str]] = []
    for country in sorted(ds.countries, key=_country_sort_key):
        name = _name(country, lang)
        if isinstance(country.compute, str):  # "unknown"
            rows.append([name, fmt.unknown(lang)] + ["—"] * 7 + [""])
            continue
        if not country.compute:
            rows.append([name, _t("table.none", lang)] + ["—"] * 7 + [""])
            continue
        for item in country.compute:
            rows.append(
                [
                    name,
                    item.label.get(lang),
                    _t("kind." + item.kind, lang),
                    _t("status." + item.status, lang),
                    "—" if item.gpus is None else fmt.count(item.gpus, lang, item.bound),
                    "—" if item.petaflops is None else fmt.number(item.petaflops, lang, 1),
                    fmt.date(item.date, lang),
                    fmt.date(item.target_date, lang) if item.target_date else "—",
                    _t("sector." + item.sector, lang),
                    item.note.get(lang) if item.note else "",
                ]
            )

    notes = [_t("compute.note.not_summed", lang)]
    notes += _bound_notes(bounds, lang)
    if gpu_rest or pf_rest:
        notes.append(_t("compute.note.others", lang, top=TOP_N))
    if any(g.hidden for g in gpu_groups + pf_groups):
        notes.append(_t("chart.note.hidden_items", lang, n=MAX_ITEMS_PER_COUNTRY))
    unknown = sum(1 for c in ds.countries for i in _listed(c.compute) if i.gpus == UNKNOWN)
    unknown += sum(1 for c in ds.countries if c.compute == UNKNOWN)
    if unknown:
        notes.append(_t("chart.note.unknown", lang, n=fmt.number(unknown, lang, 0)))
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, chart_id), columns, rows, notes)


# --- foundation models ----------------------------------------------------------------------


def _params(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _plottable(model: FoundationModel) -> bool:
    return _params(model.params_total) is not None and isinstance(model.released, PartialDate)


def models_chart(ds: Dataset, lang: str) -> Chart:
    """Parameters (total and active) against release date, one colour and shape per country."""
    _check_lang(lang)
    chart_id = "models"
    svg = _Svg(chart_id, _t("models.title", lang), _t("models.desc", lang))
    have = [c for c in ds.countries if any(_plottable(m) for m in _listed(c.models))]

    def largest(c: Country) -> float:
        return max(_params(m.params_total) or 0.0 for m in _listed(c.models) if _plottable(m))

    have.sort(key=lambda c: (-largest(c), c.code))
    top, rest = have[:TOP_N], have[TOP_N:]
    style = _style_index(ds)
    points = [(style[c.code], c, m) for c in top for m in sorted(_listed(c.models), key=lambda m: m.id) if _plottable(m)]

    legend = [_Swatch("marker", f"mk {_colour(style[c.code])}", _name(c, lang), shape=_shape(style[c.code])) for c in top]
    styles = {("derived" if m.origin == "derived" else "scratch") for _, _, m in points}
    styles |= {"planned" for _, _, m in points if m.status == "planned"}
    styles |= {"moe" for _, _, m in points if _params(m.params_active)}
    if "scratch" in styles:
        legend.append(_Swatch("marker", "mk key", _t("legend.from_scratch", lang)))
    if "derived" in styles:
        legend.append(_Swatch("marker", "mk key hollow", _t("legend.derived", lang)))
    if "planned" in styles:
        legend.append(_Swatch("marker", "mk key planned", _t("legend.model_planned", lang)))
    if "moe" in styles:
        legend.append(_Swatch("line", "moe key", _t("legend.moe", lang)))
    y = _legend(svg, 4, legend) if legend else 8

    if points:
        values = [v for _, _, m in points for v in (_params(m.params_total), _params(m.params_active)) if v]
        left, right, top_y = 78, WIDTH - MARGIN, y + 26
        bottom = top_y + 400
        ys = _LogScale.around(values, bottom, top_y, headroom=True)
        dates = [_midpoint(m.released) for _, _, m in points]  # type: ignore[arg-type]
        first = min(d.year for d in dates)
        last = max(max(d.year for d in dates), (ds.as_of).year)
        xs = _DateScale(dt.date(first, 1, 1), dt.date(last + 1, 1, 1), left + 10, right - 10)
        svg.text(MARGIN, y + 14, _t("models.axis_y", lang), size=FS_AXIS, cls="axis muted")
        for tick in ys.ticks():
            ty = ys(tick)
            svg.el("line", x1=left, y1=ty, x2=right, y2=ty, cls="grid")
            svg.text(left - 6, ty + 4, fmt.short(tick, lang), size=FS_TICK, cls="tick muted", anchor="end")
        for year in xs.year_ticks():
            tx = xs(dt.date(year, 1, 1))
            svg.el("line", x1=tx, y1=top_y, x2=tx, y2=bottom, cls="grid")
            svg.text(tx, bottom + 18, str(year), size=FS_TICK, cls="tick muted", anchor="middle")
        svg.el("line", x1=left, y1=bottom, x2=right, y2=bottom, cls="axis-line")
        svg.text((left + right) / 2, bottom + 40, _t("models.axis_x", lang), size=FS_AXIS, cls="axis muted", anchor="middle")
        placer = _Placer((left + 2, top_y - 14, right, bottom - 2))
        marks: list[tuple[float, float, str, FoundationModel]] = []
        # Draw every mark first and reserve its spot, so no label is placed over a mark.
        for (i, _country, model), day in zip(points, dates, strict=True):
            px, py = xs(day), ys(_params(model.params_total) or 1)
            cls = f"mk {_colour(i)}" + (" hollow" if model.origin == "derived" else "")
            cls += " planned" if model.status == "planned" else ""
            active = _params(model.params_active)
            if active and active < (_params(model.params_total) or 0):
                ay = ys(active)
                svg.el("line", x1=px, y1=py, x2=px, y2=ay, cls=f"moe {_colour(i)}")
                svg.el("line", x1=px - 5, y1=ay, x2=px + 5, y2=ay, cls=f"moe {_colour(i)}")
                placer.reserve((px - 6, py, px + 6, ay + 2))
            _marker(svg, _shape(i), px, py, 6, cls)
            placer.reserve((px - 7, py - 7, px + 7, py + 7))
            marks.append((px, py, model.name, model))
        for px, py, name, model in sorted(marks, key=lambda m: (m[1], m[0])):
            mark = _BOUND_MARK.get(model.bound, "")
            label = _fit(name, FS_SMALL, 160) + (f" {mark}" if mark else "")
            spot = placer.around(px, py, 6, _text_width(label, FS_SMALL), FS_SMALL)
            if spot:
                _leader(svg, px, py, 6, spot[2])
                svg.text(
                    spot[0],
                    spot[2][1] + FS_SMALL * 0.85,
                    label,
                    size=FS_SMALL,
                    cls="label halo",
                    anchor=spot[1],
                    tip=name,
                )
        y = bottom + 52
    else:
        y = _no_data(svg, y, lang)

    columns = [
        _t(f"models.col.{k}", lang)
        for k in ("country", "model", "organisation", "total", "active", "architecture", "origin", "released", "status")
    ]
    rows: list[list[str]] = []
    unknown = 0
    for country in sorted(ds.countries, key=_country_sort_key):
        name = _name(country, lang)
        if isinstance(country.models, str):  # "unknown"
            rows.append([name, fmt.unknown(lang)] + ["—"] * 7)
            unknown += 1
            continue
        if not country.models:
            rows.append([name, _t("table.none", lang)] + ["—"] * 7)
            continue
        for m in sorted(country.models, key=lambda m: (m.released == UNKNOWN, str(m.released), m.id)):
            unknown += not _plottable(m)
            arch = fmt.unknown(lang) if m.architecture == "unknown" else _t("arch." + m.architecture, lang)
            origin = fmt.unknown(lang) if m.origin == "unknown" else _t("origin." + m.origin, lang)
            if m.origin == "derived" and m.base_model:
                origin = _t("models.derived_from", lang, origin=origin, base=m.base_model)
            rows.append(
                [
                    name,
                    m.name,
                    m.organisation,
                    fmt.params(m.params_total, lang, m.bound),
                    "—" if m.params_active is None else fmt.params(m.params_active, lang),
                    arch,
                    origin,
                    fmt.date(m.released, lang),
                    _t("model_status." + m.status, lang),
                ]
            )
    notes = [_t("models.note.not_quality", lang)]
    if any(m.bound != "exact" for _, _, m in points):
        notes.append(_t("chart.note.bounds", lang))
    if unknown:
        notes.append(_t("models.note.unknown", lang, n=fmt.number(unknown, lang, 0)))
    if rest:
        n_models = sum(1 for c in rest for m in _listed(c.models) if _plottable(m))
        notes.append(
            _t(
                "models.note.others",
                lang,
                n=fmt.number(n_models, lang, 0),
                countries=fmt.number(len(rest), lang, 0),
                top=TOP_N,
            )
        )
    notes.append(_t("chart.note.labels_omitted", lang))
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, chart_id), columns, rows, notes)


# --- timeline --------------------------------------------------------------------------------


def _timeline_axis(dates: list[dt.date], today: dt.date) -> tuple[dt.date, dt.date]:
    """2017 to today; scheduled milestones stretch the end, but by at most three years."""
    start = dt.date(min(TIMELINE_START_YEAR, today.year), 1, 1)
    cap = dt.date(today.year + 3, 12, 31)
    end = max([today, *(d for d in dates if d <= cap)])
    return start, end + dt.timedelta(days=45)


def _date_ticks(svg: _Svg, xs: _DateScale, y: float, bottom: float) -> None:
    for year in xs.year_ticks():
        tx = xs(dt.date(year, 1, 1))
        svg.el("line", x1=tx, y1=y + 6, x2=tx, y2=bottom, cls="grid")
        svg.text(tx, y, str(year), size=FS_TICK, cls="tick muted", anchor="middle")


def _today_line(svg: _Svg, xs: _DateScale, today: dt.date, y: float, bottom: float, lang: str) -> float:
    """The dashed as-of line, labelled under the lanes so it never covers a label; returns the new bottom."""
    tx = xs(today)
    svg.el("line", x1=tx, y1=y, x2=tx, y2=bottom + 6, cls="today")
    label = _t("timeline.as_of", lang, date=fmt.date(today, lang))
    anchor = "end" if tx + _text_width(label, FS_SMALL) > WIDTH - MARGIN else "start"
    svg.text(tx + (-4 if anchor == "end" else 4), bottom + 18, label, size=FS_SMALL, cls="muted", anchor=anchor)
    return bottom + 24


def _milestone_mark(svg: _Svg, xs: _DateScale, date: PartialDate, y: float, cls: str, tip: str) -> float:
    """A dot at the date (mid-period for a month or a year) over a faint band spanning the period."""
    if date.precision != "day":
        a, b = xs(xs.clamp(date.first_day)), xs(xs.clamp(_period_end(date)))
        if b - a >= 1:
            svg.el("rect", x=a, y=y - 7, width=b - a, height=14, rx=3, cls=f"span {cls}")
    day = _midpoint(date)
    x = xs(xs.clamp(day))
    if day < xs.start or day > xs.end:
        # Outside the axis: drawn at the edge as an arrowhead pointing out of it.
        d = -1 if day < xs.start else 1
        svg.el("path", d=f"M{_f(x + 7 * d)},{_f(y)}L{_f(x)},{_f(y - 6)}L{_f(x)},{_f(y + 6)}Z", cls=f"mk {cls}")
    else:
        svg.open("circle", cx=x, cy=y, r=6, cls=f"mk dot {cls}")
        svg.parts.append(f"<title>{escape(tip)}</title>")
        svg.close("circle")
    return x


def _milestones(country: Country) -> list[Any]:
    # Sorted on plain tuples: comparing PartialDate objects runs Python code per comparison.
    return sorted(_listed(country.timeline), key=lambda m: (m.date.sort_key(), m.id))


def timeline_chart(ds: Dataset, lang: str, countries: list[Country] | None = None, today: dt.date | None = None) -> Chart:
    """Milestones from 2017 to ``today`` (the data's newest as-of date, never the clock).

    ``countries=None`` draws every country on one axis, a lane each; ``[country]`` draws
    that country's own timeline with every milestone labelled.
    """
    _check_lang(lang)
    today = today or ds.as_of
    if countries is not None and len(countries) == 1:
        return _country_timeline(ds, lang, countries[0], today)
    chosen = list(ds.countries if countries is None else countries)
    chart_id = "timeline" if countries is None else "timeline-" + "-".join(c.code for c in chosen)
    svg = _Svg(chart_id, _t("timeline.title", lang), _t("timeline.desc", lang))
    have = [c for c in chosen if _milestones(c)]
    have.sort(key=lambda c: (-len(_milestones(c)), c.code))
    if len(have) > MAX_LANES:
        lanes, rest = have[: MAX_LANES - 1], have[MAX_LANES - 1 :]
    else:
        lanes, rest = have, []
    all_dates = [_midpoint(m.date) for c in have for m in _milestones(c)]
    y: float = 8
    if not have:
        y = _no_data(svg, y, lang)
    else:
        start, end = _timeline_axis(all_dates, today)
        xs = _DateScale(start, end, MARGIN + 8, WIDTH - MARGIN - 8)
        axis_y = y + 14
        lane_h = 88
        bottom = axis_y + 16 + lane_h * (len(lanes) + bool(rest))
        _date_ticks(svg, xs, axis_y, bottom)
        y = axis_y + 16
        style = _style_index(ds)
        for country in lanes:
            cls = _colour(style.get(country.code, 0))
            svg.text(MARGIN, y + 17, _fit(_name(country, lang), FS_BODY, WIDTH - 2 * MARGIN), size=FS_BODY, cls="strong")
            line_y = y + 30
            svg.el("line", x1=MARGIN, y1=line_y, x2=WIDTH - MARGIN, y2=line_y, cls="lane")
            # Two rows of short labels under the lane; a label that fits neither row is left
            # to the dot's tooltip and the table.
            placer = _Placer((MARGIN, line_y + 8, WIDTH - MARGIN, line_y + 50))
            for milestone in _milestones(country):
                label = milestone.label.get(lang)
                x = _milestone_mark(svg, xs, milestone.date, line_y, cls, f"{fmt.date(milestone.date, lang)}: {label}")
                short = _fit(label, FS_SMALL, 160)
                w = _text_width(short, FS_SMALL)
                # A label starts or ends at its own dot, never drifts away from it.
                for row, anchor in ((0, None), (20, None), (0, "end"), (20, "end")):
                    tx = x - 3 if anchor is None else x + 3
                    x_left = tx if anchor is None else tx - w
                    box = (x_left - 2, line_y + 10 + row, x_left + w + 2, line_y + 29 + row)
                    if placer.free(box):
                        placer.reserve(box)
                        svg.text(tx, line_y + 24 + row, short, size=FS_SMALL, cls="label", anchor=anchor, tip=label)
                        break
            y += lane_h
        if rest:
            _others_lane(svg, xs, rest, y, lang)
            y += lane_h
        y = _today_line(svg, xs, today, axis_y + 4, bottom, lang)
    columns = [_t(f"timeline.col.{k}", lang) for k in ("country", "date", "milestone")]
    rows = _timeline_rows(sorted(chosen, key=_country_sort_key), lang)
    notes = [_t("timeline.note.dates", lang), _t("chart.note.labels_omitted", lang)]
    if rest:
        notes.append(_t("timeline.note.others", lang, n=fmt.number(len(rest), lang, 0), lanes=MAX_LANES - 1))
    notes += _outside_notes(all_dates, today, lang) if have else []
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, "timeline"), columns, rows, notes)


def _others_lane(svg: _Svg, xs: _DateScale, rest: list[Country], y: float, lang: str) -> None:
    """The aggregated lane: milestones counted per year, one sized circle per year (size stays bounded)."""
    svg.text(MARGIN, y + 17, _others_label(len(rest), lang), size=FS_BODY, cls="strong")
    line_y = y + 30
    svg.el("line", x1=MARGIN, y1=line_y, x2=WIDTH - MARGIN, y2=line_y, cls="lane")
    per_year = Counter(xs.clamp(_midpoint(m.date)).year for c in rest for m in _milestones(c))
    most = max(per_year.values())
    for year, n in sorted(per_year.items()):
        x = xs(xs.clamp(dt.date(year, 7, 1)))
        r = 3 + 7 * math.sqrt(n / most)
        svg.el("circle", cx=x, cy=line_y, r=r, cls="mk others")
        svg.text(x, line_y + 28, fmt.number(n, lang, 0), size=FS_SMALL, cls="label", anchor="middle")


def _outside_notes(dates: list[dt.date], today: dt.date, lang: str) -> list[str]:
    start, end = _timeline_axis(dates, today)
    outside = sum(1 for d in dates if d < start or d > end)
    return [_t("timeline.note.outside", lang, n=fmt.number(outside, lang, 0))] if outside else []


def _timeline_rows(countries: list[Country], lang: str) -> list[list[str]]:
    rows = []
    for country in countries:
        name = _name(country, lang)
        if isinstance(country.timeline, str):  # "unknown"
            rows.append([name, "—", fmt.unknown(lang)])
        elif not country.timeline:
            rows.append([name, "—", _t("table.none", lang)])
        for milestone in _milestones(country):
            rows.append([name, fmt.date(milestone.date, lang), milestone.label.get(lang)])
    return rows


def _country_timeline(ds: Dataset, lang: str, country: Country, today: dt.date) -> Chart:
    """One country's timeline: a row per milestone, its label beside its dot on the shared time axis."""
    chart_id = f"timeline-{country.code}"
    name = _name(country, lang)
    svg = _Svg(chart_id, _t("timeline.title_country", lang, name=name), _t("timeline.desc_country", lang, name=name))
    milestones = _milestones(country)
    dates = [_midpoint(m.date) for m in milestones]
    y: float = 8
    if not milestones:
        y = _no_data(svg, y, lang)
    else:
        start, end = _timeline_axis(dates, today)
        xs = _DateScale(start, end, MARGIN + 8, WIDTH - MARGIN - 8)
        axis_y = y + 14
        # One country, one colour: the palette's first. Using its cross-country slot would
        # make every country page depend on every other country's funding (the slot is a rank).
        colour = _colour(0)
        # Lay the rows out first (a long label wraps onto a second line) so the gridlines know the bottom.
        layout = []
        for milestone in milestones:
            text = f"{fmt.date(milestone.date, lang)} · {milestone.label.get(lang)}"
            x = xs(xs.clamp(_midpoint(milestone.date)))
            right_room, left_room = WIDTH - MARGIN - (x + 12), (x - 12) - MARGIN
            on_right = _text_width(text, FS_BODY) <= right_room or right_room >= left_room
            lines = _wrap(text, FS_BODY, right_room if on_right else left_room)
            layout.append((milestone, text, x, on_right, lines))
        bottom = axis_y + 12 + sum(14 + 21 * len(lines) for *_, lines in layout)
        _date_ticks(svg, xs, axis_y, bottom)
        y = axis_y + 12
        for milestone, text, x, on_right, lines in layout:
            row_h = 14 + 21 * len(lines)
            cy = y + row_h / 2
            _milestone_mark(svg, xs, milestone.date, cy, colour, text)
            first = cy + 6 - 10.5 * (len(lines) - 1)
            for i, line in enumerate(lines):
                svg.text(
                    x + 12 if on_right else x - 12,
                    first + 21 * i,
                    line,
                    size=FS_BODY,
                    cls="label halo",
                    anchor=None if on_right else "end",
                    tip=text if len(lines) == 1 else None,
                )
            y += row_h
        y = _today_line(svg, xs, today, axis_y + 4, bottom, lang)
    columns = [_t(f"timeline.col.{k}", lang) for k in ("country", "date", "milestone")]
    notes = [_t("timeline.note.dates", lang)]
    notes += _outside_notes(dates, today, lang) if milestones else []
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, "timeline"), columns, _timeline_rows([country], lang), notes)


# --- archetypes -------------------------------------------------------------------------------


def archetype_chart(ds: Dataset, lang: str) -> Chart:
    """Our placement of each country: market-led to state-led (x), adopts to builds the stack (y)."""
    _check_lang(lang)
    chart_id = "archetypes"
    svg = _Svg(chart_id, _t("archetype.title", lang), _t("archetype.desc", lang))
    # Which countries get a label: the most prominent (see _style_index), which also fixes their colours.
    style = _style_index(ds)
    placed = sorted((c for c in ds.countries if c.archetype != UNKNOWN), key=lambda c: style[c.code])
    labelled, rest = placed[:TOP_N], placed[TOP_N:]

    left, right = 40, WIDTH - 40
    top_y = 16
    size = right - left
    bottom = top_y + size
    cx, cy = (left + right) / 2, (top_y + bottom) / 2

    def px(v: float) -> float:
        return cx + v * (size / 2 - 14)

    def py(v: float) -> float:
        return cy - v * (size / 2 - 14)

    svg.el("rect", x=left, y=top_y, width=size, height=size, cls="frame")
    svg.el("line", x1=cx, y1=top_y, x2=cx, y2=bottom, cls="axis-line")
    svg.el("line", x1=left, y1=cy, x2=right, y2=cy, cls="axis-line")
    svg.text(left + 6, cy - 8, _t("archetype.market_led", lang), size=FS_AXIS, cls="axis muted")
    svg.text(right - 6, cy - 8, _t("archetype.state_led", lang), size=FS_AXIS, cls="axis muted", anchor="end")
    svg.text(cx + 6, top_y + 20, _t("archetype.builds", lang), size=FS_AXIS, cls="axis muted")
    svg.text(cx + 6, bottom - 10, _t("archetype.adopts", lang), size=FS_AXIS, cls="axis muted")
    placer = _Placer((left + 2, top_y + 2, right - 2, bottom - 2))
    for box in [
        (left + 4, cy - 24, left + 4 + _text_width(_t("archetype.market_led", lang), FS_AXIS), cy - 4),
        (right - 4 - _text_width(_t("archetype.state_led", lang), FS_AXIS), cy - 24, right - 4, cy - 4),
        (cx + 4, top_y + 4, cx + 8 + _text_width(_t("archetype.builds", lang), FS_AXIS), top_y + 26),
        (cx + 4, bottom - 26, cx + 8 + _text_width(_t("archetype.adopts", lang), FS_AXIS), bottom - 4),
    ]:
        placer.reserve(box)

    if rest:
        # Unlabelled countries are binned on a grid: one dot per occupied cell, sized by count.
        cells = Counter(
            (round((a.state_led + 1) / 2 * ARCHETYPE_GRID), round((a.builds_stack + 1) / 2 * ARCHETYPE_GRID))
            for a in (c.archetype for c in rest)
            if not isinstance(a, str)
        )
        most = max(cells.values())
        svg.open("g", cls="others")
        for (gx, gy), n in sorted(cells.items()):
            x, yv = px(gx / ARCHETYPE_GRID * 2 - 1), py(gy / ARCHETYPE_GRID * 2 - 1)
            r = 2.5 + 3.5 * math.sqrt(n / most)
            svg.el("circle", cx=x, cy=yv, r=r, cls="mk others")
            placer.reserve((x - r, yv - r, x + r, yv + r))
        svg.close("g")
    spots = []
    for country in labelled:
        arch = country.archetype
        assert not isinstance(arch, str)
        x, yv = px(arch.state_led), py(arch.builds_stack)
        svg.open("circle", cx=x, cy=yv, r=8, cls=f"mk {_colour(style[country.code])}")
        svg.parts.append(f"<title>{escape(_name(country, lang))}: {escape(arch.label.get(lang))}</title>")
        svg.close("circle")
        placer.reserve((x - 9, yv - 9, x + 9, yv + 9))
        spots.append((x, yv, country))
    omitted = 0
    for x, yv, country in spots:
        arch = country.archetype
        assert not isinstance(arch, str)
        # The name on one line, the archetype wrapped onto up to two more.
        title = _fit(_name(country, lang), FS_BODY, 220)
        subs = _wrap(arch.label.get(lang), FS_SMALL, 190)
        w = max([_text_width(title, FS_BODY)] + [_text_width(line, FS_SMALL) for line in subs])
        spot = placer.around(x, yv, 8, w, 21 + 18 * len(subs))
        if spot is None:
            omitted += 1
            continue
        lx, anchor, box = spot
        _leader(svg, x, yv, 8, box)
        svg.text(lx, box[1] + 16, title, size=FS_BODY, cls="strong halo", anchor=anchor, tip=_name(country, lang))
        for i, line in enumerate(subs):
            svg.text(
                lx,
                box[1] + 34 + 18 * i,
                line,
                size=FS_SMALL,
                cls="muted halo",
                anchor=anchor,
                tip=arch.label.get(lang) if len(subs) == 1 else None,
            )
    y = bottom + 12

    columns = [_t(f"archetype.col.{k}", lang) for k in ("country", "archetype", "state_led", "builds", "justification")]
    rows: list[list[str]] = []
    for country in sorted(ds.countries, key=_country_sort_key):
        arch = country.archetype
        if isinstance(arch, str):  # "unknown"
            rows.append([_name(country, lang), fmt.unknown(lang), "—", "—", ""])
            continue
        rows.append(
            [
                _name(country, lang),
                arch.label.get(lang),
                _signed(arch.state_led),
                _signed(arch.builds_stack),
                arch.justification.get(lang),
            ]
        )
    notes = [_t("archetype.note.analysis", lang)]
    if rest:
        notes.append(_t("archetype.note.others", lang, n=fmt.number(len(rest), lang, 0), top=TOP_N))
    if omitted:
        notes.append(_t("chart.note.labels_omitted", lang))
    unknown = len(ds.countries) - len(placed)
    if unknown:
        notes.append(_t("archetype.note.unknown", lang, n=fmt.number(unknown, lang, 0)))
    return Chart(chart_id, svg.title, svg.desc, svg.render(y, chart_id), columns, rows, notes)


def _signed(value: float) -> str:
    text = f"{round(value, 2):+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


# --- all of them ---------------------------------------------------------------------------------


def all_charts(ds: Dataset, lang: str) -> list[Chart]:
    """The five cross-country charts, in the order the comparison page shows them."""
    return [
        funding_chart(ds, lang),
        compute_chart(ds, lang),
        models_chart(ds, lang),
        timeline_chart(ds, lang),
        archetype_chart(ds, lang),
    ]
