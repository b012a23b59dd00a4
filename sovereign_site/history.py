"""The change history of every item, read from git: one ``git log`` of the country files, one ``git cat-file`` for the versions it names.

Dates and subjects come from commits, never the clock. Each version of a
file is a git blob: the diff of two versions is cached by the pair of blob
hashes and a file's newest parsed version by its hash, so a long history is
read once, a new commit costs the parsing of its new versions only, and a
build with an unchanged history only runs ``git log``. Without git (not a checkout, or no git program)
there is no history, and the pages say so; that is never an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import subprocess
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .data.changes import Change, History, ItemDiff, Snapshot, diff, items_of
from .data.yamlload import MAX_BYTES, YamlError, load

NULL = "0" * 40
#: A country file, relative to the content folder (nested folders and other names are not country files).
_COUNTRY_FILE = re.compile(r"^countries/([a-z]{2}(?:-[a-z0-9]{1,3})?)\.yaml$")
#: What a cache remembers of a blob that could not be read as YAML.
_UNREADABLE = "unreadable"
#: Control characters (XML cannot hold most of them) and the bidirectional controls that make
#: text read differently from what it says: a subject shows without them.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TIMEOUT = 300


@dataclasses.dataclass
class Commit:
    hash: str
    date: dt.datetime
    parents: list[str]
    subject: str
    #: (country code, blob before, blob after) for each country file the commit touched.
    files: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)


def _git(content: Path, *args: str) -> bytes | None:
    """A git command's output, or None when there is no git or ``content`` is not in a repository."""
    try:
        result = subprocess.run(
            ["git", "-c", "log.showSignature=false", "-c", "core.quotePath=off", *args],
            cwd=content, capture_output=True, timeout=_TIMEOUT, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout


def read_history(content: Path, cache: Any = None) -> History | None:
    """Every change to every item of ``content/countries/*.yaml``, newest first; None without git."""
    shallow = _git(content, "rev-parse", "--is-shallow-repository")
    if shallow is None:
        return None
    # Newest first; merges show no diff of their own (each change is shown on the commit that made it).
    log = _git(
        content, "log", "--raw", "--no-renames", "--no-abbrev", "--diff-merges=off", "--relative", "--encoding=UTF-8",
        "--format=%x00%H%x1f%cI%x1f%P%x1f%s", "--", "countries",
    )  # fmt: skip
    if log is None:
        return None
    is_shallow = shallow.strip() == b"true"
    key = cache.key("history", hashlib.sha256(log).hexdigest(), is_shallow) if cache is not None else None
    if key is not None and (known := cache.get("history", key)) is not None:
        return History(known, shallow=is_shallow)
    changes = _changes(content, parse_log(log.decode("utf-8", errors="replace")), is_shallow, cache)
    if key is not None:
        cache.put("history", key, changes)
    return History(changes, shallow=is_shallow)


def parse_log(text: str) -> list[Commit]:
    """The commits of ``git log --raw --format=%x00%H%x1f%cI%x1f%P%x1f%s``, in the log's order.

    Records start with NUL, which no commit subject holds; a subject may hold anything
    else (it comes last in its record), and a record that does not parse is skipped.
    """
    commits = []
    for record in text.split("\x00")[1:]:
        head, _, raw = record.partition("\n")
        try:
            sha, date, parents, subject = head.split("\x1f", 3)
            commit = Commit(sha, dt.datetime.fromisoformat(date), parents.split(), _UNPRINTABLE.sub(" ", subject).strip())
        except ValueError:
            continue
        for line in raw.splitlines():
            # ":100644 100644 <old> <new> M\tcountries/kr.yaml"; "::" lines are merges' combined diffs.
            if not line.startswith(":") or line.startswith("::") or "\t" not in line:
                continue
            info, path = line[1:].split("\t", 1)
            parts = info.split()
            match = _COUNTRY_FILE.match(path)
            if match and len(parts) == 5 and "160000" not in parts[:2]:
                commit.files.append((match.group(1), parts[2], parts[3]))
        commits.append(commit)
    return commits


@dataclasses.dataclass
class _FileMemo:
    """What the cache keeps of one country file: diffs by pair of blob hashes, and its newest version's items.

    One entry per file (not one per blob or pair) keeps a build with a thousand
    files at a thousand small reads. Everything in it is keyed by blob hashes,
    which name their content, so it stays right whatever the branch or history:
    after a new commit only that commit's new version is read and parsed.
    """

    diffs: dict[tuple[str, str], tuple[ItemDiff, ...]] = dataclasses.field(default_factory=dict)
    items: dict[str, Snapshot | str] = dataclasses.field(default_factory=dict)  # _UNREADABLE for a version that is not YAML


def _changes(content: Path, commits: list[Commit], shallow: bool, cache: Any) -> list[Change]:
    order = {c.hash: i for i, c in enumerate(commits)}
    by_file: dict[str, list[tuple[Commit, str, str]]] = {}
    for commit in reversed(commits):  # oldest first
        for code, old, new in commit.files:
            by_file.setdefault(code, []).append((commit, old, new))
    memos = {code: _memo(cache, code) for code in by_file}
    blobs = _Blobs(content)
    for memo in memos.values():
        blobs.items.update({oid: v if isinstance(v, dict) else None for oid, v in memo.items.items()})
    # The versions that a diff not cached yet needs, fetched in one batch.
    blobs.fetch(
        oid for code, steps in by_file.items() for _, old, new in steps if (old, new) not in memos[code].diffs for oid in (old, new)
    )
    found: list[Change] = []
    for code, steps in by_file.items():
        memo, used, last_good = memos[code], _FileMemo(), NULL
        for commit, old, new in steps:
            diffs = memo.diffs.get((old, new))
            if diffs is None:
                after = blobs.get(new)
                if after is None:
                    continue  # a version that is not YAML: its changes show against the next readable one
                base = old if blobs.get(old) is not None else last_good
                diffs = memo.diffs.get((base, new))
                if diffs is None:
                    diffs = diff(blobs.get(base) or {}, after)
                old = base
            last_good = new
            used.diffs[(old, new)] = diffs
            if shallow and not commit.parents:
                continue  # the oldest commit of a shallow clone is where its history starts, not a change
            found.extend(Change(code, d, commit.hash, commit.date, commit.subject) for d in diffs)
        if last_good != NULL:
            newest = blobs.get(last_good)
            used.items[last_good] = _UNREADABLE if newest is None else newest
        if cache is not None and used != memo:
            cache.put("history-file", cache.key("history-file", code), used)
    # Newest first by the commit's time, then in the log's order, then by item: the same every build.
    found.sort(key=lambda c: (-c.date.timestamp(), order[c.commit], c.country, c.diff.section, c.diff.id))
    return found


def _memo(cache: Any, code: str) -> _FileMemo:
    memo = cache.get("history-file", cache.key("history-file", code)) if cache is not None else None
    return memo if isinstance(memo, _FileMemo) else _FileMemo()


class _Blobs:
    """Parsed versions of country files by blob hash: from memory, else from one ``git cat-file --batch``."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.items: dict[str, Snapshot | None] = {NULL: {}}

    def get(self, oid: str) -> Snapshot | None:
        """A version's items ({} for no file), or None when it is not readable YAML."""
        if oid not in self.items:
            self.fetch([oid])
        return self.items.get(oid)

    def fetch(self, oids: Iterable[str]) -> None:
        wanted = [oid for oid in dict.fromkeys(oids) if oid not in self.items]
        if wanted:
            for oid, data in _cat_file(self.content, wanted):
                self.items[oid] = _parse(oid, data)
        for oid in wanted:
            self.items.setdefault(oid, None)  # missing from the repository (a partial clone): unreadable


def _parse(oid: str, data: bytes) -> Snapshot | None:
    if len(data) > MAX_BYTES:
        return None
    try:
        # As yamlload.read_text reads a file: UTF-8 with an optional BOM, NFC, LF line endings.
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"))
        return items_of(load(Path(f"{oid}.yaml"), text).data)
    except (UnicodeDecodeError, YamlError):
        return None


def _cat_file(content: Path, oids: list[str]) -> Iterable[tuple[str, bytes]]:
    """Each blob's bytes, read from one ``git cat-file --batch`` as they arrive (never all at once)."""
    try:
        proc = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=content, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return
    assert proc.stdin is not None and proc.stdout is not None

    def feed(pipe: IO[bytes]) -> None:
        # A thread writes while we read: with thousands of blobs, both pipes would fill up otherwise.
        try:
            pipe.write("".join(f"{oid}\n" for oid in oids).encode())
        except OSError:
            pass
        finally:
            pipe.close()

    writer = threading.Thread(target=feed, args=(proc.stdin,), daemon=True)
    writer.start()
    try:
        for _ in oids:
            header = proc.stdout.readline().split()
            if len(header) != 3:  # "<oid> missing", or git stopped
                if not header:
                    break
                continue
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each object
            yield header[0].decode(), data
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()
