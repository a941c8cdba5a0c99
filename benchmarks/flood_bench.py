"""One chat floods, another waits: fairness under a flood (issue 14).

    .venv/bin/python benchmarks/flood_bench.py [--flood 300] [--samples 8] [--no-serve]

Another user's reply latency (update leaves "Telegram" to its question arriving there) is
measured quiet, then while one chat sends --flood messages at once: without flood control,
and with the Bot API stand-in answering 429 like Telegram's per-chat limit (5 messages a
second per chat, retry after 2 s). The other user moves once a second, under that limit.
Also printed: how many replies the flooder got for its messages (goal: at most one each)
and how many 429s were answered. Goal: flood p50 and max <= 2 x quiet + 200 ms.

Modes: `gjz run` (polling, SQLite) and `gjz serve --workers 2` (webhook, PostgreSQL; the
driver posts the flood as Telegram would, up to 40 deliveries at once).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import Polling, Webhook, polling_bot, webhook_bot  # noqa: E402
from tests.telegram.conftest import ends_turn  # noqa: E402
from tests.telegram.fake_api import FakeTelegram  # noqa: E402

FLOODER, OTHER = 700001, 700002
LIMIT = (5, 2.0)  # messages per second per chat, retry_after seconds (the other user sends 2 a second)


def other_latencies(fake: FakeTelegram, send, samples: int) -> list[float]:
    out = []
    for _ in range(samples):
        mark = fake.count(OTHER)
        started = time.perf_counter()
        send(OTHER, "/start")
        message = fake.wait_for(OTHER, mark, ends_turn, timeout=120)
        out.append(message.at - started)
        time.sleep(max(0.0, 1.05 - (time.perf_counter() - started)))  # under the per-chat limit
    return out


def settle(fake: FakeTelegram, chat: int, quiet_for: float = 4.0, limit: float = 180) -> int:
    """The chat's reply count once nothing has arrived for ``quiet_for`` seconds."""
    deadline = time.monotonic() + limit
    count, since = fake.count(chat), time.monotonic()
    while time.monotonic() - since < quiet_for and time.monotonic() < deadline:
        time.sleep(0.2)
        if fake.count(chat) != count:
            count, since = fake.count(chat), time.monotonic()
    return count


def scenario(fake: FakeTelegram, send, flood_send, flood: int, samples: int, throttle: bool) -> dict:
    fake.per_chat_limit(*LIMIT) if throttle else fake.per_chat_limit(None)
    throttled_before = fake.throttled
    # Warm: a process's first turn waits for its knowledge, its first question for the FAQ
    # index (both built after start); the figures are of a running bot.
    other_latencies(fake, send, 1)
    mark = fake.count(OTHER)
    send(OTHER, "续签要提前多久")
    fake.wait_for(OTHER, mark, lambda m: True, timeout=120)
    quiet = other_latencies(fake, send, samples)
    mark = fake.count(FLOODER)
    flooding = threading.Thread(target=flood_send, args=(FLOODER, flood))
    flooding.start()
    time.sleep(0.05)
    during = other_latencies(fake, send, samples)
    flooding.join()
    replies = settle(fake, FLOODER) - mark
    return {
        "quiet p50": statistics.median(quiet) * 1000,
        "quiet max": max(quiet) * 1000,
        "flood p50": statistics.median(during) * 1000,
        "flood max": max(during) * 1000,
        "flooder replies": replies,
        "flood": flood,
        "429s": fake.throttled - throttled_before,
    }


def scenarios(mode: str, side: Polling | Webhook, flood_send, flood: int, samples: int) -> list[tuple[str, dict]]:
    return [
        (f"{mode}, {label}", scenario(side.fake, side.text, flood_send, flood, samples, throttle))
        for label, throttle in (("no 429s", False), ("per-chat 429s", True))
    ]


def polling(flood: int, samples: int, tmp: Path) -> list[tuple[str, dict]]:
    with polling_bot(tmp / "polling") as side:

        def flood_send(chat, n):
            for i in range(n):
                side.text(chat, f"消息{i}")

        return scenarios("gjz run", side, flood_send, flood, samples)


def webhook(flood: int, samples: int, tmp: Path, pg) -> list[tuple[str, dict]]:
    # Each delivery waits up to 120 s for its turn under the flood; a refused one is sent again.
    with webhook_bot(pg.new_database(), tmp / "serve", workers=2, timeout=120, retry_pause=0.5) as side:

        def flood_send(chat, n):
            with ThreadPoolExecutor(40) as pool:  # Telegram's default max_connections
                list(pool.map(side.deliver, [side.update_for(chat, f"消息{i}") for i in range(n)]))

        return scenarios("gjz serve -w2", side, flood_send, flood, samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--no-serve", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows += polling(args.flood, args.samples, tmp)
        if not args.no_serve:
            from tests.pg import benchmark_server

            with benchmark_server("gjz serve") as pg:
                if pg is not None:
                    rows += webhook(args.flood, args.samples, tmp, pg)
    print(
        f"\nanother user's reply latency, quiet vs one chat sending {args.flood} messages at once "
        f"({args.samples} samples each, ms)"
    )
    print(
        f"{'mode':32} {'quiet p50':>9} {'quiet max':>9} {'flood p50':>9} {'flood max':>9} {'goal':>7} "
        f"{'met':>4} {'flooder replies':>15} {'429s':>5}"
    )
    for name, r in rows:
        goal = 2 * r["quiet p50"] + 200
        met = "yes" if r["flood p50"] <= goal and r["flood max"] <= 2 * r["quiet max"] + 200 else "NO"
        print(
            f"{name:32} {r['quiet p50']:9.1f} {r['quiet max']:9.1f} {r['flood p50']:9.1f} {r['flood max']:9.1f} "
            f"{goal:7.0f} {met:>4} {r['flooder replies']:>7} / {r['flood']:<5} {r['429s']:5}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
