"""The FAQ index built in the background after start, so the bot is polling sooner.

Building the index takes longer than everything else at start-up; most turns (answers to
the interview's questions) never search it. A search before the build is done waits for it
(only the first FAQ questions right after a start). A build that fails leaves the FAQ off
(the engine then says it has no answer and refers to the office), logged by type only.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("gjz.faq")


class LazyFaq:
    def __init__(self, build):
        self._build = build
        self._index = None
        self._ready = threading.Event()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="gjz-faq-build", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._index = self._build()
        except Exception as exc:
            log.error("FAQ index build failed: %s", type(exc).__name__)
        finally:
            self._ready.set()

    def index(self):
        self.start()
        self._ready.wait()
        return self._index

    def search(self, *args, **kwargs):
        index = self.index()
        return index.search(*args, **kwargs) if index is not None else None

    @property
    def by_id(self) -> dict:
        index = self.index()
        return getattr(index, "by_id", {}) if index is not None else {}
