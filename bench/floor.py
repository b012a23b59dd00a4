"""The floor: the cheapest renderer of our pages, to measure the real build against.

``python bench/floor.py PROJECT OUT`` loads the dataset once with
``sovereign_site.data.dataset.load_dataset``, renders every HTML page the site has
(the data pages in both languages, the essays and the about page) from the
project's ``templates/`` with plain Jinja2 and the same context objects the
generator passes, and writes them under ``OUT``. No Pelican, no cache, no
feeds, downloads, sitemap or static files, no search index.

Loading is *included* in the floor: the templates need typed ``Country``
objects, and ``load_dataset`` is the one way to get them (pydantic validation is
how they are constructed). Its time is reported separately (``load_s``), so
``render_s`` alone is the floor without it. It prints one JSON line:
``{"import_s", "load_s", "render_s", "pages", "skipped"}``.

The page list and the Jinja environment mirror ``DataPagesGenerator`` and the
plugin's ``generator_init`` hook; ``run.py`` compares the floor's pages with
the build's byte for byte (``floor_identical``). When the generator gains a
page type or the environment changes, update this file: until then the floor
writes fewer or different pages, and a template that no longer renders with
this context is listed under ``skipped`` instead of failing the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time
import typing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

_started = time.perf_counter()

from jinja2 import Environment, FileSystemLoader  # noqa: E402

from sovereign_site import charts  # noqa: E402
from sovereign_site import format as fmt  # noqa: E402
from sovereign_site.data import schema  # noqa: E402
from sovereign_site.data.dataset import load_dataset  # noqa: E402
from sovereign_site.data.errors import Report  # noqa: E402
from sovereign_site.history import read_history  # noqa: E402
from sovereign_site.pages import changes, compare, downloads  # noqa: E402
from sovereign_site.pages import indicators as indicator_views  # noqa: E402
from sovereign_site.pages.comparisons import neighbours as region_neighbours  # noqa: E402
from sovereign_site.pages.i18n import LANGUAGES, load_catalogue  # noqa: E402
from sovereign_site.pages.templating import install, lang_prefix  # noqa: E402
from sovereign_site.pages.writing import page_weight  # noqa: E402
from sovereign_site.prose import pipeline as md  # noqa: E402
from sovereign_site.prose.datatext import resolve_dataset  # noqa: E402

_imported = time.perf_counter()


#: DataPagesGenerator.CHART_TABLE_ROWS
TABLE_ROWS = 60


def bounded(chart: Any, catalogue: Any, lang: str) -> Any:
    if len(chart.rows) <= TABLE_ROWS:
        return chart
    note = catalogue.get("chart.table_truncated", lang, shown=TABLE_ROWS, total=len(chart.rows))
    return dataclasses.replace(chart, rows=chart.rows[:TABLE_ROWS], notes=[*chart.notes, note])


def read_documents(folder: Path, ds: Any, report: Report, base: str, url: str) -> dict[str, list[SimpleNamespace]]:
    """Essays or pages, rendered by our Markdown pipeline, shaped like the Pelican content templates read."""
    by_slug: dict[str, list[SimpleNamespace]] = {}
    for path in sorted(folder.glob("*.md")):
        rendered = md.render(path, path.read_text(encoding="utf-8"), report, ds, base=base)
        meta = rendered.metadata
        lang = meta.get("lang", "ko")
        slug = meta.get("slug", path.stem.split(".")[0])
        date = dt.datetime.fromisoformat(str(meta.get("date", "2026-01-01")))
        modified = dt.datetime.fromisoformat(str(meta["modified"])) if meta.get("modified") else None
        doc = SimpleNamespace(
            lang=lang, slug=slug, url=lang_prefix(lang) + url.format(slug=slug), title=meta.get("title", slug),
            metadata=meta, summary=meta.get("summary", ""), date=date, modified=modified, content=rendered.html,
            toc=rendered.toc, reading_minutes=rendered.reading_minutes, countries=rendered.countries, translations=[],
        )  # fmt: skip
        by_slug.setdefault(slug, []).append(doc)
    for group in by_slug.values():
        for doc in group:
            doc.translations = [other for other in group if other is not doc]
    return {
        lang: sorted((d for g in by_slug.values() for d in g if d.lang == lang), key=lambda d: d.date, reverse=True) for lang in LANGUAGES
    }


def render_site(project: Path, out: Path) -> dict[str, Any]:
    content, theme = project / "content", project / "templates"
    load_started = time.perf_counter()
    # The texts' data references resolved, as the build does right after loading.
    ds = resolve_dataset(load_dataset(content), content, Report(content.parent))
    history = read_history(content)  # the change history from git, as the build reads it (None outside git)
    loaded = time.perf_counter()

    # Pelican's JINJA_ENVIRONMENT defaults plus what our plugin's generator_init hook sets
    # (autoescape, globals, filters). run.py checks the pages come out byte-identical.
    env = Environment(loader=FileSystemLoader(str(theme)), trim_blocks=True, lstrip_blocks=True, autoescape=True)
    install(env, SimpleNamespace(theme=theme, site_url="", dataset=ds, cache=None, history=history))  # type: ignore[arg-type]
    catalogue = load_catalogue(theme)
    report = Report(project)
    essays = read_documents(content / "essays", ds, report, "../../", "essays/{slug}/")
    pages = read_documents(content / "pages", ds, report, "../", "{slug}/")
    threshold = 24
    written = 0
    skipped: set[str] = set()

    def render(template: str, save_as: str, context: dict[str, Any]) -> None:
        nonlocal written
        try:
            html = env.get_template(f"{template}.html").render(context)
        except Exception as exc:  # the generator changed under us: count it, keep going
            skipped.add(f"{template}: {type(exc).__name__}: {exc}"[:200])
            return
        target = out / save_as
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        written += 1

    budget = 100 * 1024  # as DataPagesGenerator.page_budget

    def weight(template: str, base: dict[str, Any], path: str, **extra: Any) -> int:
        lang, other = base["lang"], base["other_lang"]
        context = {**base, **extra, "page_path": path, "page_url": lang_prefix(lang) + path, "other_url": lang_prefix(other) + path}
        html = env.get_template(f"{template}.html").render({**context, "SITEURL": "", "SITENAME": "", "build_date": ds.as_of})
        return page_weight(html, theme / "static")

    def page(template: str, save_as: str, base: dict[str, Any], path: str, **extra: Any) -> None:
        lang, other = base["lang"], base["other_lang"]
        context = {**base, **extra, "page_path": path, "page_url": lang_prefix(lang) + path, "other_url": lang_prefix(other) + path}
        render(template, save_as, {**context, "SITEURL": "", "SITENAME": "", "build_date": ds.as_of})

    order = list(typing.get_args(schema.Country.model_fields["region"].annotation))
    languages: dict[str, SimpleNamespace] = {}

    def language(lang: str) -> SimpleNamespace:  # as pages/languages.py: made once per language
        if lang in languages:
            return languages[lang]
        t = catalogue.translator(lang)
        fixed = fmt.country_order(ds.countries, lang)
        base: dict[str, Any] = {"lang": lang, "other_lang": "en" if lang == "ko" else "ko", "essays": essays[lang], "countries": fixed,
                                "dimensions": ds.dimensions, "settings_group_threshold": threshold}  # fmt: skip
        cells = {c.code: {d.id: compare.cell(ds, c, d, lang, t) for d in ds.dimensions} for c in ds.countries}
        chart_by_id = {c.id: c for c in charts.all_charts(ds, lang)}
        by_region: dict[str, list[Any]] = {}
        for country in fixed:
            by_region.setdefault(country.region, []).append(country)
        regions = [compare.Region(r, t(f"region.{r}"), by_region[r]) for r in order if r in by_region]
        paged = len(ds.countries) > threshold
        if paged:  # as DataPagesGenerator.bounded: a large dataset's chart tables keep the first rows
            chart_by_id = {k: bounded(c, catalogue, lang) for k, c in chart_by_id.items()}
        region_pages = compare.region_pages(regions, t) if paged else []
        base.update(paged=paged, regions=regions, region_pages=region_pages, region=None)
        languages[lang] = SimpleNamespace(t=t, fixed=fixed, base=base, cells=cells, charts=chart_by_id, by_region=by_region,
                                          regions=regions, paged=paged, region_pages=region_pages)  # fmt: skip
        return languages[lang]

    def dimension_extra(lang: str, dimension: Any) -> dict[str, Any]:
        one = language(lang)
        return {"dimension": dimension, "cells": one.cells, "usd": lambda item: compare.usd_of(ds, item),
                "rows": compare.table_rows(one.fixed, dimension)}  # fmt: skip

    def fit(lang: str, dimension: Any) -> int | None:  # as ComparisonPages.fit
        one = language(lang)
        base, extra = {**one.base, "cells": one.cells}, dimension_extra(lang, dimension)
        template, path = f"dimensions/{dimension.kind}", f"compare/{dimension.id}/"
        if not one.paged:
            whole = weight(template, base, path, chart=one.charts.get(dimension.kind), split=False, **extra) <= budget
            return None if whole else compare.REGION_PAGE_SIZE
        size = compare.REGION_PAGE_SIZE
        while size > 1:
            trial_pages = compare.region_pages(one.regions, one.t, size)
            top = max(trial_pages, key=lambda r: compare.table_rows(r.members, dimension))
            at = next(i for i, r in enumerate(trial_pages) if r is top)
            trial = dict(chart=None, region=top, split=True, region_pages=trial_pages, **region_neighbours(trial_pages, at), **extra)
            if weight(template, {**base, "countries": top.members}, f"{path}{top.id}/", **trial) <= budget:
                break
            size //= 2
        return size

    layouts: dict[str, int | None] = {}

    def layout(dimension: Any) -> int | None:  # as ComparisonPages.layout: every language gets the same pages
        if dimension.id not in layouts:
            sizes = [size for size in (fit(lang, dimension) for lang in LANGUAGES) if size is not None]
            layouts[dimension.id] = min(sizes) if sizes else None
        return layouts[dimension.id]

    for lang in LANGUAGES:
        one = language(lang)
        t, prefix, fixed, base, cells, chart_by_id = one.t, lang_prefix(lang), one.fixed, one.base, one.cells, one.charts
        by_region, regions, paged, region_pages = one.by_region, one.regions, one.paged, one.region_pages
        ordered, views = indicator_views.views_for(ds, lang, t, prefix)

        page("home", f"{prefix}index.html", base, "", charts=chart_by_id, cells=cells)
        page("countries", f"{prefix}countries/index.html", base, "countries/", cells=cells)
        for country in ds.countries:
            neighbours = [c for c in (by_region[country.region] if paged else fixed) if c.code != country.code]
            layers = [ds.by_code[code] for code in country.member_of if code in ds.by_code]
            members = [c for c in fixed if country.code in c.member_of] if country.layer == "supranational" else []
            item_changes, _ = changes.for_country(history, country.code, changes.present_ids(country))
            path = f"countries/{country.code}/"
            page("country", f"{prefix}{path}index.html", base, path, country=country, neighbours=neighbours,
                 cells=cells[country.code], usd=lambda item: compare.usd_of(ds, item), layers=layers, members=members,
                 item_changes=item_changes, essays_about=[e for e in essays[lang] if country.code in e.countries])  # fmt: skip
            # As pages/profiles.py: the timeline, sources and history pages beside the profile.
            page("country_timeline", f"{prefix}{path}timeline/index.html", base, f"{path}timeline/", country=country, tab="timeline",
                 timeline=charts.timeline_chart(ds, lang, [country]), item_changes=item_changes)  # fmt: skip
            page("country_sources", f"{prefix}{path}sources/index.html", base, f"{path}sources/", country=country, tab="sources")
            headings = {d.kind if d.kind != "facts" else f"facts.{d.id}": d.label.get(lang) for d in ds.dimensions}
            headings["timeline"] = t("country.timeline")
            groups = changes.history_groups(item_changes, country, headings, t("changes.removed_items"))
            page("country_history", f"{prefix}{path}history/index.html", base, f"{path}history/", country=country, tab="history", history=history,
                 csv_path=changes.CHANGES_CSV, groups=groups, shown=changes.ITEM_HISTORY_SHOWN, commits=changes.commits_of(groups))  # fmt: skip

        page(
            "compare",
            f"{prefix}compare/index.html",
            base,
            "compare/",
            cells=cells,
            charts=chart_by_id,
            groups=[(r.label, r.members) for r in regions],
            indicators=ds.indicators,
            indicator_views=views,
            fixed=fixed,
        )
        for ind in ds.indicators:
            page("indicator", f"{prefix}compare/indicators/{ind.id}/index.html", base, f"compare/indicators/{ind.id}/", indicator=ind,
                 rows=[(v.country, views[ind.id][v.country.code]) for v in ordered[ind.id]],
                 chart=charts.indicator_chart(ind, ordered[ind.id], lang) if ind.unit != "category" else None,
                 other_indicators=ds.indicators)  # fmt: skip
        for region in region_pages:
            page(
                "compare_region",
                f"{prefix}compare/regions/{region.id}/index.html",
                base,
                f"compare/regions/{region.id}/",
                cells=cells,
                region=region,
            )
        for dimension in ds.dimensions:
            # As pages/comparisons.py: the whole table, or pages by region of the size ``layout`` chose.
            extra = dimension_extra(lang, dimension)
            dbase = {**base, "cells": cells}
            template, path = f"dimensions/{dimension.kind}", f"compare/{dimension.id}/"
            chart = chart_by_id.get(dimension.kind)
            size = layout(dimension)
            if size is None:
                page(template, f"{prefix}{path}index.html", dbase, path, chart=chart, split=False, **extra)
                continue
            dimension_pages = compare.region_pages(regions, t, size)
            extra.update(split=True, region_pages=dimension_pages)
            page(template, f"{prefix}{path}index.html", dbase, path, chart=chart, **extra)
            for i, region in enumerate(dimension_pages):
                page(template, f"{prefix}{path}{region.id}/index.html", {**dbase, "countries": region.members}, f"{path}{region.id}/",
                     chart=None, region=region, **region_neighbours(dimension_pages, i), **extra)  # fmt: skip
        year_pages = [] if paged else compare.event_years(fixed)
        page(
            "timeline",
            f"{prefix}timeline/index.html",
            base,
            "timeline/",
            chart=chart_by_id["timeline"],
            years=compare.events_by_year(fixed, compare.TIMELINE_LIST_LIMIT),
            events_total=compare.event_count(fixed),
            year_pages=year_pages,
        )
        by_year = dict(compare.events_by_year(fixed)) if year_pages else {}
        for year in year_pages:
            page(
                "timeline_year",
                f"{prefix}timeline/{year}/index.html",
                base,
                f"timeline/{year}/",
                year=year,
                events=by_year[year],
                year_pages=year_pages,
            )
        page("essays", f"{prefix}essays/index.html", base, "essays/")
        page(
            "glossary",
            f"{prefix}glossary/index.html",
            base,
            "glossary/",
            terms=sorted(ds.glossary.terms, key=lambda term: term.term.get(lang).lower()),
        )
        files = downloads.listing(ds) + ([{"key": "downloads.changes_csv", "path": changes.CHANGES_CSV}] if history is not None else [])
        page("downloads", f"{prefix}downloads/index.html", base, "downloads/", files=files)
        latest = history.changes[: changes.LATEST] if history else []
        page("changes", f"{prefix}changes/index.html", base, "changes/", csv_path=changes.CHANGES_CSV, history=history, latest=latest)
        page("search", f"{prefix}search/index.html", base, "search/")
        page("404", f"{prefix}404.html", base, "404.html")
        for essay in essays[lang]:
            render("article", f"{essay.url}index.html", {"article": essay})
        for doc in pages[lang]:
            render("page", f"{doc.url}index.html", {"page": doc})

    done = time.perf_counter()
    return {
        "import_s": _imported - _started,
        "load_s": loaded - load_started,
        "render_s": done - loaded,
        "pages": written,
        "skipped": sorted(skipped),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python bench/floor.py PROJECT OUT", file=sys.stderr)
        return 2
    print(json.dumps(render_site(Path(argv[0]), Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
