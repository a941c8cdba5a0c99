"""An open-ended contract (无固定期限, read as 1200 months) is said as what it is, never '剩余 1200 个月'."""

import datetime as dt

from bot.rules import Profile, assess


def test_an_open_ended_contract_reads_as_such(knowledge):
    profile = Profile(district="chaoyang", business="new", contract_months_left=1200)
    check = next(c for c in assess(knowledge, profile, today=dt.date(2026, 12, 2)).checks if c.id == "contract")
    assert check.status == "pass" and check.message.startswith("无固定期限劳动合同") and "1200" not in check.message
