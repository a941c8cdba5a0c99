"""The framework floor: a bare python-telegram-bot interview, as its examples write one.

ConversationHandler, three questions (two with buttons, one typed number), no persistence,
no rules, its own Application.run_polling with the defaults. What `gjz run` is measured
against in benchmarks/turns_bench.py (token and Bot API URL from the same variables).
"""

import os
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

DISTRICT, DEGREE, INCOME = range(3)


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=label) for label in labels]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    context.user_data.clear()
    await update.message.reply_text(
        "第 1 步，共 3 步\n您在哪个区工作？", reply_markup=keyboard("朝阳区", "通州区", "东城区")
    )
    return DISTRICT


async def district(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    context.user_data["district"] = query.data
    await query.message.reply_text("第 2 步，共 3 步\n您的最高学位？", reply_markup=keyboard("学士", "硕士", "博士"))
    return DEGREE


async def degree(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    query = update.callback_query
    await query.answer()
    context.user_data["degree"] = query.data
    await query.message.reply_text("第 3 步，共 3 步\n您的月收入（元，税前）？请输入数字")
    return INCOME


async def income(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    text = update.message.text.strip()
    if not text.isdigit():
        await update.message.reply_text("第 3 步，共 3 步\n请输入数字，例如 20000")
        return INCOME
    data = context.user_data
    verdict = "符合" if int(text) >= 15000 else "暂不符合"
    await update.message.reply_text(f"条件核对：{data['district']}，{data['degree']}，月收入 {text} 元：{verdict}")
    return ConversationHandler.END


def main() -> None:
    warnings.filterwarnings("ignore", category=PTBUserWarning)  # per_message=False with buttons: intended
    app = (
        Application.builder()
        .token(os.environ["GJZ_TELEGRAM_TOKEN"])
        .base_url(os.environ.get("GJZ_TELEGRAM_API_URL", "https://api.telegram.org/bot"))
        .build()
    )
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("start", start)],
            states={
                DISTRICT: [CallbackQueryHandler(district)],
                DEGREE: [CallbackQueryHandler(degree)],
                INCOME: [MessageHandler(filters.TEXT & ~filters.COMMAND, income)],
            },
            fallbacks=[CommandHandler("start", start)],
        )
    )
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
