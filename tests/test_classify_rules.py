"""Table-driven tests of the loss-cause rules on real reasoning sentences (and negated ones)."""

from __future__ import annotations

import pytest

from classify.anchors import anchor_hits
from classify.rules import cn_number, run_rules
from classify.text import Span
from ingest.citations import find_citations
from ingest.normalize import normalize
from ingest.record import JudgmentRecord


def causes_of(sentence: str, penalty: bool = False) -> set[str]:
    """Phrase rules and statute anchors (through the parser's citations) over one sentence."""
    norm, offsets = normalize(sentence)
    record = JudgmentRecord(text=sentence, citations=find_citations(sentence, norm, offsets))
    spans = [Span(0, len(sentence), "reasoning")]
    hits = run_rules(sentence, spans) + anchor_hits(record, spans, penalty)
    return {h.cause for h in hits if h.strength >= 0.5}


# Sentences of the courts' reasoning in the corpus (positive: the cause must be found).
POSITIVE = [
    ("被告在不予认定工伤决定中认定张艳龙系在家中发病主要证据不足。", "insufficient_evidence"),
    (
        "因此，被告作出案涉《责令限期拆除违法建筑通知书》认定事实不清、证据不足，应予撤销。",
        "insufficient_evidence",
    ),
    (
        "被告的答复超过法律规定的期限，属于程序轻微违法，但不影响被告答复内容的法律效力，无需撤销。",
        "procedure",
    ),
    (
        "同时，市人社局在作出8号不予认定工亡决定的过程中没有告知利害关系人举证的权利以及申请回避的权利，程序违法。",
        "procedure",
    ),
    (
        "鉴于浦东公安分局在作出被诉不予处罚决定前未履行法定告知义务，被诉不予处罚决定作出的行政程序明显违法，依法应予撤销。",
        "procedure",
    ),
    (
        "综上，上诉人盘山县自然资源局依据旧的法律规定对被上诉人进行处罚，系适用法律错误，对其提出的上诉理由不予采信。",
        "law_application",
    ),
    ("被告无为县人力资源和社会保障局未提交证据，视为没有证据。", "passive_defence"),
    ("但在一审中，市人社局没有提交行政机关负责人集体讨论的证据，应视为没有相应证据。", "passive_defence"),
    ("被告以未收到原告的补正材料为由，简单地视为放弃行政复议申请，构成不履行行政复议法定职责。", "inaction"),
    (
        "就第三人实施的违法行为，被告未及时采取措施制止和处理，其违法行为产生的结果亦长期未得到消除，被告未在法定期限内依法履职，其行为显属违法。",
        "inaction",
    ),
    (
        "但第三人靳迎春、胡国平二人结伙实施违反治安管理行为，情节较重，因此被告沁阳市公安局作出的沁公（紫陵）行罚决字［2016］0400行政处罚决定书明显不当，对该行政处罚决定书应当予以撤销。",
        "manifestly_improper",
    ),
    ("现被告未按上述约定支付征收补偿款，其构成违约。", "other"),
    (
        "依据《中华人民共和国行政诉讼法》第七十条第（一）项的规定，判决一、撤销被告作出的不予认定工伤决定。",
        "insufficient_evidence",
    ),
    ("依照《中华人民共和国行政诉讼法》第七十条第二项之规定，判决如下：", "law_application"),
    ("依照《中华人民共和国行政诉讼法》第七十四条第一款第（二）项之规定，判决如下：", "procedure"),
    ("依照《中华人民共和国行政诉讼法》第七十二条之规定，判决如下：", "inaction"),
]

# Common phrasing variants of the same findings.
VARIANTS = [
    ("被告作出的处罚决定程序不合法，应予撤销。", "procedure"),
    ("被告未依法履行催告程序即强制拆除，应确认违法。", "procedure"),
    ("被告拒绝履行法定的查处职责，本院予以纠正。", "inaction"),
    ("被告作出的决定超出其职权范围，应予撤销。", "ultra_vires"),
    ("被告对原告处以顶格罚款，处罚明显过重。", "manifestly_improper"),
    ("被告的行为属于滥用职权。", "abuse_of_power"),
]

