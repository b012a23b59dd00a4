"""The timeline: each country's milestones on one date axis, and one country's own on its page."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from typing import Any

from markupsafe import escape

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import Country, PartialDate
from .base import (
    FS_BODY,
    FS_SMALL,
    FS_TICK,
    MARGIN,
    MAX_LANES,
    TIMELINE_START_YEAR,
    Chart,
    _check_lang,
    _colour,
    _country_sort_key,
    _listed,
    _name,
    _others_label,
    _style_index,
    _t,
    chart_width,
)
from .svg import (
    _DateScale,
    _f,
    _fit,
    _midpoint,
    _no_data,
    _period_end,
    _Placer,
    _Svg,
    _text_width,
    _wrap,
)

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
    anchor = "end" if tx + _text_width(label, FS_SMALL) > chart_width() - MARGIN else "start"
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
    lanes = fmt.country_order(lanes, lang)
    all_dates = [_midpoint(m.date) for c in have for m in _milestones(c)]
    y: float = 8
    if not have:
        y = _no_data(svg, y, lang)
    else:
        start, end = _timeline_axis(all_dates, today)
        xs = _DateScale(start, end, MARGIN + 8, chart_width() - MARGIN - 8)
        axis_y = y + 14
        lane_h = 88
        bottom = axis_y + 16 + lane_h * (len(lanes) + bool(rest))
        _date_ticks(svg, xs, axis_y, bottom)
        y = axis_y + 16
        style = _style_index(ds)
        for country in lanes:
            cls = _colour(style.get(country.code, 0))
            svg.text(MARGIN, y + 17, _fit(_name(country, lang), FS_BODY, chart_width() - 2 * MARGIN), size=FS_BODY, cls="strong")
            line_y = y + 30
            svg.el("line", x1=MARGIN, y1=line_y, x2=chart_width() - MARGIN, y2=line_y, cls="lane")
            # Two rows of short labels under the lane; a label that fits neither row is left
            # to the dot's tooltip and the table.
            placer = _Placer((MARGIN, line_y + 8, chart_width() - MARGIN, line_y + 50))
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
    svg.el("line", x1=MARGIN, y1=line_y, x2=chart_width() - MARGIN, y2=line_y, cls="lane")
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
        xs = _DateScale(start, end, MARGIN + 8, chart_width() - MARGIN - 8)
        axis_y = y + 14
        # One country, one colour: the palette's first. Using its cross-country slot would
        # make every country page depend on every other country's funding (the slot is a rank).
        colour = _colour(0)
        # Lay the rows out first (a long label wraps onto a second line) so the gridlines know the bottom.
        layout = []
        for milestone in milestones:
            text = f"{fmt.date(milestone.date, lang)} · {milestone.label.get(lang)}"
            x = xs(xs.clamp(_midpoint(milestone.date)))
            right_room, left_room = chart_width() - MARGIN - (x + 12), (x - 12) - MARGIN
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
