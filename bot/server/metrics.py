"""Prometheus metrics, shared across worker processes (prometheus_client's multiprocess mode).

`gjz serve` sets PROMETHEUS_MULTIPROC_DIR before it starts the workers, so each worker
writes its samples to files there and /metrics on any worker reports the sum of all.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

UPDATES = Counter("gjz_updates", "Updates received, by kind", ["kind"])
TURN_SECONDS = Histogram(
    "gjz_turn_seconds",
    "Time from receiving an update to its replies sent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter("gjz_errors", "Updates that failed, by stage", ["stage"])
DUPLICATES = Counter("gjz_duplicate_updates", "Updates delivered again and not re-applied")
VERDICTS = Counter(
    "gjz_verdicts", "Assessments shown, by district, business and verdict", ["district", "business", "verdict"]
)
REFUSED = Counter("gjz_webhook_refused", "Webhook requests refused for a missing or wrong secret")
FLOOD_DROPPED = Counter("gjz_flood_dropped", "Updates dropped: their chat had too many in hand (admission.py)")


def render_metrics() -> tuple[bytes, str]:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def observe_turn(kind: str, seconds: float, result) -> None:
    UPDATES.labels(kind).inc()
    TURN_SECONDS.observe(seconds)
    if result is None:
        return
    if result.duplicate:
        DUPLICATES.inc()
        return
    assessment = result.turn.assessment if result.turn else None
    if assessment is not None:
        VERDICTS.labels(assessment.district, assessment.business, assessment.verdict).inc()
