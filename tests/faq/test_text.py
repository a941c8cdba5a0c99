"""Normalisation, segmentation, synonyms and pinyin."""

from bot.faq.normalise import normalise
from bot.faq.pinyin import split_syllables


def test_normalise_traditional_fullwidth_punctuation():
    assert normalise("工居證過期了怎麼辦？") == "工居证过期了怎么办"
    assert normalise("ＨＲ說要１．２倍！") == "hr说要1.2倍"
    assert normalise("《诚信声明》，在哪下载") == "诚信声明 在哪下载"
    assert normalise("1.2倍，3,000元") == "1.2倍 3,000元"


def test_simplified_text_is_left_alone():
    text = "东城续签要什么材料"
    assert normalise(text) == text


def test_tokens_drop_noise_and_unify_synonyms(index):
    tok = index.tokenizer
    assert tok.tokens("老婆能随迁吗") == tok.tokens("配偶能随迁吗")
    assert tok.tokens(normalise("HR")) == ["经办人"]
    words = tok.tokens("请问一下工居证的有效期是多久呢")
    assert not {"请问", "一下", "的", "呢", "是"} & set(words)
    assert "工作居住证" in words  # 工居证, a knowledge term, stays whole and is unified


def test_distinct_concepts_do_not_leak_through_sub_words(index):
    tok = index.tokenizer
    # 居住证 alone is the residence permit; inside 工作居住证 or 居住证明 it is not
    assert "北京市居住证" in tok.tokens("居住证能当住房证明吗")
    assert "北京市居住证" not in tok.tokens("工作居住证")
    assert "北京市居住证" not in tok.tokens("居住证明")
    # 合同 alone is the labour contract; inside 租房合同 it is not
    assert "劳动合同" in tok.tokens("合同还剩几个月")
    assert "劳动合同" not in tok.tokens("租房合同")
    assert "租赁合同" in tok.tokens("租房合同")


def test_knowledge_terms_stay_whole(index):
    words = index.tokenizer.analyse("涉税信息查询结果告知书怎么开")[2]
    assert "涉税信息查询结果告知书" in words


def test_split_syllables():
    assert split_syllables("xuqiancailiao") == ["xu", "qian", "cai", "liao"]
    assert split_syllables("offer") is None


def test_typed_pinyin_and_initials(index):
    assert "续签" in index.pinyin.latin(["xuqian"])
    assert index.pinyin.latin(["xuqian", "cailiao"]) == ["续签", "材料"]
    assert index.pinyin.latin(["gjz"]) == ["工居证"]
    assert index.pinyin.latin(["qwzx"]) == []


def test_homophone_slips(index):
    assert "工居证" in index.pinyin.homophones("工具证过期了")
    assert "续签" in index.pinyin.homophones("续前要提前多久")
    assert index.pinyin.homophones("续签要提前多久") == []
