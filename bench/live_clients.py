"""WebSocket clients for ``bench.live``: one process holds its share of the connections.

    python -m bench.live_clients PLAN.json PART PARTS OUT.json [--no-ping]

Started by ``bench.live``, not by hand. The plan lists every client (server URL, origin,
session cookie, the streams its page would subscribe to); this process takes the clients
whose index is PART modulo PARTS. Each client behaves as ``frontend/static/portal/live.js``:
it connects with its cookie and origin, reads ``hello``, subscribes to its streams (from now,
the first time), pings every 25 seconds, and when the socket closes under it reconnects after
0.5 s, 1 s, 2 s … (with jitter) and subscribes again with the last numbers it saw.

Once every client is subscribed (or gave up after five tries) the process prints
``ready <connected> <failed> <seconds>``, then records every message with its arrival time
(``time.time()``) until a line ``stop`` arrives on stdin. It closes the sockets and writes
OUT.json: per client its connect+subscribe time, errors, the closes it saw (time, code), and
the messages received. No Django here: the clients are only sockets, as browsers would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

OPEN_TIMEOUT = 120
CONNECTING_AT_ONCE = 25
PING_SECONDS = 25
FIRST_TRIES = 5
MAX_RETRY_SECONDS = 30


class Client:
    def __init__(self, spec: dict, ping: bool):
        self.spec = spec
        self.ping = ping
        self.ws = None
        self.positions: dict[str, int | None] = dict.fromkeys(spec["streams"])
        self.ready_ms: float | None = None
        self.errors: list[str] = []
        self.closes: list[tuple[float, int | None]] = []
        self.messages: list[tuple[float, str]] = []
        self.stopping = False

    async def open(self) -> None:
        """Connect, read hello, subscribe and wait for every stream's answer."""
        self.ws = await connect(
            self.spec["url"],
            origin=self.spec["origin"],
            additional_headers={"Cookie": self.spec["cookie"]},
            open_timeout=OPEN_TIMEOUT,
            compression=None,
            max_queue=None,
        )
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), OPEN_TIMEOUT))
        if hello.get("type") != "hello":
            raise RuntimeError(f"expected hello, got {hello}")
        await self.ws.send(json.dumps({"type": "subscribe", "streams": self.positions}))
        waiting = set(self.positions)
        while waiting:
            raw = await asyncio.wait_for(self.ws.recv(), OPEN_TIMEOUT)
            answer = json.loads(raw)
            kind = answer.get("type")
            if kind == "denied":
                raise RuntimeError(f"denied {answer.get('stream')}")
            if kind == "subscribed":
                waiting.discard(answer["stream"])
                self.positions[answer["stream"]] = answer["seq"]
            else:  # caught-up messages come before the stream's answer
                self.received(time.time(), raw, answer)

    def received(self, arrived: float, raw: str, message: dict) -> None:
        self.messages.append((arrived, raw))
        stream, seq = message.get("stream"), message.get("seq")
        newer = isinstance(seq, int) and seq > (self.positions.get(stream) or 0)
        if message.get("type") == "reset" or newer:
            self.positions[stream] = seq

    async def try_open(self, what: str) -> bool:
        try:
            await self.open()
        except Exception as error:  # noqa: BLE001 - counted and reported
            self.errors.append(f"{what}: {type(error).__name__}: {error}"[:200])
            await self.discard()
            return False
        return True

    async def first_open(self, gate: asyncio.Semaphore) -> None:
        for attempt in range(1, FIRST_TRIES + 1):
            async with gate:
                started = time.perf_counter()
                if await self.try_open("connect"):
                    self.ready_ms = (time.perf_counter() - started) * 1000
                    return
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))

    async def discard(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def pinger(self) -> None:
        await asyncio.sleep(random.uniform(0, PING_SECONDS))
        while not self.stopping:
            if self.ws is not None:
                with contextlib.suppress(ConnectionClosed):
                    await self.ws.send('{"type": "ping"}')
            await asyncio.sleep(PING_SECONDS)

    async def live(self) -> None:
        """Read messages; reconnect as live.js does when the server closes the socket."""
        if self.ready_ms is None:
            return
        pinger = asyncio.create_task(self.pinger()) if self.ping else None
        attempts = 0
        while True:
            try:
                async for raw in self.ws:
                    self.received(time.time(), raw, json.loads(raw))
            except ConnectionClosed:
                pass
            if self.stopping:
                break
            self.closes.append((time.time(), self.ws.close_code))
            if self.ws.close_code == 4001:
                break
            while not self.stopping:
                attempts += 1
                pause = min(MAX_RETRY_SECONDS, 0.5 * 2 ** (attempts - 1)) * random.uniform(0.75, 1.25)
                await asyncio.sleep(pause)
                if await self.try_open("reconnect"):
                    attempts = 0
                    break
            if self.stopping:
                break
        if pinger is not None:
            pinger.cancel()

    def report(self) -> dict:
        return {
            "index": self.spec["index"],
            "ready_ms": self.ready_ms,
            "errors": self.errors,
            "closes": self.closes,
            "messages": self.messages,
        }


async def run(clients: list[Client]) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def on_stdin() -> None:
        line = sys.stdin.readline()
        if not line or "stop" in line:  # told to stop, or the driver is gone
            loop.remove_reader(sys.stdin.fileno())
            stop.set()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
    started = time.perf_counter()
    await asyncio.gather(*(client.first_open(gate) for client in clients))
    elapsed = time.perf_counter() - started
    failed = sum(1 for client in clients if client.ready_ms is None)
    print(f"ready {len(clients) - failed} {failed} {elapsed:.3f}", flush=True)
    listeners = [asyncio.create_task(client.live()) for client in clients]
    await stop.wait()
    for client in clients:
        client.stopping = True
    # Closing lets each listener read what arrived before the close: nothing is lost.
    await asyncio.gather(*(client.ws.close() for client in clients if client.ws is not None))
    await asyncio.wait(listeners, timeout=30)


def main(argv: list[str]) -> None:
    plan_path, part, parts, out_path = argv[0], int(argv[1]), int(argv[2]), argv[3]
    ping = "--no-ping" not in argv
    with open(plan_path, encoding="utf-8") as plan:
        specs = json.load(plan)
    clients = [Client(spec, ping) for spec in specs if spec["index"] % parts == part]
    asyncio.run(run(clients))
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump([client.report() for client in clients], out)


if __name__ == "__main__":
    main(sys.argv[1:])
