"""The webhook worker: a starlette app (PTB's custom-webhook pattern) over the same engine.

POST /telegram applies the update and sends its replies before answering 200, so an update
Telegram has seen acknowledged is committed; anything else (a crash, a timeout) makes
Telegram deliver it again and the store recognises it. GET /healthz, /readyz, /metrics.

Telegram redelivers anything but a 2xx, for a day: so a body that is not an update (too
large, not JSON, an array, null, no update_id) and an update whose turn fails for a reason
other than the database or the network (it would fail the same way again) are answered
200 and counted, never a 500 in a loop. Only a transient failure gets 503 (delivered again).
Connection limits: limits.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import time
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update

from ..dialog.engine import Interview
from ..knowledge import load_knowledge
from ..reload import reload_knowledge
from ..store import open_store
from ..store.base import store_errors
from ..store.crypto import DataKeyError
from ..telegram.admission import ChatGate
from ..telegram.app import Undelivered, process_update, to_event
from ..telegram.config import Settings
from . import metrics
from .limits import BODY_SECONDS, MAX_BODY

log = logging.getLogger("gjz.server")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Worker:
    """What one worker process holds: bot, store, interview (with its knowledge)."""

    def __init__(self, settings: Settings, faq_factory=None):
        self.faq_factory = faq_factory
        self.interview: Interview | None = None
        self.store = open_store(settings.database_url, settings.data_dir)
        self.bot = Bot(settings.token, base_url=settings.api_url, base_file_url=settings.api_file_url)
        self.gate = ChatGate(on_drop=metrics.FLOOD_DROPPED.inc)  # one chat's flood never holds the others

    async def start(self) -> None:
        knowledge = load_knowledge()  # GJZ_KNOWLEDGE_DIR, else the repo's knowledge/
        faq = self.faq_factory(knowledge) if self.faq_factory else None
        self.interview = Interview(knowledge, faq=faq)
        await self.store.open()
        await self.bot.initialize()
        self.interview.bot_username = self.bot.username or self.interview.bot_username
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.reload)
        from ..reminders.send import start_reminding  # due reminders, once a minute; workers claim each once

        self._reminding = start_reminding(self.store, self.bot, self.interview)

    async def stop(self) -> None:
        if getattr(self, "_reminding", None) is not None:
            self._reminding.cancel()
            await asyncio.gather(self._reminding, return_exceptions=True)
        await self.bot.shutdown()
        await self.store.close()

    def reload(self) -> None:
        """SIGHUP: load and validate the knowledge again; keep the old one if the new is broken."""
        reload_knowledge(self.interview, faq_factory=self.faq_factory)

    async def ready(self) -> tuple[bool, str]:
        if self.interview is None:
            return False, "knowledge not loaded"
        try:
            await asyncio.wait_for(self.store.load(0), timeout=2)
        except Exception as exc:  # any failure means not ready
            return False, f"database unreachable: {type(exc).__name__}"
        return True, "ok"


async def read_body(request: Request) -> bytes | None:
    """The body, or None past MAX_BODY: refused from Content-Length before reading, or
    as soon as a chunked body grows past it."""
    try:
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return None
    except ValueError:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """An Update, or None for anything else: invalid JSON, an array, null, a string, an
    object without an integer update_id, or a shape PTB cannot read."""
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # PTB reads nested objects by key and type: any of them may be wrong
        return None


def create_app(settings: Settings, faq_factory=None) -> Starlette:
    worker = Worker(settings, faq_factory)
    # During a rotation the old secret stays valid until setWebhook has the new one.
    accepted_secrets = {s for s in (settings.webhook_secret, settings.webhook_secret_previous) if s}

    async def telegram(request: Request) -> Response:
        if request.headers.get(SECRET_HEADER) not in accepted_secrets:
            metrics.REFUSED.inc()
            return PlainTextResponse("forbidden", status_code=403)
        try:
            body = await asyncio.wait_for(read_body(request), BODY_SECONDS)
        except TimeoutError:
            return PlainTextResponse("body too slow", status_code=408)
        if body is None:
            metrics.ERRORS.labels("too_large").inc()
            return PlainTextResponse("too large", status_code=413)
        update = parse_update(body, worker.bot)
        if update is None:
            metrics.ERRORS.labels("malformed").inc()
            log.warning("ignored a request that is not an update")
            return Response(status_code=200)  # a 4xx/5xx would be delivered again, and fail again
        started = time.perf_counter()
        kind = "other"
        try:
            event = to_event(update)  # inside: a field of an odd type can fail here already
            kind = event.kind if event else "other"
            result = await worker.gate.process(
                worker.bot, update, lambda: process_update(worker.bot, update, worker.interview, worker.store)
            )  # a flooding chat's excess: dropped
        except Undelivered:
            metrics.ERRORS.labels("send").inc()
            return PlainTextResponse("retry", status_code=503)  # Telegram delivers it again
        except (*store_errors(), DataKeyError):
            metrics.ERRORS.labels("turn").inc()
            log.exception("update failed: the database; Telegram delivers it again")
            return PlainTextResponse("retry", status_code=503)
        except Exception:  # a bug this update triggers: delivering it again would fail the same way
            metrics.ERRORS.labels("turn").inc()
            log.exception("update failed; acknowledged so it is not delivered in a loop")
            return Response(status_code=200)
        metrics.observe_turn(kind, time.perf_counter() - started, result)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        ok, why = await worker.ready()
        body = {"status": "ready" if ok else "not ready", "detail": why}
        if ok:
            body["knowledge"] = worker.interview.knowledge.summary()
        return JSONResponse(body, status_code=200 if ok else 503)

    async def metrics_endpoint(request: Request) -> Response:
        data, content_type = metrics.render_metrics()
        return Response(data, media_type=content_type)

    @asynccontextmanager
    async def lifespan(app):
        await worker.start()
        log.info("worker ready", extra={"knowledge": worker.interview.knowledge.summary()})
        yield
        await worker.stop()
        log.info("worker stopped")

    app = Starlette(
        routes=[
            Route("/telegram", telegram, methods=["POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
        ],
        lifespan=lifespan,
    )
    return app
