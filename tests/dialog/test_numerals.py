"""Chinese numerals against cn2an, the oracle for the strict forms, and our colloquial rules."""

from __future__ import annotations

import random
import re

import cn2an
import pytest

from bot.dialog.numerals import ParseError, normalise, read_number
from tests.dialog.spoken_numbers import STEP_DOWN, ZERO_AND_MIXED

SEED, COUNT = 20261123, 10_000


def _numbers() -> list[int]:
    rng = random.Random(SEED)
    # every order of magnitude equally often: uniform draws would be almost all eight digits
    return [rng.randrange(0, 10 ** rng.randint(1, 8)) for _ in range(COUNT)]


def _liang(text: str) -> str:
    """The spoken variant: 两 for 二 before 千/万/亿/百 and as the leading digit ('两千零五')."""
    return re.sub(r"二(?=[百千万亿])", "两", text)


def test_cn2an_written_integers_read_back():
    wrong = []
    for n in _numbers():
        written = cn2an.an2cn(n)
        # cn2an's own quirk: it checks its writing by reading it back; trust only what it round-trips
        assert cn2an.cn2an(written, "strict") == n
        for form in {written, _liang(written)}:
            if read_number(form) != n:
                wrong.append((n, form, read_number(form)))
    assert wrong == [], wrong[:10]


@pytest.mark.parametrize("text, value", STEP_DOWN)
def test_colloquial_step_down_where_cn2an_strict_refuses(text, value):
    # cn2an's strict mode refuses these ('一万五' is not strict Chinese); people type them daily
    assert read_number(text) == value


@pytest.mark.parametrize("text, value", ZERO_AND_MIXED)
def test_zero_stops_the_step_down_and_mixed_forms(text, value):
    assert read_number(text) == value


def test_full_width_digits_are_the_normalisers_job_before_the_reader():
    assert read_number(normalise("１５０００")) == 15000


@pytest.mark.parametrize("text", ["", "万", "百", "两三", "一零", "1万20000", "abc", "一万五五"])
def test_unreadable(text):
    with pytest.raises(ParseError):
        read_number(text)
