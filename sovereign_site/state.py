"""What one build shares: the per-build state the CLI, the reader and the generators all read.

It lives in a small module of its own, at the bottom, so that everyone can
import it without importing the plugin that creates it (and the plugin can
import the reader and the generator without a cycle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data.changes import History
from .data.dataset import Dataset
from .data.errors import Report

STATE_KEY = "_SOVEREIGN_STATE"


@dataclass
class BuildState:
    """What one build shares between the reader, the generators and the CLI."""

    root: Path
    content: Path
    theme: Path
    dataset: Dataset
    report: Report
    site_url: str = ""
    strict: bool = False
    cache: Any = None  # a BuildCache; None for plain `pelican` runs
    #: Every item's changes, read from git by the build; None without git (or in a plain `pelican` run).
    history: History | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def state_of(settings: dict[str, Any]) -> BuildState:
    state = settings.get(STATE_KEY)
    if state is None:
        raise RuntimeError("sovereign_site was not initialised: is it listed in PLUGINS?")
    return state


def source_date(settings: dict[str, Any]) -> dt.date | None:
    """SOURCE_DATE_EPOCH, when set, fixes 'today' for age checks, so builds reproduce."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return None
