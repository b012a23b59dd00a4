"""What every page of one language shares: the translator, the order of countries, regions, cells and charts."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from .. import charts
from .. import format as fmt
from ..data import schema
from . import compare


@dataclasses.dataclass(frozen=True)
class Language:
    """One language's shared page context: translator, country order, base context, cells, regions and charts."""

    t: typing.Callable[..., str]
    fixed: list[Any]
    base: dict[str, Any]
    cells: dict[str, dict[str, Any]]
    regions: list[compare.Region]
    paged: bool
    pages: list[compare.Region]
    charts: dict[str, charts.Chart]


class Languages:
    """The per-language context ``DataPagesGenerator`` renders with, made once per build and language.

    Comparison pages weigh their twin in the other language (both must be cut
    into the same pages), so a process may need a language it does not render.
    """

    state: Any
    settings: dict[str, Any]
    catalogue: Any
    essays: dict[str, list[Any]]
    languages: dict[str, Language]
    chart_memo: dict[str, Any] | None
    charts_drawn: dict[str, charts.Chart] | None

    def language(self, lang: str) -> Language:
        """What every page of a language shares, made once per build (comparison pages weigh both languages)."""
        if lang in self.languages:
            return self.languages[lang]
        ds = self.state.dataset
        t = self.catalogue.translator(lang)
        fixed = fmt.country_order(ds.countries, lang)
        # Past a threshold the home page, the country list, the matrix and the
        # dimension tables are split by region, so no page grows with the
        # number of countries.
        regions = self.regions(lang)
        paged = len(ds.countries) > self.settings.get("SOVEREIGN_COMPARE_GROUP_THRESHOLD", 24)
        pages = compare.region_pages(regions, t) if paged else []
        base = {
            "lang": lang,
            "other_lang": "en" if lang == "ko" else "ko",
            "essays": self.essays[lang],
            "countries": fixed,
            "dimensions": ds.dimensions,
            "settings_group_threshold": self.settings.get("SOVEREIGN_COMPARE_GROUP_THRESHOLD", 24),
            "paged": paged,
            "regions": regions,
            "region_pages": pages,
            "region": None,
        }
        cells = {c.code: {d.id: compare.cell(ds, c, d, lang, t) for d in ds.dimensions} for c in ds.countries}
        drawn = charts.all_charts(ds, lang, self.chart_memo, self.charts_drawn)
        chart_by_id = {c.id: (self.bounded(c, lang) if paged else c) for c in drawn}
        self.languages[lang] = Language(t, fixed, base, cells, regions, paged, pages, chart_by_id)
        return self.languages[lang]

    def regions(self, lang: str) -> list[compare.Region]:
        """Countries grouped by region (in the schema's order of regions)."""
        t = self.catalogue.translator(lang)
        by_region: dict[str, list[Any]] = {}
        for country in fmt.country_order(self.state.dataset.countries, lang):
            by_region.setdefault(country.region, []).append(country)
        order = list(typing.get_args(schema.Country.model_fields["region"].annotation))
        return [compare.Region(region, t(f"region.{region}"), by_region[region]) for region in order if region in by_region]

    #: Rows of a chart's data table shown on a page when the dataset is large.
    CHART_TABLE_ROWS = 60

    def bounded(self, chart: charts.Chart, lang: str) -> charts.Chart:
        """A large dataset's chart with its data table cut to the first rows, and a note saying where the rest is.

        The chart itself already labels the top countries and aggregates the
        rest; a table of every item of a thousand countries would be megabytes.
        """
        if len(chart.rows) <= self.CHART_TABLE_ROWS:
            return chart
        note = self.catalogue.get("chart.table_truncated", lang, shown=self.CHART_TABLE_ROWS, total=len(chart.rows))
        return dataclasses.replace(chart, rows=chart.rows[: self.CHART_TABLE_ROWS], notes=[*chart.notes, note])
