"""Prose: essays and pages from Markdown, through markdown-it-py, one module per rule; and the Pelican reader.

:func:`~.pipeline.render` is the one place Markdown is parsed. It imports the
data layer, never the pages.
"""
