"""The output folder: which folders a build may replace, the stamp that marks its own, and the lock.

A build replaces its output folder whole. That is safe only for a folder the
tool made, so every build leaves a stamp file in it, and a folder that is not
empty and has no stamp is refused (``--force`` overrides that, and only that).
Some paths are never an output, whatever the flags: the file system root, the
home folder, the project and every folder above it, and anything that would
hold the content or the theme. A path that exists but is not a real folder (a
file, a device, a FIFO, a socket, a symbolic link) is refused before anything
opens it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

#: Written into every build; its presence says "a build made this folder, the next one may replace it".
STAMP = ".sovereign-site-build"
STAMP_TEXT = "This folder was made by `sovereign-site build`; the next build replaces it whole.\n"


class OutputError(Exception):
    """An output folder that must not be used. ``usage`` errors exit with 2, the others with 1."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.message, self.usage = message, usage


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISREG, "a file"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a folder"


def forbidden_reason(output: Path, project: Path, protected: list[Path], home: Path | None = None) -> str | None:
    """Why ``output`` may never be an output folder, even with --force; None when it may be.

    ``protected`` are folders the build reads (content, theme): the output may be
    neither one of them, nor inside one, nor around one. Paths are compared
    absolute and with symbolic links resolved.
    """
    output = Path(os.path.realpath(output))
    project = Path(os.path.realpath(project))
    home = Path(os.path.realpath(home if home is not None else Path.home()))
    if output == Path(output.anchor):
        return "it is the root of the file system"
    if len(output.parts) <= 2:
        return "it is a top-level system folder"
    if _inside(home, output):
        return "it is your home folder or a folder above it"
    if _inside(project, output):
        return "it is the project folder or a folder above it"
    for folder in protected:
        folder = Path(os.path.realpath(folder))
        if _inside(output, folder) or _inside(folder, output):
            return f"it is, holds or lies inside {folder}, which the build reads"
    return None


def check(output: Path, project: Path, protected: list[Path], force: bool = False, home: Path | None = None) -> None:
    """Raise OutputError unless ``output`` may be (re)placed by a build. Opens nothing at ``output``."""
    reason = forbidden_reason(output, project, protected, home)
    if reason:
        raise OutputError(f"{output}: refusing to use this as the output folder: {reason}", usage=True)
    try:
        info = os.lstat(output)
    except (FileNotFoundError, NotADirectoryError):
        parent = _existing_ancestor(output.parent)
        if not parent.is_dir():
            raise OutputError(f"{output}: cannot make the output folder here: {parent} is not a folder", usage=True) from None
        return
    except OSError as exc:
        raise OutputError(f"{output}: cannot look at the output folder: {exc.strerror}", usage=True) from None
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{output}: exists and is {_kind(info.st_mode)}, not a folder; refusing to replace it", usage=True)
    if force or (output / STAMP).is_file():
        return
    try:
        names = sorted(os.listdir(output))
    except OSError as exc:
        raise OutputError(f"{output}: cannot read the output folder: {exc.strerror}") from None
    if names:
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        raise OutputError(
            f"{output}: the folder is not empty ({shown}) and no build made it; refusing to replace it. "
            "Choose a new or empty folder, or pass --force to replace it and everything in it"
        )


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def stamp(folder: Path) -> None:
    (folder / STAMP).write_text(STAMP_TEXT, encoding="utf-8")


@contextlib.contextmanager
def locked(output: Path, say: object = None) -> Iterator[None]:
    """Hold a lock on the output's parent folder while a build writes and swaps.

    A second build into the same place waits for the first (builds into other
    folders beside it wait too; they are rare). The lock is an advisory
    ``flock`` on the folder itself: no lock file is written, and the system
    drops the lock when its holder dies, so a killed build never blocks the next.
    """
    try:
        fd = os.open(output.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"{output.parent}: cannot open the folder that holds the output: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            if callable(say):
                say(f"Another build is writing in {output.parent}; waiting for it to finish…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def protected_folders(root: Path, settings: dict[str, object]) -> list[Path]:
    """Folders a build reads, which an output folder may neither be, nor hold, nor lie in."""
    overrides = settings.get("THEME_TEMPLATES_OVERRIDES") or []
    theme = Path(str(overrides[0])) if isinstance(overrides, list) and overrides else Path(str(settings.get("THEME", "templates")))
    return [Path(str(settings.get("PATH", root / "content"))), theme, root / ".sovereign-cache"]


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
