"""Site settings: the one home for how the site is built.

`sovereign-site build` reads this file, and so does plain Pelican
(`pelican -s pelicanconf.py`), so both build the same site. Paths are relative
to this file.
"""

from pathlib import Path

_ROOT = Path(__file__).resolve().parent

SITENAME = "소버린 AI 지도"
SITEURL = ""  # `sovereign-site build --site-url URL` sets the public address
AUTHOR = "sovereign-site"
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Seoul"
DEFAULT_LANG = "ko"

# The engine: our plugin only. An explicit list turns off discovery of whatever
# else is installed, so every machine builds the same site.
PLUGINS = ["sovereign_site"]

# The theme lives in templates/: Jinja templates at its top, assets in static/.
THEME = "templates"
THEME_TEMPLATES_OVERRIDES = [str(_ROOT / "templates")]
THEME_STATIC_DIR = "static"
THEME_STATIC_PATHS = ["static"]

# Essays are Pelican articles; the about page is a Pelican page.
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
ARTICLE_URL = "essays/{slug}/"
ARTICLE_SAVE_AS = "essays/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/essays/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/essays/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
SLUGIFY_SOURCE = "basename"  # Korean titles: slugs come from front matter or the file name

# The home page, essay list and data pages are written by our generator, so
# Pelican's own index, archive, tag, category and author pages are off.
DIRECT_TEMPLATES: list[str] = []
for _kind in ("CATEGORY", "TAG", "AUTHOR", "ARCHIVES", "AUTHORS", "CATEGORIES", "TAGS", "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE"):
    globals()[f"{_kind}_SAVE_AS"] = ""

# Feeds: one Atom feed of essays per language. The data feed is ours.
FEED_ALL_ATOM = "feeds/essays.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/essays-{lang}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_RSS = None

# Reproducible output: no dates from the clock, stable ordering.
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
ARTICLE_ORDER_BY = "reversed-date"
DELETE_OUTPUT_DIRECTORY = False  # `sovereign-site build` publishes atomically itself
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# sovereign-site settings (documented in README "Settings").
SOVEREIGN_MAX_SOURCE_AGE_DAYS = 548  # warn about sources last checked over 18 months ago
SOVEREIGN_COMPARE_GROUP_THRESHOLD = 24  # above this many countries, the matrix is grouped by region
SOVEREIGN_LICENSE = "CC BY 4.0"
# Warn when a figure shown on the comparison pages rests only on secondary sources (validate
# --strict then fails): every such figure needs a primary or press source.
SOVEREIGN_CHECK_SOURCE_KINDS = True
SOVEREIGN_WORKERS = "auto"  # processes rendering pages: "auto" is one per core, at most two (see sovereign_site/parallel.py)
