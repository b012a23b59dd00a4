"""Run part of a build in a forked child process, so a second core renders too.

Rendering is most of a large build, and the pages of one language never depend
on the pages of another. After the dataset is loaded, the build forks: the
child renders some languages while the parent renders the rest. The child sees
the loaded dataset copy-on-write, so nothing is serialised on the way in; on
the way out it sends back only a small result (the paths it wrote) or the
problem that stopped it.

Forking needs a POSIX system; elsewhere, and on one core, ``workers()`` is 1
and the build runs in one process.
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
from collections.abc import Callable
from typing import Any


def workers(setting: Any) -> int:
    """How many processes render: the SOVEREIGN_WORKERS setting, or by default one per core, at most two."""
    if not hasattr(os, "fork"):
        return 1
    if setting in (None, "auto"):
        return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    return max(1, int(setting))


class Child:
    """``work()`` running in a forked child; ``result()`` waits for what it returned.

    An exception in the child is raised again by ``result()``, as itself when it
    can be pickled (a ContentError keeps its problems), with the child's
    traceback attached as a note for ``--debug``. Use it as a context manager, so a parent that fails first
    ends the child instead of leaving it writing.
    """

    def __init__(self, work: Callable[[], Any]) -> None:
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read_end)
            _run_child(work, write_end)
        os.close(write_end)
        self.pipe = os.fdopen(read_end, "rb")
        self.done = False

    def result(self) -> Any:
        self.done = True
        try:
            data = self.pipe.read()
        finally:
            self.pipe.close()
            os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError("a rendering process ended without a result (was it killed?)")
        kind, value = pickle.loads(data)
        if kind == "ok":
            return value
        error, child_traceback = value
        exc = error if kind == "exception" else RuntimeError(f"in a rendering process: {error}")
        exc.add_note(f"Raised in a rendering process (pid {self.pid}):\n{child_traceback}")
        raise exc

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.done = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self.pipe.close()
            os.waitpid(self.pid, 0)


def _run_child(work: Callable[[], Any], write_end: int) -> None:
    _die_with_parent()
    code = 0
    try:
        message: tuple[str, Any] = ("ok", work())
    except BaseException as exc:
        code = 1
        # Send the exception itself when it survives pickling, so the parent raises
        # exactly what a one-process build would; otherwise its type and message.
        try:
            pickle.loads(pickle.dumps(exc))
            message = ("exception", (exc, traceback.format_exc()))
        except Exception:
            message = ("error", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    with contextlib.suppress(BaseException), os.fdopen(write_end, "wb") as pipe:
        pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
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
