"""The archetype map: our placement of each country, state-led against market-led and building against adopting."""

from __future__ import annotations

import math
from collections import Counter

from markupsafe import escape

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, Country
from .base import (
    ARCHETYPE_GRID,
    FS_AXIS,
    FS_BODY,
    FS_SMALL,
    MARGIN,
    TOP_N,
    WIDTH,
    Chart,
    _check_lang,
    _colour,
    _country_sort_key,
    _name,
    _style_index,
    _t,
    chart_width,
    responsive,
)
from .svg import (
    Box,
    _fit,
    _leader,
    _Placer,
    _Svg,
    _text_width,
    _wrap,
)

# --- archetypes -------------------------------------------------------------------------------


@responsive
def archetype_chart(ds: Dataset, lang: str) -> Chart:
    """Our placement of each country: market-led to state-led (x), adopts to builds the stack (y)."""
    _check_lang(lang)
    chart_id = "archetypes"
    svg = _Svg(chart_id, _t("archetype.title", lang), _t("archetype.desc", lang))
    # Which countries get a label: the most prominent (see _style_index), which also fixes their colours.
    style = _style_index(ds)
    placed = sorted((c for c in ds.countries if c.archetype != UNKNOWN), key=lambda c: style[c.code])
    labelled, rest = placed[:TOP_N], placed[TOP_N:]

    left, right = 40, chart_width() - 40
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
    axis_boxes = [
        (left + 4, cy - 24, left + 4 + _text_width(_t("archetype.market_led", lang), FS_AXIS), cy - 4),
        (right - 4 - _text_width(_t("archetype.state_led", lang), FS_AXIS), cy - 24, right - 4, cy - 4),
        (cx + 4, top_y + 4, cx + 8 + _text_width(_t("archetype.builds", lang), FS_AXIS), top_y + 26),
        (cx + 4, bottom - 26, cx + 8 + _text_width(_t("archetype.adopts", lang), FS_AXIS), bottom - 4),
    ]
    for box in axis_boxes:
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
    if chart_width() != WIDTH:
        # A phone has no room for labels beside the dots: each dot carries a number, and a
        # key under the square names the country and its archetype, every one of them.
        return _numbered(svg, spots, (left, top_y, right, bottom), axis_boxes, lang, ds, rest, placed)
    labels_start = len(svg.parts)
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
    if omitted:
        # A dot without its name cannot be told apart once colours repeat (there are eight):
        # rather than leave any unnamed, number them all and name them in a key, as on a phone.
        del svg.parts[labels_start:]
        return _numbered(svg, spots, (left, top_y, right, bottom), axis_boxes, lang, ds, rest, placed)
    return _finish(svg, bottom + 12, ds, lang, rest, placed, omitted)


#: Where a ring may go when its dot's place is taken: below, above, beside, then further out.
_RING_STEPS = [
    (0, 0),
    (0, 23),
    (0, -23),
    (23, 0),
    (-23, 0),
    (23, 23),
    (-23, 23),
    (23, -23),
    (-23, -23),
    (0, 46),
    (0, -46),
    (46, 0),
    (-46, 0),
]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _numbered(
    svg: _Svg,
    spots: list[tuple[float, float, Country]],
    frame: Box,
    axis_boxes: list[Box],
    lang: str,
    ds: Dataset,
    rest: list[Country],
    placed: list[Country],
) -> Chart:
    """Numbers in rings at the dots and a key below naming each, in the site's country order (Korea first in Korean).

    A ring whose place is taken (by another ring or an axis label) moves to the nearest free
    place with a short line back to its dot, so two countries placed alike both stay readable.
    """
    style = _style_index(ds)
    order = {c.code: i for i, c in enumerate(fmt.country_order([c for _, _, c in spots], lang))}
    spots = sorted(spots, key=lambda spot: order[spot[2].code])
    taken = list(axis_boxes)
    for n, (x, yv, country) in enumerate(spots, 1):
        rx, ry = x, yv
        for dx, dy in _RING_STEPS:
            box = (x + dx - 12, yv + dy - 12, x + dx + 12, yv + dy + 12)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
            if inside and not any(_overlaps(box, other) for other in taken):
                rx, ry = x + dx, yv + dy
                break
        taken.append((rx - 12, ry - 12, rx + 12, ry + 12))
        if (rx, ry) != (x, yv):
            svg.el("line", x1=x, y1=yv, x2=rx, y2=ry, cls="leader")
        # A ring in the country's colour around a number in the text colour: legible on any colour, in both schemes.
        svg.el("circle", cx=rx, cy=ry, r=11, cls=f"mk numbered {_colour(style[country.code])}")
        svg.text(rx, ry + 5, str(n), size=FS_SMALL - 1, cls="strong", anchor="middle")
    # The key: two columns where the chart is wide; on a phone one, the archetype under the name when both do not fit.
    columns = 2 if chart_width() >= 500 else 1
    col_width = (chart_width() - 2 * MARGIN) / columns
    rows = math.ceil(len(spots) / columns)
    y = top = frame[3] + 14
    for n, (_, _, country) in enumerate(spots, 1):
        arch = country.archetype
        assert not isinstance(arch, str)
        column = (n - 1) // rows
        if column and (n - 1) % rows == 0:
            y = top
        x0 = MARGIN + column * col_width
        name, label = _name(country, lang), arch.label.get(lang)
        svg.text(x0, y + 16, f"{n}", size=FS_SMALL, cls="strong")
        svg.text(x0 + 26, y + 16, name, size=FS_BODY, cls="strong")
        after = x0 + 34 + _text_width(name, FS_BODY)
        if after + _text_width(label, FS_SMALL) <= x0 + col_width - 8:
            svg.text(after, y + 16, label, size=FS_SMALL, cls="muted")
            y += 24
        else:
            svg.text(x0 + 26, y + 36, _fit(label, FS_SMALL, col_width - 34), size=FS_SMALL, cls="muted", tip=label)
            y += 44
        if column == 0:
            first_column_end = y
    y = max(y, first_column_end)
    return _finish(svg, y + 6, ds, lang, rest, placed, 0)


def _finish(svg: _Svg, y: float, ds: Dataset, lang: str, rest: list[Country], placed: list[Country], omitted: int) -> Chart:
    chart_id = svg.id.removesuffix("-narrow")
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
