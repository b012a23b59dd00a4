"""The compute chart: GPUs and petaflops by country, planned apart from delivered."""

from __future__ import annotations

from collections.abc import Callable

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, Compute, Country
from .bars import (
    _Bar,
    _bar_panel,
    _bound_notes,
    _bound_swatches,
    _Group,
)
from .base import (
    _STATUS_ORDER,
    FS_HEAD,
    MARGIN,
    MAX_ITEMS_PER_COUNTRY,
    TOP_N,
    Chart,
    _check_lang,
    _country_sort_key,
    _listed,
    _name,
    _others_label,
    _t,
    chart_width,
    responsive,
)
from .svg import (
    _legend,
    _no_data,
    _Svg,
    _Swatch,
    _text_lines,
)

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
    top = fmt.country_order(top, lang)  # the largest are chosen, then shown in the fixed order
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


@responsive
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

    def systems(value: Callable[[Compute], float | None]) -> Callable[[Compute], float | None]:
        return lambda i: value(i) if i.kind != "gpu-plan" else None

    def targets(value: Callable[[Compute], float | None]) -> Callable[[Compute], float | None]:
        return lambda i: value(i) if i.kind == "gpu-plan" else None

    # A nationwide target and a single system never share an axis: systems and purchases in one
    # panel, national targets and announcements in another, each on its own linear scale.
    others = lambda v: fmt.count(v, lang, "exact", unit)  # noqa: E731
    gpu_groups, gpu_rest, st1, b1 = _compute_groups(ds.countries, systems(_gpus), gpu_text, hatch, lang, others)
    plan_groups, plan_rest, st3, b3 = _compute_groups(ds.countries, targets(_gpus), gpu_text, hatch, lang, others)
    pf_groups, pf_rest, st2, b2 = _compute_groups(
        ds.countries,
        systems(lambda i: i.petaflops if i.petaflops else None),
        pf_text,
        hatch,
        lang,
        lambda v: _t("compute.pflops", lang, n=fmt.number(v, lang, 1)),
    )
    statuses, bounds = st1 | st2 | st3, b1 | b2 | b3
    gpu_rest += plan_rest

    legend = []
    if "delivered" in statuses:
        legend.append(_Swatch("rect", "bar delivered", _t("legend.delivered", lang)))
    if "planned" in statuses:
        legend.append(_Swatch("rect", "bar planned", _t("legend.planned", lang), fill=hatch))
    if gpu_rest or pf_rest:
        legend.append(_Swatch("rect", "bar others", _t("legend.others", lang)))
    legend += _bound_swatches(bounds, lang)
    y = _legend(svg, 4, legend) if legend else 8
    if not gpu_groups and not plan_groups and not pf_groups:
        y = _no_data(svg, y, lang)
    if gpu_groups:
        wrapped = _text_lines(
            svg, MARGIN, y + 20, _t("compute.panel_gpus", lang), FS_HEAD + 2, "strong panel", chart_width() - 2 * MARGIN, 24
        )
        y = _bar_panel(svg, y + 30 + wrapped, gpu_groups, _t("compute.axis_gpus", lang), lambda v: fmt.short(v, lang), lang, linear=True)
    if plan_groups:
        wrapped = _text_lines(
            svg, MARGIN, y + 28, _t("compute.panel_plans", lang), FS_HEAD + 2, "strong panel", chart_width() - 2 * MARGIN, 24
        )
        y = _bar_panel(svg, y + 38 + wrapped, plan_groups, _t("compute.axis_gpus", lang), lambda v: fmt.short(v, lang), lang, linear=True)
    if pf_groups:
        wrapped = _text_lines(
            svg, MARGIN, y + 28, _t("compute.panel_pflops", lang), FS_HEAD + 2, "strong panel", chart_width() - 2 * MARGIN, 24
        )
        y = _bar_panel(svg, y + 38 + wrapped, pf_groups, _t("compute.axis_pflops", lang), lambda v: fmt.short(v, lang), lang, linear=True)

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

    notes = [_t("compute.note.not_summed", lang), _t("compute.note.apart", lang)]
    notes += _bound_notes(bounds, lang)
    if gpu_rest or pf_rest:
        notes.append(_t("compute.note.others", lang, top=TOP_N))
    if any(g.hidden for g in gpu_groups + plan_groups + pf_groups):
        notes.append(_t("chart.note.hidden_items", lang, n=MAX_ITEMS_PER_COUNTRY))
    unknown = sum(1 for c in ds.countries for i in _listed(c.compute) if i.gpus == UNKNOWN)
    unknown += sum(1 for c in ds.countries if c.compute == UNKNOWN)
    if unknown:
        notes.append(_t("chart.note.unknown", lang, n=fmt.number(unknown, lang, 0)))
    return Chart(chart_id, svg.title, svg.desc, svg.render(y + 8, chart_id), columns, rows, notes)
