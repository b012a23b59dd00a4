"""Horizontal bar panels, shared by the funding and compute charts, with their bound marks and notes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import format as fmt
from .base import (
    _BOUND_MARK,
    FS_AXIS,
    FS_BODY,
    FS_HEAD,
    FS_SMALL,
    FS_TICK,
    FS_VALUE,
    MARGIN,
    _t,
    chart_width,
)
from .svg import (
    _f,
    _fit,
    _LinearScale,
    _LogScale,
    _Svg,
    _Swatch,
    _text_lines,
    _text_width,
    _wrap,
)

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
    linear: bool = False,
) -> float:
    """Horizontal bars, grouped by country, each bar's label on the line above it; a log axis unless ``linear``.

    Labels above the bars (not beside them) give long Korean and English labels the full width,
    which is what keeps them readable on a phone.
    """
    values = [v for g in groups for b in g.bars for v in (b.value, b.value_max or b.value)]
    x0, x1 = MARGIN, chart_width() - MARGIN
    scale: _LogScale | _LinearScale = (_LinearScale if linear else _LogScale).around(values, x0, x1)
    y += 24 + _text_lines(svg, x0, y + 15, axis_label, FS_AXIS, "axis muted", x1 - x0, 20)
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
