"""`gjz run` against the bare python-telegram-bot floor, side by side in one run (issue 13).

    .venv/bin/python benchmarks/turns_bench.py [--chats 1,50,200] [--seconds 15] [--no-serve]

One driver plays the same applicant (tests/telegram/applicant.py: 朝阳区, 硕士, 20000 元 a month)
against each bot through the Bot API stand-in (tests/telegram/fake_api.py: HTTP/1.1 keep-alive,
TCP_NODELAY): every chat answers what it is asked (a button when the question has one, typing
otherwise) until the verdict, then starts again, each waiting for the bot's reply before its
next move.

Bots: benchmarks/bare_ptb_bot.py (ConversationHandler, three questions, no persistence: the
framework floor); `gjz run` on SQLite (durable turns, the whole interview and its rules); and
`gjz serve --workers 2` on PostgreSQL (webhook: the driver posts each update as Telegram would).

Printed per bot and chat count: turns/s, p50 and p99 turn latency (update leaves "Telegram"
to the reply arriving there), Bot API calls per turn (getUpdates excluded), ready time
(process start to its first getUpdates; for serve, to /readyz), resident memory at the end
(VmRSS) and at its peak (VmHWM; for serve the sum over supervisor and workers), and the
gjz run / bare ratios. The driver and the stand-in run on the same cores as the bot, so absolute figures are a floor; the ratios are the result.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.harness import Polling, Webhook, polling_bot, webhook_bot  # noqa: E402
from tests.telegram.applicant import APPLICANT, move_for  # noqa: E402
from tests.telegram.conftest import ends_turn, is_verdict  # noqa: E402
from tests.telegram.fake_api import SentMessage  # noqa: E402

# The applicant (tests/telegram/applicant.py), in the bare bot's three questions.
BARE_ANSWERS = {"1": ("press", "朝阳区"), "2": ("press", "硕士"), "3": ("text", "20000")}
VERDICT = "条件核对"  # the bare bot's verdict; gjz's carries the restart button
STEP = re.compile(r"第 \d+ 步")


def ends_bare_turn(message: SentMessage) -> bool:
    return bool(STEP.search(message.text)) or VERDICT in message.text


def next_move(kind: str, message: SentMessage | None):
    """What the applicant does after reading ``message``: ("text", t) or ("press", label)."""
    if message is None or is_verdict(message) or VERDICT in message.text:
        return ("text", "/start")
    if kind == "bare":
        return BARE_ANSWERS[message.text.split("第 ", 1)[1][:1]]
    return move_for(message, APPLICANT)  # a question not in it skipped, as a hurried applicant would


class Run:
    """Chats driven concurrently for a while; latencies of the turns after the warm-up."""

    def __init__(self, side: Polling | Webhook, kind: str):
        self.side, self.fake, self.kind = side, side.fake, kind
        self.samples: list[tuple[float, float]] = []  # (finished at, latency)
        self.lock = threading.Lock()

    def chat(self, chat_id: int, stop_at: float) -> None:
        message = None
        while time.perf_counter() < stop_at:
            move = next_move(self.kind, message)
            mark = self.fake.count(chat_id)
            started = time.perf_counter()
            if move[0] == "press":
                self.side.press(chat_id, move[1], message)
            else:
                self.side.text(chat_id, move[1])
            message = self.fake.wait_for(
                chat_id, mark, ends_bare_turn if self.kind == "bare" else ends_turn, timeout=120
            )
            with self.lock:
                self.samples.append((message.at, message.at - started))

    def drive(self, chats: int, seconds: float, warmup: float) -> dict:
        began = time.perf_counter()
        window_start, stop_at = began + warmup, began + warmup + seconds
        calls_at = {}

        def mark_calls():
            time.sleep(warmup)
            calls_at["start"] = len(self.fake.calls)

        marker = threading.Thread(target=mark_calls)
        marker.start()
        with ThreadPoolExecutor(chats) as pool:
            list(pool.map(lambda c: self.chat(c, stop_at), range(500000, 500000 + chats)))
        marker.join()
        window = [lat for at, lat in self.samples if window_start <= at <= stop_at]
        with self.fake.cond:
            calls = [m for m, _ in self.fake.calls[calls_at["start"] :] if m != "getUpdates"]
        window.sort()
        return {
            "turns/s": len(window) / seconds,
            "p50": statistics.median(window) * 1000,
            "p99": window[min(len(window) - 1, int(len(window) * 0.99))] * 1000,
            "calls/turn": len(calls) / max(1, len(window)),
            "turns": len(window),
        }


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of the process and its children (MB): now (VmRSS) and peak (VmHWM)."""
    totals = {"VmRSS": 0, "VmHWM": 0}
    pending = [pid]
    while pending:
        p = pending.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                key = line.split(":")[0]
                if key in totals:
                    totals[key] += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return totals["VmRSS"] / 1024, totals["VmHWM"] / 1024


