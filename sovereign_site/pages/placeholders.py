"""Stand-ins for the dataset version and as-of date in rendered pages, filled in as each page is written.

Every page's footer shows the version and the date. A page cached with the
real values would change after any edit anywhere, and nothing could be reused;
cached pages hold these tokens instead. ``digest`` keys what is cached.
"""

from __future__ import annotations

import hashlib

VERSION_TOKEN = "@@SOVEREIGN-DATASET-VERSION@@"
AS_OF_TOKEN = "@@SOVEREIGN-AS-OF@@"


def as_of_text_token(lang: str) -> str:
    return f"@@SOVEREIGN-AS-OF-{lang}@@"


class AsOfPlaceholder:
    """Stands in for the dataset's as-of date in templates; see the module docstring."""

    def isoformat(self) -> str:
        return AS_OF_TOKEN

    def __str__(self) -> str:
        return AS_OF_TOKEN


AS_OF_PLACEHOLDER = AsOfPlaceholder()


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()
