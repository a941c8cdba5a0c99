"""What one webhook worker lets a connection hold, so a slow or hostile client cannot tie it up.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but only once a
response has gone out: a connection that sends nothing, or its request head a byte at a time
(slowloris), or that vanished without a FIN (half-open), would stay open forever and keep a
file descriptor. GuardedH11Protocol closes any connection whose request head is not complete
within HEAD_SECONDS of connecting (or of its previous response); the body has BODY_SECONDS
(bot/server/app.py). Beyond ``limit_concurrency`` connections a request gets an immediate 503
instead of a queue, and the open-files limit is raised to the hard limit, so a flood of
connections degrades to refusals rather than to accept() failing on every descriptor.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_SECONDS = 10.0
BODY_SECONDS = 10.0
MAX_BODY = 1 << 20  # 1 MB: Telegram's largest update is a few kB


class GuardedH11Protocol(H11Protocol):
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc) -> None:
        deadline = getattr(self, "_head_deadline", None)
        if deadline is not None:
            deadline.cancel()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        previous = getattr(self, "_head_deadline", None)
        if previous is not None:
            previous.cancel()
        self._head_deadline = asyncio.get_running_loop().call_later(HEAD_SECONDS, self._close_unless_answering)

    def _close_unless_answering(self) -> None:
        answering = self.cycle is not None and not self.cycle.response_complete  # the body has its own deadline
        if not answering and not self.transport.is_closing():
            self.transport.close()


UVICORN = {
    "http": GuardedH11Protocol,
    "timeout_keep_alive": 5,
    "limit_concurrency": 200,  # per worker; Telegram opens at most 40 (set-webhook's max_connections)
    "h11_max_incomplete_event_size": 16 * 1024,  # request line and headers
}


def raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(
                resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else max(soft, 65536), hard)
            )
