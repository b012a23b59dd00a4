"""One dimension's comparison pages: the chart with the whole table, or the table split into pages by region."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import compare
from .i18n import LANGUAGES
from .templating import lang_prefix


class ComparisonPages:
    """How ``DataPagesGenerator`` renders a dimension's comparison; it provides ``render``, ``language`` and the rest."""

    state: Any
    page_budget: int
    layouts: dict[str, int | None]
    render: Callable[..., None]
    weight: Callable[..., int]
    language: Callable[[str], Any]
    country_hash: Callable[[Any], str]

    def render_dimension(self, lang: str, dimension: Any) -> None:
        """The chart with the whole table, or with links to the table's pages by region (see ``layout``)."""
        language = self.language(lang)
        base = {**language.base, "cells": language.cells}
        template, path = f"dimensions/{dimension.kind}", f"compare/{dimension.id}/"
        save_as = f"{lang_prefix(lang)}{path}index.html"
        context = self.dimension_context(language, dimension)
        chart = language.charts.get(dimension.kind)
        size = self.layout(dimension)
        if size is None:
            self.render(template, save_as, base, path=path, chart=chart, split=False, **context)
            return
        pages = compare.region_pages(language.regions, language.t, size)
        context.update(split=True, region_pages=pages)
        self.render(template, save_as, base, path=path, chart=chart, **context)
        for i, region in enumerate(pages):
            self.render(
                template,
                f"{lang_prefix(lang)}{path}{region.id}/index.html",
                {**base, "countries": region.members},
                path=f"{path}{region.id}/",
                chart=None,
                region=region,
                **neighbours(pages, i),
                cache_key=(dimension.id, [self.country_hash(c) for c in region.members], [(r.id, len(r.members)) for r in pages]),
                **context,
            )

    def layout(self, dimension: Any) -> int | None:
        """None for the whole table under the chart, or the most countries a page of the table by region holds.

        A small dataset keeps the whole table while the page stays within the
        page budget. Past it, and always for a large dataset, the table gets one
        page per region; a large dataset's regions get as many pages as keep the
        page with the most rows within the budget. Every language is weighed and
        gets the same pages, since each page's language switch leads to its twin.
        """
        if dimension.id not in self.layouts:
            sizes = [self.fit(self.language(lang), dimension) for lang in LANGUAGES]
            split = [size for size in sizes if size is not None]
            self.layouts[dimension.id] = min(split) if split else None
        return self.layouts[dimension.id]

    def fit(self, language: Any, dimension: Any) -> int | None:
        """``layout`` in one language."""
        base = {**language.base, "cells": language.cells}
        template, path = f"dimensions/{dimension.kind}", f"compare/{dimension.id}/"
        context = self.dimension_context(language, dimension)
        if not language.paged:
            chart = language.charts.get(dimension.kind)
            whole = self.weight(template, base, path, chart=chart, split=False, **context) <= self.page_budget
            return None if whole else compare.REGION_PAGE_SIZE
        size = compare.REGION_PAGE_SIZE
        while size > 1:
            pages = compare.region_pages(language.regions, language.t, size)
            top = max(pages, key=lambda r: compare.table_rows(r.members, dimension))
            region_base = {**base, "countries": top.members}
            trial = dict(
                chart=None,
                region=top,
                split=True,
                region_pages=pages,
                **neighbours(pages, next(i for i, r in enumerate(pages) if r is top)),
                **context,
            )
            if self.weight(template, region_base, f"{path}{top.id}/", **trial) <= self.page_budget:
                break
            size //= 2
        return size

    def dimension_context(self, language: Any, dimension: Any) -> dict[str, Any]:
        ds = self.state.dataset
        rows = compare.table_rows(language.fixed, dimension)
        return dict(dimension=dimension, cells=language.cells, usd=lambda item: compare.usd_of(ds, item), rows=rows)


def neighbours(pages: list[compare.Region], i: int) -> dict[str, compare.Region | None]:
    """The region pages before and after page ``i``, which its pager links."""
    return {"prev_region": pages[i - 1] if i else None, "next_region": pages[i + 1] if i + 1 < len(pages) else None}
