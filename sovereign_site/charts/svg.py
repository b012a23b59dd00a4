"""The SVG toolkit: text widths and wrapping, the SVG writer, log and date scales, label placement, legends and markers."""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..data.schema import PartialDate
from .base import (
    FS_AXIS,
    MARGIN,
    WIDTH,
    _t,
    chart_width,
)

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


def _text_lines(svg: _Svg, x: float, y: float, text: str, size: float, cls: str, width: float, leading: float) -> float:
    """Draw ``text`` wrapped to ``width`` (two lines at most), the first baseline at ``y``; return the height added by wrapping."""
    lines = _wrap(text, size, width)
    for i, line in enumerate(lines):
        svg.text(x, y + i * leading, line, size=size, cls=cls, tip=text if line.endswith("…") else None)
    return (len(lines) - 1) * leading


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
        # The phone version sits in the same page: its ids (title, desc, patterns) must differ.
        self.id = chart_id if chart_width() == WIDTH else f"{chart_id}-narrow"
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
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart_width()} {_f(math.ceil(height))}" '
            f'class="chart-svg chart-{escape(kind)}{"" if chart_width() == WIDTH else " narrow"}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
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
class _LinearScale:
    """Maps a value to a coordinate on a linear axis from zero: the ratio of two bars is the ratio of their values."""

    lo: float
    hi: float
    a: float
    b: float

    @classmethod
    def around(cls, values: Iterable[float], a: float, b: float, headroom: bool = False) -> _LinearScale:
        top = max([v for v in values if v > 0], default=1.0)
        step = 10 ** math.floor(math.log10(top))
        for factor in (1, 2, 2.5, 5, 10):
            if top / (step * factor) <= 5:
                step *= factor
                break
        return cls(0.0, step * math.ceil(top / step - 1e-9), a, b)

    def __call__(self, value: float) -> float:
        value = min(max(value, self.lo), self.hi)
        return self.a + (value - self.lo) / (self.hi - self.lo) * (self.b - self.a)

    def ticks(self) -> list[float]:
        n = 5 if self.hi > 0 else 1
        for count in (5, 4, 2, 1):
            step = self.hi / count
            if abs(step - round(step, 10)) < 1e-9:
                n = count
                break
        return [self.hi * k / n for k in range(n + 1)]


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
        if x > MARGIN and x + w > chart_width() - MARGIN:
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
        svg.text(x + 22, cy + 5, _fit(item.label, size, chart_width() - 2 * MARGIN - 22), size=size, cls="legend", tip=item.label)
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
    svg.text(chart_width() / 2, y + 30, _t("chart.no_data", lang), size=16, cls="muted", anchor="middle")
    return y + 50
