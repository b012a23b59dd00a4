"""The Pelican plugin: what it connects, and the state one build shares.

Receivers are module-level functions because blinker holds them weakly: a
function defined inside ``register()`` would be garbage-collected.

Order within one Pelican run:
``initialized`` loads and validates the dataset once; ``readers_init`` puts our
markdown-it reader in charge of ``.md``; ``generator_init`` gives every
template the message catalogue and formatters; ``get_generators`` adds
:class:`~sovereign_site.pages.generator.DataPagesGenerator`, which writes the
data-driven pages and, last, fails the build if any essay had problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from . import parallel
from .data.dataset import load_dataset
from .history import read_history
from .prose.datatext import resolve_dataset
from .state import STATE_KEY, BuildState, source_date, state_of


def on_initialized(pelican: Any) -> None:
    settings = pelican.settings
    if STATE_KEY in settings and settings[STATE_KEY] is not None:
        return  # the CLI prepared the state already (and validated the data)
    content = Path(settings["PATH"])
    theme = Path(settings["THEME_TEMPLATES_OVERRIDES"][0]) if settings["THEME_TEMPLATES_OVERRIDES"] else Path(settings["THEME"])
    dataset = load_dataset(
        content,
        max_source_age_days=settings.get("SOVEREIGN_MAX_SOURCE_AGE_DAYS", 548),
        today=source_date(settings),
        parse_many=parallel.parser(parallel.workers(settings.get("SOVEREIGN_WORKERS"))),
    )
    report = dataset.report
    assert report is not None
    dataset = resolve_dataset(dataset, content, report)
    report.raise_if_errors()
    state = BuildState(content.parent, content, theme, dataset, report, settings.get("SITEURL", ""))
    # A plain `pelican` run writes the same pages as `sovereign-site build`, change history included.
    state.history = read_history(content)
    settings[STATE_KEY] = state


def on_readers_init(readers: Any) -> None:
    from .prose.reader import MarkdownItReader

    # Fires once per generator; assigning (not appending) keeps it idempotent.
    for ext in MarkdownItReader.file_extensions:
        readers.reader_classes[ext] = MarkdownItReader
        readers.readers[ext] = MarkdownItReader(readers.settings)


def on_generator_init(generator: Any) -> None:
    from .pages.templating import install

    state = state_of(generator.settings)
    # Every value a template prints comes from content files: escape everything
    # not explicitly marked safe, whatever JINJA_ENVIRONMENT says. Set before any
    # template is loaded, so it applies to all of them.
    generator.env.autoescape = True
    install(generator.env, state)
    # Pelican's Markdown reader is disabled (no `markdown` package); ours reads .md,
    # so Pelican must not warn that .md files are skipped.
    for ext in ("md", "markdown", "mkd", "mdown"):
        generator.readers.disabled_readers.pop(ext, None)
    if state.cache is not None and state.cache.enabled:
        # Compiled templates survive between builds; Jinja keys them by source checksum.
        from jinja2 import FileSystemBytecodeCache

        # One folder per salt: compiled code depends on the environment's options
        # (autoescape…) and our code, not only on the template source Jinja checks.
        folder = state.cache.dir / "jinja" / state.cache.salt[:16]
        folder.mkdir(parents=True, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def on_get_generators(pelican: Any) -> Any:
    from .pages.generator import DataPagesGenerator

    return DataPagesGenerator


def on_finalized(pelican: Any) -> None:
    from .pages.writing import minify_assets

    # After every generator has written: the theme's CSS and JS as copied into this build's output.
    minify_assets(Path(pelican.output_path) / pelican.settings.get("THEME_STATIC_DIR", "theme"))


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(on_get_generators)
    signals.finalized.connect(on_finalized)
