"""End to end: the real bot process, the local Bot API stand-in, users typing and pressing."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import BotProcess, Conversation


def test_bda_interview_by_buttons_and_typing(bot, fake_api):
    user = Conversation(fake_api, 5001)
    first = user.say("/start", expect="哪个区")
    assert "第 1 步" in first.text
    user.press("经开区", expect="哪项业务")
    user.press("新办", expect="哪一类条件")
    user.say("学位", expect="最高学位")
    user.press("硕士", expect="工作经历")
    user.say("3年", expect="应税收入")
    user.say("1.5万", expect="工作")
    user.say("1年半", expect="住哪里")
    user.press("租房", expect="中国国籍")
    user.press("是，中国籍", expect="户口")
    user.press("外地户口", expect="周岁")
    user.say("32", expect="个税和社保")
    user.press("是", expect="劳动合同")
    user.say("2年", expect="子女")
    user.press("0", expect="国（境）外")
    result = user.press("否", expect="条件核对")
    assert "经开区" in result.text or "北京经济技术开发区" in result.text
    assert "符合条件" in result.text
    assert fake_api.errors == [], fake_api.errors
