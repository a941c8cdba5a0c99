"""The Telegram adapter: python-telegram-bot over the pure interview engine."""
