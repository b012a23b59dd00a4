"""The forked worker (sovereign_site/parallel.py): results, streams and failures cross back intact."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sovereign_site import parallel
from sovereign_site.data.errors import ContentError, Problem

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_child_runs_in_another_process_and_returns_its_value() -> None:
    with parallel.Child(lambda: (os.getpid(), [1, "두", 3.0])) as child:
        pid, value = child.result()
    assert pid != os.getpid() and pid == child.pid
    assert value == [1, "두", 3.0]


def test_a_stream_arrives_in_order_without_waiting_for_the_end(tmp_path: Path) -> None:
    gate = tmp_path / "go"

    def work() -> Iterator[int]:
        yield 1
        while not gate.exists():  # the second item waits until the parent has seen the first
            time.sleep(0.01)
        yield from range(2, 2000)

    with parallel.Child(work, stream=True) as child:
        items = child.items()
        assert next(items) == 1
        gate.touch()
        assert list(items) == list(range(2, 2000))
        assert child.result() is None


def test_content_problems_in_the_child_keep_their_file_and_line() -> None:
    problem = Problem("content/countries/kr.yaml", 12, 3, "bad value", "funding.0.amount")

    def work() -> None:
        raise ContentError([problem])

    with parallel.Child(work) as child, pytest.raises(ContentError) as caught:
        child.result()
    assert caught.value.problems == [problem]


def test_other_errors_keep_their_type_and_carry_the_childs_traceback() -> None:
    def work() -> Iterator[int]:
        yield 1
        raise KeyError("missing")

    with parallel.Child(work, stream=True) as child:
        items = child.items()
        assert next(items) == 1
        with pytest.raises(KeyError, match="missing") as caught:
            next(items)
    assert any("Raised in a worker process" in note and "KeyError" in note for note in caught.value.__notes__)


def test_an_error_that_cannot_be_pickled_still_arrives_as_a_message() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    def work() -> None:
        raise Local("only here")

    with parallel.Child(work) as child, pytest.raises(RuntimeError, match="Local: only here"):
        child.result()


def test_a_parent_that_fails_first_ends_the_child() -> None:
    def work() -> None:
        time.sleep(60)

    with pytest.raises(ZeroDivisionError), parallel.Child(work) as child:
        1 / 0  # noqa: B018
    # Ended by a signal, not waited for: a child that ran its minute out would exit with 0.
    assert child.status is not None and os.WIFSIGNALED(child.status) and os.WTERMSIG(child.status) == signal.SIGTERM
    with pytest.raises(ChildProcessError):  # already reaped: nothing is left running
        os.waitpid(child.pid, os.WNOHANG)


@pytest.mark.parametrize(("setting", "expected"), [(1, 1), ("1", 1), (2, 2), (0, 1)])
def test_workers_setting(setting: object, expected: int) -> None:
    assert parallel.workers(setting) == expected
    assert 1 <= parallel.workers("auto") <= 2
