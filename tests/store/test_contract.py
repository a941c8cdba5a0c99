"""What every state store must do: atomic turns, once-only updates, forget, survive reopen."""

from __future__ import annotations

import asyncio
import contextlib

from bot.dialog.messages import Button, Reply
from bot.dialog.turn import Turn


def engine_appending(word: str):
    """A stand-in engine: appends ``word`` to the state's list and replies with the list."""

    def step(state):
        state = dict(state or {"words": []})
        state["words"] = state["words"] + [word]
        return Turn(state, [Reply(" ".join(state["words"]), buttons=[[Button(word, f"a:x:{len(word)}")]])])

    return step


async def test_turn_saves_state_and_returns_replies(store):
    result = await store.run_turn(1, 100, engine_appending("a"))
    assert not result.duplicate and result.replies[0].text == "a"
    result = await store.run_turn(1, 101, engine_appending("b"))
    assert result.replies[0].text == "a b"
    assert (await store.load(1)) == {"words": ["a", "b"]}


async def test_an_update_is_applied_once_and_its_replies_kept(store):
    await store.run_turn(1, 200, engine_appending("a"))
    again = await store.run_turn(1, 200, engine_appending("a"))
    assert again.duplicate
    assert again.replies[0].text == "a" and again.replies[0].buttons[0][0].data == "a:x:1"
    assert (await store.load(1)) == {"words": ["a"]}


async def test_delivered_replies_are_not_sent_again(store):
    await store.run_turn(1, 250, engine_appending("a"))
    await store.mark_delivered(250)
    again = await store.run_turn(1, 250, engine_appending("a"))
    assert again.duplicate and again.replies == []
    assert (await store.load(1)) == {"words": ["a"]}


async def test_chats_do_not_share_state(store):
    await store.run_turn(1, 300, engine_appending("one"))
    await store.run_turn(2, 301, engine_appending("two"))
    assert (await store.load(1)) == {"words": ["one"]}
    assert (await store.load(2)) == {"words": ["two"]}
    assert sorted(await store.chat_ids()) == [1, 2]


async def test_turns_of_one_chat_run_one_at_a_time(store):
    async def many(chat):
        for i in range(20):
            await store.run_turn(chat, chat * 1000 + i, engine_appending(str(i)))

    await asyncio.gather(
        *(many(c) for c in range(1, 6)), *(store.run_turn(9, 9000 + i, engine_appending("x")) for i in range(30))
    )
    for chat in range(1, 6):
        assert (await store.load(chat))["words"] == [str(i) for i in range(20)]
    assert len((await store.load(9))["words"]) == 30  # none lost to a race


async def test_a_failing_engine_changes_nothing(store):
    await store.run_turn(1, 400, engine_appending("a"))

    def broken(state):
        raise RuntimeError("boom")

    with contextlib.suppress(RuntimeError):
        await store.run_turn(1, 401, broken)
    assert (await store.load(1)) == {"words": ["a"]}
    result = await store.run_turn(1, 401, engine_appending("b"))
    assert not result.duplicate  # the failed update was not recorded as done


async def test_forget_deletes_everything(store):
    await store.run_turn(1, 500, engine_appending("secret"))
    result = await store.run_turn(1, 501, lambda state: Turn(None, [Reply("deleted")], forget=True))
    assert result.replies[0].text == "deleted"
    assert await store.load(1) is None
    assert 1 not in await store.chat_ids()
    # The old update's stored replies (which quoted the answers) are gone too.
    replay = await store.run_turn(1, 500, engine_appending("new"))
    assert not replay.duplicate


async def test_state_survives_a_restart(store, make_store):
    await store.run_turn(7, 600, engine_appending("kept"))
    reopened = make_store()  # a second process on the same database
    await reopened.open()
    try:
        assert (await reopened.load(7)) == {"words": ["kept"]}
        assert (await reopened.run_turn(7, 600, engine_appending("kept"))).duplicate
    finally:
        await reopened.close()


async def test_migrations_are_idempotent(make_store):
    for _ in range(3):  # every start applies pending migrations only
        s = make_store()
        await s.open()
        await s.run_turn(1, None, engine_appending("a"))
        await s.close()
    s = make_store()
    await s.open()
    assert (await s.load(1)) == {"words": ["a", "a", "a"]}
    await s.close()