# The court's own words that deny a cause, or restate a party's rejected argument: nothing found.
NEGATIVE = [
    "县林草局履行了合法收集证据材料、评估鉴定、告知、听证、送达等办案程序,案涉行政处罚决定作出前已经过集体讨论，认定基本事实清楚，主要证据充分，适用法律正确，处罚幅度并无明显不当，符合相关法律的程序性规定。",
    "且杭后交管大队在涉案行政处罚决定书中载明了张立龙的相关异议权利和救济途径，并将该行政处罚决定书依法送达张立龙，故涉案处理程序并不存在明显不当。",
    "故华慧公司以程序违法及违反行政诉讼合法性审查为由请求撤销原审判决的理由，本院不予支持。",
    "原告诉称被告作出的处罚决定程序违法、适用法律错误，请求予以撤销。",
    "被告作出的行政处罚决定认定事实清楚，证据确凿，适用法律正确，程序合法。",
    "经审查，被告在作出决定前已告知原告陈述、申辩的权利，不存在违反法定程序的情形。",
    "上诉人认为一审判决适用法律错误，其上诉理由不能成立。",
    # the statute quoted, not applied
    "根据《中华人民共和国行政诉讼法》第七十条规定：“行政行为有下列情形之一的，人民法院判决撤销或者部分撤销：（一）主要证据不足的；（二）适用法律、法规错误的；（三）违反法定程序的；（四）超越职权的；（五）滥用职权的；（六）明显不当的”。",
    # the other interpretation's article numbers are not 行政诉讼法's
    "依照《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第七十条第二项之规定，裁定如下：",
]


@pytest.mark.parametrize(("sentence", "cause"), POSITIVE + VARIANTS)
def test_rule_finds_cause_in_real_reasoning(sentence: str, cause: str) -> None:
    assert cause in causes_of(sentence)


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_negated_or_restated_phrases_give_no_cause(sentence: str) -> None:
    assert causes_of(sentence) == set()


def test_evidence_is_the_sentence_verbatim_with_offsets() -> None:
    text = "本院认为，被告未举证。被告在作出处罚决定前未告知原告陈述申辩的权利，违反法定程序。判决如下："
    hits = [h for h in run_rules(text, [Span(0, len(text), "reasoning")]) if h.cause == "procedure"]
    assert hits
    s = hits[0].sentence
    assert text[s.start : s.end] == "被告在作出处罚决定前未告知原告陈述申辩的权利，违反法定程序。"


def test_multiple_items_of_article_70_give_each_cause() -> None:
    s = "依照《中华人民共和国行政诉讼法》第七十条第（一）、（二）、（三）项之规定，判决如下："
    assert causes_of(s) >= {"insufficient_evidence", "law_application", "procedure"}


@pytest.mark.parametrize(
    ("text", "n"), [("七十", 70), ("七十二", 72), ("十", 10), ("一百零三", 103), ("89", 89)]
)
def test_chinese_numerals(text: str, n: int) -> None:
    assert cn_number(text) == n


def test_labelled_evidence_sentences_are_mostly_found(corpus_labels: dict[str, dict]) -> None:
    """GIVEN every evidence sentence the labellers quoted THEN the rules name its cause for most of them."""
    total = found = 0
    for label in corpus_labels.values():
        for cause, quote in (label.get("cause_evidence") or {}).items():
            quotes = quote if isinstance(quote, list) else [quote]
            for q in quotes:
                total += 1
                found += cause in causes_of(q)
    assert total >= 30
    assert found / total >= 0.7, f"{found}/{total}"


