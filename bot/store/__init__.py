"""Where interviews live between messages: one interface, pluggable backends."""

from .base import StateStore, TurnResult, open_store

__all__ = ["StateStore", "TurnResult", "open_store"]
