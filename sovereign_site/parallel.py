"""Run part of a build in a forked child process, so a second core works too.

Two parts of a large build split well. Parsing: files are independent, so a
child parses every other country file and streams the values back while the
parent parses and validates the rest (``parse_all``, handed to ``load_dataset``). Rendering: the pages
of one language never depend on another's, so after loading, a child renders
one language while the parent renders the other (pages/generator.py). The child sees
everything loaded so far copy-on-write, so nothing is serialised on the way in;
on the way out it sends back small results or the problem that stopped it.

Forking needs a POSIX system; elsewhere, and on one core, ``workers()`` is 1
and the build runs in one process. The output is the same either way.

Why not ``concurrent.futures.ProcessPoolExecutor`` (``fork`` context)? It was
measured against this module with ``bench/pool.py`` (1,000 synthetic
countries, 5 runs each, medians, 2 CPUs; 2026-11-30): loading took 0.55× of
one process with ``Child``, 0.59× with the same split through a one-worker
pool and 0.66× with a two-worker pool parsing every file; the one-worker pool
also peaked 40 MB higher (182 MB against 142 MB), because ``map`` submits every
file at once and finished results queue up in the parent. And when the build
is killed (SIGKILL: the OOM killer, a closed terminal), a pool worker runs on,
while a ``Child`` ends with its parent (``_die_with_parent``): a worker that
runs on would keep writing into the staging folder of a dead build. The
standard tool is slower, heavier and less safe here, so the hand-written fork
stays, small as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .data.dataset import Parsed, parse
from .data.yamlload import Document, Path_

#: Below this many files, a second process costs more than it saves.
PARALLEL_PARSE_MIN = 50


def workers(setting: Any) -> int:
    """How many processes render: the SOVEREIGN_WORKERS setting, or by default one per core, at most two."""
    if not hasattr(os, "fork"):
        return 1
    if setting in (None, "auto"):
        return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return max(1, int(setting))


class Child:
    """``work()`` running in a forked child; ``result()`` waits for what it returned.

    With ``stream=True``, ``work()`` returns an iterable whose items the child
    sends as it makes them, and ``items()`` yields them in the parent as they
    arrive: the pipe holds only a few, so neither side holds them all.

    An exception in the child is raised again in the parent, as itself when it
    can be pickled (a ContentError keeps its problems), with the child's
    traceback attached as a note for ``--debug``. Use it as a context manager,
    so a parent that fails first ends the child instead of leaving it writing.
    """

    def __init__(self, work: Callable[[], Any], stream: bool = False) -> None:
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read_end)
            _run_child(work, stream, write_end)
        os.close(write_end)
        self.pipe = os.fdopen(read_end, "rb")
        self.done = False
        self.value: Any = None
        self.status: int | None = None

    def items(self) -> Iterator[Any]:
        """What a streaming child sends, in order; afterwards ``result()`` has its return value."""
        while not self.done:
            try:
                kind, value = pickle.load(self.pipe)
            except EOFError:
                self._end()
                raise RuntimeError("a worker process ended without a result (was it killed?)") from None
            if kind == "item":
                yield value
                continue
            self._end()
            if kind == "ok":
                self.value = value
                return
            error, child_traceback = value
            exc = error if kind == "exception" else RuntimeError(f"in a worker process: {error}")
            exc.add_note(f"Raised in a worker process (pid {self.pid}):\n{child_traceback}")
            raise exc

    def result(self) -> Any:
        for _ in self.items():
            pass
        return self.value

    def _end(self) -> None:
        self.done = True
        self.pipe.close()
        self.status = os.waitpid(self.pid, 0)[1]  # as os.waitpid gives it: how the child ended

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self._end()


def _run_child(work: Callable[[], Any], stream: bool, write_end: int) -> None:
    _die_with_parent()
    code = 0
    with contextlib.suppress(BaseException), os.fdopen(write_end, "wb") as pipe:

        def send(message: tuple[str, Any]) -> None:
            pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()

        try:
            if stream:
                for item in work():
                    send(("item", item))
                send(("ok", None))
            else:
                send(("ok", work()))
        except BaseException as exc:
            code = 1
            # Send the exception itself when it survives pickling, so the parent raises
            # exactly what a one-process build would; otherwise its type and message.
            try:
                pickle.loads(pickle.dumps(exc))
                send(("exception", (exc, traceback.format_exc())))
            except Exception:
                send(("error", (f"{type(exc).__name__}: {exc}", traceback.format_exc())))
    # Skip the parent's atexit handlers and buffered output: they belong to the parent.
    os._exit(code)


def _die_with_parent() -> None:
    """Ask Linux to end this child if the build process is killed, so it cannot write on alone."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def parser(workers: int) -> Callable[[list[Path]], Iterator[tuple[Path, Parsed]]]:
    """``load_dataset``'s ``parse_many`` for this many workers."""
    return lambda paths: parse_all(paths, workers)


def parse_all(paths: list[Path], workers: int) -> Iterator[tuple[Path, Parsed]]:
    """Parse files, yielding them in order; with two workers and many files, every other one in a forked child.

    Parsing is most of the time of loading a large dataset, and files are
    independent: while the parent parses and validates one file, the child
    parses the next. It sends back plain values and each file's position of
    ``code`` only (pickling every position would cost about what the split
    saves); a document that later needs another position, to report a problem,
    parses its file again (``Document.complete``). Files travel one at a time,
    so memory holds a few parsed files, not all of them.
    """
    if workers < 2 or len(paths) < PARALLEL_PARSE_MIN:
        for path in paths:
            yield path, parse(path)
        return

    def in_child() -> Iterator[Parsed]:
        for path in paths[1::2]:
            text_hash, doc = parse(path)
            if isinstance(doc, Document):
                code: Path_ = ("code",)
                doc = Document(doc.path, doc.data, {code: doc.positions[code]} if code in doc.positions else {}, complete=False)
            yield text_hash, doc

    with Child(in_child, stream=True) as child:
        theirs = child.items()
        for i, path in enumerate(paths):
            yield path, (parse(path) if i % 2 == 0 else next(theirs))
        child.result()
