"""The funding chart: AI money by country in US dollars, public and private apart, each bar labelled in its own currency."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from babel.numbers import format_decimal

from .. import format as fmt
from ..data.dataset import Dataset
from ..data.schema import UNKNOWN, FxRate
from .bars import (
    _Bar,
    _bar_panel,
    _bound_notes,
    _bound_swatches,
    _Group,
)
from .base import (
    _SECTOR_ORDER,
    MAX_ITEMS_PER_COUNTRY,
    TOP_N,
    Chart,
    _check_lang,
    _convert,
    _country_sort_key,
    _headline,
    _listed,
    _Money,
    _name,
    _others_label,
    _t,
    responsive,
)
from .svg import (
    _legend,
    _no_data,
    _sig,
    _Svg,
    _Swatch,
)


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


@responsive
def funding_chart(ds: Dataset, lang: str) -> Chart:
    """Public and private AI funding per country, in US dollars at each figure's exchange-rate year."""
    _check_lang(lang)
    chart_id = "funding"
    per_country = {c.code: [_convert(ds, c, item) for item in _listed(c.funding)] for c in ds.countries}
    plotted = [c for c in ds.countries if any(m.usd is not None for m in per_country[c.code])]
    plotted.sort(key=lambda c: (-_headline(per_country[c.code]), -_headline(per_country[c.code], None), c.code))
    top, rest = plotted[:TOP_N], plotted[TOP_N:]
    top = fmt.country_order(top, lang)  # the largest are chosen, then shown in the fixed order

    svg = _Svg(chart_id, _t("funding.title", lang), _t("funding.desc", lang))
    hatch = svg.hatch("hatch", "private")
    groups: list[_Group] = []
    sectors_seen: set[str] = set()
    bounds_seen: set[str] = set()
    statuses_seen: set[str] = set()
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
            status = m.item.status
            statuses_seen.add(_firmness(status))
            status_text = f" · {_t('money_status.' + status, lang)}" if status != UNKNOWN else ""
            group.bars.append(
                _Bar(
                    label=f"{m.item.label.get(lang)} · {_t('sector.' + m.item.sector, lang)}{status_text}",
                    value=m.usd,
                    value_max=m.usd_max,
                    text=_money_label(m, lang),
                    # Plans and pledges are drawn pale and dashed, money spent or budgeted solid: the
                    # sector sets the colour and hatching, the status the weight (see charts.css).
                    cls=f"{m.item.sector} {_firmness(status)}",
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
    legend += [_Swatch("rect", f"bar public {f}", _t(f"legend.money_{f}", lang)) for f in ("firm", "soft") if f in statuses_seen]
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


def _firmness(status: str) -> str:
    """Money spent or in a budget is firm; a plan's envelope, a pledge or an unstated status is soft."""
    return "firm" if status in ("actual", "budgeted") else "soft"
