"""Stopping a build: a Ctrl-C that cannot be lost before publishing, and the test hook that pauses a build there."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any


class Interrupts:
    """Remember a Ctrl-C even when Python drops the KeyboardInterrupt it raised.

    An interrupt that lands inside a finaliser or a logging lock is printed as
    "Exception ignored" and lost; the build would then go on and publish. The
    handler still raises at once, and ``check()`` raises again before publishing.
    """

    def __init__(self) -> None:
        self.seen = False
        self.previous: Any = None

    def _handler(self, signum: int, frame: Any) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handler)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


def pause_for_tests() -> None:
    """A test hook: with SOVEREIGN_TEST_PAUSE set to a file path, stop after rendering, before publishing.

    The build writes its pid to that file and waits up to two minutes, so a test can
    interrupt or kill it at exactly this point instead of racing a fast build.
    """
    marker = os.environ.get("SOVEREIGN_TEST_PAUSE")
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.05)
