"""The portal's ASGI application with its live consumer timed: ``bench.live --probe`` serves this.

It is ``portal.asgi.application`` unchanged, except that the consumer's calls to the database
(``database_sync_to_async``: the access check ``may_read``, ``unread_count``, ``replay``,
``position``) and its ``forward`` of each group message are timed, and the event loop's lag is
sampled every 10 ms. A database call is timed twice: how long it waited for the one thread that
runs them all (channels' ``database_sync_to_async`` is thread-sensitive: a process without an
outer sync context runs every such call on one shared thread, in turn), and how long it ran.

With ``BENCH_LIVE_FREE_ACCESS_CHECK`` set (``bench.live --free-access-check``) the access check
answers yes without asking the database: a diagnostic of what the check costs, nothing more.

Every second the samples go to the JSON file named by ``BENCH_LIVE_PROBE``, as
``[time.time(), name, waited seconds, ran seconds]`` rows, with the channel layer's receive
buffer (local channels holding messages, messages held); ``bench.live`` reads them afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time

from portal.asgi import application  # noqa: F401 - what daphne serves; sets Django up first

from notifications.live import consumers  # isort: skip

SAMPLES: list[tuple[float, str, float, float]] = []
_original = consumers.database_sync_to_async


def timed_database_sync_to_async(function):
    name = function.__name__

    def run(submitted, *args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SAMPLES.append((time.time(), name, started - submitted, time.perf_counter() - started))

    run.__name__ = name
    wrapped = _original(run)

    async def call(*args, **kwargs):
        return await wrapped(time.perf_counter(), *args, **kwargs)

    return call


_forward = consumers.PortalConsumer.forward


async def timed_forward(self, message):
    position = self.positions.get(message.get("stream"))
    gap = position is not None and message["seq"] > position + 1
    started = time.perf_counter()
    await _forward(self, message)
    SAMPLES.append((time.time(), "forward (gap)" if gap else "forward", 0.0, time.perf_counter() - started))


async def loop_lag() -> None:
    while True:
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        SAMPLES.append((time.time(), "event loop lag", 0.0, time.perf_counter() - started - 0.01))


def dump_every_second(path: str) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    buffers = []
    while True:
        time.sleep(1)
        # channels-redis keeps a process's messages per local channel until a consumer reads
        # them: a channel whose consumer is gone but is still in a group keeps what comes.
        queues = list(getattr(layer, "receive_buffer", {}).values())
        buffers.append((time.time(), len(queues), sum(queue.qsize() for queue in queues)))
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump({"samples": list(SAMPLES), "buffers": buffers}, out)
        os.replace(path + ".tmp", path)


def may_read(user_id, stream) -> bool:
    """``--free-access-check``, a diagnostic: the access check without its queries (it still
    takes its turn on the database thread). Never what the portal does."""
    return True


if os.environ.get("BENCH_LIVE_FREE_ACCESS_CHECK"):
    consumers.may_read = may_read
consumers.database_sync_to_async = timed_database_sync_to_async
consumers.PortalConsumer.forward = timed_forward
_connect = consumers.PortalConsumer.connect


async def connect_and_sample(self):
    # The first socket starts the lag sampler on daphne's running loop.
    global _sampler
    if _sampler is None:
        _sampler = asyncio.get_running_loop().create_task(loop_lag())
    await _connect(self)


_sampler = None
consumers.PortalConsumer.connect = connect_and_sample
threading.Thread(target=dump_every_second, args=(os.environ["BENCH_LIVE_PROBE"],), daemon=True).start()
