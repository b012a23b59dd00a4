"""An indicator's chart: one bar per country on a linear scale, firm figures solid and plans hatched, partial sums marked."""

from __future__ import annotations

from .. import format as fmt
from ..data.schema import Indicator
from ..indicators import Value
from .base import FS_BODY, FS_TICK, MARGIN, Chart, _check_lang, _name, _t, chart_width, responsive
from .svg import _f, _legend, _no_data, _Svg, _Swatch, _text_width

#: Statuses drawn as firm (solid): money spent or budgeted, hardware running, models released.
FIRM = {"actual", "budgeted", "operational", "delivered", "released"}
LEADING = 21
#: Each country takes two lines: its name and value, then its bar across the full width (no label can overflow).
ROW = 50


def _value_text(indicator: Indicator, value: Value, lang: str) -> str:
    assert value.amount is not None
    if indicator.unit in ("usd-per-year", "usd"):
        return fmt.usd(value.amount, lang, value.bound)
    return fmt.count(value.amount, lang, value.bound)


def _ticks(top: float) -> list[float]:
    """Three to six round ticks from zero to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    step = 10 ** len(str(int(top))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if top / (step * factor) <= 5:
            step *= factor
            break
    n = int(top // step) + (0 if top % step == 0 else 1)
    return [step * k for k in range(n + 1)]


@responsive
def indicator_chart(indicator: Indicator, values: list[Value], lang: str) -> Chart:
    """Bars for the countries with a value, in the order given (the indicator's order)."""
    _check_lang(lang)
    name = indicator.name.get(lang)
    svg = _Svg(f"indicator-{indicator.id}", name, _t("indicator.desc", lang, name=name))
    shown = [v for v in values if v.amount is not None]
    y = _legend(
        svg,
        8,
        [
            _Swatch("rect", "bar public", _t("indicator.legend.firm", lang)),
            _Swatch("rect", "bar planned", _t("indicator.legend.soft", lang), fill=svg.hatch(f"indicator-{indicator.id}-hatch", "planned")),
            _Swatch("glyph", "", _t("indicator.legend.partial", lang), glyph="*"),
        ],
    )
    unit = _t(f"indicator.unit.{indicator.unit}", lang)
    svg.text(MARGIN, y + 16, _t("indicator.axis", lang, unit=unit), size=FS_TICK, cls="axis muted")
    y += 28
    if not shown:
        height = _no_data(svg, y, lang)
        return Chart(
            f"indicator-{indicator.id}", name, svg.desc, svg.render(height, "indicator"), [_t("indicator.col.country", lang)], [], []
        )
    x0, x1 = MARGIN, chart_width() - MARGIN
    ticks = _ticks(max(v.amount or 0 for v in shown))
    top = ticks[-1]

    def scale(v: float) -> float:
        return x0 + (x1 - x0) * v / top

    # Each country's line: its name and value, or, where the two do not fit the width (a phone),
    # the name on one line and the value on the next.
    lines = []
    for value in shown:
        text = _value_text(indicator, value, lang) + (" *" if value.partial else "")
        joined = f"{_name(value.country, lang)} · {text}"
        lines.append([joined] if _text_width(joined, FS_BODY) <= x1 - x0 else [_name(value.country, lang), text])
    bottom = y + 20 + ROW * len(shown) + LEADING * sum(len(ls) - 1 for ls in lines)
    for tick in ticks:
        x = scale(tick)
        svg.el("line", x1=x, y1=y + 14, x2=x, y2=bottom, cls="grid")
        label = fmt.short(tick, lang) if indicator.unit != "models" else fmt.number(tick, lang, 0)
        anchor = "start" if tick == ticks[0] else "end" if tick == ticks[-1] else "middle"
        svg.text(x, y + 8, label, size=FS_TICK, cls="tick muted", anchor=anchor)
    y += 20
    for value, texts in zip(shown, lines, strict=True):
        assert value.amount is not None
        firm = bool(value.statuses) and all(s in FIRM for s in value.statuses)
        for i, line in enumerate(texts):
            svg.text(MARGIN, y + 18, line, size=FS_BODY, cls="strong" if i == 0 else None)
            y += LEADING if i < len(texts) - 1 else 0
        width = max(scale(value.amount) - x0, 1.5)
        cls = "bar public" if firm else "bar planned"
        fill = None if firm else f"url(#indicator-{indicator.id}-hatch)"
        svg.el("rect", x=x0, y=y + 26, width=width, height=16, cls=cls, fill=fill, data_value=_f(value.amount))
        y += ROW
    notes = [_t("indicator.note.linear", lang)]
    if any(v.partial for v in shown):
        notes.append(_t("indicator.note.partial", lang))
    columns = [_t("indicator.col.country", lang), _t("indicator.col.value", lang), _t("indicator.col.period", lang)]
    rows = [[_name(v.country, lang), _value_text(indicator, v, lang) + (" *" if v.partial else ""), v.period or "—"] for v in shown]
    return Chart(f"indicator-{indicator.id}", name, svg.desc, svg.render(y + 12, "indicator"), columns, rows, notes)
