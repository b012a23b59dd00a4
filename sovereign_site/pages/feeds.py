"""Discovery files: the Atom feed of dataset changes, sitemap.xml and robots.txt.

Dates come from git history where the content is in a git checkout (one
``git log`` call for all country files), else from each file's ``as_of``:
never from the clock, so two builds of one commit are identical.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import feedgenerator

from ..data.dataset import Dataset

if TYPE_CHECKING:
    from ..state import BuildState


def file_history(content: Path) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """(first commit, last commit) per country file name, from one git call."""
    try:
        result = subprocess.run(
            ["git", "log", "--format=@%cI", "--name-only", "--", "countries"],
            cwd=content, capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    history: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    when: dt.datetime | None = None
    for line in result.stdout.splitlines():
        if line.startswith("@"):
            when = dt.datetime.fromisoformat(line[1:])
        elif line.strip() and when is not None:
            name = Path(line).name
            first, last = history.get(name, (when, when))
            history[name] = (min(first, when), max(last, when))
    return history


def _iso(value: dt.date | dt.datetime) -> str:
    """RFC 3339 in UTC, as feedgenerator writes it: 2026-01-02T03:04:05+00:00."""
    return _utc(value).isoformat()


def _utc(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def data_feed(ds: Dataset, state: BuildState) -> str:
    """The Atom feed of dataset changes, written by feedgenerator (Pelican's own feed library)."""
    history = file_history(state.content)
    site = state.site_url.rstrip("/")
    entries = []
    for country in ds.countries:
        first, last = history.get(f"{country.code}.yaml", (country.as_of, country.as_of))
        entries.append((_utc(last), _utc(first), country))
    entries.sort(key=lambda e: (e[0], e[2].code), reverse=True)
    feed = feedgenerator.Atom1Feed(
        title="소버린 AI 지도: 데이터 변경 (Sovereign AI map: dataset changes)",
        link=f"{site}/",
        description="",
        language="ko",
        feed_url=f"{site}/feeds/data.atom.xml",
        feed_guid=f"{site}/feeds/data.atom.xml" if site else "urn:sovereign-site:data",
        author_name="sovereign-site",
    )
    for last, first, country in entries:
        url = f"{site}/countries/{country.code}/"
        feed.add_item(
            title=f"{country.names.ko} ({country.names.en})",
            link=url,
            description=f"content/countries/{country.code}.yaml, as of {country.as_of.isoformat()}, dataset {ds.version}",
            unique_id=url if site else f"urn:sovereign-site:country:{country.code}",
            pubdate=first,
            updateddate=last,
        )
    # The feed's own date is its newest entry's, never the clock (feedgenerator would use now() with no entries).
    feed.latest_post_date = lambda: entries[0][0] if entries else _utc(ds.as_of)  # type: ignore[method-assign]
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