# Shapes seen on unseen judgments, in sentences written for this test (issue 13).
WRITTEN_POSITIVE = [
    # nouns inside a finding are not a party speaking (无正当理由 / 意见 / 陈述申辩权利)
    ("被告经本院合法传唤，无正当理由拒不到庭，亦未提交答辩状和证据，应视为没有相应证据。", "passive_defence"),
    ("被告在作出处罚决定前未听取原告的陈述和申辩意见，违反法定程序。", "procedure"),
    # a time phrase between the subject and the negation
    ("被告至今仍未依法履行其法定职责。", "inaction"),
    ("被告在收到申请后长达两年时间内均未作出任何处理。", "inaction"),
    # failed to prove; a synonym of the verb; a case handled past its time limit
    ("被告未能证明其作出的处罚决定具有事实依据。", "insufficient_evidence"),
    ("被告迟延履行答复义务，本院确认违法。", "inaction"),
    ("被告超过法定办案期限作出处罚决定，程序违法。", "procedure"),
    # a minor flaw the court declares unlawful without revoking is still the cause
    ("被告的送达程序虽有瑕疵，但对原告权利不产生实际影响，本院不予撤销。", "procedure"),
    # the lower court's finding an appeal upholds is endorsed, not the lower court's error
    ("原审判决认定被上诉人作出的不予认定工伤决定主要证据不足，并无不当。", "insufficient_evidence"),
    ("一审法院认定被诉处罚决定程序违法，判决予以撤销，并无不当，本院予以维持。", "procedure"),
    # the court turns against the agency's argument (…认为…，但…不能证明已送达，本院不予采信)
    ("被告认为其已依法履行送达程序，但其提交的证据不能证明已向原告送达，本院不予采信。", "procedure"),
    ("被告的行为超越了其法定职权范围。", "ultra_vires"),
    # degree words inside fixed phrases, synonyms of the verb, a late decision
    ("被告作出处罚决定的程序严重违法。", "procedure"),
    ("被告认定原告违法占地的证据明显不足。", "insufficient_evidence"),
    ("被诉决定认定事实明显不清。", "insufficient_evidence"),
    ("被告不依法履行查处职责，本院予以纠正。", "inaction"),
    ("被告未及时履行其法定职责。", "inaction"),
    ("被告超期作出处罚决定，程序违法。", "procedure"),
    ("被告逾期作出处罚决定，违反法定程序。", "procedure"),
]

WRITTEN_NEGATIVE = [
    # whose evidence fails: the plaintiff's
    "原告提供的证据不足以证明其主张，对其诉讼请求本院不予支持。",
    "原告主张被告认定事实不清、证据不足，缺乏依据，本院不予支持。",
    # the lower court's error, not the agency's
    "一审判决适用法律错误，本院予以纠正。",
    "原审法院认定事实不清，本院予以纠正。",
    # a disclaimer right after the flaw
    "被告的送达程序存在瑕疵，但不影响被诉决定的合法性。",
    # the agency's claim that the citizen breached the agreement
    "被告提出原告违反协议约定，于法无据。",
    # the lower court's error carries over the clauses of its sentence
    "一审判决认定事实不清，适用法律错误，本院予以纠正。",
    # a rejected argument named after the phrase (…之主张，本院不予认定)
    "被告作出的处罚决定程序违法之主张，本院不予认定。",
]


@pytest.mark.parametrize(("sentence", "cause"), WRITTEN_POSITIVE)
def test_written_findings_are_found(sentence: str, cause: str) -> None:
    assert cause in causes_of(sentence)


@pytest.mark.parametrize("sentence", WRITTEN_NEGATIVE)
def test_written_non_findings_give_no_cause(sentence: str) -> None:
    assert causes_of(sentence) == set()


def test_a_norm_quoted_over_several_sentences_is_not_a_finding() -> None:
    """GIVEN a statute quoted with 。 inside the quote WHEN the rules read its later sentences THEN the
    quoted words give no cause, and the court's words after the quote still do."""
    text = (
        "《中华人民共和国行政诉讼法》第三十四条规定：“被告对作出的行政行为负有举证责任。"
        "被告不提供或者无正当理由逾期提供证据，视为没有相应证据。”"
        "本案中，被告未在法定举证期限内提交作出被诉决定的证据。"
    )
    hits = run_rules(text, [Span(0, len(text), "reasoning")])
    assert {h.cause for h in hits if h.strength >= 0.5} == {"passive_defence"}
    assert all(text[h.sentence.start :].startswith("本案中") for h in hits if h.strength >= 0.5)


def test_the_reason_a_sued_decision_gave_is_not_the_courts_finding() -> None:
    s = "被诉复议决定以原告的申请不涉及行政机关的行政不作为，不属于行政复议范围为由，驳回其申请。"
    assert "inaction" not in causes_of(s)
