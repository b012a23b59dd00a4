"""Allow ``python -m sovereign_site``."""

from .cli import main

main()
