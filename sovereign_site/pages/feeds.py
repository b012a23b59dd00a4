"""Discovery files: the Atom feed of dataset changes, sitemap.xml and robots.txt.

The data feed has one entry per change to an item, from the history the
build read from git (commit dates); without git, one per country dated by its
``as_of``. Never the clock, so two builds of one commit are identical.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import feedgenerator

from ..data.dataset import Dataset
from .changes import LATEST, summary
from .i18n import Catalogue

if TYPE_CHECKING:
    from ..state import BuildState


def _iso(value: dt.date | dt.datetime) -> str:
    """RFC 3339 in UTC, as feedgenerator writes it: 2026-01-02T03:04:05+00:00."""
    return _utc(value).isoformat()


def _utc(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def data_feed(ds: Dataset, state: BuildState, catalogue: Catalogue) -> str:
    """The Atom feed of dataset changes, written by feedgenerator (Pelican's own feed library).

    With a history, one entry per change to an item (the latest ones), saying
    what changed; without one (no git), one entry per country, dated by its ``as_of``.
    """
    site = state.site_url.rstrip("/")
    feed = feedgenerator.Atom1Feed(
        title=catalogue.get("changes.feed_title", "ko"),
        link=f"{site}/changes/",
        description="",
        language="ko",
        feed_url=f"{site}/feeds/data.atom.xml",
        feed_guid=f"{site}/feeds/data.atom.xml" if site else "urn:sovereign-site:data",
        author_name="sovereign-site",
    )
    newest: dt.datetime | None = None
    if state.history is not None:
        for change in state.history.changes[:LATEST]:
            country = ds.by_code.get(change.country)
            who = f"{country.names.ko} ({country.names.en})" if country else change.country.upper()
            d = change.diff
            label = d.label[0] if d.label[0] == d.label[1] else f"{d.label[0]} ({d.label[1]})"
            ko, en = summary(change, "ko", catalogue), summary(change, "en", catalogue)
            feed.add_item(
                title=f"{who}: {label}",
                # A country whose file was deleted has no page left: its changes link to the list of changes.
                # The item's entry on its country's history page: it is there even once the item is removed.
                link=f"{site}/countries/{change.country}/history/#item-{change.country}-{d.id}" if country else f"{site}/changes/",
                # Atom's summary is typed html: every piece is escaped, so a subject such as "<img …>" stays text.
                description="".join(
                    f"<p>{html.escape(text)}</p>"
                    for text in (ko, en, f"{catalogue.get('changes.commit', 'en')} {change.commit[:12]}: {change.subject}")
                ),
                # Stable across builds and site addresses: a commit's hash never changes.
                unique_id=f"urn:sovereign-site:change:{change.uid}",
                pubdate=_utc(change.date),
                updateddate=_utc(change.date),
            )
            newest = max(newest or _utc(change.date), _utc(change.date))
    else:
        for country in sorted(ds.countries, key=lambda c: (c.as_of, c.code), reverse=True):
            url = f"{site}/countries/{country.code}/"
            feed.add_item(
                title=f"{country.names.ko} ({country.names.en})",
                link=url,
                description=f"content/countries/{country.code}.yaml, as of {country.as_of.isoformat()}, dataset {ds.version}",
                unique_id=url if site else f"urn:sovereign-site:country:{country.code}",
                pubdate=_utc(country.as_of),
                updateddate=_utc(country.as_of),
            )
            newest = max(newest or _utc(country.as_of), _utc(country.as_of))
    # The feed's own date is its newest entry's, never the clock (feedgenerator would use now() with no entries).
    feed.latest_post_date = lambda: newest or _utc(ds.as_of)  # type: ignore[method-assign]
    buffer = io.StringIO()
    feed.write(buffer, "utf-8")
    return buffer.getvalue() + "\n"


def robots(state: BuildState) -> str:
    site = state.site_url.rstrip("/")
    lines = ["User-agent: *", "Allow: /"]
    if site:
        lines.append(f"Sitemap: {site}/sitemap.xml")
    return "\n".join(lines) + "\n"


def sitemap(paths: list[tuple[str, dt.date | None]], state: BuildState) -> str:
    site = state.site_url.rstrip("/")
    rows = []
    for path, modified in paths:
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        rows.append(f"  <url><loc>{escape(site + '/' + path)}</loc>{lastmod}</url>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def localise_essay_feeds(output: Path, titles: dict[str, str], as_of: dt.date) -> None:
    """Give each language's essay feed its own title and ``xml:lang``.

    Pelican titles every feed with SITENAME and no language; a reader
    subscribing to the English feed should see an English title. A feed with
    no entries gets Pelican's clock time as ``<updated>``; it takes the
    dataset's date instead, so a build without essays reproduces too.
    """
    import re

    for lang, title in titles.items():
        names = ["essays.atom.xml", f"essays-{lang}.atom.xml"] if lang == "ko" else [f"essays-{lang}.atom.xml"]
        for name in names:
            path = output / "feeds" / name
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            text = re.sub(
                r"<feed xmlns=\"http://www.w3.org/2005/Atom\"(?: xml:lang=\"[^\"]*\")?>",
                f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
                text,
                count=1,
            )
            text = re.sub(r"<title>[^<]*</title>", f"<title>{escape(title)}</title>", text, count=1)
            if "<entry>" not in text:
                text = re.sub(r"<updated>[^<]*</updated>", f"<updated>{_iso(as_of)}</updated>", text, count=1)
            path.write_text(text, encoding="utf-8")
