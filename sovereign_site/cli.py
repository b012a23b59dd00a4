"""The ``sovereign-site`` command: build, serve, validate, new-country.

Thin by design: each command parses its options and calls one function.
Exit codes: 0 ok, 1 content or data errors, 2 usage errors. Progress and
problems go to stderr; the one-line summary goes to stdout.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from .data.errors import ContentError, Problem

PROJECT_OPTION = click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder holding pelicanconf.py, content/ and templates/.",
)
DEBUG_OPTION = click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
FORCE_OPTION = click.option(
    "--force",
    is_flag=True,
    help="Replace an output folder that is not empty although no build made it (everything in it is deleted). "
    "The root, home and project folders are refused even so.",
)


def _site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Only an absolute http(s) address with a host can be the site's public address."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c in value for c in "\"<>'` \t\n\r")
        or parts.query
        or parts.fragment
    ):
        raise click.BadParameter(f"expected an http:// or https:// address such as https://example.org/sovereign, found {value!r}")
    return value.strip()


def _fail(problems: list[Problem], what: str = "build failed") -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"{what}: {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1)


def _guard(func: Any, debug: bool, what: str) -> Any:
    """Run ``func``; turn content problems (and, unless --debug, internal errors) into exit 1.

    An output folder that may not be used is exit 2 when the path itself is wrong
    (a file, a device, the home folder…) and 1 when it holds files a build did not make.
    """
    from .build.output import OutputError

    try:
        return func()
    except ContentError as exc:
        _fail(exc.problems, what)
    except OutputError as exc:
        click.echo(f"error: {exc.message}", err=True)
        click.echo(f"{what}: the output folder was not touched", err=True)
        sys.exit(2 if exc.usage else 1)
    except KeyboardInterrupt:
        click.echo("interrupted; the previous output is untouched", err=True)
        sys.exit(130)
    except click.ClickException:
        raise  # a usage problem click reports itself, in one line
    except Exception as exc:  # a bug, not bad content: say so plainly
        if debug:
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sovereign-site", message="%(version)s")
def main() -> None:
    """Build the sovereign-AI comparison site from content/ and templates/."""


@main.command()
@PROJECT_OPTION
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Output folder (default: OUTPUT_PATH in pelicanconf.py).")
@click.option(
    "--site-url",
    callback=_site_url,
    help="Public address of the site, e.g. https://example.org; used for canonical URLs, feeds and the sitemap.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (stale or uncited sources, unknown dimensions) as errors.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update .sovereign-cache/ (a cold build).")
@FORCE_OPTION
@DEBUG_OPTION
def build(
    project: Path, output: Path | None, site_url: str | None, strict: bool, no_search: bool, no_cache: bool, force: bool, debug: bool
) -> None:
    """Build the site, then swap it into the output folder in one step."""
    from .build.pipeline import build as run_build
    from .build.pipeline import page_weights

    result = _guard(
        lambda: run_build(project, output, site_url=site_url, strict=strict, search=not no_search, cache=not no_cache, force=force),
        debug,
        "build failed",
    )
    for problem in result.warnings:
        click.echo(str(problem), err=True)
    # Weighed here, not in every build: `serve` rebuilds would pay for it unseen.
    weights = page_weights(result.output)
    if weights:
        heaviest = ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in weights[:3])
        click.echo(f"Largest pages (HTML+CSS+JS): {heaviest}", err=True)
    # Comparison tables split themselves to stay within the budget; a profile or essay that outgrows it is named here.
    over = [f"{name} ({size / 1024:.0f} KB)" for name, size in weights if size > result.page_budget]
    if over:
        shown = ", ".join(over[:5]) + (f" and {len(over) - 5} more" if len(over) > 5 else "")
        click.echo(f"warning: {len(over)} pages weigh more than the {result.page_budget // 1024} KB page budget: {shown}", err=True)
    click.echo(result.summary())


@main.command()
@PROJECT_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@DEBUG_OPTION
def validate(project: Path, strict: bool, debug: bool) -> None:
    """Check content and data without writing anything; list every problem."""
    from .validate import validate as run_validate

    problems = _guard(lambda: run_validate(project), debug, "validation failed")
    failing = [p for p in problems if strict or p.severity == "error"]
    if failing:
        _fail(problems, "validation failed")
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"OK: content is valid ({len(problems)} warning(s))")


@main.command(name="new-country")
@PROJECT_OPTION
@click.argument("code")
def new_country(project: Path, code: str) -> None:
    """Write content/countries/CODE.yaml with every field present and marked unknown."""
    from .skeleton import SkeletonError, write_skeleton

    try:
        path = write_skeleton(project / "content", code)
    except SkeletonError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {path}")


@main.command()
@PROJECT_OPTION
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Output folder (default: OUTPUT_PATH).")
@click.option("--no-search", is_flag=True, help="Skip the search index on rebuilds (faster).")
@FORCE_OPTION
@DEBUG_OPTION
def serve(project: Path, port: int, output: Path | None, no_search: bool, force: bool, debug: bool) -> None:
    """Build, serve on 127.0.0.1, and rebuild when content, templates or code change."""
    from .serve import serve as run_serve

    _guard(lambda: run_serve(project, port, output, search=not no_search, force=force), debug, "serve stopped")
