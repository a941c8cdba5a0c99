"""A worker process for the cross-process test: ``python -m tests.store.pg_worker URL CHAT FIRST...``.

Applies one turn per update id given (in the order given) to one chat, on its own
PostgresStore, then prints how many were applied and how many were duplicates.
"""

from __future__ import annotations

import asyncio
import sys

from bot.store.postgres import PostgresStore

from .test_contract import engine_appending


async def main(url: str, chat_id: int, update_ids: list[int]) -> None:
    applied = duplicates = 0
    async with PostgresStore(url, pool_size=4) as store:
        # A few in flight at once, like a webhook worker's concurrent requests.
        semaphore = asyncio.Semaphore(4)

        async def one(update_id: int) -> None:
            nonlocal applied, duplicates
            async with semaphore:
                result = await store.run_turn(chat_id, update_id, engine_appending(str(update_id)))
            if result.duplicate:
                duplicates += 1
            else:
                applied += 1

        await asyncio.gather(*(one(u) for u in update_ids))
    print(applied, duplicates)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), [int(a) for a in sys.argv[3:]]))
