"""Run N webhook worker processes on one listening socket, like uvicorn --workers, but with
signals meaning what operators expect here:

- SIGTERM / SIGINT: every worker stops taking requests, finishes the updates in flight
  (uvicorn's graceful shutdown) and exits; then the supervisor exits, killing a worker still
  there graceful_seconds + 5 s later.
- SIGHUP: forwarded to every worker, which reloads and validates the knowledge in place.
- A worker that dies is started again, with back-off (1 s doubling to 60 s).

Why not uvicorn's own multi-process mode (read in uvicorn 0.54.0, the pinned version,
uvicorn/supervisors/multiprocess.py; not yet tried against our app):
- its SIGHUP restarts every process one by one (restart_all). It does keep the old worker when
  the new one is not ready in time, but each new process loads the knowledge, builds the FAQ
  index and opens its database pool from scratch, and the first failure aborts the rest;
  ours swaps the knowledge inside the running workers and never drops a connection.
- a dead worker is restarted at once, with no back-off (a database outage makes it spin), and a
  worker exiting with STARTUP_FAILURE (3) stops the whole server;
- on SIGTERM it joins the workers with no deadline (a stuck worker holds the stop forever).
What it has and we lack: a ping over a pipe that kills a hung worker (is_alive).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import tempfile
import time

log = logging.getLogger("gjz.supervisor")


def _worker_main(sock: socket.socket, graceful_seconds: int) -> None:
    import uvicorn

    from ..logs import setup_logging
    from ..telegram.config import load_settings
    from . import limits
    from .app import create_app
    from .faq import faq_factory

    setup_logging()
    limits.raise_open_files_limit()
    app = create_app(load_settings(), faq_factory=faq_factory())
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=graceful_seconds,
        **limits.UVICORN,
    )
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, workers: int, graceful_seconds: int = 30) -> int:
    # Metrics of all workers are summed from files in one directory (prometheus multiprocess).
    metrics_dir = tempfile.mkdtemp(prefix="gjz-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    sock = bind(host, port)
    ctx = multiprocessing.get_context("spawn")
    procs: list[multiprocessing.Process] = []
    stopping = False

    def start_one() -> multiprocessing.Process:
        proc = ctx.Process(target=_worker_main, args=(sock, graceful_seconds), daemon=False)
        proc.start()
        return proc

    def on_term(signum, frame):
        nonlocal stopping
        stopping = True

    def on_hup(signum, frame):
        log.info("SIGHUP: workers reload the knowledge")
        for proc in procs:
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGHUP)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGHUP, on_hup)
    procs = [start_one() for _ in range(workers)]
    log.info("serving", extra={"host": host, "port": port, "workers": workers})
    backoff, next_start = 1.0, 0.0
    while not stopping:
        time.sleep(0.2)
        for i, proc in enumerate(procs):
            if not proc.is_alive() and not stopping and time.monotonic() >= next_start:
                # A worker that cannot start (database or Telegram unreachable) must not spin.
                log.warning("worker exited; starting another", extra={"exitcode": proc.exitcode, "retry_in_s": backoff})
                procs[i] = start_one()
                next_start = time.monotonic() + backoff
                backoff = min(backoff * 2, 60)
        if all(p.is_alive() for p in procs) and time.monotonic() > next_start + 60:
            backoff = 1.0
    log.info("SIGTERM: draining workers")
    for proc in procs:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + graceful_seconds + 5
    for proc in procs:
        proc.join(max(0.1, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
    sock.close()
    return 0
