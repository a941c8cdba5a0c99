"""Updates that never reach the interview: other kinds of chat, and a user blocking the bot.

The interview holds answers about income, residence and ID documents, so it runs only in
private chats. In a group (or supergroup) one interview would be shared by every member:
anyone's /summary would show the others' answers. There the bot only points to a private
chat (a deep link), stores nothing, and ignores ordinary chatter. Channels are ignored.
A user who blocks the bot (``my_chat_member``, status ``kicked``) is forgotten, like /forget.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError

from ..dialog.messages import render
from ..dialog.turn import Turn
from ..store import StateStore

log = logging.getLogger("gjz.telegram")
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
JOINED = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)


async def handled_outside_interview(bot, update: Update, store: StateStore, bot_username: str) -> bool:
    """True when the update was dealt with here and the engine must not see it."""
    member = update.my_chat_member
    if member is not None:
        status = member.new_chat_member.status
        if member.chat.type == ChatType.PRIVATE and status == ChatMemberStatus.BANNED:  # "kicked": blocked
            await store.run_turn(member.chat.id, update.update_id, lambda state: Turn(None, forget=True))
            log.info("a user blocked the bot: their interview is forgotten")
        elif member.chat.type in GROUPS and status in JOINED:
            await _point_to_private(bot, member.chat.id, bot_username)
        return True
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return False
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await bot.answer_callback_query(update.callback_query.id)
    elif chat.type in GROUPS and _addressed(update, bot_username):
        await _point_to_private(bot, chat.id, bot_username)
    return True


def _addressed(update: Update, bot_username: str) -> bool:
    """A command, a mention of the bot, or a reply to it: what a group member means for us."""
    message = update.effective_message
    if message is None or not message.text:
        return False
    replied = message.reply_to_message
    return (
        message.text.startswith("/")
        or f"@{bot_username}".lower() in message.text.lower()
        or (replied is not None and replied.from_user is not None and replied.from_user.username == bot_username)
    )


async def _point_to_private(bot, chat_id: int, bot_username: str) -> None:
    text = render("private_only.html.j2", link=f"https://t.me/{bot_username}?start=")
    try:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True)
    except TelegramError as exc:  # removed meanwhile, or no right to post: nothing to keep
        log.info("group notice not sent: %s", type(exc).__name__)
