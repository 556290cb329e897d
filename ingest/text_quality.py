"""Is a page's text layer real Chinese, or mojibake from a broken font mapping?

Two failure modes are common in the wild: fonts without a /ToUnicode map (pdfminer yields
``(cid:123)`` or Latin junk) and fonts whose map is wrong (the document's own characters, shuffled,
mixed with control characters). Both render correctly, so only statistics on the extracted text can
tell. The score is the share of the page's Han characters that belong to the most frequent characters
of written Chinese (a general frequency list, not this corpus), discounted by junk and by the order of
the characters (how many adjacent pairs are pairs inside real words: shuffled real characters fail it).
"""

from __future__ import annotations

import re
from functools import lru_cache

# The ~200 most frequent Han characters of modern written Chinese (general frequency lists).
COMMON_HAN = frozenset(
    "的一是不了人在有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过"
    "发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本"
    "前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很"
    "最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度"
    "门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电"
    "数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马"
    "科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万"
    "取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议"
    "往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石"
    "级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻"
    "易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势"
    "参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续"
    "施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿"
    "千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股"
    "拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充"
)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
_LATIN = re.compile(r"[A-Za-z]")
_CID = re.compile(r"\(cid:\d+\)")
# characters that are rare in judgments and, in a shuffled font map, sit right next to Han characters
_ODD = re.compile(r"[A-Za-z^\\|<>=%@#$&*_`~{}\[\]!?;+\"']")
_SWITCH = re.compile(rf"(?:[\u3400-\u9fff]{_ODD.pattern}|{_ODD.pattern}[\u3400-\u9fff])")


# a line of jieba's dictionary, "word frequency [tag]", for a word used at least 20 times (the frequency's
# digits, leading zeros aside: two from 20 on, or three or more)
_DICT_LINE = re.compile(r"^[ \t]*(\S\S+)[ \t]+0*(?:[2-9]\d|[1-9]\d\d+)(?=\s|$)", re.MULTILINE | re.ASCII)
_HAN_PAIR = re.compile(r"(?=([\u3400-\u9fff\uf900-\ufaff]{2}))")  # every adjacent pair, overlapping


@lru_cache(maxsize=1)
def common_bigrams() -> frozenset[str]:
    """Han character pairs that occur inside words of written Chinese: every adjacent pair of the words
    of jieba's general dictionary used at least 20 times (≈75 000 pairs; built once per process, with
    two regular expressions over the file — jieba itself is not imported)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as fh:
        text = fh.read()
    return frozenset(_HAN_PAIR.findall("\n".join(_DICT_LINE.findall(text))))


def bigram_share(text: str) -> tuple[float, int]:
    """(share of adjacent Han pairs that are pairs of real words, number of pairs). Real judgment pages:
    0.44–0.65 (143 corpus judgments, 1 500-character pages); the same characters shuffled: 0.08–0.18."""
    big = common_bigrams()
    pairs = _HAN_PAIR.findall(text)
    if not pairs:
        return 0.0, 0
    return sum(p in big for p in pairs) / len(pairs), len(pairs)


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def text_plausibility(text: str) -> float:
    """0..1: how much the text looks like real written Chinese (1 = certainly)."""
    n_cid = len(_CID.findall(text))
    text = _CID.sub("\ufffd", text)
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    n = len(chars)
    han = _HAN.findall(text)
    junk = (len(_CONTROL.findall(text)) + n_cid) / n
    latin = len(_LATIN.findall(text)) / n
    if not han:
        return 0.0
    # Han next to Latin letters or odd symbols, per character: real pages < 0.06, shuffled maps ≈ 0.3
    switches = len(_SWITCH.findall(text)) / n
    mixed = max(0.0, 1.0 - max(0.0, switches - 0.06) / 0.1)
    if len(han) < 40:  # too little text for frequency statistics
        return round(max(0.0, 1.0 - 5 * junk) * max(0.0, 1.0 - 2 * max(0.0, latin - 0.3)) * mixed, 3)
    common = sum(1 for c in han if c in COMMON_HAN) / len(han)
    han_share = len(han) / n
    # real judgment pages: common ≈ 0.45–0.65, han_share > 0.6; shuffled maps: common ≈ 0.2
    score = min(1.0, common / 0.45) * min(1.0, han_share / 0.5)
    score *= max(0.0, 1.0 - 5 * junk) * max(0.0, 1.0 - 2 * max(0.0, latin - 0.1)) * mixed
    # real characters in a shuffled order (a junk layer drawn over a scan) pass the character counts:
    # the order gives them away — few adjacent pairs are pairs of real words
    share, n_pairs = bigram_share(text)
    if n_pairs >= 40:
        score *= min(1.0, max(0.0, (share - 0.15) / 0.2))
    return round(max(0.0, min(1.0, score)), 3)
