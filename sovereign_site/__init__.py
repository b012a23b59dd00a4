"""sovereign-site: a Pelican plugin and CLI that build a site comparing national sovereign-AI strategies.

Pelican imports this package because ``PLUGINS = ["sovereign_site"]`` and calls
:func:`register`; everything it connects lives in :mod:`sovereign_site.plugin`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sovereign-site")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"

from .plugin import register

__all__ = ["__version__", "register"]
