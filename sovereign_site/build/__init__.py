"""One build, read top to bottom in :mod:`.pipeline`: settings, validation, Pelican into a temporary folder, search, an atomic swap.

:mod:`.output` decides which folders a build may replace; :mod:`.cache` keeps
what a rebuild can reuse.
"""

from .pipeline import BuildResult, build, load_settings, page_weights, prepare

__all__ = ["BuildResult", "build", "load_settings", "page_weights", "prepare"]
