"""Work streamed from a child process: CPU work (reading, generating, validating) on another core.

`streamed_from_child(produce, *args)` runs `produce(*args)` (a generator function, importable at
module level) in a child process and yields what it yields, in order, in this process. The child
runs a bounded number of items ahead, so memory stays flat. An exception in the child is raised
here, at the point where its item would have come; a child that dies (killed, out of memory) is
reported here instead of leaving this process waiting for ever: the child is the only writer of
the pipe, so its death is an end of file here, even in the middle of an item.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from registry.i18n import current_language, set_language

_ITEM, _END, _ERROR = "item", "end", "error"
# How long the child waits at a time for room to hand over an item before it checks on its sender.
_WAIT_SECONDS = 1.0


class ChildProcessStopped(RuntimeError):
    """The child process ended without finishing its stream (killed, or it crashed)."""


@contextmanager
def streamed_from_child(produce: Callable[..., Iterator[Any]], *args: Any, ahead: int = 4) -> Iterator[Iterator[Any]]:
    """The items `produce(*args)` yields in a child process; the child is stopped on leaving."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    # The child speaks the reader's language: what it writes (a reject's reason) is read by the same clerk.
    child = context.Process(target=_produce, args=(sender, produce, args, ahead, current_language()), daemon=True)
    child.start()
    sender.close()  # the child holds the only writing end now
    try:
        yield _received(receiver, child)
    finally:
        child.terminate()
        child.join()
        receiver.close()


def _received(receiver: Connection, child: BaseProcess) -> Iterator[Any]:
    while True:
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join()
            raise ChildProcessStopped(f"the child process stopped early (exit code {child.exitcode})") from None
        if kind == _END:
            return
        if kind == _ERROR:
            raise value
        yield value


def _produce(
    sender: Connection, produce: Callable[..., Iterator[Any]], args: tuple[Any, ...], ahead: int, language: str
) -> None:
    """Runs in the child: produces items while a thread sends those already made (up to `ahead`)."""
    set_language(language)
    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=ahead)
    sending = threading.Thread(target=_send, args=(sender, ready), daemon=True)
    sending.start()
    try:
        for item in produce(*args):
            if not _hand_over(ready, sending, (_ITEM, item)):
                return  # nobody takes them any more
    except Exception as exc:  # raised in the parent instead
        _hand_over(ready, sending, (_ERROR, exc))
    else:
        _hand_over(ready, sending, (_END, None))
    sending.join()
    sender.close()


def _hand_over(ready: queue.Queue[tuple[str, Any]], sending: threading.Thread, message: tuple[str, Any]) -> bool:
    """Queues a message for sending; False once the sending thread has stopped (the parent is gone)."""
    while sending.is_alive():
        try:
            ready.put(message, timeout=_WAIT_SECONDS)
        except queue.Full:
            continue
        return True
    return False


def _send(sender: Connection, ready: queue.Queue[tuple[str, Any]]) -> None:
    while True:
        message = ready.get()
        try:
            sender.send(message)
        except BrokenPipeError:  # the parent has gone: nobody is left to tell
            return
        except Exception as exc:  # an item or error that does not pickle
            sender.send((_ERROR, ChildProcessStopped(f"the child process could not hand over a result: {exc!r}")))
            return
        if message[0] != _ITEM:
            return
