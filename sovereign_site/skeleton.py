"""``sovereign-site new-country``: a country file with every field present and unknown.

The skeleton validates as it is (unknown is a legal value everywhere), so a
contributor can build at once and fill fields in one by one.
"""

from __future__ import annotations

import re
from pathlib import Path

from .data.schema import CODE_PATTERN


class SkeletonError(Exception):
    pass


def _names(code: str) -> tuple[str, str]:
    """Korean and English names from CLDR (via Babel) where it knows the code."""
    from babel import Locale

    key = code.upper()
    ko = Locale("ko").territories.get(key, "unknown")
    en = Locale("en").territories.get(key, "unknown")
    return ko, en


def skeleton(code: str, today: str) -> str:
    ko, en = _names(code)
    return f"""# {en} ({code}). Written by `sovereign-site new-country {code}`.
# Every field is present; "unknown" is a legal value everywhere, so this file
# builds as it is. Replace "unknown" as you find sourced facts, and cite each
# one by a source id defined under `sources`. See README "Add a country".
code: {code}
names:
  ko: {ko if ko != "unknown" else "unknown  # Korean name"}
  en: {en if en != "unknown" else "unknown  # English name"}
  native: unknown
region: east-asia  # one of: east-asia, southeast-asia, south-asia, north-america, latin-america, europe, middle-east, africa, oceania, central-asia
as_of: {today}
layer: national      # or: supranational, for a union of states such as the EU
member_of: []        # codes of supranational layers whose rules apply here, e.g. [eu]
main_strategy: unknown  # or the id of the document (under documents) that is the national AI strategy
economy: unknown     # or: population {{value, year, sources}}, gdp {{value, currency, year, sources}}
archetype: unknown   # or: id, label {{ko, en}}, justification {{ko, en}}, state_led (-1..1), builds_stack (-1..1)
summary: unknown     # or: {{ko: ..., en: ...}}
documents: unknown   # list of: id, kind, title_original, title {{ko, en}}, issuer, announced, enacted, in_force, url, sources
funding: unknown     # list of: id, label {{ko, en}}, amount (e.g. 1.5B), bound, currency, period, sector, sources
compute: unknown     # list of: id, kind, label, status, gpus, bound, petaflops, sector, date, target_date, sources
models: unknown      # list of: id, name, organisation, params_total, params_active, architecture, origin, base_model, released, sources
regulation: unknown  # or: approach, summary {{ko, en}}, instruments, institutions
facts:
  talent: unknown
timeline: unknown    # list of: id, date, label {{ko, en}}, sources
sources: []          # list of: id, title, publisher, url, published, accessed
"""


def write_skeleton(content: Path, code: str) -> Path:
    if not re.fullmatch(CODE_PATTERN, code):
        raise SkeletonError(
            f"{code!r} is not a valid code: use a lower-case ISO 3166-1 alpha-2 code (e.g. jp), eu, or an ISO 3166-2 code (e.g. us-ca)"
        )
    # Exactly the loader's check, so a file written here always validates.
    from .data.checks import check_code
    from .data.errors import Report

    report = Report(content.parent)
    check_code(code, report, Path(f"{code}.yaml"), None, None)
    if report.errors:
        raise SkeletonError(report.errors[0].message)
    folder = content / "countries"
    path = folder / f"{code}.yaml"
    if path.exists() or path.is_symlink():
        raise SkeletonError(f"{path} already exists; refusing to overwrite it")
    if folder.exists() and not folder.is_dir():
        raise SkeletonError(f"{folder} is not a folder; country files go in a folder of that name")
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch and epoch.isdigit() else dt.date.today()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # "x": never replace a file that appeared meanwhile.
        with path.open("x", encoding="utf-8") as f:
            f.write(skeleton(code, today.isoformat()))
    except FileExistsError:
        raise SkeletonError(f"{path} already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise SkeletonError(f"cannot write {path}: {exc.strerror}") from None
    return path
