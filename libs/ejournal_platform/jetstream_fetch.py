"""A pull consumer's fetch that takes a batch's messages from the subscription's queue in bulk.

nats-py's `PullSubscription.fetch(n)` waits for each of the n messages on its own: `next_msg` makes a
uuid4, a task and an `asyncio.wait_for` (another task and a timer) per message, so a batch of 500 costs
some 2,500 turns of the event loop. In a rebuild that was 348,000 loop turns for 72,000 events
(docs/perf/README.md, stop 31), and the consumers' Python waited behind them. The messages arrive from
the socket many at a time (nats-py's reader puts each parsed message in the subscription's queue), so
this fetch waits for the queue once and then takes everything already in it.

It asks the server as nats-py's fetch does first — a `no_wait` pull request for what the batch still
needs, answered at once with the messages available and, when they are fewer, a 404/408 status after
them — and returns when the batch is full, that status came, or `timeout` passed with some messages.
When the stream had nothing at all, nats-py's own fetch does the waiting (a pull request that lingers
until a message comes or the timeout): an idle consumer fetches rarely, so its per-message cost does
not matter there.

It reads two attributes nats-py does not document (the subscription's queue and its byte count) and
its request subject; `test_jetstream_fetch.py` runs it against a real server.
"""

from __future__ import annotations

import asyncio
import json
import time

from nats.aio.msg import Msg
from nats.js import JetStreamContext, api
from nats.js.errors import APIError

# Statuses that end a pull request: nothing (more) to deliver, the request expired, or a conflict
# (the consumer was deleted, max_ack_pending reached...). nats-py treats all three as "no messages".
_ENDS_REQUEST = frozenset(
    {api.StatusCode.NO_MESSAGES, api.StatusCode.REQUEST_TIMEOUT, api.StatusCode.CONFLICT}
)


class _Batch:
    """The messages taken so far and whether the server said the request is answered."""

    def __init__(self, wanted: int) -> None:
        self.msgs: list[Msg] = []
        self.wanted = wanted
        self.answered = False

    @property
    def needed(self) -> int:
        return self.wanted - len(self.msgs)

    def take(self, msg: Msg, *, before_request: bool) -> None:
        status = JetStreamContext.is_status_msg(msg)
        if not status:
            self.msgs.append(msg)
        elif before_request or status == api.StatusCode.CONTROL_MESSAGE:
            return  # a status left over from an earlier request, or a heartbeat: not ours to act on
        elif status in _ENDS_REQUEST:
            self.answered = True
        elif not self.msgs:
            raise APIError.from_msg(msg)  # as nats-py's fetch does (e.g. 503: no JetStream)
        else:
            self.answered = True  # an error after some messages: return those, the next fetch sees it


def _drain(sub: JetStreamContext.PullSubscription, batch: _Batch, *, before_request: bool) -> None:
    """Take what is already in the subscription's queue, up to the batch's need."""
    inner = sub._sub
    assert inner is not None
    queue = inner._pending_queue
    while batch.needed > 0 and not batch.answered and not queue.empty():
        msg = queue.get_nowait()
        inner._pending_size -= len(msg.data)
        batch.take(msg, before_request=before_request)


async def fetch(sub: JetStreamContext.PullSubscription, batch: int, timeout: float) -> list[Msg]:
    """Up to `batch` messages, in delivery order; raises TimeoutError when none came within `timeout`."""
    started = time.monotonic()
    inner = sub._sub
    assert inner is not None
    taken = _Batch(batch)
    _drain(sub, taken, before_request=True)
    if taken.needed == 0:
        return taken.msgs
    request = json.dumps({"batch": taken.needed, "no_wait": True}).encode()
    await sub._nc.publish(sub._nms, request, sub._deliver)
    while taken.needed > 0 and not taken.answered:
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            break
        try:
            msg = await asyncio.wait_for(inner._pending_queue.get(), left)
        except TimeoutError:
            break
        inner._pending_size -= len(msg.data)
        taken.take(msg, before_request=False)
        _drain(sub, taken, before_request=False)
    if taken.msgs:
        return taken.msgs
    left = timeout - (time.monotonic() - started)
    if left <= 0:
        raise TimeoutError
    return await sub.fetch(batch, timeout=left)  # nothing was there: nats-py's lingering request waits