def measured(side: Polling | Webhook, kind: str, chats: int, seconds: float, warmup: float) -> dict:
    """The run's figures, the bot's memory at its end and its ready time."""
    try:
        result = Run(side, kind).drive(chats, seconds, warmup)
    except AssertionError:
        print(side.process.log.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    result["rss"], result["peak"] = rss_mb(side.process.proc.pid)
    result["ready"] = side.ready * 1000
    return result


def polling(kind: str, chats: int, seconds: float, warmup: float, tmp: Path) -> dict:
    command = [sys.executable, str(REPO / "benchmarks" / "bare_ptb_bot.py")] if kind == "bare" else None
    # Ready at the first getUpdates: the bare bot registers no commands.
    with polling_bot(tmp / f"{kind}-{chats}", command, ready_call="getUpdates", timeout=60) as side:
        return measured(side, kind, chats, seconds, warmup)


def serve(chats: int, seconds: float, warmup: float, tmp: Path, pg) -> dict:
    with webhook_bot(pg.new_database(), tmp / f"serve-{chats}", workers=2) as side:
        return measured(side, "gjz", chats, seconds, warmup)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", default="1,50,200")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip gjz serve on PostgreSQL")
    args = parser.parse_args()
    counts = [int(c) for c in args.chats.split(",")]
    rows: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        from tests.pg import benchmark_server

        with benchmark_server("gjz serve") if not args.no_serve else contextlib.nullcontext() as pg:
            for chats in counts:
                for kind in ("bare", "gjz"):  # alternated per count, so load drift hits both
                    rows[(kind, chats)] = polling(kind, chats, args.seconds, args.warmup, tmp)
                    print(f"  {kind:5} {chats:4} chats: {rows[(kind, chats)]}", file=sys.stderr)
                if pg is not None:
                    rows[("serve", chats)] = serve(chats, args.seconds, args.warmup, tmp, pg)
                    print(f"  serve {chats:4} chats: {rows[('serve', chats)]}", file=sys.stderr)
    names = {"bare": "bare PTB (no persistence)", "gjz": "gjz run (SQLite)", "serve": "gjz serve -w2 (PostgreSQL)"}
    print(f"\n{args.seconds:g} s per row after {args.warmup:g} s warm-up; same applicant, same stand-in")
    print(
        f"{'bot':28} {'chats':>5} {'turns/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'calls/turn':>10} "
        f"{'ready ms':>9} {'RSS MB':>7} {'peak MB':>7}"
    )
    for (kind, chats), r in rows.items():
        print(
            f"{names[kind]:28} {chats:5} {r['turns/s']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
            f"{r['calls/turn']:10.2f} {r['ready']:9.0f} {r['rss']:7.0f} {r['peak']:7.0f}"
        )
    print("\ngjz run / bare, same chat count:")
    for chats in counts:
        g, b = rows[("gjz", chats)], rows[("bare", chats)]
        print(
            f"  {chats:4} chats: turns/s {g['turns/s'] / b['turns/s']:.2f}x   p50 {g['p50'] / b['p50']:.2f}x   "
            f"p99 {g['p99'] / b['p99']:.2f}x   ready {g['ready'] / b['ready']:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
