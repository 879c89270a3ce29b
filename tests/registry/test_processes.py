"""Work streamed from a child process: in order, its errors raised here, its death noticed."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from registry.processes import ChildProcessStopped, streamed_from_child


class Refused(ValueError):
    """An error the child raises on purpose."""


def numbers(count: int, size: int) -> Iterator[tuple[int, str]]:
    for index in range(count):
        yield index, "x" * size


def numbers_then_error(count: int) -> Iterator[int]:
    yield from range(count)
    raise Refused(f"refused after {count}")


def numbers_then_killed(count: int) -> Iterator[int]:
    yield from range(count)
    os.kill(os.getpid(), signal.SIGKILL)
    yield count  # never reached


def test_items_arrive_in_order_and_whole() -> None:
    with streamed_from_child(numbers, 50, 200_000, ahead=2) as items:  # each larger than a pipe's buffer
        received = list(items)
    assert [index for index, _text in received] == list(range(50))
    assert all(len(text) == 200_000 for _index, text in received)


def test_an_error_in_the_child_is_raised_here_after_the_items_before_it() -> None:
    received: list[int] = []
    with pytest.raises(Refused, match="refused after 3"), streamed_from_child(numbers_then_error, 3) as items:
        received.extend(items)
    assert received == [0, 1, 2]


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    received: list[int] = []
    with pytest.raises(ChildProcessStopped, match="-9"), streamed_from_child(numbers_then_killed, 3) as items:
        received.extend(items)
    assert received == [0, 1, 2][: len(received)], "what it had not handed over yet is lost with it"


def test_leaving_early_stops_the_child() -> None:
    with streamed_from_child(numbers, 1_000_000, 10) as items:
        assert next(items) == (0, "x" * 10)
