"""The command menu Telegram shows beside the input field (setMyCommands), from the one command
list (dialogs/commands.yaml). Sent by every way of running the bot: gjz run at start, gjz serve
once at start (the supervisor, not each worker) and gjz set-webhook."""

from __future__ import annotations

from telegram import BotCommand

from ..dialog.commands import menu


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in menu()]


async def register_commands(bot) -> bool:
    """setMyCommands through ``bot`` (a PTB Bot or LeanBotApi); True when Telegram took it."""
    return bool(await bot.set_my_commands(bot_commands()))
