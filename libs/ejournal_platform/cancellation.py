"""Loops that run until cancelled, made to stop even when a cancellation was swallowed."""

from __future__ import annotations

import asyncio


def stop_requested() -> None:
    """Raise CancelledError if this task was cancelled and something swallowed it.

    On Python 3.11 `asyncio.wait_for` returns its result instead of raising when the cancellation
    arrives after the awaited thing finished but before the task resumed (3.12 fixed it), and library
    code (nats-py's fetch) can turn a cancellation into a timeout. The request stays counted in
    `Task.cancelling()`, so a loop that checks it on every turn still stops. The outbox bench hung in
    CI this way: it cancelled the relay as the last ack arrived, then waited for it for ever."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
