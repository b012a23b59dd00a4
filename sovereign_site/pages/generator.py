"""The data-driven pages: home, countries, comparisons, timeline, glossary, downloads.

``DataPagesGenerator`` is a Pelican generator. ``generate_context`` reads (the
dataset was loaded and validated when the plugin initialised; here we gather
the essays Pelican read); ``generate_output`` writes every page in both
languages, then the machine-readable files. Pages are rendered straight from
the theme's Jinja environment and written with a plain file write: they need
none of Pelican's per-content machinery, which is what keeps large datasets fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import typing
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from .. import charts, parallel
from .. import format as fmt
from ..data import schema
from ..data.errors import ContentError
from ..state import state_of
from . import changes, compare, downloads, feeds
from . import indicators as indicator_views
from .comparisons import ComparisonPages
from .i18n import LANGUAGES, load_catalogue
from .languages import Language, Languages
from .placeholders import AS_OF_PLACEHOLDER, AS_OF_TOKEN, VERSION_TOKEN, as_of_text_token, digest
from .profiles import CountryPages
from .templating import lang_prefix
from .writing import OutputWriter, page_weight


class DataPagesGenerator(OutputWriter, Languages, CountryPages, ComparisonPages, Generator):
    def generate_context(self) -> None:
        self.state = state_of(self.settings)
        # The reader collected problems in essays while Pelican read them (all
        # reading happens before this generator's turn): stop here, before any
        # generator writes anything, if there were any.
        report = self.state.report
        if report.errors or (self.state.strict and report.problems):
            raise ContentError(report.problems if self.state.strict else report.errors)
        self.catalogue = load_catalogue(self.state.theme)
        # Pelican keeps translations on each original, not in the shared context.
        articles = self.context.get("articles", [])
        pages = self.context.get("pages", [])
        every_article = [*articles, *(t for a in articles for t in a.translations)]
        every_page = [*pages, *(t for p in pages for t in p.translations)]
        self.essays = {lang: [a for a in every_article if a.lang == lang] for lang in LANGUAGES}
        self.pages_by_lang = {lang: [p for p in every_page if p.lang == lang] for lang in LANGUAGES}
        self.written: list[str] = []
        self.folders: set[Path] = set()  # made already: one mkdir per folder, not per file
        # What every cached page depends on besides its own inputs: the shared
        # data files (dimensions, exchange rates, glossary) and the site URL.
        ds = self.state.dataset
        cache = self.state.cache
        self.chart_memo = cache.memory if cache is not None and cache.enabled and cache.keep_in_memory else None
        self.charts_drawn: dict[str, charts.Chart] | None = None  # in a forked child: the charts it drew anew
        # Where the build collects what search indexes (None: no search index this build).
        source = self.settings.get("SOVEREIGN_SEARCH_SOURCE")
        self.search_source = Path(source) if source else None
        # The most a page may weigh with its CSS and JS: a comparison table that would make its page heavier is split.
        self.page_budget = int(self.settings.get("SOVEREIGN_PAGE_BUDGET", 100 * 1024))
        self.languages: dict[str, Language] = {}
        self.layouts: dict[str, int | None] = {}
        self.shared_key = digest(sorted((k, v) for k, v in ds.files.items() if "/countries/" not in k), self.state.site_url)

    def generate_output(self, writer: Any) -> None:
        state = self.state
        ds = state.dataset
        out = Path(self.output_path)

        # Each language's pages are independent, and rendering them is most of a
        # build: with two cores, a forked child renders the other languages
        # meanwhile (see parallel.py), and the downloads are split between the two.
        first, *others = LANGUAGES
        fork = others and parallel.workers(self.settings.get("SOVEREIGN_WORKERS")) > 1
        with parallel.Child(lambda: self.render_in_child(others)) if fork else contextlib.nullcontext() as child:
            self.render_languages([first] if child else LANGUAGES)
            downloads.write_json(ds, self.open_text, self.remember)
            if not child:
                downloads.write_csv_and_schema(ds, self.open_text, self.remember)
            else:
                written, fresh, drawn = child.result()
                self.written += written
                if state.cache is not None:
                    state.cache.memory.update(fresh)
                if self.chart_memo is not None:
                    charts.adopt(self.chart_memo, ds, drawn)
        if self.search_source is not None:
            # Essays and pages (Pelican wrote them before this generator's turn) are indexed whole.
            for lang in LANGUAGES:
                for content in [*self.essays[lang], *self.pages_by_lang[lang]]:
                    self.write_search_source(content.save_as)
        if state.history is not None:
            self.write(changes.CHANGES_CSV, changes.changes_csv(state.history.changes))
        self.write("feeds/data.atom.xml", feeds.data_feed(ds, state, self.catalogue))
        # Pelican wrote the essay feeds before this generator's turn.
        feeds.localise_essay_feeds(out, {lang: self.catalogue.get("feed.essays_title", lang) for lang in LANGUAGES}, ds.as_of)
        self.write("robots.txt", feeds.robots(state))
        self.write("sitemap.xml", feeds.sitemap(self.sitemap_paths(), state))
        state.stats["essays"] = sum(len(v) for v in self.essays.values())
        state.stats["data_pages"] = len([p for p in self.written if p.endswith(".html")])
        state.stats["written"] = self.written

    def render_in_child(self, langs: typing.Sequence[str]) -> tuple[list[str], dict[str, Any], dict[str, charts.Chart]]:
        """What a forked child does: render, write its share of the downloads, and hand back what ``serve``
        keeps in memory (the cache entries it added, the cross-country charts it drew anew)."""
        cache = self.state.cache
        if cache is not None:
            cache.fresh = {}
        self.charts_drawn = {}
        before = len(self.written)
        self.render_languages(langs)
        downloads.write_csv_and_schema(self.state.dataset, self.open_text, self.remember)
        return self.written[before:], (cache.fresh or {}) if cache is not None else {}, self.charts_drawn

    def render_languages(self, langs: typing.Sequence[str]) -> list[str]:
        """Every data page in these languages; returns the paths written."""
        ds = self.state.dataset
        written_before = len(self.written)
        for lang in langs:
            language = self.language(lang)
            t, prefix, fixed, base, cells = language.t, lang_prefix(lang), language.fixed, language.base, language.cells
            regions, paged, pages, chart_by_id = language.regions, language.paged, language.pages, language.charts
            members = {r.id: r.members for r in regions}
            # Indicators: computed once per language, shown on the compare page, in the picker,
            # on one page each, and in the downloads.
            ordered, views = indicator_views.views_for(ds, lang, t, prefix)

            # Home, the country list and one profile per country
            self.render("home", f"{prefix}index.html", base, path="", charts=chart_by_id, cells=cells)
            self.render("countries", f"{prefix}countries/index.html", base, path="countries/", cells=cells)
            for country in ds.countries:
                # Every other country, in the fixed order; past the grouping threshold, those of
                # the same region only (a list of every country on every page would grow with the
                # square of their number), and the country list links the rest.
                neighbours = [c for c in (members[country.region] if paged else fixed) if c.code != country.code]
                essays_about = [e for e in self.essays[lang] if country.code in getattr(e, "countries", [])]
                # A member state shows the supranational layers it belongs to; a layer lists its members.
                layers = [ds.by_code[code] for code in country.member_of if code in ds.by_code]
                layer_members = [c for c in fixed if country.code in c.member_of] if country.layer == "supranational" else []
                self.render_country(
                    base,
                    country,
                    cells[country.code],
                    neighbours=neighbours,
                    essays_about=essays_about,
                    layers=layers,
                    members=layer_members,
                )

            # Comparisons: the overview matrix (and the picker), one page per dimension
            self.render(
                "compare",
                f"{prefix}compare/index.html",
                base,
                path="compare/",
                cells=cells,
                charts=chart_by_id,
                groups=[(r.label, r.members) for r in regions],
                indicators=ds.indicators,
                indicator_views=views,
                fixed=fixed,
            )
            for ind in ds.indicators:
                path = f"compare/indicators/{ind.id}/"
                self.render(
                    "indicator",
                    f"{prefix}{path}index.html",
                    base,
                    path=path,
                    indicator=ind,
                    rows=[(v.country, views[ind.id][v.country.code]) for v in ordered[ind.id]],
                    chart=charts.indicator_chart(ind, ordered[ind.id], lang) if ind.unit != "category" else None,
                    other_indicators=ds.indicators,
                )
            if lang == LANGUAGES[0]:
                for ind in ds.indicators:
                    self.write(f"data/indicators/{ind.id}.json", downloads.indicator_json(ind, ordered[ind.id]))
                    self.write(f"data/indicators/{ind.id}.csv", downloads.indicator_csv(ind, ordered[ind.id]))
            if paged:
                for region in pages:
                    path = f"compare/regions/{region.id}/"
                    self.render(
                        "compare_region",
                        f"{prefix}{path}index.html",
                        base,
                        path=path,
                        cells=cells,
                        region=region,
                        cache_key=([self.country_hash(c) for c in region.members], [(r.id, len(r.members)) for r in pages]),
                    )
            for dimension in ds.dimensions:
                self.render_dimension(lang, dimension)
            # The latest events under the chart, and (unless the dataset is large) one page per year.
            year_pages = [] if paged else compare.event_years(fixed)
            self.render(
                "timeline",
                f"{prefix}timeline/index.html",
                base,
                path="timeline/",
                chart=chart_by_id["timeline"],
                years=compare.events_by_year(fixed, self.settings.get("SOVEREIGN_TIMELINE_LIST_LIMIT", compare.TIMELINE_LIST_LIMIT)),
                events_total=compare.event_count(fixed),
                year_pages=year_pages,
            )
            by_year = dict(compare.events_by_year(fixed)) if year_pages else {}
            for year in year_pages:
                self.render(
                    "timeline_year",
                    f"{prefix}timeline/{year}/index.html",
                    base,
                    path=f"timeline/{year}/",
                    year=year,
                    events=by_year[year],
                    year_pages=year_pages,
                )

            # Reading and reuse
            self.render("essays", f"{prefix}essays/index.html", base, path="essays/")
            self.render(
                "glossary",
                f"{prefix}glossary/index.html",
                base,
                path="glossary/",
                terms=sorted(ds.glossary.terms, key=lambda term: term.term.get(lang).lower()),
            )
            if self.search_source is not None:
                self.write_search_source(f"{prefix}glossary/index.html")
            files = downloads.listing(ds)
            if self.state.history is not None:
                files.append({"key": "downloads.changes_csv", "path": changes.CHANGES_CSV})
            self.render("downloads", f"{prefix}downloads/index.html", base, path="downloads/", files=files)
            # The latest changes across all countries (changes.csv has them all); a note instead without git.
            latest: dict[str, Any] = dict(
                history=self.state.history, latest=self.state.history.changes[: changes.LATEST] if self.state.history else []
            )
            self.render("changes", f"{prefix}changes/index.html", base, path="changes/", csv_path=changes.CHANGES_CSV, **latest)
            self.render("search", f"{prefix}search/index.html", base, path="search/")
            self.render("404", f"{prefix}404.html", base, path="404.html")
            self.write(f"data/compare-{lang}.json", downloads.picker_json(ds, lang, cells, t, views))
        return self.written[written_before:]

    # -- helpers -------------------------------------------------------------------

    def render(
        self,
        template: str,
        save_as: str,
        base: dict[str, Any],
        path: str,
        cache_key: tuple[Any, ...] | None = None,
        lazy: dict[str, Any] | None = None,
        search: str | None = None,
        **context: Any,
    ) -> None:
        """Render one page, or take it from the cache when ``cache_key`` (what it depends on) is unchanged.

        ``lazy`` maps context names to functions computed only when the page is
        actually rendered (a chart is not drawn for a page the cache already has).
        ``search``: the template of what search indexes for this page, when the
        build indexes (see ``write_search_source``).
        """
        cache = self.state.cache if self.state.cache is not None and self.state.cache.enabled else None
        key = cache.key("page", template, save_as, self.shared_key, cache_key) if cache and cache_key is not None else None

        def page_context(drawn: bool) -> dict[str, Any]:
            return self.page_context(base, path, {**context, **({name: make() for name, make in (lazy or {}).items()} if drawn else {})})

        html = cache.get("page", key) if cache and key else None
        if html is None:
            html = self.get_template(template).render(page_context(drawn=True))
            if cache and key:
                cache.put("page", key, html)
        self.write(save_as, self.fill_placeholders(html))
        if search and self.search_source is not None:
            doc = cache.get("search", key) if cache and key else None
            if doc is None:
                doc = self.get_template(search).render(page_context(drawn=False))
                if cache and key:
                    cache.put("search", key, doc)
            self.write_search_source(save_as, doc)

    def page_context(self, base: dict[str, Any], path: str, context: dict[str, Any]) -> dict[str, Any]:
        lang = base["lang"]
        return {
            **base,
            **context,
            "page_path": path,
            "page_url": lang_prefix(lang) + path,
            "other_url": lang_prefix(base["other_lang"]) + path,
            "SITEURL": self.settings.get("SITEURL", ""),
            "SITENAME": self.settings.get("SITENAME", ""),
            # Placeholders, filled in by write(): see pages/placeholders.py.
            "dataset_version": VERSION_TOKEN,
            "dataset_as_of": AS_OF_PLACEHOLDER,
        }

    def weight(self, template: str, base: dict[str, Any], path: str, **context: Any) -> int:
        """What a page would weigh with its CSS and JS, rendered but not written."""
        html = self.fill_placeholders(self.get_template(template).render(self.page_context(base, path, context)))
        return page_weight(html, self.state.theme / "static")

    def remember(self, kind: str, country: schema.Country, make: typing.Callable[[], str]) -> str:
        """A country's part of a download; ``serve`` keeps it between rebuilds while its inputs are unchanged."""
        cache = self.state.cache
        if cache is None:
            return make()
        return cache.in_memory(kind, (self.country_hash(country), self.shared_key), make)

    def country_hash(self, country: Any) -> str:
        # The file's hash; a country built in memory (tests) falls back to its data.
        ds = self.state.dataset
        own = ds.files.get(f"content/countries/{country.code}.yaml") or country.model_dump_json()
        # Figures its texts quote from other countries' files are inputs too.
        return own + ds.text_inputs.get(country.code, "")

    def fill_placeholders(self, html: str) -> str:
        if "@@SOVEREIGN-" not in html:
            return html
        ds = self.state.dataset
        html = html.replace(VERSION_TOKEN, ds.version).replace(AS_OF_TOKEN, ds.as_of.isoformat())
        for lang in LANGUAGES:
            html = html.replace(as_of_text_token(lang), fmt.date(ds.as_of, lang))
        return html

    def sitemap_paths(self) -> list[tuple[str, dt.date | None]]:
        paths: list[tuple[str, dt.date | None]] = []
        as_of = self.state.dataset.as_of
        for relative in self.written:
            if relative.endswith("index.html"):
                paths.append((relative[: -len("index.html")], as_of))
        for lang in LANGUAGES:
            for article in self.essays[lang]:
                modified = getattr(article, "modified", None) or article.date
                paths.append((article.url, modified.date()))
            for page in self.pages_by_lang[lang]:
                paths.append((page.url, None))
        return sorted(set(paths), key=lambda p: p[0])
