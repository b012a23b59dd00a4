"""The models chart: foundation models by parameter count and release date, from scratch apart from derived."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, Country, FoundationModel, PartialDate
from .base import (
    _BOUND_MARK,
    FS_AXIS,
    FS_SMALL,
    FS_TICK,
    MARGIN,
    TOP_N,
    Chart,
    _check_lang,
    _colour,
    _country_sort_key,
    _listed,
    _name,
    _shape,
    _style_index,
    _t,
    chart_width,
    responsive,
)
from .svg import (
    _DateScale,
    _fit,
    _leader,
    _legend,
    _LogScale,
    _marker,
    _midpoint,
    _no_data,
    _Placer,
    _Svg,
    _Swatch,
    _text_width,
)

# --- foundation models ----------------------------------------------------------------------


def _params(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _plottable(model: FoundationModel) -> bool:
    return _params(model.params_total) is not None and isinstance(model.released, PartialDate)


@responsive
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
    top = fmt.country_order(top, lang)
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
        left, right, top_y = 78, chart_width() - MARGIN, y + 26
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
