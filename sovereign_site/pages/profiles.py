"""A country's pages: its profile, and beside it its timeline, its sources and its items' change history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import charts
from . import changes, compare
from .templating import lang_prefix


class CountryPages:
    """How ``DataPagesGenerator`` renders one country; it provides ``render``, ``state`` and the rest.

    The profile carries the tables; the timeline, the numbered sources and the
    change history each have a page of their own, so no page of a country
    grows with all of them at once (every page stays within the weight budget).
    """

    state: Any
    catalogue: Any
    render: Callable[..., None]
    country_hash: Callable[[Any], str]

    def render_country(self, base: dict[str, Any], country: Any, cells: dict[str, Any], **profile: Any) -> None:
        """The four pages of ``country``; ``profile`` holds what only the profile shows (neighbours, layers…)."""
        ds, lang = self.state.dataset, base["lang"]
        t = self.catalogue.translator(lang)
        prefix, path = lang_prefix(lang), f"countries/{country.code}/"
        item_changes, _ = changes.for_country(self.state.history, country.code, changes.present_ids(country))
        own = self.country_hash(country)
        uids = [c.uid for found in item_changes.values() for c in found]
        layers, members, neighbours, essays_about = (profile[k] for k in ("layers", "members", "neighbours", "essays_about"))
        self.render(
            "country",
            f"{prefix}{path}index.html",
            base,
            path=path,
            search="search_country",
            country=country,
            cells=cells,
            usd=lambda item: compare.usd_of(ds, item),
            item_changes=item_changes,
            cache_key=(
                own,
                [self.country_hash(layer) for layer in layers],
                [(c.code, c.names.ko, c.names.en) for c in members],
                uids,
                [(c.code, c.names.ko, c.names.en) for c in neighbours],
                [(e.url, e.title) for e in essays_about],
            ),
            **profile,
        )
        self.render(
            "country_timeline",
            f"{prefix}{path}timeline/index.html",
            base,
            path=f"{path}timeline/",
            country=country,
            tab="timeline",
            lazy={"timeline": lambda: charts.timeline_chart(ds, lang, [country])},
            item_changes=item_changes,
            cache_key=(own, uids),
        )
        self.render(
            "country_sources",
            f"{prefix}{path}sources/index.html",
            base,
            path=f"{path}sources/",
            country=country,
            tab="sources",
            cache_key=(own,),
        )
        headings = {d.kind if d.kind != "facts" else f"facts.{d.id}": d.label.get(lang) for d in ds.dimensions}
        headings["timeline"] = t("country.timeline")
        groups = changes.history_groups(item_changes, country, headings, t("changes.removed_items"))
        self.render(
            "country_history",
            f"{prefix}{path}history/index.html",
            base,
            path=f"{path}history/",
            country=country,
            tab="history",
            history=self.state.history,
            csv_path=changes.CHANGES_CSV,
            groups=groups,
            shown=changes.ITEM_HISTORY_SHOWN,
            commits=changes.commits_of(groups),
            cache_key=(own, uids),
        )
