"""The UI message catalogue: every string a template shows, in Korean and English.

Messages live in ``templates/messages/*.yaml`` as flat ``key: {ko: ..., en: ...}``
mappings, beside the templates that use them. Templates call ``_("key")``; the
language comes from the page being rendered.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..data.yamlload import load

LANGUAGES = ("ko", "en")
DEFAULT_LANG = "ko"


class MissingMessage(KeyError):
    pass


class Catalogue:
    def __init__(self, messages: dict[str, dict[str, str]]) -> None:
        self.messages = messages

    def get(self, key: str, lang: str, **values: object) -> str:
        try:
            text = self.messages[key][lang]
        except KeyError:
            # A missing message is a bug in a template, not in content: fail loudly.
            raise MissingMessage(f"no '{lang}' message for '{key}' in templates/messages/") from None
        return text.format(**values) if values else text

    def translator(self, lang: str):
        def _(key: str, **values: object) -> str:
            return self.get(key, lang, **values)

        return _


def load_catalogue(theme: Path) -> Catalogue:
    """The catalogue of ``theme``, read again whenever a message file changes (``serve`` edits them)."""
    paths = tuple(sorted((theme / "messages").glob("*.yaml")))
    return _load(paths, tuple(p.read_bytes() for p in paths))


@lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...], contents: tuple[bytes, ...]) -> Catalogue:
    messages: dict[str, dict[str, str]] = {}
    for path in paths:
        data = load(path).data or {}
        for key, value in data.items():
            if key in messages:
                raise ValueError(f"{path}: message '{key}' is defined twice")
            if not isinstance(value, dict) or set(value) != set(LANGUAGES):
                raise ValueError(f"{path}: message '{key}' needs exactly the keys ko and en")
            messages[key] = value
    return Catalogue(messages)
