"""A TCP proxy that delays every packet, to play a distant IMAP server on 127.0.0.1.

Plain module (standard library only, no Odoo import): ``bench/fleet.py`` starts one in front of the
test Dovecot, and the fleet tests use it to make a sync cycle last long enough to stop a worker in
the middle of it.

Each chunk read from one side is written to the other ``delay`` seconds later (default 50 ms each
way: a provider's 100 ms round trip), in order; chunks are not serialised behind each other's
delay, as on a real link (latency, not bandwidth). The proxy runs an asyncio loop in a thread of
its own::

    with LatencyProxy(dovecot.plain_port, delay=0.05) as proxy:
        connect to ("127.0.0.1", proxy.port)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

HOST = "127.0.0.1"
DEFAULT_DELAY = 0.05


class LatencyProxy:
    def __init__(self, target_port: int, *, delay: float = DEFAULT_DELAY, target_host: str = HOST):
        self.target = (target_host, target_port)
        self.delay = delay
        self.port = 0
        self.connections = 0  # accepted so far
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._writers: set = set()
        self._tasks: set = set()

    def __enter__(self) -> LatencyProxy:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> LatencyProxy:
        self._thread = threading.Thread(target=self._run, name="latency-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the latency proxy did not start")
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout=10)
        self._loop = None

    async def _shutdown(self) -> None:
        """Close the listener and every connection, and let their tasks end by themselves."""
        self._server.close()
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)

    # ------------------------------------------------------------------ the loop

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._server = loop.run_until_complete(
            asyncio.start_server(self._handle, HOST, 0, backlog=1024)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            loop.close()

    async def _handle(self, client_reader, client_writer) -> None:
        self.connections += 1
        task = asyncio.current_task()
        self._tasks.add(task)
        self._writers.add(client_writer)
        try:
            try:
                server_reader, server_writer = await asyncio.open_connection(*self.target)
            except OSError:
                client_writer.close()
                return
            self._writers.add(server_writer)
            await asyncio.gather(
                self._pipe(client_reader, server_writer),
                self._pipe(server_reader, client_writer),
                return_exceptions=True,
            )
            self._writers.discard(server_writer)
        finally:
            self._writers.discard(client_writer)
            self._tasks.discard(task)

    async def _pipe(self, reader, writer) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is None:
                    break
                writer.write(data)
                await writer.drain()
            with contextlib.suppress(Exception):
                writer.close()

        sender = asyncio.ensure_future(deliver())
        try:
            with contextlib.suppress(ConnectionError, OSError):  # the other side went away
                while data := await reader.read(65536):
                    queue.put_nowait((time.monotonic() + self.delay, data))
        finally:
            queue.put_nowait((time.monotonic() + self.delay, None))
            with contextlib.suppress(Exception):
                await sender
