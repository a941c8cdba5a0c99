"""Numbers as people type them, with what they mean. The numeral reader's tests read them with
read_number; parse_money is that reader behind the currency and unit it strips, so its tests
read the same table as money and must get the same figure."""

from __future__ import annotations

# The colloquial step-down cn2an's strict mode refuses: the digit after the last unit counts in
# the next unit down ('一万五' is 15000, '一百一' 110).
STEP_DOWN = [
    ("一万五", 15000),
    ("两千三", 2300),
    ("一百一", 110),
    ("三万二", 32000),
    ("一亿五", 150_000_000),
    ("十五", 15),
    ("一万五千三", 15300),
    ("1w5", 15000),
    ("1万5", 15000),
    ("12万5", 125000),
]

# 零 stops the step-down ('一万零五' is 10005), and digits mixed with units (issue 11).
ZERO_AND_MIXED = [
    ("一万零五", 10005),
    ("两万零五", 20005),
    ("二千二百零九", 2209),
    ("2万5千", 25000),
    ("1万零500", 10500),
    ("一万零五百", 10500),
    ("15k", 15000),
    ("1.5万", 15000),
    ("三点五万", 35000),
    ("一亿零一万", 100_010_000),
    ("一千零一十", 1010),
]
