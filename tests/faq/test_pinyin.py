"""Pinyin readings of ü: typed v, as IMEs and pypinyin's Style.NORMAL write it (女 → nv, 律/绿 → lv)."""

import pytest

from bot.faq.pinyin import _table, readings, spellings, split_syllables

pypinyin = pytest.importorskip("pypinyin")


def test_u_umlaut_reads_v():
    assert readings("女")[0] == "nv"
    assert readings("律") == ("lv",)
    assert readings("绿")[0] == "lv" and "lu" in readings("绿")  # 绿 is also lù (绿林)
    assert readings("略") == ("lve",)
    assert readings("学") == ("xue",)  # ü written u after x/j/q/y stays u, as typed
    assert spellings("律师")[0] == "lvshi"


def test_typed_v_splits_into_syllables():
    assert split_syllables("nvxing") == ["nv", "xing"]
    assert split_syllables("lvshishiwusuo") == ["lv", "shi", "shi", "wu", "suo"]
    assert split_syllables("nuxing") == ["nu", "xing"]  # u stays u: 奴 is not 女


def test_every_u_umlaut_character_agrees_with_pypinyin():
    # the oracle: pypinyin's own toneless style, for every character the table spells with ü
    with_u = [chr(int(cp)) for cp, toned in _table().items() if any(c in toned for c in "üǖǘǚǜ")]
    assert len(with_u) > 100
    disagree = [
        (ch, readings(ch))
        for ch in with_u
        if pypinyin.lazy_pinyin(ch, style=pypinyin.Style.NORMAL)[0] not in readings(ch)
    ]
    assert disagree == []
    assert not any("ü" in r or "u\u0308" in r for ch in with_u for r in readings(ch))


def test_typed_v_finds_the_word(index):
    # 律所 and 女儿 are words of the index (synonyms / FAQ); typed with v they are found
    assert "律所" in index.pinyin.latin(["lvsuo"])
    assert "女儿" in index.pinyin.latin(["nver"])
    assert index.pinyin.latin(["lusuo"]) != ["律所"]
