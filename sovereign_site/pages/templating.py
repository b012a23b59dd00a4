"""What templates get besides their context: messages, formatters and URL helpers.

``install`` adds these to a Jinja environment, Pelican's (for essays and pages)
and ours alike, so every template speaks the same vocabulary:

* ``_("key")`` — a UI message in the page's language;
* ``url("countries/kr/")`` — a root-relative link that honours a site URL with a path;
* ``change_lines(change)`` — what one change of the history changed, field by field;
* ``money``, ``count``, ``params``, ``date``, ``number`` — values formatted per language.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from .. import format as fmt
from .changes import describe
from .i18n import DEFAULT_LANG, load_catalogue
from .placeholders import AsOfPlaceholder, as_of_text_token

if TYPE_CHECKING:
    from ..state import BuildState


def page_lang(ctx: Context) -> str:
    """The language of the page being rendered: set by our generator, or the Pelican content's."""
    lang = ctx.get("lang")
    if lang in ("ko", "en"):
        return lang
    for key in ("article", "page"):
        content = ctx.get(key)
        if content is not None and getattr(content, "lang", None) in ("ko", "en"):
            return content.lang
    return DEFAULT_LANG


def lang_prefix(lang: str) -> str:
    """Korean lives at the root, English under /en/."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def install(env: Environment, state: BuildState) -> None:
    catalogue = load_catalogue(state.theme)
    base_path = urlsplit(state.site_url).path.rstrip("/")

    @pass_context
    def translate(ctx: Context, key: str, **values: object) -> str:
        return catalogue.get(key, page_lang(ctx), **values)

    def url(path: str = "") -> str:
        return f"{base_path}/{path.lstrip('/')}"

    @pass_context
    def lang_url(ctx: Context, path: str = "", lang: str | None = None) -> str:
        return url(lang_prefix(lang or page_lang(ctx)) + path.lstrip("/"))

    @pass_context
    def near_url(ctx: Context, path: str) -> str:
        """``lang_url(path)``, written relative to the page when that is short (between a country's pages):
        a profile cites hundreds of sources, and the bytes count against the page budget."""
        here = ctx.get("page_path")
        if isinstance(here, str) and here.endswith("/"):
            relative = posixpath.relpath(path, here) + ("/" if path.endswith("/") else "")
            if not relative.startswith("../.."):
                return relative
        return lang_url(ctx, path)

    def absolute(path: str = "") -> str:
        return f"{state.site_url.rstrip('/')}/{path.lstrip('/')}"

    def _with_lang(func: Any) -> Any:
        @pass_context
        def call(ctx: Context, *args: Any, **kwargs: Any) -> str:
            if args and isinstance(args[0], AsOfPlaceholder):
                return as_of_text_token(page_lang(ctx))  # filled in when the page is written
            return func(*args, lang=page_lang(ctx), **kwargs)

        return call

    @pass_context
    def change_lines(ctx: Context, change: Any) -> list[Any]:
        return describe(change, page_lang(ctx), catalogue)

    numbers: dict[int, tuple[Any, dict[str, int]]] = {}

    def source_numbers(country: Any) -> dict[str, int]:
        """A country's source ids and their numbers in its source list (1-based), computed once."""
        entry = numbers.get(id(country))
        if entry is None or entry[0] is not country:
            entry = (country, {s.id: i for i, s in enumerate(country.sources, 1)})
            numbers[id(country)] = entry
        return entry[1]

    env.globals.update(
        _=translate,
        source_numbers=source_numbers,
        change_lines=change_lines,
        url=url,
        lang_url=lang_url,
        near_url=near_url,
        absolute_url=absolute,
        dataset=state.dataset,
        dataset_version=state.dataset.version,
        dataset_as_of=state.dataset.as_of,
    )
    env.filters.update(
        money=_with_lang(fmt.money),
        count=_with_lang(fmt.count),
        params=_with_lang(fmt.params),
        fdate=_with_lang(fmt.date),
        number=_with_lang(fmt.number),
        usd=_with_lang(fmt.usd),
    )
