"""``sovereign-site serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

The built files stay exactly what ``build`` writes. The server adds two things
to HTML responses on the fly: a script that reloads the page after a rebuild,
and, when the last rebuild failed, a banner with the error. A failed rebuild
leaves the last good build in place, so the site keeps being served.
"""

from __future__ import annotations

import functools
import html
import json
import os
import sys
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

from .build import output as output_folder
from .build.output import OutputError
from .build.search import Reindex
from .data.errors import ContentError


class ServeError(click.ClickException):
    """The server cannot start (a port in use); said in one line, exit 1."""


# The page asks the server to answer when something changed (a long poll): a
# rebuild reloads the page at once, and a search index that has caught up
# takes the "search is stale" note away without a reload.
RELOAD_JS = b"""(function () {
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var search = script ? script.getAttribute("data-search") : null;
  function poll() {
    var query = version === null ? "" : "?version=" + encodeURIComponent(version) + "&search=" + encodeURIComponent(search);
    fetch("/_sovereign/status" + query, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (version !== null && String(s.version) !== version) { window.location.reload(); return; }
      version = String(s.version); search = s.search;
      var note = document.getElementById("sovereign-search-stale");
      if (note && s.search !== "stale") note.parentNode.removeChild(note);
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""

#: How long a status request waits for a change before it answers anyway (seconds).
LONG_POLL = 20.0

SEARCH_STALE = (
    "검색 색인을 새로 만드는 중입니다. 검색 결과에는 방금 고친 내용이 아직 없을 수 있습니다. · "
    "The search index is being rebuilt: search results may not show the latest edit yet."
)


class ServeState:
    """What the server tells pages: the build's number, the last rebuild's error, and whether search is up to date.

    ``search`` is "off" (serve --no-search), "stale" (pages newer than the index),
    "fresh", or "failed" (with ``search_error``). ``publish`` is held while a
    rebuild replaces the site, so a background index swap never interleaves with it.
    """

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.search = "off"
        self.search_error: str | None = None
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.publish = threading.Lock()

    def bump(self, error: str | None, search: str | None = None) -> None:
        with self.lock:
            self.version += 1
            self.error = error
            if search is not None:
                self.search, self.search_error = search, None
            self.changed.notify_all()

    def indexed(self, version: int, error: str | None) -> None:
        """The background index of build ``version`` is in place (or failed)."""
        with self.lock:
            if version == self.version:
                self.search, self.search_error = ("failed", error) if error else ("fresh", None)
                self.changed.notify_all()

    def status(self, version: str | None, search: str | None, timeout: float) -> dict[str, object]:
        """The current status, after waiting up to ``timeout`` for it to differ from what the page has."""
        with self.lock:
            self.changed.wait_for(lambda: version is None or str(self.version) != version or self.search != search, timeout)
            return {"version": self.version, "search": self.search}


class Handler(SimpleHTTPRequestHandler):
    state: ServeState
    long_poll = LONG_POLL

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows rebuilds
        pass

    #: The only names this server answers to; any other Host is a DNS-rebinding attempt.
    ALLOWED_HOSTS = ("127.0.0.1", "localhost", "[::1]")

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in self.ALLOWED_HOSTS:
            return self._send(b"This server answers only to 127.0.0.1 and localhost.\n", "text/plain; charset=utf-8", 403)
        try:
            return self._get()
        except OSError:  # a path the file system refuses (a segment over 255 bytes, say): not found
            return self._send(b"Not found\n", "text/plain; charset=utf-8", 404)

    def _get(self) -> None:
        if self.path == "/_sovereign/version":
            return self._send(str(self.state.version).encode(), "text/plain")
        if self.path.startswith("/_sovereign/status"):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            status = self.state.status(query.get("version", [None])[0], query.get("search", [None])[0], self.long_poll)
            return self._send(json.dumps(status).encode(), "application/json")
        if self.path == "/_sovereign/reload.js":
            return self._send(RELOAD_JS, "text/javascript")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # let the base class redirect to the slash URL
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(self._inject(path.read_bytes()), "text/html; charset=utf-8")
        if not path.exists():
            not_found = Path(self.directory) / "404.html"
            if not_found.exists():
                return self._send(self._inject(not_found.read_bytes()), "text/html; charset=utf-8", 404)
        return super().do_GET()

    def _inject(self, page: bytes) -> bytes:
        with self.state.lock:
            version, search, error, search_error = self.state.version, self.state.search, self.state.error, self.state.search_error
        script = f'<script src="/_sovereign/reload.js" data-version="{version}" data-search="{search}" defer></script></head>'
        page = page.replace(b"</head>", script.encode(), 1)
        banner = ""
        if error:
            banner += f'<div class="build-error" role="alert">{html.escape(error)}</div>'
        if search == "stale":
            banner += f'<div class="search-stale" id="sovereign-search-stale" role="status">{html.escape(SEARCH_STALE)}</div>'
        elif search == "failed" and search_error:
            banner += f'<div class="build-error" role="alert">{html.escape(search_error)}</div>'
        if banner:
            head, sep, rest = page.partition(b"<body")
            if sep:
                tag_end = rest.find(b">") + 1
                page = head + sep + rest[:tag_end] + banner.encode() + rest[tag_end:]
        return page

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _rebuild(
    project: Path, output: Path, search: bool, state: ServeState, force: bool = False, reindex: Reindex | None = None
) -> Path | None:
    """Rebuild and publish; with ``reindex``, pages come first and the search index follows in the background."""
    from .build.pipeline import build

    try:
        # A long-running server keeps rendered pages in memory between rebuilds.
        # Under ``publish``, a background index swap waits until the new site is in place.
        with state.publish:
            background = reindex is not None
            result = build(project, output, search=search and not background, carry_search=background, keep_in_memory=True, force=force)
    except ContentError as exc:
        message = "\n".join(str(p) for p in exc.problems)
        click.echo(f"rebuild failed; still serving the last good build:\n{message}", err=True)
        state.bump(message)
        return None
    except OutputError as exc:
        click.echo(f"rebuild failed; still serving the last good build:\n{exc.message}", err=True)
        state.bump(exc.message)
        return None
    except Exception as exc:  # a template error, say: keep serving
        click.echo(f"rebuild failed: {type(exc).__name__}: {exc}", err=True)
        state.bump(f"{type(exc).__name__}: {exc}")
        return None
    click.echo(result.summary(), err=True)
    state.bump(None, search="stale" if reindex is not None else None)
    if reindex is not None and result.search_source is not None:
        reindex.start(state.version, result.search_source)
    return result.output


def watched_paths(project: Path) -> list[Path]:
    package = Path(__file__).parent
    return [p for p in (project / "content", project / "templates", project / "pelicanconf.py", package) if p.exists()]


def serve(project: Path, port: int, output: Path | None, search: bool = True, force: bool = False) -> None:
    """Raises ContentError (no settings), OutputError (an output folder that may not be used) or ServeError."""
    from watchfiles import watch

    from .build.pipeline import load_settings

    settings = load_settings(project)
    built = Path(os.path.abspath(output or settings["OUTPUT_PATH"]))
    # The same rules as `build`, before anything is built or served: never serve or replace `/`, home or the project.
    output_folder.check(built, project, output_folder.protected_folders(project, settings), force)
    # Bound before the first build, so a port in use is said at once; port 0 takes a free one.
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; pick another with --port") from None
    state = ServeState()
    reindex = Reindex(built, state.publish, functools.partial(_indexed, state)) if search else None
    if _rebuild(project, built, search, state, force, reindex) is None:
        click.echo("the first build failed; fix the errors above and save to retry", err=True)
        built.mkdir(parents=True, exist_ok=True)
    server.RequestHandlerClass = functools.partial(type("BoundHandler", (Handler,), {"state": state}), directory=str(built))  # type: ignore[assignment]
    click.echo(f"Serving {built} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", err=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for changes in watch(*watched_paths(project), watch_filter=_relevant):
            names = ", ".join(sorted({Path(p).name for _, p in changes}))
            if any(Path(p).suffix == ".py" and Path(__file__).parent in Path(p).parents for _, p in changes):
                # New code needs a new process: start this command again.
                click.echo(f"changed: {names}; restarting…", err=True)
                server.shutdown()
                server.server_close()
                os.execv(sys.executable, [sys.executable, "-m", "sovereign_site", *sys.argv[1:]])
            click.echo(f"changed: {names}; rebuilding…", err=True)
            _rebuild(project, built, search, state, force, reindex)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        sys.stderr.flush()


def _relevant(change: Any, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith((".pyc", "~", ".swp")) or "__pycache__" in path)


def _indexed(state: ServeState, version: int, error: str | None) -> None:
    """A background index is in place (or failed): tell the terminal and the pages."""
    click.echo(f"search index not updated: {error}" if error else "search index updated", err=True)
    state.indexed(version, error)
