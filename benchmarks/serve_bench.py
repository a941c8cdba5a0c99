"""Throughput and turn latency of the bot's deployments, side by side (issue 7).

    .venv/bin/python benchmarks/serve_bench.py [--chats 50] [--seconds 20]

Configurations: SQLite in one polling process (`gjz run`), and PostgreSQL with 1, 2 and 4
webhook workers (`gjz serve --workers N`). Each drives --chats concurrent interviews (typed
answers, each chat waiting for the bot's reply before its next message) against the local
Bot API stand-in for --seconds, and prints interviews/s, turns/s and p50/p99 turn latency:
from the update leaving 'Telegram' to the bot's reply arriving there. The load driver runs
on the same 2 cores as the bot, so the figures are a floor, not a capacity.
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

from benchmarks.harness import polling_bot, webhook_bot  # noqa: E402
from tests.pg import PgServer, benchmark_server  # noqa: E402
from tests.telegram.conftest import ends_turn  # noqa: E402
from tests.telegram.fake_api import FakeTelegram  # noqa: E402

SCRIPT = ["/start", "朝阳", "新办", "外地户口", "18个月", "硕士", "5年", "企业", "2万"]


def drive(fake: FakeTelegram, send, chats: int, seconds: float) -> dict:
    """send(chat, text) delivers one message; returns when the bot has answered it."""
    latencies: list[float] = []
    interviews = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def one_chat(chat: int) -> None:
        nonlocal interviews
        while time.monotonic() < stop_at:
            for text in SCRIPT:
                mark = fake.count(chat)
                started = time.perf_counter()
                send(chat, text)
                fake.wait_for(chat, mark, ends_turn, timeout=60)
                with lock:
                    latencies.append(time.perf_counter() - started)
            with lock:
                interviews += 1

    began = time.monotonic()
    with ThreadPoolExecutor(chats) as pool:
        list(pool.map(one_chat, range(100000, 100000 + chats)))
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "interviews/s": interviews / elapsed,
        "turns/s": len(latencies) / elapsed,
        "p50 ms": statistics.median(latencies) * 1000,
        "p99 ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def polling_sqlite(chats: int, seconds: float, tmp: Path) -> dict:
    with polling_bot(tmp / "sqlite") as side:
        return drive(side.fake, side.text, chats, seconds)


def webhook_postgres(workers: int, chats: int, seconds: float, tmp: Path, pg: PgServer) -> dict:
    with webhook_bot(pg.new_database(), tmp / f"pg{workers}", workers) as side:
        return drive(side.fake, side.text, chats, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL worker counts to try")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows.append(("SQLite, 1 process, polling", polling_sqlite(args.chats, args.seconds, tmp)))
        with benchmark_server("PostgreSQL rows") as pg:
            if pg is not None:
                for n in (int(x) for x in args.workers.split(",")):
                    name = f"PostgreSQL, {n} worker{'s' if n > 1 else ''}, webhook"
                    rows.append((name, webhook_postgres(n, args.chats, args.seconds, tmp, pg)))
    print(f"\n{args.chats} concurrent chats, {args.seconds:g} s each, {len(SCRIPT)} turns per interview")
    print(f"{'configuration':34} {'interviews/s':>12} {'turns/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in rows:
        print(f"{name:34} {r['interviews/s']:12.1f} {r['turns/s']:9.1f} {r['p50 ms']:8.1f} {r['p99 ms']:8.1f}")
    base = next((r for n, r in rows if n.startswith("PostgreSQL, 1 ")), None)
    two = next((r for n, r in rows if n.startswith("PostgreSQL, 2 ")), None)
    if base and two:
        print(f"2 workers / 1 worker on PostgreSQL: {two['turns/s'] / base['turns/s']:.2f}x turns/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
